/**
 * `nn`: modules (layers, containers, losses), with `nn.init` and `nn.functional` also reachable here.
 * @module
 */
export { Module, Parameter, type Layer, type StateDict, type LoadOptions, type LoadResult } from './module.js';
export type { ForwardHook, RemovableHandle } from './module.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';
export { Linear, Identity, Flatten } from './linear.js';
export { Unflatten } from './unflatten.js';
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, type ConvLayerOptions, type Conv1dLayerOptions, type ConvTransposeLayerOptions } from './conv.js';
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, MaxUnpool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, Upsample } from './pooling.js';
export { Conv3d, ConvTranspose3d, type Conv3dLayerOptions, type ConvTranspose3dLayerOptions } from './conv3d.js';
export {
  MaxPool3d, AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool3d, LPPool1d, LPPool2d,
  FractionalMaxPool2d, MaxUnpool1d, MaxUnpool3d, Unfold, Fold,
} from './pooling-extra.js';
export { UpsamplingNearest2d, UpsamplingBilinear2d } from './pooling.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d, LocalResponseNorm, type BatchNormLayerOptions } from './normalization.js';
export { Dropout, Dropout2d, DropBlock2d, DropConnect } from './dropout.js';
export { Embedding } from './embedding.js';
export { Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, ELU, GELU, Softplus, Softmax, LogSoftmax } from './activation.js';
export {
  Hardtanh, ReLU6, SiLU, Mish, SELU, CELU, Softsign, Hardsigmoid, Hardswish, LogSigmoid, Softmin, GLU, Threshold, Tanhshrink,
  Softshrink, Hardshrink, RReLU,
} from './activation-extra.js';
export { summary, type Summary, type SummaryRow } from './summary.js';
export * as init from './init.js';
export * as functional from './functional.js';
export * from './loss-modules.js';
export { RNNBase, LSTM, GRU, RNN, type RecurrentOptions, type RNNOptions } from './recurrent.js';
export { RNNCellBase, LSTMCell, GRUCell, RNNCell, type RNNCellOptions, type ElmanCellOptions, type RecurrentMode } from './recurrent-cells.js';
export * from './loss-modules-extra.js';
export { PixelShuffle, PixelUnshuffle } from './pixel-shuffle.js';
export { CosineSimilarity, PairwiseDistance } from './distance.js';
export { Dropout1d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from './dropout-variants.js';
export { EmbeddingBag, type EmbeddingBagLayerOptions } from './embedding-bag.js';
// issue 12: fine-tuning by parameter name
export {
  freeze, unfreeze, loadMatching, paramGroupsByPrefix, matchesPrefix, topLevelPrefixes,
  type LoadMatchingResult, type MisShapedKey, type PrefixGroupOptions, type PrefixParamGroup,
} from './fine-tune.js';
// issue 13: packed sequences (nn.utils.rnn), which LSTM/GRU/RNN accept
export { PackedSequence } from './rnn-pack.js';
export * as utils from './utils.js';
// issue 13: CTC loss and attention
export { CTCLoss } from './loss-ctc.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './attention.js';
export {
  TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer, generateSquareSubsequentMask,
  type TransformerLayerOptions, type TransformerActivation, type TransformerOptions, type EncoderLayerMasks, type DecoderLayerMasks,
  type EncoderMasks, type TransformerMasks,
} from './transformer.js';
// issue 15: spatial pyramid pooling (SPP-net)
export { SpatialPyramidPooling, type SpatialPyramidMode, type SpatialPyramidOptions } from './spp.js';
