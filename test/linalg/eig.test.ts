/**
 * linalg.eig / eigvals against PyTorch 1.13 (test/fixtures/linalg/eig.json): eigenvalues compared as
 * multisets (LAPACK's order is not ours), eigenvectors through A v = λ v, unit norm, and, for simple
 * eigenvalues, agreement with torch's vector up to a complex phase; float64 and float32. Eigenvalue gradients
 * through an order-free function of the eigenvalues, against torch and by finite differences.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { AutogradError, DTypeError, LinAlgError, ShapeError, linalg, type DType } from '../../src/index.js';
import { decode, fromEnc, loadCases } from './helpers.js';

type C = [number, number];
const cases = loadCases('eig');

function sortedPairs(re: ArrayLike<number>, im: ArrayLike<number>, from: number, n: number): C[] {
  const out: C[] = [];
  for (let i = 0; i < n; i++) out.push([re[from + i], im[from + i]]);
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function check(c: (typeof cases)[number], dtype: DType): void {
  const A = fromEnc(c.inputs[0], dtype);
  const n = A.shape[A.ndim - 1];
  const count = A.numel() / (n * n);
  const a = decode(c.inputs[0]);
  const [wrT, wiT] = [decode(c.outputs[0]), decode(c.outputs[1])];
  const tol = dtype === 'float64' ? 1e-10 : 2e-4;
  let re: ArrayLike<number>;
  let im: ArrayLike<number>;
  let vr: ArrayLike<number> | null = null;
  let vi: ArrayLike<number> | null = null;
  if (c.op === 'eig') {
    const r = linalg.eig(A);
    for (const t of [r.eigenvaluesReal, r.eigenvaluesImag, r.eigenvectorsReal, r.eigenvectorsImag]) assert.equal(t.dtype, dtype);
    assert.deepEqual(r.eigenvectorsReal.shape, A.shape);
    [re, im, vr, vi] = [r.eigenvaluesReal.toTypedArray(), r.eigenvaluesImag.toTypedArray(), r.eigenvectorsReal.toTypedArray(), r.eigenvectorsImag.toTypedArray()];
  } else {
    const r = linalg.eigvals(A);
    [re, im] = [r.real.toTypedArray(), r.imag.toTypedArray()];
  }
  for (let b = 0; b < count; b++) {
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[b * n * n + i]));
    const ours = sortedPairs(re, im, b * n, n);
    const theirs = sortedPairs(wrT, wiT, b * n, n);
    ours.forEach(([x, y], i) => {
      const d = Math.hypot(x - theirs[i][0], y - theirs[i][1]);
      assert.ok(d <= tol * n * scale, `${dtype} matrix ${b}: eigenvalue ${x}+${y}i vs torch ${theirs[i][0]}+${theirs[i][1]}i`);
    });
    if (!vr || !vi) continue;
    const VrT = decode(c.outputs[2]);
    const ViT = decode(c.outputs[3]);
    for (let j = 0; j < n; j++) {
      const lr = re[b * n + j];
      const li = im[b * n + j];
      const v = (i: number): C => [vr![b * n * n + i * n + j], vi![b * n * n + i * n + j]];
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v(i)[0] ** 2 + v(i)[1] ** 2;
      assert.ok(Math.abs(norm - 1) < tol * 10, `${dtype} matrix ${b} vector ${j}: norm² ${norm}`);
      for (let i = 0; i < n; i++) {
        // (A v - λ v)_i
        let rr = -(lr * v(i)[0] - li * v(i)[1]);
        let ri = -(lr * v(i)[1] + li * v(i)[0]);
        for (let k = 0; k < n; k++) {
          rr += a[b * n * n + i * n + k] * v(k)[0];
          ri += a[b * n * n + i * n + k] * v(k)[1];
        }
        assert.ok(Math.hypot(rr, ri) <= tol * n * scale, `${dtype} matrix ${b}: (A v - λ v)[${i}] for eigenvalue ${j} is ${Math.hypot(rr, ri)}`);
      }
      // a simple eigenvalue's vector is torch's up to a phase: |<v_torch, v>| = 1
      const k = Array.from({ length: n }, (_, t) => t).sort((p, q) => Math.hypot(wrT[b * n + p] - lr, wiT[b * n + p] - li) - Math.hypot(wrT[b * n + q] - lr, wiT[b * n + q] - li))[0];
      const gap = Math.min(...Array.from({ length: n }, (_, t) => (t === j ? Infinity : Math.hypot(re[b * n + t] - lr, im[b * n + t] - li))));
      if (gap < 1e-3 * scale) continue;
      let dr = 0;
      let di = 0;
      for (let i = 0; i < n; i++) {
        const [tr, ti] = [VrT[b * n * n + i * n + k], ViT[b * n * n + i * n + k]];
        dr += tr * v(i)[0] + ti * v(i)[1];
        di += tr * v(i)[1] - ti * v(i)[0];
      }
      assert.ok(Math.abs(Math.hypot(dr, di) - 1) < tol * 100, `${dtype} matrix ${b} vector ${j}: |<v_torch, v>| = ${Math.hypot(dr, di)}`);
    }
  }
}

/** The fixture's order-free function of the eigenvalues: sum(Re³) + 0.7 sum(Im²) + 0.3 sum(Re Im²). */
function eigLoss(re: sd.Tensor, im: sd.Tensor): sd.Tensor {
  const im2 = sd.square(im);
  return sd.add(sd.add(sd.sum(sd.pow(re, 3)), sd.mul(sd.sum(im2), 0.7)), sd.mul(sd.sum(sd.mul(re, im2)), 0.3));
}

