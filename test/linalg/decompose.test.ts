import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { AutogradError, DTypeError, LinAlgError, ShapeError, ValueError, linalg } from '../../src/index.js';
import { checkFixtures, eye, fromEnc, loadCases, maxDiff, randn } from './helpers.js';

checkFixtures(
  'decompose',
  {
    cholesky: ([a], args) => [linalg.cholesky(a, { upper: args.upper })],
    qr: ([a], args) => {
      const r = linalg.qr(a, { mode: args.mode });
      return [r.Q, r.R];
    },
    eigh: ([a], args) => {
      const r = linalg.eigh(a, { UPLO: args.UPLO });
      return [r.eigenvalues, r.eigenvectors];
    },
    eigvalsh: ([a]) => [linalg.eigvalsh(a)],
    svd: ([a]) => {
      const r = linalg.svd(a);
      return [r.U, r.S, r.Vh];
    },
    svdvals: ([a]) => [linalg.svdvals(a)],
  },
  { svd: [[0, 'cols'], [2, 'rows']], eigh: [[1, 'cols']] },
);

const f64 = (v: number[][]) => sd.tensor(v, { dtype: 'float64' });
type Dt = 'float64' | 'float32';

/** Asserts max |a - b| <= tol * scale. */
function near(a: sd.Tensor, b: sd.Tensor, tol: number, scale: number, label: string): void {
  const d = maxDiff(a, b);
  assert.ok(d <= tol * scale, `${label}: max |diff| ${d} > ${tol} x ${scale}`);
}

function absMax(t: sd.Tensor): number {
  return Math.max(1e-300, ...Array.from(t.toTypedArray(), Math.abs));
}

function identity(n: number, batch: readonly number[], dtype: Dt): sd.Tensor {
  return sd.expand(eye(n, dtype), [...batch, n, n]);
}

/** The symmetric matrix eigh sees: A's lower (or upper) triangle mirrored. */
function symmetrized(A: sd.Tensor, upper: boolean): sd.Tensor {
  const n = A.shape[A.ndim - 1];
  const mask = sd.tensor(Array.from({ length: n * n }, (_, k) => (upper ? k % n >= Math.floor(k / n) : k % n <= Math.floor(k / n)) ? 1 : 0), { dtype: A.dtype, shape: [n, n] });
  const strict = sd.sub(mask, eye(n, A.dtype));
  const tri = sd.mul(A, mask);
  return sd.add(tri, sd.mul(A, strict).mT);
}

function checkSvd(A: sd.Tensor, tol: number, label: string): void {
  const { U, S, Vh } = linalg.svd(A);
  const k = S.shape[S.ndim - 1];
  const batch = A.shape.slice(0, -2);
  near(U.matmul(sd.mul(S.unsqueeze(-1), Vh)), A, tol, absMax(A), `${label}: U S Vh = A`);
  near(U.mT.matmul(U), identity(k, batch, A.dtype as Dt), tol, 1, `${label}: U^T U = I`);
  near(Vh.matmul(Vh.mT), identity(k, batch, A.dtype as Dt), tol, 1, `${label}: Vh Vh^T = I`);
  const s = S.toTypedArray();
  for (let i = 0; i < s.length; i++) {
    assert.ok(s[i] >= 0, `${label}: singular values are >= 0`);
    if (i % k > 0) assert.ok(s[i] <= s[i - 1], `${label}: singular values descend`);
  }
  // sign convention: each column of U has its largest-magnitude entry positive
  const u = U.toTypedArray();
  const [m] = U.shape.slice(-2);
  for (let b = 0; b < u.length / (m * k); b++) {
    for (let j = 0; j < k; j++) {
      let best = 0;
      for (let i = 0; i < m; i++) if (Math.abs(u[b * m * k + i * k + j]) > Math.abs(best)) best = u[b * m * k + i * k + j];
      assert.ok(best > 0, `${label}: column ${j} of U has its largest entry positive`);
    }
  }
}

