/**
 * What every loss function shares: the reduction option and its application, option and target checks, and a
 * softplus whose gradient is exact everywhere. Internal to src/nn (not re-exported by `F`).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** How a loss's per-element values are combined: kept ('none'), averaged ('mean') or added ('sum'). */
export type LossReduction = 'none' | 'mean' | 'sum';

/** The one option every loss takes. */
export interface ReductionOptions {
  /** 'none' keeps one loss per element (or sample), 'mean' (default) averages, 'sum' adds them. */
  reduction?: LossReduction;
}

/** `v` as a 0-d tensor of `like`'s dtype and backend. */
export const s = (v: number, like: Tensor): Tensor => P.scalarOf(v, like.dtype, like);
/** `a + b` (same dtype, broadcast), straight to the primitive. */
export const add = (a: Tensor, b: Tensor): Tensor => P.binary('add', a, b);
/** `a - b` (same dtype, broadcast). */
export const sub = (a: Tensor, b: Tensor): Tensor => P.binary('sub', a, b);
/** `a * b` (same dtype, broadcast). */
export const mul = (a: Tensor, b: Tensor): Tensor => P.binary('mul', a, b);
/** `a / b` (same dtype, broadcast). */
export const div = (a: Tensor, b: Tensor): Tensor => P.binary('div', a, b);
/** `-a`. */
export const neg = (a: Tensor): Tensor => P.unary('neg', a);
/** Sum of every element (0-d). */
export const sumAll = (a: Tensor): Tensor => P.reduce('sum', a, a.shape.map((_, d) => d), false);
/** `max(a, lo)`, with clamp's gradient (1 where kept, 0 where clamped). */
export const clampMin = (a: Tensor, lo: number): Tensor => P.unary('clamp', a, { p: lo, q: Infinity });

/** The checked reduction option (default 'mean'); a ValueError names the loss and the allowed values. */
export function reductionOf(loss: string, r: unknown, allowed: readonly string[] = ['none', 'mean', 'sum']): string {
  const v = r ?? 'mean';
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ValueError(`${loss}: reduction must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return v;
}

/** Applies a 'none' | 'mean' | 'sum' reduction to per-element losses (mean of nothing is NaN, as PyTorch). */
export function reduceLoss(l: Tensor, reduction: string): Tensor {
  if (reduction === 'none') return l;
  const total = sumAll(l);
  return reduction === 'sum' ? total : div(total, s(l.numel(), l));
}

/** A checked number option with default `dflt`; a ValueError says the `rule` it broke. */
export function numberOpt(loss: string, v: unknown, dflt: number, arg: string, ok: (n: number) => boolean = () => true, rule = 'a number'): number {
  const n = v ?? dflt;
  if (typeof n !== 'number' || Number.isNaN(n) || !ok(n)) throw new ValueError(`${loss}: ${arg} must be ${rule}, got ${String(v)}`);
  return n;
}

/** The loss's input, checked to be a floating-point tensor. */
export function floatInput(loss: string, input: unknown): Tensor {
  return checkFloat(loss, checkTensor(loss, input, 'input'), 'input');
}

/** A float target of the input's shape and dtype (int targets are accepted, cast, only where `intOk`). */
export function sameShapeTarget(loss: string, x: Tensor, target: unknown, intOk = false): Tensor {
  const t = checkTensor(loss, target, 'target');
  if (t.device !== x.device) throw new ValueError(`${loss}: input and target are on different backends: ${x.device} and ${t.device}`);
  if (t.ndim !== x.ndim || t.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`${loss}: target shape ${fmtShape(t.shape)} must equal the input shape ${fmtShape(x.shape)}`);
  }
  if (!isFloating(t.dtype) && !(intOk && t.dtype === 'int32')) {
    throw new DTypeError(`${loss}: target must be a floating-point tensor${intOk ? ' or int32' : ''}, got dtype ${t.dtype}`);
  }
  return P.cast(t, x.dtype);
}

/** An optional weight tensor that must broadcast to `shape`, cast to `x`'s dtype. */
export function broadcastWeight(loss: string, w: Tensor | null | undefined, x: Tensor, arg: string): Tensor | null {
  if (w === undefined || w === null) return null;
  checkFloat(loss, checkTensor(loss, w, arg), arg);
  const lead = x.ndim - w.ndim;
  if (lead < 0 || w.shape.some((d, i) => d !== 1 && d !== x.shape[lead + i])) {
    throw new ShapeError(`${loss}: ${arg} of shape ${fmtShape(w.shape)} must broadcast to the input shape ${fmtShape(x.shape)}`);
  }
  return P.cast(w, x.dtype);
}

/** Throws unless every value of a ±1-label target is -1 or 1. */
export function checkPlusMinusOne(loss: string, y: Tensor): void {
  const v = y.toTypedArray();
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 1 && v[i] !== -1) throw new ValueError(`${loss}: targets must be -1 or 1, got ${v[i]} at flat index ${i}`);
  }
}

/** `log(1 + e^z)` with the exact gradient sigmoid(z) everywhere (also at 0) and no overflow for any z. */
export function softplusStable(z: Tensor): Tensor {
  const zero = s(0, z);
  const pos = P.binary('gt', z, zero);
  // each branch sees a harmless stand-in where it is not picked, so no inf * 0 reaches the gradient
  const zp = P.where(pos, z, zero);
  const zn = P.where(pos, zero, z);
  const up = add(zp, P.unary('log1p', P.unary('exp', neg(zp))));
  const down = P.unary('log1p', P.unary('exp', zn));
  return P.where(pos, up, down);
}

/** a^gamma, with the common exponents 1 and 2 as cheaper ops (the focal losses' modulating factor). */
export function powOf(a: Tensor, gamma: number): Tensor {
  if (gamma === 1) return a;
  if (gamma === 2) return P.unary('square', a);
  return P.unary('powScalar', a, { p: gamma });
}
