/**
 * Generative and dense-prediction models: auto-encoders, U-Net, VAE, GAN.
 * @module
 */
// issue 14: U-Net and the sequence auto-encoder
export { UNet, DoubleConv, UNetDown, UNetUp, type UNetOptions, type UNetUpsample } from './unet.js';
export { SequenceAE, reconstructionErrors, type SequenceAEOptions, type SequenceCell } from './sequence-ae.js';
