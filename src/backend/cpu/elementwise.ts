/**
 * Elementwise kernels of the cpu backend: unary ops by tag, binary ops by tag, and where.
 * Inputs are read densely (no copy when already row-major); each op is its own tight loop.
 * @module
 */
import type { BinaryOp, DType, Storage, TypedArray, UnaryOp, View } from '../types.js';
import { binaryExtra, unaryExtra } from './elementwise-extra.js';
import { HostStorage, allocArray, arrayOf, denseData } from './storage.js';
import { erf, roundHalfEven } from './math.js';
import { assertNever } from '../../errors.js';

const SQRT1_2 = Math.SQRT1_2;

/** Applies a unary op; `p`, `q` are the op's parameters (slope, alpha, beta/threshold, clamp bounds, exponent). */
export function unary(op: UnaryOp, x: View, dtype: DType, p: number, q: number): Storage {
  const a = denseData(x);
  const n = a.length;
  const o = allocArray(dtype, n);
  switch (op) {
    // trigonometric, hyperbolic, base-2/10 and special functions: their loops are in elementwise-extra.ts
    case 'tan': case 'asin': case 'acos': case 'atan': case 'sinh': case 'cosh': case 'asinh': case 'acosh': case 'atanh':
    case 'log2': case 'log10': case 'exp2': case 'erfc': case 'erfinv': case 'lgamma': case 'digamma': case 'polygamma':
      unaryExtra(op, a, o, n, p); break;
    case 'neg': for (let i = 0; i < n; i++) o[i] = -a[i]; break;
    case 'abs': for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]); break;
    // NaN has sign 0, as PyTorch's (0 < v) - (v < 0)
    case 'sign': for (let i = 0; i < n; i++) { const v = a[i]; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0; } break;
    case 'exp': for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]); break;
    case 'expm1': for (let i = 0; i < n; i++) o[i] = Math.expm1(a[i]); break;
    case 'log': for (let i = 0; i < n; i++) o[i] = Math.log(a[i]); break;
    case 'log1p': for (let i = 0; i < n; i++) o[i] = Math.log1p(a[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]); break;
    case 'rsqrt': for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(a[i]); break;
    case 'reciprocal': for (let i = 0; i < n; i++) o[i] = 1 / a[i]; break;
    case 'square': for (let i = 0; i < n; i++) o[i] = a[i] * a[i]; break;
    case 'sin': for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]); break;
    case 'cos': for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]); break;
    case 'sigmoid': for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-a[i])); break;
    case 'relu': for (let i = 0; i < n; i++) { const v = a[i]; o[i] = v <= 0 ? 0 : v; } break;
    case 'leakyRelu': for (let i = 0; i < n; i++) { const v = a[i]; o[i] = v <= 0 ? v * p : v; } break;
    case 'elu': for (let i = 0; i < n; i++) { const v = a[i]; o[i] = v <= 0 ? p * Math.expm1(v) : v; } break;
    case 'softplus':
      // p = beta, q = threshold: linear above threshold, as PyTorch.
      for (let i = 0; i < n; i++) { const v = a[i] * p; o[i] = v > q ? a[i] : Math.log1p(Math.exp(v)) / p; }
      break;
    case 'gelu': for (let i = 0; i < n; i++) { const v = a[i]; o[i] = 0.5 * v * (1 + erf(v * SQRT1_2)); } break;
    case 'erf': for (let i = 0; i < n; i++) o[i] = erf(a[i]); break;
    case 'floor': for (let i = 0; i < n; i++) o[i] = Math.floor(a[i]); break;
    case 'ceil': for (let i = 0; i < n; i++) o[i] = Math.ceil(a[i]); break;
    case 'round': for (let i = 0; i < n; i++) o[i] = roundHalfEven(a[i]); break;
    case 'trunc': for (let i = 0; i < n; i++) o[i] = Math.trunc(a[i]); break;
    // min(max(v, p), q): with p > q every element is q, as PyTorch; NaN stays NaN
    case 'clamp': for (let i = 0; i < n; i++) { const v = a[i]; const u = v < p ? p : v; o[i] = u > q ? q : u; } break;
    case 'powScalar': for (let i = 0; i < n; i++) o[i] = Math.pow(a[i], p); break;
    case 'logicalNot': for (let i = 0; i < n; i++) o[i] = a[i] === 0 ? 1 : 0; break;
    case 'isnan': for (let i = 0; i < n; i++) o[i] = a[i] !== a[i] ? 1 : 0; break;
    case 'isinf': for (let i = 0; i < n; i++) o[i] = a[i] === Infinity || a[i] === -Infinity ? 1 : 0; break;
    default: assertNever(op, 'unary op');
  }
  return new HostStorage(dtype, o);
}