function checkEigh(A: sd.Tensor, upper: boolean, tol: number, label: string): void {
  const { eigenvalues: w, eigenvectors: V } = linalg.eigh(A, { UPLO: upper ? 'U' : 'L' });
  const S = symmetrized(A, upper);
  const n = A.shape[A.ndim - 1];
  near(S.matmul(V), sd.mul(V, w.unsqueeze(-2)), tol, absMax(S), `${label}: A V = V Λ`);
  near(V.mT.matmul(V), identity(n, A.shape.slice(0, -2), A.dtype as Dt), tol, 1, `${label}: V^T V = I`);
  const ws = w.toTypedArray();
  for (let i = 0; i < ws.length; i++) if (i % n > 0) assert.ok(ws[i] >= ws[i - 1], `${label}: eigenvalues ascend`);
}

function checkQr(A: sd.Tensor, tol: number, label: string): void {
  const [m, n] = A.shape.slice(-2);
  const k = Math.min(m, n);
  for (const mode of ['reduced', 'complete'] as const) {
    const { Q, R } = linalg.qr(A, { mode });
    const q = mode === 'complete' ? m : k;
    near(Q.matmul(R), A, tol, absMax(A), `${label} ${mode}: Q R = A`);
    near(Q.mT.matmul(Q), identity(q, A.shape.slice(0, -2), A.dtype as Dt), tol, 1, `${label} ${mode}: Q^T Q = I`);
    const r = R.toTypedArray();
    const rows = R.shape[R.ndim - 2];
    for (let i = 0; i < r.length; i++) {
      const within = i % (rows * n);
      if (Math.floor(within / n) > within % n) assert.equal(r[i], 0, `${label} ${mode}: R is upper triangular`);
    }
  }
  near(linalg.qr(A, { mode: 'r' }).R, linalg.qr(A).R, 0, 1, `${label}: mode 'r' gives the same R`);
}

