/**
 * Differentiable primitives for products and windows: matmul, conv2d, max pooling, the fused LSTM cell, im2col and
 * col2im, each one backend kernel with its vector-Jacobian product written with other primitives.
 * @module
 */
import type { Window2d } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, binary, cat, expand, mul, permute, reduce, reshape, scalarOf, slice, unary } from './primitives-core.js';
import { scatterAdd } from './primitives-index.js';

// ---- matmul, convolution, pooling, LSTM cell---------------------------------------------------------------------------

function mT(x: Tensor): Tensor {
  const perm = x.shape.map((_, d) => d);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return permute(x, perm);
}

/** Batched matrix product of [...B, M, K] and [...B, K, N] with equal batch shapes. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const r = a.ndim;
  const shape = [...a.shape.slice(0, r - 1), b.shape[r - 1]];
  const y = new Tensor(backendOf(a).matmul(a, b, a.dtype), shape);
  // A gradient is produced in its input's layout: for a transposed input (a linear layer's weight.t()) as the
  // transpose of the product taken the other way round, so the leaf receives contiguous memory, not a copy.
  return record(y, 'MmBackward', [a, b], (g) => [
    a.requiresGrad ? (isTransposed(a) ? mT(matmul(b, mT(g))) : matmul(g, mT(b))) : null,
    b.requiresGrad ? (isTransposed(b) ? mT(matmul(mT(g), a)) : matmul(mT(a), g)) : null,
  ], [a, b]);
}

/** True when the last two dims of `x` are laid out column-major (a transposed matrix). */
function isTransposed(x: Tensor): boolean {
  const r = x.ndim;
  return x.strides[r - 2] === 1 && x.shape[r - 2] > 1 && x.shape[r - 1] > 1 && x.strides[r - 1] >= x.shape[r - 2];
}

/**
 * Convolution (one group) of x [N, C, H, W] with weight [O, C, kh, kw] over `win`, plus bias [O] when given, as
 * one backend kernel each way; under createGraph the gradient is built from im2col, matmul and col2im instead.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, win: Window2d): Tensor {
  const [N] = x.shape;
  const [O, C, kh, kw] = weight.shape;
  const y = new Tensor(backendOf(x).conv2d(x, weight, bias, win), [N, O, win.oh, win.ow]);
  return record(y, 'ConvolutionBackward', bias ? [x, weight, bias] : [x, weight], (g) => {
    const K = C * kh * kw;
    const L = win.oh * win.ow;
    const gb = bias?.requiresGrad ? reduce('sum', reduce('sum', reshape(g, [N, O, L]), [2], false), [0], false) : null;
    if (isGradEnabled()) {
      const g3 = reshape(g, [N, O, L]);
      const wT = expand(permute(reshape(weight, [1, O, K]), [0, 2, 1]), [N, K, O]);
      const cols = im2col(x, win, 0);
      return [
        x.requiresGrad ? col2im(matmul(wT, g3), x.shape, win) : null,
        weight.requiresGrad ? reshape(reduce('sum', matmul(g3, mT(cols)), [0], false), weight.shape) : null,
        gb,
      ];
    }
    const b = backendOf(g);
    return [
      x.requiresGrad ? new Tensor(b.conv2dBackwardInput(g, weight, x.shape, win), x.shape) : null,
      weight.requiresGrad ? new Tensor(b.conv2dBackwardWeight(x, g, weight.shape, win), weight.shape) : null,
      gb,
    ];
  }, [x, weight]);
}

/**
 * Max pooling of x [N, C, H, W] over `win`: values (differentiable) and int32 flat indices into H * W of each
 * window's maximum (PyTorch's choice of index). The gradient goes to each window's chosen input element.
 */
