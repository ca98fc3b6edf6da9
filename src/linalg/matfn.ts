/**
 * Matrix functions built from products and solves, so they are differentiable for free: matrixPower
 * (repeated squaring, negative powers through the inverse), matrixExp (scaling and squaring with Padé
 * approximants, Higham 2005) and multiDot (a chain of products in the cheapest order).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { clone, expand } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, checkFloatTensor, checkMatrix, checkSameDType, eyeLike, mm, readBatch, scale, sub } from './common.js';
import { inv, solve } from './solve.js';

/**
 * A^n for square matrices [..., n, n] and any integer n (torch.linalg.matrix_power): the identity for 0,
 * repeated squaring for n > 0 (PyTorch's order of products), inv(A)^|n| for n < 0 (a singular A throws a
 * LinAlgError). Differentiable.
 */
export function matrixPower(A: Tensor, n: number): Tensor {
  const [k] = checkMatrix('matrixPower', A, 'A', true);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ValueError(`matrixPower: n must be an integer, got ${String(n)}`);
  if (n === 0) return clone(expand(eyeLike(k, A), A.shape));
  const a = n < 0 ? inv(A) : A;
  let m = Math.abs(n);
  if (m === 1) return n < 0 ? a : clone(A);
  if (m === 2) return mm(a, a);
  if (m === 3) return mm(mm(a, a), a);
  let z: Tensor | null = null;
  let result: Tensor | null = null;
  while (m > 0) {
    const bit = m % 2;
    m = Math.floor(m / 2);
    z = z === null ? a : mm(z, z);
    if (bit === 1) result = result === null ? z : mm(result, z);
  }
  return result as Tensor;
}

// Higham (2005), Table 10.2 and Algorithm 10.20: the Padé degrees, their 1-norm bounds and coefficients
const PADE: readonly { m: number; theta: number; b: readonly number[] }[] = [
  { m: 3, theta: 1.495585217958292e-2, b: [120, 60, 12, 1] },
  { m: 5, theta: 2.539398330063230e-1, b: [30240, 15120, 3360, 420, 30, 1] },
  { m: 7, theta: 9.504178996162932e-1, b: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1] },
  { m: 9, theta: 2.097847961257068, b: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1] },
];
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

/** Σ c_i X_i over the terms, with the identity scaled by `c0` added. */
function combo(terms: [number, Tensor][], c0: number, I: Tensor): Tensor {
  let acc = scale(I, c0);
  for (const [c, X] of terms) acc = add(acc, scale(X, c));
  return acc;
}

/**
 * The matrix exponential e^A of square matrices [..., n, n] (torch.linalg.matrix_exp) by scaling and
 * squaring with a Padé approximant of degree 3 to 13 chosen from the largest 1-norm in the batch (Higham
 * 2005); accurate to a few ulps relative to ‖e^A‖. Differentiable: its gradient is the exact derivative of
 * the approximant, which matches the Fréchet derivative of e^A to the same accuracy. An input with NaN or
 * infinity gives all NaN (PyTorch 1.13 returns unspecified values there).
 */
