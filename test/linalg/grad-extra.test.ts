/**
 * Finite-difference gradcheck (float64) of the LU family, the *Ex variants and the matrix functions, and
 * second derivatives of the composite ones (their gradients are built from differentiable ops).
 */
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { Tensor, linalg } from '../../src/index.js';
import { eye, randn } from './helpers.js';

const opts = { eps: 1e-6, atol: 1e-6, rtol: 1e-4 };
const leaf = (t: Tensor): Tensor => t.detach().requiresGrad_();
const check = (fn: (...xs: Tensor[]) => Tensor | readonly Tensor[], ...inputs: Tensor[]): void => {
  sd.gradcheck(fn, inputs.map(leaf), opts);
};
const wellConditioned = (shape: number[]): Tensor => sd.add(randn(shape), sd.mul(eye(shape[shape.length - 1]), 3));

/** gradcheck of A -> d/dA <f(A), W>: the vjp's own gradient. */
function checkSecondOrder(f: (a: Tensor) => Tensor, A: Tensor): void {
  const W = randn([...f(A).shape]);
  sd.gradcheck(
    (a) => sd.enableGrad(() => {
      const x = a.requiresGrad ? a : leaf(a);
      return sd.grad([f(x)], [x], [W], { createGraph: true })[0];
    }),
    [leaf(A)],
    opts,
  );
}

describe('linalg gradcheck: LU, *Ex, matrix functions (float64, central differences)', () => {
  sd.manualSeed(61);
  test('lu: L and U, batched; luFactor: the packed factors', () => {
    check((a) => {
      const r = linalg.lu(a);
      return [r.L, r.U];
    }, randn([4, 4]));
    check((a) => linalg.lu(a).U, randn([2, 3, 3]));
    check((a) => linalg.luFactor(a).LU, randn([2, 4, 4]));
    // wide and tall: U2 and L2 depend on the whole of A
    check((a) => {
      const r = linalg.lu(a);
      return [r.L, r.U];
    }, randn([3, 5]));
    check((a) => {
      const r = linalg.lu(a);
      return [r.L, r.U];
    }, randn([2, 5, 3]));
    check((a) => linalg.luFactor(a).LU, randn([4, 2]));
    check((a) => linalg.luFactor(a).LU, randn([2, 4]));
  });
  test('luSolve: in LU and B, every left/adjoint combination, broadcast B', () => {
    const A = randn([3, 3]);
    const { LU, pivots } = linalg.luFactor(A);
    for (const left of [true, false]) {
      for (const adjoint of [true, false]) {
        check((lu, b) => linalg.luSolve(lu, pivots, b, { left, adjoint }), LU, left ? randn([3, 2]) : randn([2, 3]));
      }
    }
    check((lu, b) => linalg.luSolve(lu, pivots, b), LU, randn([2, 3, 1]));
  });
  test('solveEx, invEx, choleskyEx where every input is fine', () => {
    check((a, b) => linalg.solveEx(a, b).result, wellConditioned([2, 3, 3]), randn([2, 3, 2]));
    check((a) => linalg.invEx(a).inverse, wellConditioned([3, 3]));
    check((x) => linalg.choleskyEx(sd.add(x.matmul(x.mT), sd.mul(eye(3), 3))).L, randn([3, 3]));
  });
  test('matrixPower (positive, negative, batched), matrixExp (every Padé degree and squaring), multiDot', () => {
    check((a) => linalg.matrixPower(a, 5), sd.mul(randn([2, 3, 3]), 0.5));
    check((a) => linalg.matrixPower(a, -2), wellConditioned([3, 3]));
    for (const s of [1e-3, 0.05, 0.3, 1, 6]) check((a) => linalg.matrixExp(a), sd.mul(randn([3, 3]), s / 3));
    check((a) => linalg.matrixExp(a), sd.mul(randn([2, 2, 2]), 0.7));
    check((a, b, c, d) => linalg.multiDot([a, b, c, d]), randn([3]), randn([3, 5]), randn([5, 2]), randn([2]));
    check((a, b, c) => linalg.multiDot([a, b, c]), randn([4, 1]), randn([1, 5]), randn([5, 2]));
  });
  test('second derivatives (gradcheck of the gradient): matrixExp, matrixPower, luSolve, lu', () => {
    checkSecondOrder((a) => linalg.matrixExp(a), sd.mul(randn([3, 3]), 0.4));
    checkSecondOrder((a) => linalg.matrixExp(a), sd.mul(randn([3, 3]), 3));
    checkSecondOrder((a) => linalg.matrixPower(a, -3), wellConditioned([3, 3]));
    const { LU, pivots } = linalg.luFactor(wellConditioned([3, 3]));
    const B = randn([3, 2]);
    checkSecondOrder((lu) => linalg.luSolve(lu, pivots, B), LU);
    checkSecondOrder((a) => linalg.lu(a).U, randn([3, 3]));
  });
});
