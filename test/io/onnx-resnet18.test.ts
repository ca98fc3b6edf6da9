/**
 * ONNX import of torchvision's ResNet-18 as torch.onnx.export writes it (tools/make_onnx_resnet18_fixtures.py):
 * the committed file holds the graph and its small tensors; the 62 large ones are ONNX external data
 * ('resnet18.weights', not committed) whose values come from a formula both sides compute bit-identically. shendu
 * runs the graph with them supplied through `externalData` (a callback, a map, or the file next to the model) and
 * gives PyTorch's logits within 1e-4; the weights as a state dict give the same logits from the zoo's resnet18;
 * tensors without data are typed errors naming them.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError, DTypeError, models, noGrad, ShapeError, tensor, type Tensor } from '../../src/index.js';
import type { nn } from '../../src/index.js';
import { encodeModel, loadModelBytes, onnxStateDict, type ExternalTensorRef } from '../../src/io/onnx/index.js';
import { loadModel } from '../../src/node/onnx.js';
import { expectError } from '../helpers/check-errors.js';

interface Spec { name: string; k: number; shape: number[]; scale: number; offset: number }
interface Fixture {
  file: string; externalLocation: string; externalBytes: number;
  formula: { a: number; b: number };
  input: { shape: number[]; k: number; scale: number; offset: number };
  tensors: Spec[];
  output: { shape: number[]; data: number[] };
}
const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const fx = JSON.parse(readFileSync(new URL('onnx_resnet18.json', fixtures), 'utf8')) as Fixture;
const file = new URL(fx.file, fixtures).pathname;
const bytes = readFileSync(file);
const specs = new Map(fx.tensors.map((s) => [s.name, s]));

/** float32(offset + scale * (2 * frac(i * a + k * b) - 1)) for i < n, in the fixture script's float64 steps. */
function formula(n: number, k: number, scale: number, offset: number): Float32Array {
  const { a, b } = fx.formula;
  const kb = k * b;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * a + kb;
    out[i] = offset + scale * (2 * (x - Math.floor(x)) - 1);
  }
  return out;
}

const valuesOf = (s: Spec): Tensor => tensor(formula(s.shape.reduce((p, q) => p * q, 1), s.k, s.scale, s.offset), { shape: s.shape });
const input = tensor(formula(fx.input.shape.reduce((p, q) => p * q, 1), fx.input.k, fx.input.scale, fx.input.offset), { shape: fx.input.shape });

/** Largest |got - want| / max(1, |want|): absolute for logits of size up to 1, relative above. */
function maxErr(got: Tensor, want: ArrayLike<number>): number {
  const g = got.contiguous().toTypedArray();
  assert.equal(g.length, want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(Number(g[i]) - want[i]) / Math.max(1, Math.abs(want[i])));
  return m;
}

