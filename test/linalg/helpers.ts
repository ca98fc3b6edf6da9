/**
 * Shared checks of the linalg tests: reading test/fixtures/linalg (written by tools/make_linalg_fixtures.py),
 * comparing tensors normwise, and running one fixture case in float64 and float32 with sign alignment for
 * singular vectors and eigenvectors (LAPACK and shendu fix their signs differently).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { Tensor, type DType } from '../../src/index.js';

/** A tensor as the fixtures store it. */
export interface Enc {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

/** One case of a linalg fixture family. */
export interface LinalgCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  tol: number;
  tol32: number | null;
  gradTol: number;
  gradTol32: number | null;
  vectors: boolean;
  inputs: Enc[];
  outputs: Enc[];
  gradOutputs: (Enc | null)[];
  grads: (Enc | null)[];
}

/** Maps a fixture op to shendu: the outputs in torch's order. */
export type Impl = (inputs: Tensor[], args: Record<string, any>) => Tensor[];

/**
 * Which outputs hold vectors whose signs are free: [output index, 'cols' | 'rows'], all sharing one sign per
 * index j (U's column j pairs with Vh's row j).
 */
export type SignSpec = readonly (readonly [number, 'cols' | 'rows'])[];

const root = new URL('../../../', import.meta.url);

/** The cases of test/fixtures/linalg/<family>.json. */
export function loadCases(family: string): LinalgCase[] {
  return JSON.parse(readFileSync(new URL(`test/fixtures/linalg/${family}.json`, root), 'utf8')).cases;
}

/** Decodes fixture values ('nan', 'inf', '-inf' strings included). */
export function decode(e: Enc): number[] {
  return e.data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number)));
}

/** Decodes fixture args: 'inf'/'-inf' become ±Infinity. */
export function decodeArg(v: unknown): any {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

/** A tensor with the fixture's values in `dtype` (float fixtures), or its own dtype (others). */
export function fromEnc(e: Enc, dtype: DType): Tensor {
  return sd.tensor(decode(e), { dtype: e.dtype === 'float64' ? dtype : e.dtype, shape: e.shape });
}

/** Largest absolute finite value of a list (0 for none). */
function scaleOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) s = Math.max(s, Math.abs(v[i]));
  return s;
}

/**
 * Asserts `actual` equals `want` in shape and dtype and, normwise, |a - b| <= tol * max|want| for every
 * element (infinities and NaN must match exactly; integer tensors must be equal).
 */
