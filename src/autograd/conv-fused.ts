/**
 * Fused primitives of the convolution family that reuse the one-group convolution kernels: the transposed
 * convolution is the input gradient of a convolution, so it runs as `conv2dBackwardInput` forward and as
 * `conv2d` / `conv2dBackwardWeight` backward, one backend kernel per pass, instead of a per-image weight copy,
 * a batched matmul and col2im (whose weight gradient was a batch of per-image products summed afterwards).
 * @module
 */
import type { Window2d } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, conv2d, im2col, matmul, permute, reduce, reshape } from './primitives.js';

/**
 * Transposed convolution (one group) of x [N, Cin, H, W] with weight [Cin, Cout, kh, kw] into [N, ...outShape]
 * = [N, Cout, OH, OW]: the input gradient of the convolution over `win` (whose output is [N, Cin, H, W], so
 * win.oh = H and win.ow = W) that maps [N, Cout, OH, OW] to x. No bias (the op adds it). Under createGraph the
 * gradient is built from differentiable primitives (conv2d, im2col, matmul).
 */
export function convTranspose2d(x: Tensor, weight: Tensor, outShape: readonly number[], win: Window2d): Tensor {
  const [N, Cin, H, W] = x.shape;
  const shape = [N, ...outShape.slice(1)];
  const y = new Tensor(backendOf(x).conv2dBackwardInput(x, weight, shape, win), shape);
  return record(y, 'ConvolutionBackward', [x, weight], (g) => {
    if (isGradEnabled()) {
      const [, Cout, kh, kw] = weight.shape;
      const cols = im2col(g, win, 0);
      const x3 = reshape(x, [N, Cin, H * W]);
      return [
        x.requiresGrad ? conv2d(g, weight, null, win) : null,
        weight.requiresGrad ? reshape(reduce('sum', matmul(x3, permute(cols, [0, 2, 1])), [0], false), [Cin, Cout, kh, kw]) : null,
      ];
    }
    const b = backendOf(g);
    return [
      x.requiresGrad ? new Tensor(b.conv2d(g, weight, null, win), x.shape) : null,
      weight.requiresGrad ? new Tensor(b.conv2dBackwardWeight(g, x, weight.shape, win), weight.shape) : null,
    ];
  }, [x, weight]);
}
