/**
 * The one helper every op test uses (DESIGN.md convention 9). For each PyTorch fixture case, on every
 * registered backend, it checks:
 *   1. forward values and input gradients (for the fixture's upstream gradient) in float64, tight tolerance;
 *   2. the same in float32 (inputs rounded to float32), float32 tolerance;
 *   3. the same with every input made non-contiguous (transposed or strided storage), in float64 and float32;
 *   4. finite-difference gradcheck in float64, on contiguous and non-contiguous inputs (on the first backend: the
 *      others are held to PyTorch's gradients and to the first backend's by 1 and 5);
 *   5. that the backends agree with each other, run by run (values and gradients, every precision and layout),
 *      more tightly than each agrees with PyTorch: a kernel one backend alone gets wrong shows up here even
 *      where the fixture's tolerance would let it through.
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

/** What one run produced: outputs and input gradients as plain arrays, keyed by run (precision/layout). */
interface RunResult {
  tensors: { label: string; shape: number[]; dtype: DType; data: number[] }[];
}

function snapshot(label: string, t: Tensor): RunResult['tensors'][number] {
  return { label, shape: [...t.shape], dtype: t.dtype, data: Array.from(t.toTypedArray()) };
}

function runGolden(c: FixtureCase, impl: OpImpl, precision: 'float64' | 'float32', layout: Layout): RunResult {
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
  const result: RunResult = { tensors: outs.map((o, i) => snapshot(`${tag} output ${i}`, o)) };
  const pairs = outs.map((o, i) => [o, c.gradOutputs[i]] as const).filter((p) => p[1] !== null);
  const wantGrad = inputs.filter((_, i) => c.grads[i] !== null);
  if (pairs.length === 0 || wantGrad.length === 0) return result;
  const seeds = pairs.map(([o, g]) => makeInput(g!, o.dtype, 'contiguous', false));
  const gs = grad(pairs.map((p) => p[0]), wantGrad, seeds);
  let k = 0;
  c.grads.forEach((g, i) => {
    if (g === null) return;
    const gi = gs[k++];
    assertTensorClose(gi, g, expectedDType(g, precision), rtol, atol * 10, `${tag} grad of input ${i}`);
    result.tensors.push(snapshot(`${tag} grad of input ${i}`, gi));
  });
  return result;
}

/**
 * Asserts two backends' results of one run agree: same shapes and dtypes, NaN where the other has NaN, values
 * within 1e-12 relative in float64 and 2e-6 in float32 (plus the case's atol, scaled as in the golden check).
 */
function assertBackendsAgree(c: FixtureCase, names: readonly string[], runs: readonly RunResult[]): void {
  const [ref, ...rest] = runs;
  rest.forEach((other, b) => {
    const who = `${names[0]} vs ${names[b + 1]}`;
    assert.equal(other.tensors.length, ref.tensors.length, `${who}: number of results`);
    ref.tensors.forEach((x, j) => {
      const y = other.tensors[j];
      const label = `${who}: ${x.label}`;
      assert.deepEqual(y.shape, x.shape, `${label}: shape`);
      assert.equal(y.dtype, x.dtype, `${label}: dtype`);
      const f32 = x.dtype === 'float32';
      const isGrad = x.label.includes('grad');
      const rtol = f32 ? 2e-6 : 1e-12;
      const atol = (f32 ? 1e-6 : 1e-13) + (c.atol ?? 0) * (isGrad ? 10 : 1);
      for (let i = 0; i < x.data.length; i++) {
        const a = x.data[i];
        const v = y.data[i];
        if (Number.isNaN(a) || Number.isNaN(v)) {
          assert.ok(Number.isNaN(a) && Number.isNaN(v), `${label}: element ${i}: ${a} vs ${v}`);
          continue;
        }
        if (a === v) continue;
        assert.ok(Math.abs(a - v) <= atol + rtol * Math.max(Math.abs(a), Math.abs(v)), `${label}: element ${i}: ${a} vs ${v} (rtol ${rtol}, atol ${atol})`);
      }
    });
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
    // results[case][backend] = that backend's runs, in the order they ran; read by the agreement tests below
    const backends = listBackends();
    const results = new Map<string, Map<string, RunResult[]>>();
    for (const backend of backends) {
      for (const c of cases) {
        test(`${backend}: ${c.name}`, () => {
          const prev = getBackend().name;
          setBackend(backend);
          try {
            const impl = impls[c.op];
            assert.ok(impl, `no implementation for op '${c.op}'`);
            const runs: RunResult[] = [];
            runs.push(runGolden(c, impl, 'float64', 'contiguous'));
            if (c.float32) runs.push(runGolden(c, impl, 'float32', 'contiguous'));
            runs.push(runGolden(c, impl, 'float64', 'strided'));
            if (c.float32) runs.push(runGolden(c, impl, 'float32', 'strided'));
            if (!results.has(c.name)) results.set(c.name, new Map());
            results.get(c.name)!.set(backend, runs);
            // the finite-difference check tests the gradient's math, which is the backends' common ground: it runs on
            // the first backend; every backend's analytic gradients meet PyTorch's above (1e-9 in float64, both
            // layouts) and the first backend's below (1e-12)
            if (c.gradcheck && backend === backends[0]) {
              runGradcheck(c, impl, 'contiguous');
              runGradcheck(c, impl, 'strided');
            }
          } finally {
            setBackend(prev);
          }
        });
      }
    }
    if (backends.length < 2) return;
    for (const c of cases) {
      test(`backends agree: ${c.name}`, () => {
        const byBackend = results.get(c.name);
        const missing = backends.filter((b) => !byBackend?.has(b));
        assert.equal(missing.length, 0, `no results from ${missing.join(', ')} (its fixture test failed)`);
        const perRun = byBackend!.get(backends[0])!.map((_, r) => backends.map((b) => byBackend!.get(b)![r]));
        for (const runs of perRun) assertBackendsAgree(c, backends, runs);
      });
    }
  });
}
