/**
 * Learning-rate schedulers: the epoch schedules of torch.optim.lr_scheduler, two TensorFlow decays, the
 * per-batch cyclical schedules, ReduceLROnPlateau, and chaining.
 * @module
 */
export { LRScheduler, type SchedulerStateDict } from './base.js';
export {
  StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, LambdaLR, MultiplicativeLR,
  type SchedulerOptions, type StepLROptions, type MultiStepLROptions, type ConstantLROptions, type LinearLROptions,
  type ExponentialLROptions, type PolynomialLROptions, type LrLambda,
} from './basic.js';
export { InverseTimeDecay, NaturalExpDecay, type TimeDecayOptions } from './decay.js';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts, type CosineAnnealingLROptions, type CosineAnnealingWarmRestartsOptions } from './cosine.js';
export { CyclicLR, OneCycleLR, type CyclicMode, type CyclicLROptions, type OneCycleLROptions } from './cyclic.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';
export { ChainedScheduler, SequentialLR } from './chain.js';
