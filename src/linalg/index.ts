/**
 * `linalg`: linear algebra on batches of float32/float64 matrices, after torch.linalg — solve, lstsq, inv,
 * det, slogdet, cholesky, qr, eigh, svd, pinv, norms, rank and condition numbers, LU (lu, luFactor,
 * luSolve), the *Ex variants, eig/eigvals of general matrices, matrixPower, matrixExp and multiDot — with
 * gradients. Each routine reads its matrices to the host, runs a numerically careful algorithm in float64 (LU with partial
 * pivoting, Householder QR, one-sided Jacobi SVD, tridiagonal QL for eigh; least squares through the SVD,
 * never the normal equations) and writes the result back in the input's dtype on the input's backend.
 * `import { linalg } from 'shendu'; linalg.solve(A, b)`.
 * @module
 */
export { LinAlgError } from '../errors.js';
export { solve, solveTriangular, inv, det, slogdet, type SolveTriangularOptions, type SlogdetResult } from './solve.js';
export {
  cholesky, qr, eigh, eigvalsh, svd, svdvals, type QRMode, type QRResult, type EighResult, type SVDResult,
} from './decompose.js';
export { lstsq, pinv, matrixRank, type LstsqDriver, type LstsqOptions, type LstsqResult, type RankTolerance } from './lstsq.js';
export { vectorNorm, matrixNorm, norm, cond, type NormOptions, type MatrixNormOrd } from './norms.js';
export { lu, luFactor, luFactorEx, luSolve, type LUResult, type LUFactorResult, type LUFactorExResult, type LUSolveOptions } from './lu.js';
export { solveEx, invEx, choleskyEx, type SolveExResult, type InvExResult, type CholeskyExResult, type ExOptions } from './ex.js';
export { matrixPower, matrixExp, multiDot } from './matfn.js';
export { eig, eigvals, type EigResult, type EigvalsResult } from './eig.js';
