/**
 * Einstein summation (einsum) and tensordot. einsum takes diagonals for repeated subscripts, sums out
 * subscripts used by one operand only, then contracts the operands pairwise, left to right, each pair as one
 * batched matrix product (batch dims, kept dims and summed dims permuted into [batch, m, k] x [batch, k, n]).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { normDim, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInt, checkTensor } from './util.js';

interface Term {
  letters: string[];
  /** Position of '...' among the letters, or -1. */
  ellipsis: number;
}

const ELL = '\u0000';

function parseTerm(term: string, where: string): Term {
  const letters: string[] = [];
  let ellipsis = -1;
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (ellipsis >= 0) throw new ValueError(`einsum: ${where} has more than one '...'`);
      ellipsis = letters.length;
      i += 2;
    } else if (/^[a-zA-Z]$/.test(term[i])) {
      letters.push(term[i]);
    } else {
      throw new ValueError(`einsum: invalid subscript '${term[i]}' in ${where}; use letters a-z, A-Z and '...'`);
    }
  }
  return { letters, ellipsis };
}

/** The term's labels with '...' replaced by `n` of the `E` right-aligned ellipsis labels. */
function expand(t: Term, n: number, E: number): string[] {
  if (t.ellipsis < 0) return t.letters.slice();
  const ell = Array.from({ length: n }, (_, k) => ELL + (E - n + k));
  return [...t.letters.slice(0, t.ellipsis), ...ell, ...t.letters.slice(t.ellipsis)];
}

const show = (l: string) => (l.startsWith(ELL) ? "'...'" : `'${l}'`);

interface Operand {
  t: Tensor;
  labels: string[];
}

/**
 * Sums products of the operands' elements over the subscripts that the `equation` leaves out of the output,
 * as torch.einsum: 'ij,jk->ik' is a matrix product, 'ii->i' a diagonal, 'ii' a trace, 'bij,bjk->bik' a batched
 * product, '...ij->...ji' a transpose of the last two dims. Without '->' the output holds the '...' dims and
 * then the subscripts used once, in alphabetical order (upper case first). Operands may also come as one array.
 */
