/**
 * Hyper-parameter search (Optuna's API, camelCased): `createStudy`, define-by-run `suggest*`, samplers (grid,
 * random, TPE, GP-EI), pruners (median, ASHA, Hyperband) and storages (in memory here; the journal file in
 * `shendu/node`).
 * @module
 */
export {
  floatDistribution, intDistribution, categoricalDistribution, toInternal, toExternal,
  type Distribution, type FloatDistribution, type IntDistribution, type CategoricalDistribution, type CategoricalChoice,
  type ParamValue, type FloatOptions, type IntOptions,
} from './distributions.js';
export { InMemoryStorage, lastStep, type FrozenTrial, type TrialState, type StudyDirection, type StorageOp, type WorkerId } from './storage.js';
export { Trial, TrialPruned } from './trial.js';
export { createStudy, Study, type CreateStudyOptions, type Objective, type OptimizeOptions } from './study.js';
export { trialsTable, trialsToCsv, trialsToJson, type TrialRow } from './table.js';
export { intersectionSearchSpace, type Sampler, type StudyView } from './samplers/base.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random.js';
export { GridSampler, type GridSpace, type GridSamplerOptions } from './samplers/grid.js';
export { TPESampler, defaultGamma, defaultWeights, type TPESamplerOptions } from './samplers/tpe.js';
export { GPSampler, logExpectedImprovement, type GPSamplerOptions } from './samplers/gp.js';
export { NopPruner, type Pruner } from './pruners/base.js';
export { MedianPruner, PercentilePruner, type PercentilePrunerOptions } from './pruners/median.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from './pruners/successive-halving.js';
export { HyperbandPruner, crc32, type HyperbandOptions } from './pruners/hyperband.js';
export { makeSampler, makePruner, SAMPLER_NAMES, PRUNER_NAMES, type SamplerName, type PrunerName } from './registry.js';
// issue 17: neural architecture search (random, regularized evolution, REINFORCE controller)
export * from './nas/index.js';
// issue 17: the training hyper-parameters of a classifier as a search space (shendu tune)
export { defaultClassifierSpace, parseClassifierSpace, classifierGrid, suggestClassifierParams, describeClassifierSpace, type ClassifierSpace, type ClassifierParams, type FloatRange } from './classifier-space.js';
// issue 17 (storages): study names checked alike by every storage; the awaited trial-boundary methods' type
export { checkStudyName, MAX_STUDY_NAME_LENGTH, type MaybePromise } from './storage.js';
// issue 17 (importance): fANOVA parameter importance on a random forest, as Optuna's default evaluator
export { FanovaImportanceEvaluator, getParamImportances, type FanovaOptions, type ImportanceOptions, type TrialSource } from './importance/evaluator.js';
export { RegressionForest, type RegressionForestOptions, type RegressionTree } from './importance/forest.js';
export { FanovaTree } from './importance/fanova.js';
