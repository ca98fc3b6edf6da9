/**
 * The host linear algebra (src/linalg) can run its float64 inner loops in a backend's native kernels: a backend
 * that has them registers them here when it loads (the wasm backend does), and the host code asks for them. Five
 * slots — the product (host-gemm.ts), the blocked LU (host-lu.ts), the tridiagonal reduction (host-eigh.ts), the
 * one-sided Jacobi sweep (host-svd.ts) and the bidiagonal reduction (host-bidiag.ts). A registered kernel must compute exactly what the TypeScript loop it replaces does, operation for
 * operation (multiply then add, unfused, in the same order), so linear algebra gives the same bits whether or not
 * it is present.
 * @module
 */

/**
 * C += A B on row-major float64 blocks: C (m x p) at `cOff` with row stride `ldc`, A (m x k) at `aOff` with row
 * stride `lda`, B (k x p) at `bOff` with row stride `ldb`. C does not overlap A or B.
 */
export type F64GemmAccumulate = (c: Float64Array, cOff: number, ldc: number, a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number, m: number, k: number, p: number) => void;

/**
 * Reduces the symmetric n x n row-major `w` in place as reduceTridiagonal of src/linalg/host-eigh.ts does,
 * filling d, e and hs (n entries each).
 */
export type F64TridiagonalReduce = (w: Float64Array, n: number, d: Float64Array, e: Float64Array, hs: Float64Array) => void;

/**
 * One sweep of one-sided Jacobi as jacobiSweep of src/linalg/host-svd.ts: rotates the column pairs of the r x n
 * column-major `g` (and of `v`, n x n column-major, when given), keeping the squared norms `nrm` exact and marking
 * rotated columns in `dirty`; pairs of unmarked columns are judged by `gram` when given. Returns the rotations.
 */
export type F64JacobiSweep = (g: Float64Array, r: number, n: number, nrm: Float64Array, v: Float64Array | null,
  gram: Float64Array | null, dirty: Uint8Array, tol: number, tiny: number) => number;

/**
 * The bidiagonal reduction of host-bidiag.ts: a (m x n, m >= n, row-major) in place, d (n) and e (n - 1) out;
 * with `taus`, also the reflectors left in `a` and their scales in taus.q and taus.p (n each) — without, `a` is
 * left as scratch.
 */
export type F64Bidiagonalize = (a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array,
  taus: { q: Float64Array; p: Float64Array } | null) => void;

/**
 * LU with partial pivoting of the m x n row-major `lu` in place, in panels of `nb` columns, as luPacked of
 * src/linalg/host-lu.ts does: fills the k = min(m, n) 1-based pivots and returns LAPACK's info.
 */
export type F64LuFactor = (lu: Float64Array, m: number, n: number, piv: Int32Array, nb: number) => number;

/** The kernels by name: one slot each. */
export interface HostF64Kernels {
  /** The product of host-gemm.ts. */
  gemm: F64GemmAccumulate;
  /** The blocked LU of host-lu.ts. */
  lu: F64LuFactor;
  /** The tridiagonal reduction of host-eigh.ts. */
  tridiagonal: F64TridiagonalReduce;
  /** The one-sided Jacobi sweep of host-svd.ts. */
  jacobi: F64JacobiSweep;
  /** The bidiagonal reduction of host-bidiag.ts. */
  bidiagonal: F64Bidiagonalize;
}

const registered: { [K in keyof HostF64Kernels]?: HostF64Kernels[K] } = {};

/** Registers (or, with null, removes) the native kernel `name`. */
export function registerF64Kernel<K extends keyof HostF64Kernels>(name: K, fn: HostF64Kernels[K] | null): void {
  if (fn) registered[name] = fn;
  else delete registered[name];
}

/** The registered native kernel `name`, or null when no backend provides one. */
export function nativeF64Kernel<K extends keyof HostF64Kernels>(name: K): HostF64Kernels[K] | null {
  return registered[name] ?? null;
}
