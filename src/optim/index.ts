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
export { Adamax, type AdamaxHyper, type AdamaxOptions } from './adamax.js';
export { NAdam, type NAdamHyper, type NAdamOptions } from './nadam.js';
export { RAdam, type RAdamHyper, type RAdamOptions } from './radam.js';
export { ASGD, type ASGDHyper, type ASGDOptions } from './asgd.js';
export { Rprop, type RpropHyper, type RpropOptions } from './rprop.js';
export { SparseAdam, type SparseAdamHyper, type SparseAdamOptions } from './sparse-adam.js';
export { LBFGS, type LBFGSHyper, type LBFGSOptions } from './lbfgs.js';
// issue 12: optimizers and schedulers by name (the CLI's, the tests' and search's one list)
export {
  OPTIMIZER_NAMES, DEFAULT_LR, createOptimizer, optimizerEntry, isOptimizerName, SCHEDULER_NAMES, createScheduler, schedulerEntry,
  schedulerInterval, isSchedulerName, type OptimizerName, type OptimizerParams, type CommonOptimizerOptions, type OptimizerOptionsMap,
  type OptimizerOptions, type OptimizerEntry, type SchedulerName, type Scheduler, type SchedulerInterval, type SchedulerRunOptions,
  type SchedulerOptionsMap, type SchedulerOptions, type SchedulerEntry,
} from './registry.js';