/** The fixture's phase- and order-free function of eigenvectors and eigenvalues: Σ (i + 1)|v_ij|² Re λ_j + Σ Re λ². */
function eigvecLoss(r: linalg.EigResult): sd.Tensor {
  const n = r.eigenvaluesReal.shape[r.eigenvaluesReal.ndim - 1];
  const rows = sd.tensor(Array.from({ length: n }, (_, i) => [i + 1]), { dtype: r.eigenvaluesReal.dtype });
  const abs2 = sd.add(sd.square(r.eigenvectorsReal), sd.square(r.eigenvectorsImag));
  const weighted = sd.mul(sd.mul(abs2, rows), sd.unsqueeze(r.eigenvaluesReal, -2));
  return sd.add(sd.sum(weighted), sd.sum(sd.square(r.eigenvaluesReal)));
}

function lossOf(op: string, A: sd.Tensor): sd.Tensor {
  if (op === 'eigvec_loss') return eigvecLoss(linalg.eig(A));
  if (op === 'eig_loss') {
    const r = linalg.eig(A);
    return eigLoss(r.eigenvaluesReal, r.eigenvaluesImag);
  }
  const r = linalg.eigvals(A);
  return eigLoss(r.real, r.imag);
}

describe('linalg eig: gradients against PyTorch', () => {
  for (const c of cases.filter((k) => k.op.endsWith('_loss'))) {
    test(c.name, () => {
      for (const dtype of ['float64', 'float32'] as const) {
        const A = fromEnc(c.inputs[0], dtype).requiresGrad_();
        const loss = lossOf(c.op, A);
        const want = decode(c.outputs[0])[0];
        assert.ok(Math.abs(loss.item() - want) <= (dtype === 'float64' ? 1e-10 : 1e-4) * Math.max(1, Math.abs(want)), `${dtype} loss ${loss.item()} vs ${want}`);
        sd.mul(loss, decode(c.gradOutputs[0]!)[0]).backward();
        const g = A.grad!.toTypedArray();
        const wantG = decode(c.grads[0]!);
        const s = Math.max(...wantG.map(Math.abs));
        wantG.forEach((v, i) => assert.ok(Math.abs(g[i] - v) <= (dtype === 'float64' ? 1e-9 : 1e-3) * s, `${dtype} grad[${i}]: ${g[i]} vs ${v}`));
      }
    });
  }
});

describe('linalg eig (PyTorch fixtures)', () => {
  for (const c of cases.filter((k) => !k.op.endsWith('_loss'))) {
    test(c.name, () => {
      check(c, 'float64');
      check(c, 'float32');
    });
  }
});

