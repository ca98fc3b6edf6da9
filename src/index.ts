/**
 * shendu's public face: re-exports only, no logic. `import { tensor, matmul, manualSeed } from 'shendu'`.
 * @module
 */
import './ops/methods.js';

export { ShenduError, ShapeError, DTypeError, ValueError, DataError, AutogradError, LinAlgError } from './errors.js';
export type { Backend, Kernels, PrimName, Storage, View, DType, TypedArray, UnaryOp, BinaryOp, ReduceOp, ScanOp } from './backend/types.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/registry.js';
export { cpuBackend } from './backend/cpu/index.js';
export { setNumThreads, getNumThreads, wasmBackendInfo } from './backend/wasm/index.js';

export { Tensor, type NestedArray, type GradNode } from './tensor/tensor.js';
export { DTYPES, isFloating, promoteTypes } from './tensor/dtype.js';
// type promotion as torch.result_type / torch.can_cast (issue 10)
export { canCast } from './tensor/dtype.js';
export { resultType } from './ops/util.js';
export { broadcastShapes, type ShapeLike } from './tensor/shape.js';
export { Generator, manualSeed, defaultGenerator } from './tensor/random.js';
export { setPrintOptions, type PrintOptions } from './tensor/format.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  rand, randn, randint, randperm, randLike, randnLike, randintLike,
  type CreateOptions, type RandomOptions,
} from './tensor/creation.js';

export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export { backward, grad, type BackwardOptions } from './autograd/engine.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';

export * from './ops/elementwise.js';
export * from './ops/activation.js';
export * from './ops/compare.js';
export {
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, arcsin, arccos, arctan, arcsinh, arccosh, arctanh,
} from './ops/trig.js';
export { erfc, erfinv, lgamma, digamma, polygamma, logit, xlogy } from './ops/special.js';
export * from './ops/arith.js';
export * from './ops/activation-extra.js';
export {
  sum, mean, amax, amin, max, min, argmax, argmin, variance as var, variance, std, logsumexp, norm, prod, cumsum, cumprod,
  type Dims, type KeepDim, type ValuesIndices, type VarOptions,
} from './ops/reduce.js';
export { sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, type SortOptions, type TopkOptions } from './ops/sort.js';
export { cummax, cummin, logcumsumexp } from './ops/scan.js';
export { nansum, nanmean, all, any, countNonzero, stdMean, varMean, aminmax, type AminmaxOptions } from './ops/stats.js';
export { quantile, nanquantile, type QuantileInterpolation, type QuantileOptions } from './ops/quantile.js';
export * from './ops/matmul.js';
export { sharedMatmul } from './ops/shared-matmul.js';
export * from './ops/movement.js';
export { slice, select, indexSelect, gather, scatterAdd, maskedFill, oneHot, type SliceSpec } from './ops/indexing.js';
export { pad, type PadMode } from './ops/pad.js';
export {
  conv1d, conv2d, convTranspose1d, convTranspose2d,
  type Pair, type ConvOptions, type Conv1dOptions, type ConvTransposeOptions, type ConvTranspose1dOptions,
} from './ops/conv.js';
export {
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, maxUnpool2d, adaptiveAvgPool2d, adaptiveMaxPool2d,
  type Pool1dOptions, type Pool2dOptions, type AvgPool2dOptions, type PoolWithIndices,
} from './ops/pool.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm, localResponseNorm, type BatchNormOptions } from './ops/norm.js';
export { dropout, dropout2d, dropConnect, dropBlock2d, type DropoutOptions } from './ops/dropout.js';
export { embedding } from './ops/embedding.js';
export { interpolate, type InterpolateMode, type InterpolateOptions } from './ops/resample.js';
export { resizeAntialiased, antialiasWeights, type AntialiasMode } from './ops/antialias.js';
// conv/pool/resample parity (issue 10)
export { conv3d, convTranspose3d, type Conv3dOptions, type ConvTranspose3dOptions } from './ops/conv3d.js';
export type { FoldOptions } from './ops/fold.js';
export { maxUnpool1d, type MaxUnpool1dOptions, type MaxUnpool2dOptions } from './ops/pool.js';
export { maxPool3d, avgPool3d, maxUnpool3d, type Pool3dOptions, type MaxPool3dOptions, type AvgPool3dOptions, type MaxUnpool3dOptions } from './ops/pool3d.js';
export { adaptiveAvgPool1d, adaptiveAvgPool3d, adaptiveMaxPool1d, adaptiveMaxPool3d, type AdaptiveSize } from './ops/pool-adaptive.js';
export { lpPool1d, lpPool2d, fractionalMaxPool2d, type FractionalMaxPool2dOptions } from './ops/pool-special.js';
export type { Triple } from './ops/window.js';
export { copy_, fill_, zero_, add_, sub_, mul_, div_ } from './ops/inplace.js';
// issue 10: distances, sub-pixel shuffle, spatial transformers, embedding bags, dropout variants
export { normalize, cosineSimilarity, pairwiseDistance, type NormalizeOptions, type CosineSimilarityOptions, type PairwiseDistanceOptions } from './ops/distance.js';
export { pixelShuffle, pixelUnshuffle } from './ops/pixel-shuffle.js';
export { affineGrid, gridSample, type AffineGridOptions, type GridSampleOptions, type GridSampleMode, type GridSamplePadding } from './ops/grid-sample.js';
export { embeddingBag, type EmbeddingBagMode, type EmbeddingBagOptions } from './ops/embedding-bag.js';
export { dropout1d, dropout3d, alphaDropout, featureAlphaDropout } from './ops/dropout-variants.js';
export type { Scalarish } from './ops/util.js';
export {
  roll, tile, unbind, movedim, moveaxis, swapaxes, swapdims, unflatten, broadcastTo, rot90, hstack, vstack, dstack, columnStack,
  meshgrid, type MeshgridOptions,
} from './ops/shape.js';
export { tril, triu, diag, diagonal, diagEmbed } from './ops/diag.js';
export {
  indexAdd, indexCopy, indexFill, scatter, scatterReduce,
  type IndexAddOptions, type ScatterOptions, type ScatterReduce, type ScatterReduceOptions,
} from './ops/scatter.js';
export { maskedSelect, take, takeAlongDim, nonzero, repeatInterleave, type NonzeroOptions } from './ops/take.js';
export { einsum, tensordot } from './ops/einsum.js';
export { kron, cross, addmm, addmv, baddbmm, addbmm, type AddProductOptions } from './ops/products.js';

