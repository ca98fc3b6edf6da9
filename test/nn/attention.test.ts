/**
 * nn.MultiheadAttention and the Transformer layers and stacks against PyTorch 1.13 (tools/make_attention_fixtures.py):
 * torch's state dict is loaded by name, then outputs and the gradients of sum_k sum(out_k * w_k) w.r.t. every input
 * and parameter are compared, in float64 and float32, in eval mode. Plus gradcheck, scaledDotProductAttention,
 * dropout in training, initialization, the causal mask and the typed errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  DTypeError, F, ShapeError, Tensor, ValueError, getBackend, gradcheck, listBackends, manualSeed, setBackend, nn, ones, randn, softmax, tensor, zeros, type DType,
} from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { assertTensorClose, makeInput, type EncTensor } from '../helpers/check-op.js';

interface AttentionCase {
  name: string;
  cls: 'MultiheadAttention' | 'TransformerEncoderLayer' | 'TransformerDecoderLayer' | 'TransformerEncoder' | 'TransformerDecoder' | 'Transformer';
  args: unknown[];
  numLayers: number | null;
  norm: boolean | null;
  stateKeys: string[];
  state: Record<string, EncTensor>;
  inputs: [string, EncTensor][];
  masks: Record<string, EncTensor>;
  opts: Record<string, boolean>;
  outputs: EncTensor[];
  gradOutputs: EncTensor[];
  inputGrads: EncTensor[];
  paramGrads: Record<string, EncTensor>;
}

const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/nn/attention.json', import.meta.url), 'utf8')).cases as AttentionCase[];

function build(c: AttentionCase): nn.Module {
  const [a, b, o] = c.args as [number, number, Record<string, unknown>];
  switch (c.cls) {
    case 'MultiheadAttention':
      return new nn.MultiheadAttention(a, b, o);
    case 'TransformerEncoderLayer':
      return new nn.TransformerEncoderLayer(a, b, o);
    case 'TransformerDecoderLayer':
      return new nn.TransformerDecoderLayer(a, b, o);
    case 'TransformerEncoder':
      return new nn.TransformerEncoder(new nn.TransformerEncoderLayer(a, b, o), c.numLayers!, { norm: c.norm ? new nn.LayerNorm(a) : null });
    case 'TransformerDecoder':
      return new nn.TransformerDecoder(new nn.TransformerDecoderLayer(a, b, o), c.numLayers!, { norm: c.norm ? new nn.LayerNorm(a) : null });
    case 'Transformer':
      return new nn.Transformer(c.args[0] as nn.TransformerOptions);
  }
}

/** Runs the module as the fixture's torch call did; returns the outputs in order. */
function call(c: AttentionCase, m: nn.Module, x: Record<string, Tensor>, masks: Record<string, Tensor>): Tensor[] {
  switch (c.cls) {
    case 'MultiheadAttention': {
      const [out, w] = (m as nn.MultiheadAttention).forward(x.query, x.key, x.value, { ...masks, ...c.opts });
      return w === null ? [out] : [out, w];
    }
    case 'TransformerEncoderLayer':
      return [(m as nn.TransformerEncoderLayer).forward(x.src, masks)];
    case 'TransformerDecoderLayer':
      return [(m as nn.TransformerDecoderLayer).forward(x.tgt, x.memory, masks)];
    case 'TransformerEncoder':
      return [(m as nn.TransformerEncoder).forward(x.src, masks)];
    case 'TransformerDecoder':
      return [(m as nn.TransformerDecoder).forward(x.tgt, x.memory, masks)];
    case 'Transformer':
      return [(m as nn.Transformer).forward(x.src, x.tgt, masks)];
  }
}

