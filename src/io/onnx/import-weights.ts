/**
 * The weights of an imported ONNX model as a state dict under PyTorch's names: initializers PyTorch's exporter
 * kept under their parameter names ('conv1.weight', 'bn1.running_mean') as they are, and the ones it renamed
 * ('onnx::LSTM_193', 'onnx::MatMul_216') mapped back through the node that reads them: an LSTM/GRU/RNN node's W,
 * R, B to `<module>.weight_ih_l<k>`, ... in PyTorch's gate order, a MatMul's right operand to `<module>.weight`
 * transposed. The module path comes from the node's name ('/rnn/LSTM_1' -> 'rnn', layer 1).
 * @module
 */
import { contiguous, narrow, permute } from '../../ops/movement.js';
import { Tensor } from '../../tensor/tensor.js';
import type { OnnxModel } from './import.js';
import { reorderBlocks, TORCH_FROM_ONNX } from './import-ops.js';

/** The module path of a node PyTorch's exporter named '/a/b/Op' ('a.b'), or null for a name without one. */
function scopeOf(name: string): string | null {
  const parts = name.split('/').filter((p) => p.length > 0);
  return parts.length >= 2 ? parts.slice(0, -1).join('.') : null;
}

/** The model's weights by PyTorch name (float tensors only; int64 shape constants are left out). */
export function onnxStateDict(model: OnnxModel): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, v] of model.initializers) if (v instanceof Tensor && !name.startsWith('onnx::')) out[name] = v;
  const layers = new Map<string, number>();
  for (const n of model.nodes) {
    const scope = scopeOf(n.name);
    if (scope === null) continue;
    const init = (k: number) => {
      const v = n.inputs[k] ? model.initializers.get(n.inputs[k]) : undefined;
      return v instanceof Tensor ? v : null;
    };
    if (n.opType === 'MatMul' && n.inputs[1]?.startsWith('onnx::') && init(1)?.ndim === 2) {
      out[`${scope}.weight`] = contiguous(permute(init(1) as Tensor, [1, 0]));
    }
    if ((n.opType === 'LSTM' || n.opType === 'GRU' || n.opType === 'RNN') && init(1) && init(2)) {
      const l = layers.get(scope) ?? 0;
      layers.set(scope, l + 1);
      const order = TORCH_FROM_ONNX[n.opType];
      const W = init(1) as Tensor;
      const R = init(2) as Tensor;
      const B = init(3);
      const H = R.shape[2];
      const G = order.length;
      for (let d = 0; d < W.shape[0]; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        out[`${scope}.weight_ih${sfx}`] = reorderBlocks(W.select(0, d), order, H);
        out[`${scope}.weight_hh${sfx}`] = reorderBlocks(R.select(0, d), order, H);
        if (B !== null) {
          const b = B.select(0, d);
          out[`${scope}.bias_ih${sfx}`] = reorderBlocks(narrow(b, 0, 0, G * H), order, H);
          out[`${scope}.bias_hh${sfx}`] = reorderBlocks(narrow(b, 0, G * H, G * H), order, H);
        }
      }
    }
  }
  return out;
}
