/**
 * `models` generative family (issue 14): auto-encoders (MLP, denoising, sparse, convolutional with unpooling or
 * transposed convolutions), variational auto-encoders (MLP as PyTorch's example, convolutional), U-Net and the
 * sequence auto-encoder.
 * @module
 */
export {
  AutoEncoder, DenoisingAutoEncoder, SparseAutoEncoder,
  type AutoEncoderOptions, type AutoEncoded, type DenoisingOptions, type SparseOptions, type NoiseKind, type SparsityPenalty, type CorruptOptions,
} from './autoencoder.js';
export { ConvAutoEncoder, type ConvAutoEncoderOptions, type ConvUpsampling } from './conv-ae.js';
export { VaeBase, VAE, ConvVAE, type VaeBaseOptions, type VaeOptions, type ConvVaeOptions, type VaeDecoder, type VaeOutput, type SampleOptions } from './vae.js';
export type { AeActivation } from './common.js';
// issue 14: U-Net and the sequence auto-encoder
export { UNet, DoubleConv, UNetDown, UNetUp, type UNetOptions, type UNetUpsample } from './unet.js';
export { SequenceAE, reconstructionErrors, type SequenceAEOptions, type SequenceCell } from './sequence-ae.js';
// issue 14: GANs
export { GAN, GanGenerator, GanDiscriminator, gan, ganConfig, type GanOptions, type GanArch, type GanConfig, type GanCondition, type Conditioning, type SampleOptions as GanSampleOptions } from './gan.js';
export { CGAN, cgan, type CGanOptions } from './cgan.js';
export { frechetDistance, gaussianStats, classifierFeatures, featureStats, type GaussianStats, type ClassifierFeaturesOptions } from './frechet.js';
// issue 14: anomaly scores from reconstruction error
export { reconstructionScores, scoreReconstructions, type ReconstructionScore, type ReconstructionScoresOptions } from './anomaly.js';
export { knnScores, knnScoresForK, mahalanobisScores, standardizeScores, type KnnScoresOptions, type KnnReduction } from './code-scores.js';