export function matrixExp(A: Tensor): Tensor {
  const [n] = checkMatrix('matrixExp', A, 'A', true);
  if (n === 0 || A.numel() === 0) return A;
  const a = readBatch(A);
  let norm = 0;
  for (let b = 0; b < a.count; b++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(a.data[b * n * n + i * n + j]);
      norm = Math.max(norm, s);
    }
  }
  if (!Number.isFinite(norm)) return P.unary('exp', scale(A, NaN));
  const I = eyeLike(n, A);
  const A2 = mm(A, A);
  for (const { theta, b, m } of PADE) {
    if (norm > theta) continue;
    const powers: Tensor[] = [I, A2];
    for (let k = 4; k < m; k += 2) powers.push(mm(powers[powers.length - 1], A2));
    let u = scale(I, b[1]);
    let v = scale(I, b[0]);
    for (let k = 1; k < powers.length; k++) {
      u = add(u, scale(powers[k], b[2 * k + 1]));
      v = add(v, scale(powers[k], b[2 * k]));
    }
    const U = mm(A, u);
    return solve(sub(v, U), add(v, U));
  }
  const s = Math.max(0, Math.ceil(Math.log2(norm / THETA13)));
  const As = scale(A, 2 ** -s);
  const S2 = s === 0 ? A2 : mm(As, As);
  const S4 = mm(S2, S2);
  const S6 = mm(S4, S2);
  const b = B13;
  const U = mm(As, add(mm(S6, combo([[b[13], S6], [b[11], S4], [b[9], S2]], 0, I)), combo([[b[7], S6], [b[5], S4], [b[3], S2]], b[1], I)));
  const V = add(mm(S6, combo([[b[12], S6], [b[10], S4], [b[8], S2]], 0, I)), combo([[b[6], S6], [b[4], S4], [b[2], S2]], b[0], I));
  let X = solve(sub(V, U), add(V, U));
  for (let k = 0; k < s; k++) X = mm(X, X);
  return X;
}

/**
 * The product of a chain of matrices (torch.linalg.multi_dot) in the order that needs the fewest
 * multiplications (PyTorch's rule for three, the classic dynamic program beyond). The first tensor may be
 * a vector [n] (a row) and the last a vector [n] (a column); the others are 2-D. Differentiable.
 */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length < 2) {
    throw new ValueError(`multiDot: expected a list of at least 2 tensors, got ${Array.isArray(tensors) ? tensors.length : typeof tensors}`);
  }
  const n = tensors.length;
  tensors.forEach((t, i) => checkFloatTensor('multiDot', t, `tensors[${i}]`));
  tensors.forEach((t, i) => {
    checkSameDType('multiDot', tensors[0], t, ['tensors[0]', `tensors[${i}]`]);
    const vectorOk = (i === 0 || i === n - 1) && t.ndim === 1;
    if (t.ndim !== 2 && !vectorOk) {
      throw new ShapeError(`multiDot: tensors[${i}] must be 2-D${i === 0 || i === n - 1 ? ' or 1-D' : ''}, got shape ${fmtShape(t.shape)}`);
    }
  });
  const first = tensors[0].ndim === 1;
  const last = tensors[n - 1].ndim === 1;
  const mats = tensors.map((t, i) => (t.ndim === 2 ? t : P.reshape(t, i === 0 ? [1, t.shape[0]] : [t.shape[0], 1])));
  for (let i = 1; i < n; i++) {
    if (mats[i - 1].shape[1] !== mats[i].shape[0]) {
      throw new ShapeError(`multiDot: tensors[${i - 1}] ${fmtShape(tensors[i - 1].shape)} and tensors[${i}] ${fmtShape(tensors[i].shape)} cannot be multiplied`);
    }
  }
  let out: Tensor;
  if (n === 2) {
    out = mm(mats[0], mats[1]);
  } else if (n === 3) {
    const [a, b, c, d] = [mats[0].shape[0], mats[1].shape[0], mats[2].shape[0], mats[2].shape[1]];
    out = a * c * (b + d) > b * d * (a + c) ? mm(mats[0], mm(mats[1], mats[2])) : mm(mm(mats[0], mats[1]), mats[2]);
  } else {
    const p = [...mats.map((m) => m.shape[0]), mats[n - 1].shape[1]];
    const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let l = 1; l < n; l++) {
      for (let i = 0; i + l < n; i++) {
        const j = i + l;
        cost[i][j] = Infinity;
        for (let k = i; k < j; k++) {
          const q = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1];
          if (q < cost[i][j]) {
            cost[i][j] = q;
            split[i][j] = k;
          }
        }
      }
    }
    const chain = (i: number, j: number): Tensor => (i === j ? mats[i] : mm(chain(i, split[i][j]), chain(split[i][j] + 1, j)));
    out = chain(0, n - 1);
  }
  if (first && last) return P.reshape(out, []);
  if (first) return P.reshape(out, [out.shape[1]]);
  if (last) return P.reshape(out, [out.shape[0]]);
  return out;
}
