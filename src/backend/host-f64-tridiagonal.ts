/**
 * The Householder tridiagonal reduction of the host linear algebra (src/linalg/host-eigh.ts) can run in a
 * backend's native kernels: a backend that has one registers it here when it loads (the wasm backend does), and
 * the host code asks for it. A registered reduction must compute exactly what host-eigh.ts's reduceTridiagonal
 * does, so that eigh gives the same bits whether or not it is present.
 * @module
 */

/**
 * Reduces the symmetric n x n row-major `w` in place as reduceTridiagonal of src/linalg/host-eigh.ts does,
 * filling d, e and hs (n entries each).
 */
export type F64TridiagonalReduce = (w: Float64Array, n: number, d: Float64Array, e: Float64Array, hs: Float64Array) => void;

let registered: F64TridiagonalReduce | null = null;

/** Registers (or, with null, removes) the native tridiagonal reduction. */
export function registerF64Tridiagonal(fn: F64TridiagonalReduce | null): void {
  registered = fn;
}

/** The registered native tridiagonal reduction, or null when no backend provides one. */
export function nativeF64Tridiagonal(): F64TridiagonalReduce | null {
  return registered;
}