export {
  TensorDataset, Subset, ConcatDataset, randomSplit, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, randomPermutation, indexBatches,
  DataLoader, defaultCollate, parseIdx, parseCifar, parseCsv, numericColumns, type CifarData, type CsvTable, type Dataset, type IterableDataset, type Sampler, type DataLoaderOptions, type IdxData,
} from './data/index.js';
// issue 14: segmentation masks from labelled images
export { SegmentationMasks, segmentationMask, FOREGROUND_THRESHOLD, type SegmentationMaskOptions, type LabelledImage } from './data/index.js';
export * as transforms from './data/transforms.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as models from './models/index.js';
export * as F from './nn/functional.js';
export * as init from './nn/init.js';
export * as linalg from './linalg/index.js';
export * as classic from './classic/index.js';
export * as viz from './viz/index.js';
export * as train from './train/index.js';
export { encodeSafetensors, decodeSafetensors, type SafetensorsContents, type DecodeSafetensorsOptions } from './io/safetensors.js';
// issue 13: text (tokenizers, Vocab, batching, word2vec)
export * as text from './text/index.js';
// issue 13: CTC decoding
export { ctcGreedyDecode, ctcBeamSearchDecode, type CtcDecodeOptions, type CtcBeamSearchOptions, type CtcHypothesis } from './text/ctc-decode.js';
// issue 15: object detection (box/RoI ops, NMS, anchors, VOC mAP)
export * as vision from './vision/index.js';
// issue 16: graph capture and ONNX export
export * as jit from './jit/index.js';
export * as onnx from './io/onnx/index.js';
// issue 17: hyper-parameter search
export * as tune from './tune/index.js';