describe('linalg.eig: structure', () => {
  test('a rotation has eigenvalues ±i with conjugate vectors, +i first', () => {
    const r = linalg.eig(sd.tensor([[0, -1], [1, 0]], { dtype: 'float64' }));
    assert.deepEqual(Array.from(r.eigenvaluesImag.toTypedArray()).map((v) => Math.round(v * 1e12) / 1e12), [1, -1]);
    const vr = r.eigenvectorsReal.toTypedArray();
    const vi = r.eigenvectorsImag.toTypedArray();
    assert.ok(Math.abs(vr[0] - vr[1]) < 1e-15 && Math.abs(vi[0] + vi[1]) < 1e-15 && Math.abs(vr[2] - vr[3]) < 1e-15 && Math.abs(vi[2] + vi[3]) < 1e-15);
  });
  test('a repeated eigenvalue of a diagonalizable matrix gets independent vectors', () => {
    const r = linalg.eig(sd.eye(3, 3, { dtype: 'float64' }).mul(2));
    const V = r.eigenvectorsReal;
    assert.ok(Math.abs(Math.abs(linalg.det(V).item()) - 1) < 1e-12);
  });
  test('a zero matrix and a non-symmetric matrix with double eigenvalues 1 and 2 get independent eigenvectors', () => {
    const Z = linalg.eig(sd.zeros([3, 3], { dtype: 'float64' }));
    assert.deepEqual(Array.from(Z.eigenvaluesReal.toTypedArray()), [0, 0, 0]);
    assert.ok(Math.abs(Math.abs(linalg.det(Z.eigenvectorsReal).item()) - 1) < 1e-12);
    sd.manualSeed(41);
    const S = sd.randn([5, 5], { dtype: 'float64' });
    const D = sd.tensor([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 2, 0, 0], [0, 0, 0, 2, 0], [0, 0, 0, 0, 3]], { dtype: 'float64' });
    const r = linalg.eig(S.matmul(D).matmul(linalg.inv(S)));
    // the columns are unit vectors: independent ones have a determinant well away from 0
    assert.ok(Math.abs(linalg.det(r.eigenvectorsReal).item()) > 1e-3);
  });
  test('a loss that depends on the eigenvectors\' phases has no gradient: an AutogradError, as in PyTorch', () => {
    const A = sd.tensor([[0, -1], [1, 0]], { dtype: 'float64' }).requiresGrad_();
    assert.throws(() => sd.sum(linalg.eig(A).eigenvectorsImag).backward(), (e: unknown) => e instanceof AutogradError && /^eig: the eigenvectors are defined only up to a phase/.test((e as Error).message));
  });
  test('the eigenvector gradient passes a finite-difference gradcheck, complex pairs included', () => {
    sd.manualSeed(43);
    for (const A of [sd.randn([4, 4], { dtype: 'float64' }), sd.tensor([[0, -2, 1], [2, 0, 0], [0, 1, 3]], { dtype: 'float64' })]) {
      sd.gradcheck((a) => eigvecLoss(linalg.eig(a)), [A.requiresGrad_()], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
    }
  });
  test('the eigenvalue gradient passes a finite-difference gradcheck, complex pairs included', () => {
    sd.manualSeed(42);
    for (const A of [sd.randn([4, 4], { dtype: 'float64' }), sd.tensor([[0, -2, 1], [2, 0, 0], [0, 1, 3]], { dtype: 'float64' })]) {
      sd.gradcheck((a) => {
        const r = linalg.eigvals(a);
        return eigLoss(r.real, r.imag);
      }, [A.requiresGrad_()], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
    }
  });
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['eig of a non-square matrix', () => linalg.eig(sd.zeros([2, 3], { dtype: 'float64' })), ShapeError, /^eig: A must be a square matrix/],
    ['eigvals of an int matrix', () => linalg.eigvals(sd.tensor([[1]], { dtype: 'int32' })), DTypeError, /^eigvals: A must be a float32 or float64 tensor/],
    ['eig of a matrix with NaN', () => linalg.eig(sd.tensor([[1, NaN], [0, 1]], { dtype: 'float64' })), LinAlgError, /^eig: A contains non-finite values/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
});
