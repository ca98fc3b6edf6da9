/**
 * Shared pieces of the classic tests: reading test/fixtures/classic (written by tools/make_classic_fixtures.py
 * with scikit-learn), making tensors from the stored nested lists, and relative comparisons.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor, Tensor, type DType } from '../../src/index.js';

const root = new URL('../../../', import.meta.url);

/** The cases of test/fixtures/classic/<family>.json ('nan'/'inf' strings decoded). */
export function loadCases(family: string): any[] {
  const text = readFileSync(new URL(`test/fixtures/classic/${family}.json`, root), 'utf8');
  return JSON.parse(text, (_, v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v)).cases;
}

/** Flattens nested number lists. */
export function flat(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(flat);
  throw new Error(`not a number list: ${JSON.stringify(v)}`);
}

/** The shape of a nested list. */
export function shapeOf(v: unknown): number[] {
  const s: number[] = [];
  let p = v;
  while (Array.isArray(p)) {
    s.push(p.length);
    p = p[0];
  }
  return s;
}

/** A tensor from a nested list, float64 by default. */
export function T(v: unknown, dtype: DType = 'float64'): Tensor {
  return tensor(Float64Array.from(flat(v)), { shape: shapeOf(v), dtype });
}

/** Int32 labels from a list. */
export function labelsT(v: unknown): Tensor {
  return tensor(Int32Array.from(flat(v)), { shape: shapeOf(v) });
}

/** The values of a tensor, number or list, flattened. */
export function values(v: Tensor | number | readonly number[] | ArrayLike<number>): number[] {
  if (v instanceof Tensor) return Array.from(v.toTypedArray());
  if (typeof v === 'number') return [v];
  return Array.from(v as ArrayLike<number>);
}

/**
 * Asserts |actual - expected| <= rtol * max|expected| entrywise (normwise relative, the fixtures' 1e-6 in
 * float64), plus an absolute floor `atol`; shapes are compared when `actual` is a tensor.
 */
export function close(actual: Tensor | number | readonly number[] | ArrayLike<number>, expected: unknown, rtol = 1e-6, what = '', atol = 0): void {
  const e = flat(expected);
  const a = values(actual);
  if (actual instanceof Tensor && Array.isArray(expected)) {
    assert.deepEqual([...actual.shape], shapeOf(expected), `${what}: shape`);
  }
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  const scale = Math.max(...e.map(Math.abs), 1e-300);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(worst <= rtol * scale + atol, `${what}: max error ${worst} at ${at} (${a[at]} vs ${e[at]}), allowed ${rtol * scale + atol}`);
}

/** True when two labelings group the samples the same way (labels may be renamed). */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}
