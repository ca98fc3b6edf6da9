/**
 * Every layer against PyTorch: the fixture holds torch's parameters and buffers, an input, the output, and the
 * gradients of input and parameters for an upstream gradient (tools/make_layer_fixtures.py).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { grad, nn, Tensor } from '../../src/index.js';
import { assertTensorClose, makeInput, type EncTensor } from '../helpers/check-op.js';

interface LayerCase {
  name: string;
  cls: string;
  args: unknown[];
  train: boolean;
  state: Record<string, EncTensor>;
  input: EncTensor;
  output: EncTensor;
  gradOutput: EncTensor;
  inputGrad: EncTensor | null;
  paramGrads: Record<string, EncTensor>;
  stateAfter: Record<string, EncTensor>;
}

const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/nn/layers.json', import.meta.url), 'utf8')).cases as LayerCase[];
const registry = nn as unknown as Record<string, new (...args: unknown[]) => nn.Module & { forward(x: Tensor): Tensor }>;

describe('layers match PyTorch (forward, input and parameter gradients, buffers)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const Cls = registry[c.cls];
      assert.ok(Cls, `no layer nn.${c.cls}`);
      const layer = new Cls(...c.args).double();
      const state: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.state)) state[k] = makeInput(v, v.dtype, 'contiguous', false);
      layer.loadStateDict(state);
      layer.train(c.train);
      const x = makeInput(c.input, c.input.dtype, 'contiguous', c.input.dtype === 'float64');
      const y = layer.forward(x);
      assertTensorClose(y, c.output, c.output.dtype, 1e-9, 1e-10, 'output');
      const named = layer.namedParameters();
      const wrt = [...(x.requiresGrad ? [x] : []), ...named.map((e) => e[1])];
      if (wrt.length === 0 || !y.requiresGrad) return;
      const gs = grad(y, wrt, [makeInput(c.gradOutput, y.dtype, 'contiguous', false)]);
      let k = 0;
      if (x.requiresGrad) assertTensorClose(gs[k++], c.inputGrad!, 'float64', 1e-8, 1e-9, 'input grad');
      for (const [name] of named) assertTensorClose(gs[k++], c.paramGrads[name], 'float64', 1e-8, 1e-9, `grad of ${name}`);
      const after = layer.stateDict();
      assert.deepEqual(Object.keys(after).sort(), Object.keys(c.stateAfter).sort(), 'state dict keys');
      for (const [name, t] of Object.entries(after)) assertTensorClose(t, c.stateAfter[name], t.dtype, 1e-9, 1e-10, `state ${name} after forward`);
    });
  }
});
