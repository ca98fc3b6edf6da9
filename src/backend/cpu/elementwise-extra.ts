/**
 * The cpu kernels of the trigonometric, hyperbolic and special-function unary ops and of the integer-style
 * binary ops (fmod, remainder, floor division, hypot, copysign), apart from elementwise.ts so that each
 * switch stays short. Each op is its own tight loop over dense data, as in elementwise.ts.
 * @module
 */
import type { BinaryOp, TypedArray, UnaryOp } from '../types.js';
import { assertNever } from '../../errors.js';
import { digamma, erfc, erfinv, lgamma, polygamma } from './special.js';

/** The unary tags this file computes. */
export type ExtraUnaryOp =
  | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh' | 'log2' | 'log10' | 'exp2'
  | 'erfc' | 'erfinv' | 'lgamma' | 'digamma' | 'polygamma';

/** The binary tags this file computes. */
export type ExtraBinaryOp = 'fmod' | 'remainder' | 'floorDivide' | 'hypot' | 'copysign';

// Compile-time checks that the tags above are tags of the backend interface.
const _u: readonly UnaryOp[] = [] as ExtraUnaryOp[];
const _b: readonly BinaryOp[] = [] as ExtraBinaryOp[];
void _u;
void _b;

/** `o[i] = op(a[i])` for the ops of this file; `p` is polygamma's order. */
export function unaryExtra(op: ExtraUnaryOp, a: TypedArray, o: TypedArray, n: number, p: number): void {
  switch (op) {
    case 'tan': for (let i = 0; i < n; i++) o[i] = Math.tan(a[i]); break;
    case 'asin': for (let i = 0; i < n; i++) o[i] = Math.asin(a[i]); break;
    case 'acos': for (let i = 0; i < n; i++) o[i] = Math.acos(a[i]); break;
    case 'atan': for (let i = 0; i < n; i++) o[i] = Math.atan(a[i]); break;
    case 'sinh': for (let i = 0; i < n; i++) o[i] = Math.sinh(a[i]); break;
    case 'cosh': for (let i = 0; i < n; i++) o[i] = Math.cosh(a[i]); break;
    case 'asinh': for (let i = 0; i < n; i++) o[i] = Math.asinh(a[i]); break;
    case 'acosh': for (let i = 0; i < n; i++) o[i] = Math.acosh(a[i]); break;
    case 'atanh': for (let i = 0; i < n; i++) o[i] = Math.atanh(a[i]); break;
    case 'log2': for (let i = 0; i < n; i++) o[i] = Math.log2(a[i]); break;
    case 'log10': for (let i = 0; i < n; i++) o[i] = Math.log10(a[i]); break;
    case 'exp2': for (let i = 0; i < n; i++) o[i] = Math.pow(2, a[i]); break;
    case 'erfc': for (let i = 0; i < n; i++) o[i] = erfc(a[i]); break;
    case 'erfinv': for (let i = 0; i < n; i++) o[i] = erfinv(a[i]); break;
    case 'lgamma': for (let i = 0; i < n; i++) o[i] = lgamma(a[i]); break;
    case 'digamma': for (let i = 0; i < n; i++) o[i] = digamma(a[i]); break;
    case 'polygamma': for (let i = 0; i < n; i++) o[i] = polygamma(p, a[i]); break;
    default:
      assertNever(op, 'unary op (unaryExtra)');
  }
}

/** `o[i] = op(a[i], b[i])` for the ops of this file; `int` selects integer semantics (the ops layer rejects x / 0). */
export function binaryExtra(op: ExtraBinaryOp, a: TypedArray, b: TypedArray, o: TypedArray, n: number, int: boolean): void {
  switch (op) {
    // JS % is C's fmod: exact, with the sign of the dividend, for integers and floats alike
    case 'fmod': for (let i = 0; i < n; i++) o[i] = a[i] % b[i]; break;
    case 'remainder':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        const m = a[i] % y;
        o[i] = m !== 0 && (y < 0) !== (m < 0) ? m + y : m;
      }
      break;
    case 'floorDivide':
      if (int) {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          const q = Math.trunc(x / y);
          o[i] = x % y !== 0 && (x < 0) !== (y < 0) ? q - 1 : q;
        }
      } else {
        for (let i = 0; i < n; i++) o[i] = floorDivFloat(a[i], b[i]);
      }
      break;
    case 'hypot': for (let i = 0; i < n; i++) o[i] = Math.hypot(a[i], b[i]); break;
    case 'copysign':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        const neg = y < 0 || (y === 0 && 1 / y < 0);
        o[i] = neg ? -Math.abs(a[i]) : Math.abs(a[i]);
      }
      break;
    default:
      assertNever(op, 'binary op (binaryExtra)');
  }
}

/** Floor division of floats as PyTorch's div_floor: from fmod, so that a = b * q + remainder(a, b) holds exactly. */
function floorDivFloat(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) div -= 1;
  if (div === 0) return (a / b < 0 || (a / b === 0 && 1 / (a / b) < 0)) ? -0 : 0;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}