function checkCase(c: AttentionCase, dtype: DType, layout: 'contiguous' | 'strided'): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-10] : [2e-4, 2e-5];
  const m = build(c).to(dtype).eval();
  assert.deepEqual(Object.keys(m.stateDict()), c.stateKeys, 'state dict keys, in torch order');
  const state: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.state)) state[k] = makeInput(v, dtype, 'contiguous', false);
  m.loadStateDict(state);
  const x: Record<string, Tensor> = {};
  for (const [k, v] of c.inputs) x[k] = makeInput(v, dtype, layout, true);
  const masks: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.masks)) masks[k] = makeInput(v, v.dtype === 'bool' ? 'bool' : dtype, 'contiguous', false);
  const outs = call(c, m, x, masks);
  assert.equal(outs.length, c.outputs.length, 'number of outputs');
  outs.forEach((o, i) => assertTensorClose(o, c.outputs[i], dtype, rtol, atol, `output ${i}`));
  let loss: Tensor | null = null;
  outs.forEach((o, i) => {
    const term = o.mul(makeInput(c.gradOutputs[i], dtype, 'contiguous', false)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  loss!.backward();
  c.inputs.forEach(([k], i) => assertTensorClose(x[k].grad!, c.inputGrads[i], dtype, rtol, atol, `grad of ${k}`));
  for (const [k, p] of m.namedParameters()) assertTensorClose(p.grad!, c.paramGrads[k], dtype, rtol, atol, `grad of ${k}`);
}

describe('attention and Transformer layers against PyTorch 1.13', () => {
  for (const backend of listBackends()) {
    for (const c of cases) {
      test(`${backend}: ${c.name}`, () => {
        const prev = getBackend().name;
        setBackend(backend);
        try {
          checkCase(c, 'float64', 'contiguous');
          checkCase(c, 'float64', 'strided');
          checkCase(c, 'float32', 'contiguous');
        } finally {
          setBackend(prev);
        }
      });
    }
  }
});

describe('MultiheadAttention', () => {
  test('gradcheck w.r.t. query, key and value with a key padding mask', () => {
    manualSeed(1);
    const m = new nn.MultiheadAttention(4, 2, { kdim: 3 }).double();
    const pad = tensor([[false, false, true], [false, false, false]]);
    const [q, k, v] = [randn([2, 2, 4], { dtype: 'float64' }), randn([3, 2, 3], { dtype: 'float64' }), randn([3, 2, 4], { dtype: 'float64' })];
    for (const t of [q, k, v]) t.requiresGrad = true;
    assert.ok(gradcheck((a, b, c) => m.forward(a, b, c, { keyPaddingMask: pad })[0], [q, k, v]));
  });

  test('initialization as PyTorch: Xavier-uniform packed projection, zero biases', () => {
    manualSeed(0);
    const m = new nn.MultiheadAttention(16, 4);
    const bound = Math.sqrt(6 / (16 + 48));
    const w = m.in_proj_weight!.toTypedArray();
    assert.ok(w.every((e) => Math.abs(e) <= bound) && w.some((e) => Math.abs(e) > bound / 2));
    assert.ok(m.in_proj_bias!.toTypedArray().every((e) => e === 0));
    assert.ok(m.out_proj.bias!.toTypedArray().every((e) => e === 0));
  });

  test('dropout acts on the weights in training only', () => {
    manualSeed(2);
    const m = new nn.MultiheadAttention(4, 1, { dropout: 0.5 });
    const x = randn([6, 1, 4]);
    const [, wTrain] = m.forward(x, x, x);
    assert.ok(wTrain!.toTypedArray().some((e) => e === 0), 'some weights dropped');
    m.eval();
    const [, wEval] = m.forward(x, x, x);
    const rows = wEval!.sum(-1).toTypedArray();
    rows.forEach((r) => assert.ok(Math.abs(r - 1) < 1e-6));
  });
});

describe('Transformer layers', () => {
  test('gradcheck of a pre-norm gelu decoder layer w.r.t. target and memory (eval)', () => {
    manualSeed(4);
    const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, activation: 'gelu', normFirst: true }).double().eval();
    const tgt = randn([3, 2, 4], { dtype: 'float64' });
    const mem = randn([4, 2, 4], { dtype: 'float64' });
    tgt.requiresGrad = true;
    mem.requiresGrad = true;
    const tgtMask = nn.generateSquareSubsequentMask(3, { dtype: 'float64' });
    assert.ok(gradcheck((t, m) => layer.forward(t, m, { tgtMask }), [tgt, mem]));
  });

  test('dropout is active in training: two calls differ, eval calls agree', () => {
    manualSeed(5);
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.3 });
    const x = randn([5, 2, 8]);
    assert.ok(!layer.forward(x).equal(layer.forward(x)));
    layer.eval();
    assert.ok(layer.forward(x).equal(layer.forward(x)));
  });
});