describe('linalg decompositions: reconstruction identities', () => {
  const cases = loadCases('decompose');
  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float64' ? 1e-14 : 1e-6;
    test(`${dtype}: every fixture input: Q R = A, U S Vh = A, A V = V Λ, L L^T = A, orthonormal factors`, () => {
      for (const c of cases) {
        const A = fromEnc(c.inputs[0], dtype);
        const label = `${c.name} (${dtype})`;
        if (c.op === 'svd' || c.op === 'svdvals') checkSvd(A, tol * 4, label);
        if (c.op === 'qr') checkQr(A, tol * 4, label);
        if (c.op === 'eigh' || c.op === 'eigvalsh') checkEigh(A, c.args.UPLO === 'U', tol * 8, label);
        if (c.op === 'cholesky') {
          const L = linalg.cholesky(A);
          near(L.matmul(L.mT), A, tol * 4, absMax(A), `${label}: L L^T = A`);
          near(linalg.cholesky(A, { upper: true }), L.mT, 0, 1, `${label}: upper is L^T`);
        }
      }
    });
  }
  test('larger matrices: svd of 120 x 40 and 40 x 120, eigh of 60 x 60, qr of 50 x 30', () => {
    sd.manualSeed(21);
    checkSvd(randn([120, 40]), 1e-13, 'svd 120x40');
    checkSvd(randn([40, 120]), 1e-13, 'svd 40x120');
    const X = randn([60, 60]);
    checkEigh(sd.add(X, X.mT), false, 1e-13, 'eigh 60x60');
    checkQr(randn([50, 30]), 1e-13, 'qr 50x30');
  });
  test('singular values to full relative accuracy of a graded matrix (1 down to 1e-12)', () => {
    const n = 6;
    const s = [1, 1e-2, 1e-4, 1e-6, 1e-9, 1e-12];
    // A = Q1 diag(s) Q2 with exactly orthogonal Householder-free Givens-like factors built from rotations
    const rot = (t: number) => {
      const c = Math.cos(t);
      const q = Math.sin(t);
      const m: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      for (let i = 0; i + 1 < n; i += 2) {
        m[i][i] = c; m[i][i + 1] = -q; m[i + 1][i] = q; m[i + 1][i + 1] = c;
      }
      return f64(m);
    };
    const A = rot(0.3).matmul(sd.mul(sd.tensor(s, { dtype: 'float64' }).unsqueeze(-1), rot(-0.7)));
    const got = linalg.svdvals(A).toTypedArray();
    got.forEach((v, i) => assert.ok(Math.abs(v - s[i]) <= 1e-15 + 1e-12 * s[i] * 1e3, `s[${i}] = ${v}, expected ${s[i]}`));
  });
  test('fullMatrices: square U [m, m] and Vh [n, n] with orthonormal extra vectors', () => {
    sd.manualSeed(22);
    for (const [m, n] of [[5, 3], [3, 5]]) {
      const A = randn([2, m, n]);
      const { U, S, Vh } = linalg.svd(A, { fullMatrices: true });
      assert.deepEqual([U.shape, S.shape, Vh.shape], [[2, m, m], [2, Math.min(m, n)], [2, n, n]]);
      near(U.mT.matmul(U), identity(m, [2], 'float64'), 1e-14, 1, 'U^T U');
      near(Vh.matmul(Vh.mT), identity(n, [2], 'float64'), 1e-14, 1, 'Vh Vh^T');
      const k = Math.min(m, n);
      near(sd.narrow(U, -1, 0, k).matmul(sd.mul(S.unsqueeze(-1), sd.narrow(Vh, -2, 0, k))), A, 1e-14, absMax(A), 'U S Vh');
      near(sd.narrow(U, -1, 0, k), linalg.svd(A).U, 0, 1, 'thin U is the first k columns');
    }
  });
  test('degenerate matrices: zero matrix, a zero column, 1 x 1, an exactly repeated singular value', () => {
    checkSvd(sd.zeros([3, 2], { dtype: 'float64' }), 1e-15, 'zeros');
    assert.deepEqual(linalg.svdvals(sd.zeros([3, 2], { dtype: 'float64' })).toArray(), [0, 0]);
    checkSvd(f64([[1, 0, 2], [3, 0, 4], [5, 0, 6]]), 1e-14, 'zero column');
    const one = linalg.svd(f64([[-3]]));
    assert.deepEqual([one.U.item(), one.S.item(), one.Vh.item()], [1, 3, -1]);
    checkSvd(f64([[2, 0, 0], [0, 2, 0], [0, 0, 1]]), 1e-15, 'repeated');
    checkEigh(f64([[2.75, 0.75, 0.75], [0.75, 2.75, 0.75], [0.75, 0.75, 2.75]]), false, 1e-14, 'eigh repeated');
    assert.deepEqual(linalg.eigvalsh(f64([[5]])).toArray(), [5]);
  });
  test('float32 in, float32 out, on the input backend; batched shapes follow the leading dims', () => {
    sd.manualSeed(23);
    const A = randn([2, 3, 4, 3], 'float32');
    const { U, S, Vh } = linalg.svd(A);
    assert.deepEqual([U.dtype, S.dtype, Vh.dtype], ['float32', 'float32', 'float32']);
    assert.deepEqual([U.shape, S.shape, Vh.shape], [[2, 3, 4, 3], [2, 3, 3], [2, 3, 3, 3]]);
    assert.equal(U.device, A.device);
    const { Q, R } = linalg.qr(A);
    assert.deepEqual([Q.shape, R.shape], [[2, 3, 4, 3], [2, 3, 3, 3]]);
    assert.deepEqual(linalg.qr(A, { mode: 'r' }).Q.shape, [0]);
  });
});

