/**
 * `F`, as torch.nn.functional: the stateless functions layers are built from, gathered in one namespace
 * (`F.relu`, `F.conv2d`, `F.crossEntropy`, ...). Ops live in src/ops; this file adds `linear` and re-exports.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import { traceOp, tracing } from '../ops/trace-hook.js';

/** `x @ weight^T + bias` for x [..., in], weight [out, in], bias [out]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (tracing.tracer !== null) return traceOp('linear', [x, weight, bias ?? null], {}, () => linear(x, weight, bias));
  checkTensor('linear', x);
  checkTensor('linear', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D (out, in), got shape ${fmtShape(weight.shape)}`);
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new ShapeError(`linear: input ${fmtShape(x.shape)} must end with the weight's in-features ${weight.shape[1]} (weight ${fmtShape(weight.shape)})`);
  }
  if (x.dtype !== weight.dtype) throw new DTypeError(`linear: input dtype ${x.dtype} differs from weight dtype ${weight.dtype}`);
  if (x.ndim > 2) {
    // leading dims folded into the rows (as PyTorch does): one product, and the weight's gradient one product over
    // all rows, instead of one per leading index summed afterwards
    const lead = x.shape.slice(0, -1);
    const y2 = linear(P.reshape(x, [lead.reduce((m, d) => m * d, 1), weight.shape[1]]), weight, bias);
    return P.reshape(y2, [...lead, weight.shape[0]]);
  }
  const y = matmul(x, P.permute(weight, [1, 0]));
  if (bias === undefined || bias === null) return y;
  checkTensor('linear', bias, 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) throw new ShapeError(`linear: bias must have shape [${weight.shape[0]}], got ${fmtShape(bias.shape)}`);
  return P.binary('add', y, bias);
}

export { relu, leakyRelu, elu, softplus, gelu, sigmoid, tanh, softmax, logSoftmax } from '../ops/activation.js';
export {
  hardtanh, relu6, silu, mish, selu, celu, softsign, hardsigmoid, hardswish, logsigmoid, softmin, glu, threshold,
  tanhshrink, softshrink, hardshrink, prelu, rrelu, type RreluOptions,
} from '../ops/activation-extra.js';
export { conv1d, conv2d, convTranspose1d, convTranspose2d } from '../ops/conv.js';
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, maxUnpool2d, adaptiveAvgPool2d, adaptiveMaxPool2d } from '../ops/pool.js';
export { interpolate } from '../ops/resample.js';
export { conv3d, convTranspose3d } from '../ops/conv3d.js';
export { unfold, fold } from '../ops/fold.js';
export { maxUnpool1d } from '../ops/pool.js';
export { maxPool3d, avgPool3d, maxUnpool3d } from '../ops/pool3d.js';
export { adaptiveAvgPool1d, adaptiveAvgPool3d, adaptiveMaxPool1d, adaptiveMaxPool3d } from '../ops/pool-adaptive.js';
export { lpPool1d, lpPool2d, fractionalMaxPool2d } from '../ops/pool-special.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm, localResponseNorm } from '../ops/norm.js';
export { dropout, dropout2d, dropConnect, dropBlock2d } from '../ops/dropout.js';
export { embedding } from '../ops/embedding.js';
export { pad } from '../ops/pad.js';
export { oneHot } from '../ops/indexing.js';
export * from './loss.js';
export * from './loss-binary.js';
// issue 10 (losses and other functional ops)
export * from './loss-embedding.js';
export * from './loss-probabilistic.js';
export { normalize, cosineSimilarity, pairwiseDistance } from '../ops/distance.js';
export { pixelShuffle, pixelUnshuffle } from '../ops/pixel-shuffle.js';
export { dropout1d, dropout3d, alphaDropout, featureAlphaDropout } from '../ops/dropout-variants.js';
export { affineGrid, gridSample } from '../ops/grid-sample.js';
export { embeddingBag } from '../ops/embedding-bag.js';
// issue 13: CTC loss and attention
export { ctcLoss, type CTCLossOptions, type CTCLengths } from './loss-ctc.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from '../ops/attention.js';
// issue 14 (auto-encoders and VAEs): KL divergences of diagonal Gaussians
export { klNormal, klStandardNormal, type KLNormalOptions } from './loss-generative.js';
// issue 14 (GAN losses)
export { ganDiscriminatorLoss, ganGeneratorLoss, type GanLossKind, type GanLossOptions } from './loss-gan.js';
// issue 15: spatial pyramid pooling (SPP-net)
export { spatialPyramidPool } from './spp.js';