export function assertClose(actual: Tensor, want: { shape: readonly number[]; dtype: DType; values: ArrayLike<number> }, tol: number, label: string): void {
  assert.ok(actual instanceof Tensor, `${label}: not a Tensor`);
  assert.deepEqual([...actual.shape], [...want.shape], `${label}: shape`);
  assert.equal(actual.dtype, want.dtype, `${label}: dtype`);
  const got = actual.toTypedArray();
  const s = scaleOf(want.values);
  for (let i = 0; i < want.values.length; i++) {
    const a = got[i];
    const b = want.values[i];
    if (!Number.isFinite(b)) {
      assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${label}[${i}]: got ${a}, expected ${b}`);
    } else if (want.dtype === 'int32' || want.dtype === 'bool') {
      assert.equal(a, b, `${label}[${i}]`);
    } else {
      assert.ok(Math.abs(a - b) <= tol * s, `${label}[${i}]: got ${a}, expected ${b} (|diff| ${Math.abs(a - b)} > ${tol} x ${s})`);
    }
  }
}

function expected(e: Enc, dtype: DType) {
  return { shape: e.shape, dtype: e.dtype === 'float64' ? dtype : e.dtype, values: decode(e) };
}

/** Per index j: +1 or -1 so that ours * sign matches the reference vector j (by the sign of their dot product). */
function alignSigns(ours: Tensor, ref: Enc, how: 'cols' | 'rows'): number[] {
  const r = ref.shape.length;
  const rows = ref.shape[r - 2];
  const cols = ref.shape[r - 1];
  const count = ref.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const a = ours.toTypedArray();
  const b = decode(ref);
  const k = how === 'cols' ? cols : rows;
  const signs: number[] = [];
  for (let m = 0; m < count; m++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      const len = how === 'cols' ? rows : cols;
      for (let i = 0; i < len; i++) {
        const at = m * rows * cols + (how === 'cols' ? i * cols + j : j * cols + i);
        dot += a[at] * b[at];
      }
      signs.push(dot >= 0 ? 1 : -1);
    }
  }
  return signs;
}

/** `t` (shape of `ref`) with vector j of each matrix multiplied by signs[j]. */
function applySigns(t: Tensor, signs: readonly number[], how: 'cols' | 'rows'): Tensor {
  const r = t.ndim;
  const rows = t.shape[r - 2];
  const cols = t.shape[r - 1];
  const k = how === 'cols' ? cols : rows;
  const v = Float64Array.from(t.toTypedArray());
  for (let i = 0; i < v.length; i++) {
    const m = Math.floor(i / (rows * cols));
    const within = i % (rows * cols);
    const j = how === 'cols' ? within % cols : Math.floor(within / cols);
    v[i] *= signs[m * k + j];
  }
  return sd.tensor(v, { dtype: t.dtype, shape: [...t.shape] });
}

function runCase(c: LinalgCase, impl: Impl, dtype: 'float64' | 'float32', signSpec: SignSpec | undefined): void {
  const tol = dtype === 'float64' ? c.tol : c.tol32!;
  const gradTol = dtype === 'float64' ? c.gradTol : c.gradTol32;
  const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, decodeArg(v)]));
  const wantGrad = c.gradOutputs.some((g) => g !== null) && gradTol !== null;
  const inputs = c.inputs.map((e, i) => {
    const t = fromEnc(e, dtype);
    if (wantGrad && c.grads[i] !== null) t.requiresGrad = true;
    return t;
  });
  const outs = impl(inputs, args);
  assert.equal(outs.length, c.outputs.length, `${dtype}: number of outputs`);
  // the sign of each vector, from the first vector output (U, or the eigenvectors)
  let signs: number[] | null = null;
  const signed = new Map<number, 'cols' | 'rows'>(signSpec ?? []);
  if (signSpec && c.vectors) signs = alignSigns(outs[signSpec[0][0]], c.outputs[signSpec[0][0]], signSpec[0][1]);
  outs.forEach((o, i) => {
    const how = signed.get(i);
    if (how && !c.vectors) return; // not unique: checked through reconstructions instead
    const got = how ? applySigns(o, signs!, how) : o;
    assertClose(got, expected(c.outputs[i], dtype), tol, `${dtype} output ${i}`);
  });
  if (!wantGrad) return;
  const pairs: [Tensor, Tensor][] = [];
  c.gradOutputs.forEach((g, i) => {
    if (g === null) return;
    const how = signed.get(i);
    let seed = fromEnc(g, dtype);
    if (how) {
      assert.ok(c.vectors, 'a sign-ambiguous output is seeded only when its vectors are unique');
      seed = applySigns(seed, signs!, how);
    }
    pairs.push([outs[i], seed]);
  });
  const leaves = inputs.filter((t) => t.requiresGrad);
  const gs = sd.grad(pairs.map((p) => p[0]), leaves, pairs.map((p) => p[1]));
  let k = 0;
  c.grads.forEach((g, i) => {
    if (g === null) return;
    assertClose(gs[k++], expected(g, dtype), gradTol!, `${dtype} grad of input ${i}`);
  });
}

/**
 * Registers one test per fixture case of `family`: values (and, where torch recorded them, gradients for
 * its upstream gradient) in float64 and, unless the case opts out, float32. Every op of `impls` needs cases
 * and every case an impl.
 */
export function checkFixtures(family: string, impls: Record<string, Impl>, signs: Record<string, SignSpec> = {}): void {
  const cases = loadCases(family);
  describe(`linalg ${family} (PyTorch fixtures)`, () => {
    test('every op has fixture cases and every case an implementation', () => {
      const ops = new Set(cases.map((c) => c.op));
      for (const op of Object.keys(impls)) assert.ok(ops.has(op), `no fixture case for op '${op}'`);
      for (const op of ops) assert.ok(op in impls, `fixture op '${op}' has no implementation in the test`);
    });
    for (const c of cases) {
      test(c.name, () => {
        runCase(c, impls[c.op], 'float64', signs[c.op]);
        if (c.tol32 !== null) runCase(c, impls[c.op], 'float32', signs[c.op]);
      });
    }
  });
}

/** max |a - b| over all elements. */
export function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  assert.equal(x.length, y.length, 'maxDiff: sizes differ');
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** The n x n identity in float64 (or `dtype`). */
export function eye(n: number, dtype: DType = 'float64'): Tensor {
  return sd.eye(n, n, { dtype });
}

/** A seeded random float64 tensor (standard normal). */
export function randn(shape: number[], dtype: DType = 'float64'): Tensor {
  return sd.randn(shape, { dtype });
}