describe('scaledDotProductAttention and the causal mask', () => {
  test('equals softmax(q k^T / sqrt(E)) v; a bool mask marks the pairs that may attend', () => {
    const q = randn([2, 3, 4], { dtype: 'float64' });
    const k = randn([2, 5, 4], { dtype: 'float64' });
    const v = randn([2, 5, 2], { dtype: 'float64' });
    const want = softmax(q.matmul(k.transpose(1, 2)).div(2), -1).matmul(v);
    assert.ok(F.scaledDotProductAttention(q, k, v).allclose(want, { rtol: 1e-12, atol: 1e-12 }));
    const keep = tensor([[true, true, false, false, false], [true, true, true, true, true], [false, true, false, true, false]]);
    const masked = F.scaledDotProductAttention(q, k, v, { attnMask: keep });
    const add = zeros([3, 5], { dtype: 'float64' }).maskedFill(keep.logicalNot(), -Infinity);
    assert.ok(masked.allclose(softmax(q.matmul(k.transpose(1, 2)).div(2).add(add), -1).matmul(v), { rtol: 1e-12, atol: 1e-12 }));
  });

  test('isCausal equals the subsequent mask, and generateSquareSubsequentMask is -inf above the diagonal', () => {
    const m = nn.generateSquareSubsequentMask(3);
    assert.deepEqual(m.toArray(), [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    assert.deepEqual(nn.Transformer.generateSquareSubsequentMask(2, { dtype: 'float64' }).dtype, 'float64');
    const q = randn([4, 3]);
    assert.ok(F.scaledDotProductAttention(q, q, q, { isCausal: true }).allclose(F.scaledDotProductAttention(q, q, q, { attnMask: nn.generateSquareSubsequentMask(4) })));
  });

  test('TransformerEncoder copies its layer (same values, separate parameters)', () => {
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const enc = new nn.TransformerEncoder(layer, 2);
    const sd = enc.stateDict();
    assert.ok(sd['layers.0.linear1.weight'].equal(layer.linear1.weight) && sd['layers.1.linear1.weight'].equal(layer.linear1.weight));
    assert.notEqual(sd['layers.0.linear1.weight'], sd['layers.1.linear1.weight']);
    assert.equal(enc.parameters().length, 2 * layer.parameters().length);
  });
});

const mha = new nn.MultiheadAttention(4, 2);
const x3 = randn([3, 2, 4]);
checkErrors('MultiheadAttention and Transformer layers', [
  ['embedDim not divisible', () => new nn.MultiheadAttention(5, 2), ValueError, /^MultiheadAttention: embedDim \(5\) must be divisible by numHeads \(2\)/],
  ['bad dropout', () => new nn.MultiheadAttention(4, 2, { dropout: 2 }), ValueError, /^MultiheadAttention: dropout must be in \[0, 1\], got 2/],
  ['4-D query', () => mha.forward(randn([1, 3, 2, 4]), x3, x3), ShapeError, /^MultiheadAttention: query must be 3-D \(batched\) or 2-D \(unbatched\), got shape \[1, 3, 2, 4\]/],
  ['query width', () => mha.forward(randn([3, 2, 5]), x3, x3), ShapeError, /^MultiheadAttention: query must end with embedDim = 4, got shape \[3, 2, 5\]/],
  ['key width', () => mha.forward(x3, randn([3, 2, 3]), x3), ShapeError, /^MultiheadAttention: key must end with kdim = 4, got shape \[3, 2, 3\]/],
  ['key and value lengths', () => mha.forward(x3, x3, randn([4, 2, 4])), ShapeError, /^MultiheadAttention: key and value must have one length, got shapes \[3, 2, 4\] and \[4, 2, 4\]/],
  ['batch sizes', () => mha.forward(x3, randn([3, 1, 4]), randn([3, 1, 4])), ShapeError, /^MultiheadAttention: query, key and value must have one batch size/],
  ['float64 input', () => mha.forward(x3.double(), x3.double(), x3.double()), DTypeError, /^MultiheadAttention: query dtype float64 differs from the parameters' dtype float32/],
  ['attnMask shape', () => mha.forward(x3, x3, x3, { attnMask: zeros([3, 4]) }), ShapeError, /^MultiheadAttention: attnMask must be \[L, S\] = \[3, 3\] or \[N \* numHeads, L, S\] = \[4, 3, 3\], got shape \[3, 4\]/],
  ['attnMask dtype', () => mha.forward(x3, x3, x3, { attnMask: zeros([3, 3], { dtype: 'int32' }) }), DTypeError, /^MultiheadAttention: attnMask must be bool or float32 \(the query's dtype\), got dtype int32/],
  ['keyPaddingMask shape', () => mha.forward(x3, x3, x3, { keyPaddingMask: ones([3, 2]).bool() }), ShapeError, /^MultiheadAttention: keyPaddingMask must be \[2, 3\] \(batch, key length\), got shape \[3, 2\]/],
  ['bad activation', () => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as never }), ValueError, /^TransformerEncoderLayer: activation must be 'relu', 'gelu' or a function, got "tanh"/],
  ['nhead not dividing dModel', () => new nn.TransformerDecoderLayer(6, 4), ValueError, /^MultiheadAttention: embedDim \(6\) must be divisible by numHeads \(4\)/],
  ['zero layers', () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 4 }), 0), ValueError, /^TransformerEncoder: numLayers must be a positive integer, got 0/],
  ['sdpa key width', () => F.scaledDotProductAttention(randn([2, 4]), randn([3, 5]), randn([3, 2])), ShapeError, /^scaledDotProductAttention: key must end with the query's feature size 4, got shape \[3, 5\]/],
  ['sdpa mask and causal', () => F.scaledDotProductAttention(randn([2, 4]), randn([2, 4]), randn([2, 4]), { isCausal: true, attnMask: zeros([2, 2]) }), ValueError, /^scaledDotProductAttention: give either attnMask or isCausal, not both/],
  ['causal mask size', () => nn.generateSquareSubsequentMask(0), ValueError, /^generateSquareSubsequentMask: sz must be a positive integer, got 0/],
]);
