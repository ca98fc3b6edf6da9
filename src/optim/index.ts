/**
 * Optimizers, learning-rate schedules, gradient clipping and weight penalties (torch.optim and
 * torch.nn.utils.clip_grad in PyTorch): `new optim.Adam(model.parameters(), {lr: 1e-3})`.
 * @module
 */
export {
  Optimizer, type HyperParams, type ParamGroup, type ParamGroupSpec, type ParamsInput, type ParamState,
  type SavedParamGroup, type OptimizerStateDict,
} from './optimizer.js';
export { SGD, type SGDHyper, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradHyper, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaHyper, type AdadeltaOptions } from './adadelta.js';
export { RMSprop, type RMSpropHyper, type RMSpropOptions } from './rmsprop.js';
export { Adam, type AdamHyper, type AdamOptions } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export * from './schedulers/index.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clip.js';
export { l1Penalty, l2Penalty } from './penalty.js';