/** Applies a binary op to two views of the output's shape. */
export function binary(op: BinaryOp, av: View, bv: View, dtype: DType): Storage {
  if ((op === 'add' || op === 'sub' || op === 'mul' || op === 'div') && bv.strides.every((s) => s === 0)) {
    // tensor (op) scalar: the most common broadcast, without materializing the scalar
    const a = denseData(av);
    const c = arrayOf(bv)[bv.offset];
    const n = a.length;
    const o = allocArray(dtype, n);
    if (op === 'add') for (let i = 0; i < n; i++) o[i] = a[i] + c;
    else if (op === 'sub') for (let i = 0; i < n; i++) o[i] = a[i] - c;
    else if (op === 'mul') for (let i = 0; i < n; i++) o[i] = a[i] * c;
    else for (let i = 0; i < n; i++) o[i] = a[i] / c;
    return new HostStorage(dtype, o);
  }
  const a = denseData(av);
  const b = denseData(bv);
  const n = a.length;
  const o = allocArray(dtype, n);
  binaryLoop(op, a, b, o, n, dtype === 'int32');
  return new HostStorage(dtype, o);
}

function binaryLoop(op: BinaryOp, a: TypedArray, b: TypedArray, o: TypedArray, n: number, int: boolean): void {
  switch (op) {
    case 'fmod': case 'remainder': case 'floorDivide': case 'hypot': case 'copysign': binaryExtra(op, a, b, o, n, int); break;
    case 'add': for (let i = 0; i < n; i++) o[i] = a[i] + b[i]; break;
    case 'sub': for (let i = 0; i < n; i++) o[i] = a[i] - b[i]; break;
    case 'mul': for (let i = 0; i < n; i++) o[i] = a[i] * b[i]; break;
    case 'div': for (let i = 0; i < n; i++) o[i] = a[i] / b[i]; break;
    case 'pow': for (let i = 0; i < n; i++) o[i] = Math.pow(a[i], b[i]); break;
    case 'maximum': for (let i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]); break;
    case 'minimum': for (let i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]); break;
    case 'atan2': for (let i = 0; i < n; i++) o[i] = Math.atan2(a[i], b[i]); break;
    case 'maskPositive': for (let i = 0; i < n; i++) o[i] = b[i] > 0 ? a[i] : 0; break;
    case 'eq': for (let i = 0; i < n; i++) o[i] = a[i] === b[i] ? 1 : 0; break;
    case 'ne': for (let i = 0; i < n; i++) o[i] = a[i] !== b[i] ? 1 : 0; break;
    case 'lt': for (let i = 0; i < n; i++) o[i] = a[i] < b[i] ? 1 : 0; break;
    case 'le': for (let i = 0; i < n; i++) o[i] = a[i] <= b[i] ? 1 : 0; break;
    case 'gt': for (let i = 0; i < n; i++) o[i] = a[i] > b[i] ? 1 : 0; break;
    case 'ge': for (let i = 0; i < n; i++) o[i] = a[i] >= b[i] ? 1 : 0; break;
    case 'logicalAnd': for (let i = 0; i < n; i++) o[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0; break;
    case 'logicalOr': for (let i = 0; i < n; i++) o[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0; break;
    case 'logicalXor': for (let i = 0; i < n; i++) o[i] = (a[i] !== 0) !== (b[i] !== 0) ? 1 : 0; break;
    default: assertNever(op, 'binary op');
  }
}

/** `cond ? a : b` elementwise. */
export function where(cv: View, av: View, bv: View, dtype: DType): Storage {
  const c = denseData(cv);
  const a = denseData(av);
  const b = denseData(bv);
  const n = c.length;
  const o = allocArray(dtype, n);
  for (let i = 0; i < n; i++) o[i] = c[i] !== 0 ? a[i] : b[i];
  return new HostStorage(dtype, o);
}
