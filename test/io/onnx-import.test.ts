/**
 * ONNX import (src/io/onnx/import*.ts): files written by PyTorch 1.13's torch.onnx.export (LeNet-5, a 2-layer
 * LSTM, a CIFAR ResNet-20 with batch norm, a 2-layer Transformer encoder with a padding mask;
 * tools/make_onnx_import_fixtures.py) run with shendu's ops and give
 * PyTorch's outputs within 1e-4, also at another batch size; their weights come back as a PyTorch-named state
 * dict that loads into shendu modules with the same outputs; our own exports (CNNs, RNNs, attention, Transformer
 * layers, a G2P decoder step) round-trip; bad files are typed errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DataError, flatten, manualSeed, maxPool2d, nn, noGrad, rand, randint, relu, tensor, ValueError, type Tensor } from '../../src/index.js';
import { encodeModel, exportModelBytes, loadModelBytes, onnxStateDict } from '../../src/io/onnx/index.js';
import { loadModel } from '../../src/node/onnx.js';
import { expectError } from '../helpers/check-errors.js';
import { zooCase } from './onnx-zoo.js';

interface Case {
  file: string; input: { shape: number[]; data: number[] }; output: { shape: number[]; data: number[] }; stateKeys: string[];
  /** The transformer's bool key-padding mask input. */
  pad?: { shape: number[]; data: boolean[] };
}
const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const cases = (JSON.parse(readFileSync(new URL('onnx_import.json', fixtures), 'utf8')) as { cases: Record<string, Case> }).cases;

function maxDiff(a: Tensor, want: ArrayLike<number>): number {
  const got = a.contiguous().toTypedArray();
  assert.equal(got.length, want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(Number(got[i]) - want[i]));
  return m;
}

/** PyTorch's LeNet of the fixture script, in shendu layers with the same names. */
class LeNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 6, 5, { padding: 2 });
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(400, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);
  forward(x: Tensor): Tensor {
    const h = flatten(maxPool2d(relu(this.conv2.forward(maxPool2d(relu(this.conv1.forward(x)), 2))), 2), 1);
    return this.fc3.forward(relu(this.fc2.forward(relu(this.fc1.forward(h)))));
  }
}

/** The fixture's LSTM net in shendu layers. */
class LSTMNet extends nn.Module {
  rnn = new nn.LSTM(5, 8, { numLayers: 2, batchFirst: true });
  head = new nn.Linear(8, 3);
  forward(x: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(x)[0]);
  }
}