export function einsum(equation: string, ...operands: readonly Tensor[] | [readonly Tensor[]]): Tensor {
  if (typeof equation !== 'string') throw new ValueError(`einsum: equation must be a string, got ${typeof equation}`);
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as readonly Tensor[];
  if (ops.length === 0) throw new ValueError('einsum: expected at least one operand');
  ops.forEach((t, i) => checkTensor('einsum', t, `operands[${i}]`));
  ops.forEach((t, i) => {
    if (t.dtype !== ops[0].dtype) throw new DTypeError(`einsum: every operand must have the same dtype: operands[${i}] is ${t.dtype}, operands[0] is ${ops[0].dtype}`);
    if (t.dtype === 'bool') throw new DTypeError('einsum: bool tensors cannot be multiplied; cast them first');
  });
  const eq = equation.replace(/\s/g, '');
  const sides = eq.split('->');
  if (sides.length > 2) throw new ValueError(`einsum: the equation may hold one '->', got ${JSON.stringify(equation)}`);
  const terms = sides[0].split(',').map((s, i) => parseTerm(s, `operand ${i}`));
  if (terms.length !== ops.length) throw new ValueError(`einsum: the equation has ${terms.length} operands but ${ops.length} tensors were given`);
  const nEll = terms.map((t, i) => {
    const n = ops[i].ndim - t.letters.length;
    if (n < 0 || (t.ellipsis < 0 && n !== 0)) {
      throw new ShapeError(`einsum: operand ${i} has ${ops[i].ndim} dims (shape ${fmtShape(ops[i].shape)}) but its subscripts '${sides[0].split(',')[i]}' name ${t.letters.length}`);
    }
    return n;
  });
  const E = Math.max(0, ...nEll);
  const labelled = terms.map((t, i) => expand(t, nEll[i], E));
  const ellLabels = Array.from({ length: E }, (_, k) => ELL + k);
  let out: string[];
  if (sides.length === 2) {
    const o = parseTerm(sides[1], 'the output');
    const seen = new Set<string>();
    for (const l of o.letters) {
      if (!labelled.some((ls) => ls.includes(l))) throw new ValueError(`einsum: output subscript '${l}' does not appear in the operands`);
      if (seen.has(l)) throw new ValueError(`einsum: output subscript '${l}' appears more than once`);
      seen.add(l);
    }
    out = o.ellipsis < 0 ? o.letters : [...o.letters.slice(0, o.ellipsis), ...ellLabels, ...o.letters.slice(o.ellipsis)];
  } else {
    const count = new Map<string, number>();
    for (const t of terms) for (const l of t.letters) count.set(l, (count.get(l) ?? 0) + 1);
    out = [...ellLabels, ...[...count].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  }
  labelled.forEach((ls, i) => ls.forEach((l, d) => {
    const q = ls.indexOf(l);
    if (q < d && ops[i].shape[q] !== ops[i].shape[d]) {
      throw new ShapeError(`einsum: subscript ${show(l)} is repeated in operand ${i} but its sizes differ: ${ops[i].shape[q]} and ${ops[i].shape[d]}`);
    }
  }));
  const size = new Map<string, number>();
  labelled.forEach((ls, i) => ls.forEach((l, d) => {
    const s = ops[i].shape[d];
    const have = size.get(l);
    if (have !== undefined && have !== s && have !== 1 && s !== 1) {
      throw new ShapeError(`einsum: subscript ${show(l)} has size ${have} in an earlier operand but ${s} in operand ${i} (shape ${fmtShape(ops[i].shape)})`);
    }
    if (have === undefined || have === 1) size.set(l, s);
  }));
  const prepared = ops.map((t, i) => prepare({ t, labels: labelled[i] }, size, new Set([...out, ...labelled.filter((_, j) => j !== i).flat()])));
  let acc = prepared[0];
  for (let i = 1; i < prepared.length; i++) {
    const later = new Set([...out, ...prepared.slice(i + 1).flatMap((p) => p.labels)]);
    acc = contract(acc, prepared[i], later, size);
  }
  const perm = out.map((l) => acc.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? acc.t : P.permute(acc.t, perm);
}

/** Takes diagonals of repeated labels, broadcasts size-1 dims, and sums out labels nothing else uses. */
function prepare(op: Operand, size: Map<string, number>, usedElsewhere: Set<string>): Operand {
  let { t, labels } = op;
  for (let p = 0; p < labels.length; p++) {
    const q = labels.indexOf(labels[p], p + 1);
    if (q < 0) continue;
    t = P.diagonal(t, 0, p, q);
    labels = [...labels.filter((_, k) => k !== p && k !== q), labels[p]];
    p = -1;
  }
  const full = labels.map((l) => size.get(l)!);
  if (full.some((s, d) => s !== t.shape[d])) t = P.expand(t, full);
  const gone = labels.map((l, d) => (usedElsewhere.has(l) ? -1 : d)).filter((d) => d >= 0);
  if (gone.length > 0) {
    t = P.reduce('sum', t, gone, false);
    labels = labels.filter((_, d) => !gone.includes(d));
  }
  return { t, labels };
}

/** One pairwise contraction as a batched matrix product; labels in both and not needed `later` are summed. */
function contract(a: Operand, b: Operand, later: Set<string>, size: Map<string, number>): Operand {
  const both = a.labels.filter((l) => b.labels.includes(l));
  const batch = both.filter((l) => later.has(l));
  const summed = both.filter((l) => !later.has(l));
  const aOnly = a.labels.filter((l) => !both.includes(l));
  const bOnly = b.labels.filter((l) => !both.includes(l));
  const n = (ls: string[]) => sizeOf(ls.map((l) => size.get(l)!));
  const arrange = (o: Operand, order: string[], shape: number[]) => {
    const perm = order.map((l) => o.labels.indexOf(l));
    return P.reshape(perm.every((p, k) => p === k) ? o.t : P.permute(o.t, perm), shape);
  };
  const x = arrange(a, [...batch, ...aOnly, ...summed], [n(batch), n(aOnly), n(summed)]);
  const y = arrange(b, [...batch, ...summed, ...bOnly], [n(batch), n(summed), n(bOnly)]);
  const labels = [...batch, ...aOnly, ...bOnly];
  return { t: P.reshape(P.matmul(x, y), labels.map((l) => size.get(l)!)), labels };
}

/**
 * Sums products over dims of `a` and `b` paired by `dims`: a number n pairs a's last n dims with b's first n;
 * a pair [dimsA, dimsB] lists them. The result has a's free dims then b's, as torch.tensordot.
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [number | readonly number[], number | readonly number[]] = 2): Tensor {
  checkTensor('tensordot', a, 'a');
  checkTensor('tensordot', b, 'b');
  if (a.dtype !== b.dtype) throw new DTypeError(`tensordot: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.dtype === 'bool') throw new DTypeError('tensordot: bool tensors cannot be multiplied; cast them first');
  let da: number[];
  let db: number[];
  if (typeof dims === 'number') {
    checkInt('tensordot', dims, 'dims', 0);
    if (dims > a.ndim || dims > b.ndim) throw new ShapeError(`tensordot: cannot contract ${dims} dims of tensors of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    da = a.shape.map((_, d) => d).slice(a.ndim - dims);
    db = b.shape.map((_, d) => d).slice(0, dims);
  } else {
    if (!Array.isArray(dims) || dims.length !== 2) throw new ValueError(`tensordot: dims must be a number or a pair [dimsA, dimsB], got ${JSON.stringify(dims)}`);
    const list = (v: number | readonly number[]) => (typeof v === 'number' ? [v] : [...v]);
    da = list(dims[0]).map((d) => normDim('tensordot', d, a.ndim, 'dims'));
    db = list(dims[1]).map((d) => normDim('tensordot', d, b.ndim, 'dims'));
    if (da.length !== db.length) throw new ValueError(`tensordot: dimsA and dimsB must have the same length, got ${da.length} and ${db.length}`);
    if (new Set(da).size !== da.length || new Set(db).size !== db.length) throw new ValueError(`tensordot: a dim is listed twice in ${JSON.stringify(dims)}`);
  }
  da.forEach((d, k) => {
    if (a.shape[d] !== b.shape[db[k]]) {
      throw new ShapeError(`tensordot: contracted dims differ in size: a dim ${d} is ${a.shape[d]}, b dim ${db[k]} is ${b.shape[db[k]]}`);
    }
  });
  const fa = a.shape.map((_, d) => d).filter((d) => !da.includes(d));
  const fb = b.shape.map((_, d) => d).filter((d) => !db.includes(d));
  const K = sizeOf(da.map((d) => a.shape[d]));
  const x = P.reshape(P.permute(a, [...fa, ...da]), [sizeOf(fa.map((d) => a.shape[d])), K]);
  const y = P.reshape(P.permute(b, [...db, ...fb]), [K, sizeOf(fb.map((d) => b.shape[d]))]);
  return P.reshape(P.matmul(x, y), [...fa.map((d) => a.shape[d]), ...fb.map((d) => b.shape[d])]);
}
