/**
 * The one helper every op test uses (DESIGN.md convention 9). For each PyTorch fixture case, on every
 * registered backend, it checks:
 *   1. forward values and input gradients (for the fixture's upstream gradient) in float64, tight tolerance;
 *   2. the same in float32 (inputs rounded to float32), float32 tolerance;
 *   3. the same with every input made non-contiguous (transposed or strided storage);
 *   4. finite-difference gradcheck in float64, on contiguous and non-contiguous inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  Tensor, grad, gradcheck, listBackends, getBackend, setBackend, stack, type DType,
} from '../../src/index.js';

/** A tensor as the fixture stores it. */
export interface EncTensor {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
  grad?: boolean;
}

/** One fixture case written by tools/make_fixtures.py. */
export interface FixtureCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  gradcheck: boolean;
  float32: boolean;
  atol: number | null;
  inputs: EncTensor[];
  outputs: EncTensor[];
  gradOutputs: (EncTensor | null)[];
  grads: (EncTensor | null)[];
}

/** How a test maps a fixture op name to a shendu call. */
export type OpImpl = (inputs: Tensor[], args: Record<string, any>) => Tensor | readonly Tensor[];

const root = new URL('../../../', import.meta.url);

/** Reads test/fixtures/ops/<family>.json. */
export function loadFamily(family: string): FixtureCase[] {
  const text = readFileSync(new URL(`test/fixtures/ops/${family}.json`, root), 'utf8');
  return JSON.parse(text).cases as FixtureCase[];
}

function decodeValue(v: number | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

/** Decoded values of a fixture tensor. */
export function values(e: EncTensor): number[] {
  return e.data.map(decodeValue);
}

type Layout = 'contiguous' | 'strided';

/** Builds a leaf tensor with the fixture's values, in `dtype`, laid out contiguously or not. */
export function makeInput(e: EncTensor, dtype: DType, layout: Layout, requiresGrad: boolean): Tensor {
  const vals = values(e);
  const shape = e.shape;
  const be = getBackend();
  let t: Tensor;
  if (layout === 'strided' && shape.length >= 2 && vals.length > 0) {
    // storage holds the tensor with its last two dims swapped; strides swap them back
    const r = shape.length;
    const swapped = [...shape.slice(0, r - 2), shape[r - 1], shape[r - 2]];
    const data = new Array<number>(vals.length);
    const rows = shape[r - 2];
    const cols = shape[r - 1];
    const mat = rows * cols;
    for (let b = 0; b < vals.length / mat; b++) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[b * mat + j * rows + i] = vals[b * mat + i * cols + j];
    }
    const st = contiguousStrides(swapped);
    const strides = [...st.slice(0, r - 2), st[r - 1], st[r - 2]];
    t = new Tensor(be.fromData(data, dtype), shape, strides, 0);
  } else if (layout === 'strided' && shape.length === 1 && vals.length > 0) {
    // every other element of a buffer twice as long, starting at offset 1
    const data = new Array<number>(2 * vals.length + 1).fill(-777);
    vals.forEach((v, i) => (data[1 + 2 * i] = v));
    t = new Tensor(be.fromData(data, dtype), shape, [2], 1);
  } else {
    t = new Tensor(be.fromData(vals, dtype), shape);
  }
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = k;
    k *= shape[d];
  }
  return s;
}

/** A differentiable non-contiguous view with the same values (for gradcheck through strided inputs). */
function stridedView(x: Tensor): Tensor {
  if (x.ndim >= 2) return x.transpose(-1, -2).contiguous().transpose(-1, -2);
  if (x.ndim === 1) return stack([x, x], 1).select(1, 0);
  return x;
}

