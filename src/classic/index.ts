/**
 * `classic`: the course's classical machine learning on shendu tensors (float32 or float64), with an
 * interface close to scikit-learn's — `new KMeans({nClusters: 10}).fit(X).labels`, `fit` / `predict` /
 * `transform` / `score` / `fitTransform` — and typed errors naming the estimator, the argument and the shapes.
 * Linear regression (closed form, gradient descent, log-linear, polynomial features), ridge, lasso and
 * elastic net with their paths, logistic regression (L2, L1, elastic net, class weights), their
 * cross-validated forms (RidgeCV, LassoCV, LogisticRegressionCV), extreme learning machines, k-means and
 * mini-batch k-means, hierarchical clustering (several metrics), PCA (full, covariance, randomized; the
 * probabilistic model's likelihood), and the metrics that score them. Supervised fits and k-means take
 * `{sampleWeight}`. `import { classic } from 'shendu'`.
 * @module
 */
export type { FloatDType, RandomStateOptions, FitOptions } from './base.js';
export {
  LinearModel, LinearRegression, LinearRegressionGD, LogLinearRegression,
  type LinearRegressionOptions, type LinearRegressionGDOptions, type LogLinearRegressionOptions,
} from './linear.js';
export { Ridge, ridgePath, type RidgeOptions, type RidgePathOptions } from './ridge.js';
export {
  Lasso, ElasticNet, lassoPath, enetPath, type ElasticNetOptions, type LassoOptions, type RegularizationPath, type LassoPathOptions,
} from './regularized.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic.js';
export type { ClassWeight, LogisticPenalty, LogisticSolver } from './logistic-fit.js';
export { LogisticRegressionCV, type LogisticRegressionCVOptions } from './logistic-cv.js';
export { RidgeCV, LassoCV, type RidgeCVOptions, type LassoCVOptions } from './linear-cv.js';
export { kFold, stratifiedKFold, type Split } from './model-selection.js';
export { ELMRegressor, ELMClassifier, type ELMOptions, type ELMActivation } from './elm.js';
export { KMeans, type KMeansOptions } from './kmeans.js';
export { kmeansPlusPlus } from './kmeans-core.js';
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from './minibatch-kmeans.js';
export { AgglomerativeClustering, type AgglomerativeClusteringOptions } from './hac.js';
export { linkage, cutTree, type LinkageMethod, type MergeTree, type HacMetric, type LinkageOptions } from './hac-tree.js';
export { PCA, type PCAOptions } from './pca.js';
export { StandardScaler, PolynomialFeatures, type StandardScalerOptions, type PolynomialFeaturesOptions } from './preprocessing.js';
export {
  r2Score, meanSquaredError, meanAbsoluteError, accuracyScore, contingencyMatrix, randScore, adjustedRandScore,
  normalizedMutualInfoScore, residualReport, formatResidualReport,
  type Values, type MultiOutput, type Contingency, type ResidualReport,
} from './metrics.js';
