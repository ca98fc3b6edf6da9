/**
 * `models/generative`: generative models of images.
 * @module
 */
// issue 14: GANs
export { GAN, GanGenerator, GanDiscriminator, gan, ganConfig, type GanOptions, type GanArch, type GanConfig, type GanCondition, type Conditioning, type SampleOptions } from './gan.js';
export { CGAN, cgan, type CGanOptions } from './cgan.js';
export { frechetDistance, gaussianStats, classifierFeatures, featureStats, type GaussianStats, type ClassifierFeaturesOptions } from './frechet.js';