describe('onnx import of torch.onnx.export files', () => {
  for (const name of ['lenet', 'lstm', 'resnet']) {
    test(`${name}: PyTorch's outputs within 1e-4, at batch 2 and batch 1`, (t) => {
      const c = cases[name];
      const model = loadModel(new URL(c.file, fixtures).pathname);
      const x = tensor(c.input.data, { shape: c.input.shape });
      const y = model.run({ input: x }).output;
      assert.deepEqual([...y.shape], c.output.shape);
      const d = maxDiff(y, c.output.data);
      const row = c.output.data.length / c.output.shape[0];
      const d1 = maxDiff(model.run([x.narrow(0, 0, 1)]).output, c.output.data.slice(0, row));
      t.diagnostic(`max |shendu - pytorch| = ${d.toExponential(2)} (batch 2), ${d1.toExponential(2)} (batch 1)`);
      assert.ok(d <= 1e-4 && d1 <= 1e-4, `${name}: ${d}, ${d1}`);
    });
  }

  test("transformer: PyTorch's own export of a Transformer encoder with a padding mask, within 1e-4 at batch 2 and 1", (t) => {
    const c = cases.transformer;
    const model = loadModel(new URL(c.file, fixtures).pathname);
    const x = tensor(c.input.data, { shape: c.input.shape });
    const pad = tensor(c.pad!.data, { shape: c.pad!.shape, dtype: 'bool' });
    const d = maxDiff(model.run({ input: x, pad }).output, c.output.data);
    const row = c.output.data.length / c.output.shape[0];
    const d1 = maxDiff(model.run({ input: x.narrow(0, 1, 1), pad: pad.narrow(0, 1, 1) }).output, c.output.data.slice(row));
    t.diagnostic(`max |shendu - pytorch| = ${d.toExponential(2)} (batch 2), ${d1.toExponential(2)} (batch 1, padded row)`);
    assert.ok(d <= 1e-4 && d1 <= 1e-4, `${d}, ${d1}`);
  });

  test('state dicts carry PyTorch names and load into shendu modules with the same outputs', () => {
    for (const [name, Net] of [['lenet', LeNet], ['lstm', LSTMNet]] as const) {
      const c = cases[name];
      const sd = onnxStateDict(loadModel(new URL(c.file, fixtures).pathname));
      assert.deepEqual(Object.keys(sd).sort(), c.stateKeys);
      const net = new Net();
      net.loadStateDict(sd);
      const y = noGrad(() => net.eval().forward(tensor(c.input.data, { shape: c.input.shape })));
      assert.ok(maxDiff(y, c.output.data) <= 1e-4, name);
    }
    const r = cases.resnet;
    const keys = Object.keys(onnxStateDict(loadModel(new URL(r.file, fixtures).pathname))).sort();
    assert.deepEqual(keys, r.stateKeys.filter((k) => !k.endsWith('num_batches_tracked')));
  });

  test('files shendu exports run back in shendu with the same outputs (dynamic batch)', () => {
    const names = ['lenet5', 'charlm_gru', 'convvae_decoder', 'mha_self_masks', 'mha_cross_kv', 'mha_unbatched', 'decoder_layer_pre_relu', 'transformer_encoder', 'g2p_luong_step', 'g2p_bahdanau_step', 'rnn_cells'];
    for (const name of names) {
      const c = zooCase(name);
      const model = loadModelBytes(exportModelBytes(c.model, c.inputs, c.opts));
      const fwd = c.opts.forward ?? ((...a: Tensor[]) => c.model.forward(...a));
      const r = noGrad(() => fwd(...c.other));
      const want = (Array.isArray(r) ? r : [r]) as Tensor[];
      const got = model.run(c.other);
      assert.equal(model.outputNames.length, want.length, name);
      model.outputNames.forEach((o, k) => assert.ok(maxDiff(got[o], want[k].contiguous().toTypedArray()) <= 1e-5, `${name} ${o}`));
    }
  });

  describe('bad files and inputs raise typed errors', () => {
    manualSeed(0);
    const lenet = loadModel(new URL(cases.lenet.file, fixtures).pathname);
    const fooModel = () => loadModelBytes(encodeModel({
      ir_version: 8, opset_import: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: [{ op_type: 'Foo', name: 'foo0', input: ['x'], output: ['y'] }], input: [{ name: 'x' }], output: [{ name: 'y' }] },
    })).run([rand([2])]);
    const cases2: [string, () => unknown, typeof DataError | typeof ValueError, RegExp][] = [
      ['bytes that are not ONNX', () => loadModelBytes(new Uint8Array([255, 255, 255, 255, 1])), DataError, /^onnx import: the bytes are not an ONNX ModelProto/],
      ['a missing input', () => lenet.run({}), ValueError, /^onnx import: run: input 'input' must be a Tensor, got nothing \(inputs: input\)/],
      ['an op shendu does not run', fooModel, ValueError, /^onnx import: op Foo \(node foo0\): shendu does not run this op/],
      ['a wrong input shape', () => lenet.run([randint(0, 2, [2, 3]).float()]), ValueError, /^onnx import: op Conv \(node \/conv1\/Conv\): only 1-D and 2-D convolutions run here, got input of rank 2/],
    ];
    for (const [label, call, cls, message] of cases2) {
      test(label, () => {
        expectError(call, cls, message, label);
      });
    }
  });
});