export function maxPool(x: Tensor, win: Window2d): [Tensor, Tensor] {
  const [N, C, H, W] = x.shape;
  const shape = [N, C, win.oh, win.ow];
  const [vs, is] = backendOf(x).maxPool2d(x, win);
  const indices = new Tensor(is, shape);
  const values = record(new Tensor(vs, shape), 'MaxPool2DBackward', [x], (g) => {
    if (!isGradEnabled()) return [new Tensor(backendOf(g).maxPool2dBackward(g, indices, x.shape), x.shape)];
    // gradients of gradients: the same sums as a differentiable scatter into a broadcast zero
    const L = win.oh * win.ow;
    const flat = scatterAdd(expand(scalarOf(0, g.dtype, g), [N, C, H * W]), 2, reshape(indices, [N, C, L]), reshape(g, [N, C, L]));
    return [reshape(flat, [N, C, H, W])];
  }, []);
  return [values, indices];
}

/**
 * The fused LSTM cell: from gate pre-activations [N, 4H] (i, f, g, o) and the cell state c [N, H] (null: zeros),
 * [h' | c'] as one [N, 2H] tensor, with c' = f*c + i*g and h' = o*tanh(c'). Its gradient is one kernel pass;
 * under createGraph it is built from differentiable primitives instead.
 */
export function lstmCell(gates: Tensor, c: Tensor | null): Tensor {
  const [N, H4] = gates.shape;
  const H = H4 / 4;
  const [out, act] = backendOf(gates).lstmCell(gates, c);
  const saved = new Tensor(act, [N, 5 * H]);
  const inputs = c ? [gates, c] : [gates];
  return record(new Tensor(out, [N, 2 * H]), 'LstmCellBackward', inputs, (g) => {
    if (isGradEnabled()) return lstmCellGradComposite(gates, c, g, H);
    const [dg, dc] = backendOf(g).lstmCellBackward(saved, c, g);
    return c ? [new Tensor(dg, [N, 4 * H]), new Tensor(dc!, [N, H])] : [new Tensor(dg, [N, 4 * H])];
  });
}

/** The LSTM cell's gradient from differentiable primitives (for gradients of gradients). */
function lstmCellGradComposite(gates: Tensor, c: Tensor | null, grad: Tensor, H: number): Tensor[] {
  const N = gates.shape[0];
  const part = (x: Tensor, k: number) => slice(x, [{ start: 0, step: 1, size: N }, { start: k * H, step: 1, size: H }]);
  const one = scalarOf(1, gates.dtype, gates);
  const i = unary('sigmoid', part(gates, 0));
  const f = unary('sigmoid', part(gates, 1));
  const g = unary('tanh', part(gates, 2));
  const o = unary('sigmoid', part(gates, 3));
  const ig = mul(i, g);
  const tc = unary('tanh', c ? binary('add', mul(f, c), ig) : ig);
  const dh = part(grad, 0);
  const dc2 = binary('add', part(grad, 1), mul(mul(dh, o), binary('sub', one, mul(tc, tc))));
  const dsig = (s: Tensor) => mul(s, binary('sub', one, s));
  const di = mul(mul(dc2, g), dsig(i));
  const df = c ? mul(mul(dc2, c), dsig(f)) : mul(dc2, scalarOf(0, gates.dtype, gates));
  const dgg = mul(mul(dc2, i), binary('sub', one, mul(g, g)));
  const dout = mul(mul(dh, tc), dsig(o));
  const dgates = cat([di, df, dgg, dout], 1);
  return c ? [dgates, mul(dc2, f)] : [dgates];
}

// ---- sliding windows -----------------------------------------------------------------------------------

/** Windows of `x` [N, C, H, W] as columns [N, C*kh*kw, oh*ow]; outside the input reads `padValue`. */
export function im2col(x: Tensor, win: Window2d, padValue: number): Tensor {
  const [N, C] = x.shape;
  const y = new Tensor(backendOf(x).im2col(x, win, padValue), [N, C * win.kh * win.kw, win.oh * win.ow]);
  return record(y, 'Im2colBackward', [x], (g) => [col2im(g, x.shape, win)], []);
}

/** Sums columns [N, C*kh*kw, oh*ow] back into an [N, C, H, W] tensor of `shape` (im2col's adjoint). */
export function col2im(cols: Tensor, shape: readonly number[], win: Window2d): Tensor {
  const y = new Tensor(backendOf(cols).col2im(cols, shape, win), shape);
  return record(y, 'Col2imBackward', [cols], (g) => [im2col(g, win, 0)], []);
}