const dir = mkdtempSync(join(tmpdir(), 'shendu-resnet18-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('onnx import of torchvision ResNet-18 (torch.onnx.export, external data)', () => {
  const refs: ExternalTensorRef[] = [];
  const model = loadModelBytes(bytes, {
    externalData: (ref) => {
      refs.push(ref);
      const s = specs.get(ref.name);
      return s === undefined ? undefined : valuesOf(s);
    },
  });

  test('the file keeps 62 large tensors outside; the small ones it holds are the formula bit for bit', () => {
    assert.ok(bytes.length < 64 * 1024, `graph file ${bytes.length} bytes`);
    assert.equal(refs.length, 62);
    assert.ok(refs.every((r) => r.location === fx.externalLocation && r.length === r.dims.reduce((p, q) => p * q, 4)));
    assert.equal(refs.reduce((t, r) => t + (r.length as number), 0), fx.externalBytes);
    const inline = fx.tensors.filter((s) => !refs.some((r) => r.name === s.name));
    assert.equal(inline.length + refs.length, fx.tensors.length);
    for (const s of inline) {
      const got = (model.initializers.get(s.name) as Tensor).toTypedArray();
      const want = formula(got.length, s.k, s.scale, s.offset);
      assert.ok(want.every((v, i) => v === got[i]), `${s.name} differs from the formula`);
    }
  });

  test("PyTorch's logits within 1e-4, at batch 2 and batch 1", (t) => {
    const y = model.run({ input }).output;
    assert.deepEqual([...y.shape], fx.output.shape);
    const e2 = maxErr(y, fx.output.data);
    const e1 = maxErr(model.run([input.narrow(0, 0, 1)]).output, fx.output.data.slice(0, 1000));
    t.diagnostic(`max |shendu - pytorch| / max(1, |pytorch|) = ${e2.toExponential(2)} (batch 2), ${e1.toExponential(2)} (batch 1)`);
    assert.ok(e2 <= 1e-4 && e1 <= 1e-4, `${e2}, ${e1}`);
  });

  test("the weights as a state dict give models.createModel('resnet18') the same logits", (t) => {
    const sd = onnxStateDict(model);
    assert.deepEqual(Object.keys(sd).sort(), fx.tensors.map((s) => s.name).sort());
    const net = models.createModel('resnet18') as nn.Module & { forward(x: Tensor): Tensor };
    net.loadStateDict({ ...net.stateDict(), ...sd });
    const e = maxErr(noGrad(() => net.eval().forward(input)), fx.output.data);
    t.diagnostic(`zoo resnet18 with the imported weights: ${e.toExponential(2)}`);
    assert.ok(e <= 1e-4, String(e));
  });

  test('loadModel reads the external data file next to the model; a map by name works as a callback does', () => {
    const weights = new Uint8Array(fx.externalBytes);
    for (const r of refs) weights.set(new Uint8Array(formula(r.dims.reduce((p, q) => p * q, 1), specs.get(r.name)!.k, specs.get(r.name)!.scale, specs.get(r.name)!.offset).buffer), r.offset);
    copyFileSync(file, join(dir, 'resnet18.onnx'));
    writeFileSync(join(dir, fx.externalLocation), weights);
    const x = input.narrow(0, 1, 1);
    const want = fx.output.data.slice(1000);
    assert.ok(maxErr(loadModel(join(dir, 'resnet18.onnx')).run([x]).output, want) <= 1e-4);
    const byName = Object.fromEntries(refs.map((r) => [r.name, valuesOf(specs.get(r.name)!)]));
    assert.ok(maxErr(loadModelBytes(bytes, { externalData: byName }).run([x]).output, want) <= 1e-4);
  });

  describe('tensors without data raise typed errors naming them', () => {
    const only = (name: string, v: Tensor | Uint8Array) => (r: ExternalTensorRef) => (r.name === name ? v : valuesOf(specs.get(r.name)!));
    const escaping = () => {
      const path = join(dir, 'escape.onnx');
      writeFileSync(path, encodeModel({
        ir_version: 8, opset_import: [{ domain: '', version: 17 }],
        graph: {
          name: 'g', node: [{ op_type: 'Relu', name: 'r', input: ['w'], output: ['y'] }], input: [], output: [{ name: 'y' }],
          initializer: [{ name: 'w', dims: [2], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: '../secret.bin' }] }],
        },
      }));
      return loadModel(path);
    };
    const cases: [string, () => unknown, typeof DataError, RegExp][] = [
      ['no externalData', () => loadModelBytes(bytes), DataError, /^onnx import: initializer conv1\.weight keeps its data outside the file \('resnet18\.weights', offset 0, 37632 bytes\) and the externalData option supplies none for 'conv1\.weight'/],
      ['a map missing one tensor', () => loadModelBytes(bytes, { externalData: {} }), DataError, /^onnx import: initializer conv1\.weight keeps its data outside the file/],
      ['a tensor of the wrong shape', () => loadModelBytes(bytes, { externalData: only('fc.weight', valuesOf(specs.get('fc.bias')!)) }), ShapeError, /^onnx import: externalData for 'fc\.weight' must have shape \[1000, 512\], got \[1000\]/],
      ['a tensor of the wrong dtype', () => loadModelBytes(bytes, { externalData: only('fc.bias', tensor(new Int32Array(1000), { dtype: 'int32' })) }), DTypeError, /^onnx import: externalData for 'fc\.bias' must be float32, got dtype int32/],
      ['bytes of the wrong length', () => loadModelBytes(bytes, { externalData: only('fc.bias', new Uint8Array(12)) }), DataError, /^onnx import: external data for 'fc\.bias' is 12 bytes, dims \[1000\] of element type 1 need 4000/],
      ['no external file next to the model', () => loadModel(file), DataError, /^onnx import: 'conv1\.weight': external data file 'resnet18\.weights' not found in /],
      ['a location outside the model directory', escaping, DataError, /^onnx import: 'w': external data location '\.\.\/secret\.bin' must be a path inside the model's directory/],
    ];
    for (const [label, call, cls, message] of cases) {
      test(label, () => {
        expectError(call, cls, message, label);
      });
    }
  });
});