describe('linalg decompositions: bad input', () => {
  test('cholesky of a matrix that is not positive-definite: which minor, and the remedy', () => {
    assert.throws(() => linalg.cholesky(f64([[1, 2], [2, 1]])),
      (e) => e instanceof LinAlgError && /^cholesky: A is not positive-definite: its leading minor of order 2 is not positive\. .*add a small multiple of the identity \(A \+ εI\)/.test(e.message));
    assert.throws(() => linalg.cholesky(f64([[-1, 0], [0, 1]])), (e) => e instanceof LinAlgError && /leading minor of order 1/.test(e.message));
    const batch = sd.stack([eye(2), f64([[1, 0], [0, 0]])]);
    assert.throws(() => linalg.cholesky(batch), (e) => e instanceof LinAlgError && /^cholesky: A is not positive-definite \(matrix 1 of the batch, index \[1\]\): its leading minor of order 2/.test(e.message));
    assert.throws(() => linalg.cholesky(f64([[NaN, 0], [0, 1]])), (e) => e instanceof LinAlgError && /not positive-definite/.test(e.message));
  });
  test('non-square, 1-D, integer inputs and bad options', () => {
    const z = sd.zeros([2, 3], { dtype: 'float64' });
    assert.throws(() => linalg.cholesky(z), (e) => e instanceof ShapeError && /^cholesky: A must be a square matrix/.test(e.message));
    assert.throws(() => linalg.eigh(z), (e) => e instanceof ShapeError && /^eigh: A must be a square matrix/.test(e.message));
    assert.throws(() => linalg.svd(sd.zeros([4], { dtype: 'float64' })), (e) => e instanceof ShapeError && /^svd: A must be a matrix or a batch of matrices with shape \[\.\.\., m, n\], got shape \[4\]/.test(e.message));
    assert.throws(() => linalg.qr(sd.zeros([3, 3], { dtype: 'int32' })), (e) => e instanceof DTypeError && /^qr: A must be a float32 or float64 tensor, got dtype int32/.test(e.message));
    assert.throws(() => linalg.svdvals(sd.zeros([3, 3], { dtype: 'int32' })), (e) => e instanceof DTypeError && /^svdvals: A must be a float32/.test(e.message));
    assert.throws(() => linalg.qr(z, { mode: 'full' as never }), (e) => e instanceof ValueError && /^qr: mode must be 'reduced', 'complete' or 'r', got "full"/.test(e.message));
    assert.throws(() => linalg.eigh(eye(2), { UPLO: 'X' as never }), (e) => e instanceof ValueError && /^eigh: UPLO must be 'L' or 'U', got "X"/.test(e.message));
  });
  test('NaN or infinity in svd / eigh input', () => {
    assert.throws(() => linalg.svd(f64([[1, NaN], [0, 1]])), (e) => e instanceof LinAlgError && /^svd: A contains non-finite values \(NaN at flat index 1\)/.test(e.message));
    assert.throws(() => linalg.eigh(f64([[1, 0], [Infinity, 1]])), (e) => e instanceof LinAlgError && /^eigh: A contains non-finite values \(Infinity at flat index 2\)/.test(e.message));
  });
  test('gradients that do not exist: extra columns of complete Q / full U, rank-deficient QR', () => {
    const A = randn([4, 2]).requiresGrad_();
    const { Q } = linalg.qr(A, { mode: 'complete' });
    assert.throws(() => sd.sum(Q).backward(), (e) => e instanceof AutogradError && /^qr: the last 2 columns of Q from mode 'complete' with m > n \(4 x 2\) are not unique/.test(e.message));
    const Q2 = linalg.qr(A, { mode: 'complete' }).Q;
    sd.sum(sd.narrow(Q2, 1, 0, 2)).backward(); // the first n columns are fine
    assert.ok(A.grad !== null);
    const { U } = linalg.svd(A, { fullMatrices: true });
    assert.throws(() => sd.sum(U).backward(), (e) => e instanceof AutogradError && /^svd: with fullMatrices the last 2 singular vectors of a 4 x 2 matrix are not unique/.test(e.message));
    const D = f64([[3, 0], [4, 0], [0, 0]]).requiresGrad_();
    assert.throws(() => sd.sum(linalg.qr(D).Q).backward(), (e) => e instanceof LinAlgError && /^qr: backward needs A of full rank, but R\[1\]\[1\] = 0/.test(e.message));
  });
});
