/**
 * The float64 product of the host linear algebra (src/linalg/host-gemm.ts) can run in a backend's native
 * kernels: a backend that has one registers it here when it loads (the wasm backend does), and the host code
 * asks for it. A registered product must compute exactly what host-gemm.ts's loop does — each entry of C its
 * current value plus its k products added one after another in order of k, multiply then add, unfused — so
 * linear algebra gives the same bits whether or not it is present.
 * @module
 */

/**
 * C += A B on row-major float64 blocks: C (m x p) at `cOff` with row stride `ldc`, A (m x k) at `aOff` with row
 * stride `lda`, B (k x p) at `bOff` with row stride `ldb`. C does not overlap A or B.
 */
export type F64GemmAccumulate = (c: Float64Array, cOff: number, ldc: number, a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number, m: number, k: number, p: number) => void;

let registered: F64GemmAccumulate | null = null;

/** Registers (or, with null, removes) the native float64 product. */
export function registerF64Gemm(fn: F64GemmAccumulate | null): void {
  registered = fn;
}

/** The registered native float64 product, or null when no backend provides one. */
export function nativeF64Gemm(): F64GemmAccumulate | null {
  return registered;
}