/** Asserts `actual` matches the fixture tensor in shape, dtype and values (NaN matches NaN). */
export function assertTensorClose(actual: Tensor, expected: EncTensor, dtype: DType, rtol: number, atol: number, label: string): void {
  assert.ok(actual instanceof Tensor, `${label}: expected a Tensor, got ${typeof actual}`);
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, dtype, `${label}: dtype`);
  const got = actual.toTypedArray();
  const want = values(expected);
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const b = want[i];
    if (Number.isNaN(b)) {
      assert.ok(Number.isNaN(a), `${label}: element ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (a === b) continue;
    assert.ok(Math.abs(a - b) <= atol + rtol * Math.abs(b), `${label}: element ${i}: got ${a}, expected ${b} (rtol ${rtol}, atol ${atol})`);
  }
}

function expectedDType(e: EncTensor, precision: 'float64' | 'float32'): DType {
  return precision === 'float32' && e.dtype === 'float64' ? 'float32' : e.dtype;
}

function asList(r: Tensor | readonly Tensor[]): Tensor[] {
  return r instanceof Tensor ? [r] : [...r];
}

function runGolden(c: FixtureCase, impl: OpImpl, precision: 'float64' | 'float32', layout: Layout): void {
  const tag = `${precision}/${layout}`;
  const rtol = precision === 'float64' ? 1e-9 : 1e-4;
  const atol = (precision === 'float64' ? 1e-10 : 1e-5) + (c.atol ?? 0);
  const inputs = c.inputs.map((e) => makeInput(e, e.dtype === 'float64' ? precision : e.dtype, layout, e.grad === true));
  const outs = asList(impl(inputs, c.args));
  assert.equal(outs.length, c.outputs.length, `${tag}: number of outputs`);
  // an output torch itself computed in float32 (e.g. math on int inputs) gets float32 tolerances in every run
  outs.forEach((o, i) => {
    const dt = expectedDType(c.outputs[i], precision);
    const f32 = dt === 'float32';
    assertTensorClose(o, c.outputs[i], dt, f32 ? 1e-4 : rtol, (f32 ? 1e-5 : atol - (c.atol ?? 0)) + (c.atol ?? 0), `${tag} output ${i}`);
  });
  const pairs = outs.map((o, i) => [o, c.gradOutputs[i]] as const).filter((p) => p[1] !== null);
  const wantGrad = inputs.filter((_, i) => c.grads[i] !== null);
  if (pairs.length === 0 || wantGrad.length === 0) return;
  const seeds = pairs.map(([o, g]) => makeInput(g!, o.dtype, 'contiguous', false));
  const gs = grad(pairs.map((p) => p[0]), wantGrad, seeds);
  let k = 0;
  c.grads.forEach((g, i) => {
    if (g === null) return;
    assertTensorClose(gs[k++], g, expectedDType(g, precision), rtol, atol * 10, `${tag} grad of input ${i}`);
  });
}

function runGradcheck(c: FixtureCase, impl: OpImpl, layout: Layout): void {
  const inputs = c.inputs.map((e) => makeInput(e, e.dtype, 'contiguous', e.grad === true));
  if (!inputs.some((t) => t.requiresGrad)) return;
  const fn = (...xs: Tensor[]) => impl(layout === 'strided' ? xs.map((x) => (x.requiresGrad ? stridedView(x) : x)) : xs, c.args);
  gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
}

/**
 * Registers one test per fixture case of `family`, each run on every backend. Every op of `impls` must have
 * at least one case and every case's op an impl, so nothing is skipped silently.
 */
export function checkFamily(family: string, impls: Record<string, OpImpl>): void {
  const cases = loadFamily(family);
  describe(`${family} (PyTorch fixtures)`, () => {
    test('every op has fixture cases and every case an implementation', () => {
      const ops = new Set(cases.map((c) => c.op));
      for (const op of Object.keys(impls)) assert.ok(ops.has(op), `no fixture case for op '${op}'`);
      for (const op of ops) assert.ok(op in impls, `fixture op '${op}' has no implementation in the test`);
    });
    for (const backend of listBackends()) {
      for (const c of cases) {
        test(`${backend}: ${c.name}`, () => {
          const prev = getBackend().name;
          setBackend(backend);
          try {
            const impl = impls[c.op];
            assert.ok(impl, `no implementation for op '${c.op}'`);
            runGolden(c, impl, 'float64', 'contiguous');
            if (c.float32) runGolden(c, impl, 'float32', 'contiguous');
            runGolden(c, impl, 'float64', 'strided');
            if (c.gradcheck) {
              runGradcheck(c, impl, 'contiguous');
              runGradcheck(c, impl, 'strided');
            }
          } finally {
            setBackend(prev);
          }
        });
      }
    }
  });
}
