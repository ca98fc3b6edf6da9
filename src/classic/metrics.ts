/**
 * Scores of the classic estimators, after sklearn.metrics (arguments in its order: truth first, then the
 * prediction): R^2, mean squared/absolute error, accuracy, the contingency table, the (adjusted) Rand index,
 * normalized mutual information, and a residual report for a fitted regression (quantiles of the residuals,
 * residual standard error, R^2 and adjusted R^2).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFiniteHost } from './base.js';

/** A 1-D or 2-D list of values: a tensor, a typed array or a plain array. */
export type Values = Tensor | ArrayLike<number>;

interface Read {
  data: Float64Array;
  shape: number[];
}

function read(where: string, arg: string, v: Values): Read {
  if (v instanceof Tensor) {
    if (v.ndim < 1 || v.ndim > 2) throw new ShapeError(`${where}: ${arg} must be 1-D or 2-D, got shape ${fmtShape(v.shape)}`);
    const raw = v.toTypedArray();
    return { data: raw instanceof Float64Array ? raw : Float64Array.from(raw), shape: [...v.shape] };
  }
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${where}: ${arg} must be a Tensor or an array of numbers, got ${v === null ? 'null' : typeof v}`);
  }
  const data = Float64Array.from(v as ArrayLike<number>, Number);
  return { data, shape: [data.length] };
}

function readPair(where: string, a: Values, b: Values, names: [string, string] = ['yTrue', 'yPred']): [Read, Read] {
  const x = read(where, names[0], a);
  const y = read(where, names[1], b);
  const vecLike = (s: number[]): boolean => s.length === 1 || (s.length === 2 && s[1] === 1);
  const same = (x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i]))
    || (vecLike(x.shape) && vecLike(y.shape) && x.data.length === y.data.length);
  if (!same) throw new ShapeError(`${where}: ${names[0]} has shape ${fmtShape(x.shape)} but ${names[1]} has shape ${fmtShape(y.shape)}`);
  if (x.data.length === 0) throw new ValueError(`${where}: ${names[0]} is empty`);
  return [x, y];
}

/** How `r2Score` combines several target columns. */
export type MultiOutput = 'uniform_average' | 'variance_weighted' | 'raw_values';

/**
 * Coefficient of determination R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 (sklearn.metrics.r2_score):
 * 1 is a perfect fit, 0 predicting the mean, negative worse than that. For [n, t] targets the per-column
 * scores are averaged (`multioutput`, default 'uniform_average'); 'raw_values' returns them all. A constant
 * column scores 1 when predicted exactly, else 0.
 */
export function r2Score(yTrue: Values, yPred: Values, opts?: { multioutput?: 'uniform_average' | 'variance_weighted' }): number;
export function r2Score(yTrue: Values, yPred: Values, opts: { multioutput: 'raw_values' }): number[];
export function r2Score(yTrue: Values, yPred: Values, opts: { multioutput?: MultiOutput } = {}): number | number[] {
  const where = 'r2Score';
  const [t, p] = readPair(where, yTrue, yPred);
  const cols = t.shape.length === 2 ? t.shape[1] : 1;
  const n = t.data.length / cols;
  if (n < 2) throw new ValueError(`${where}: R^2 needs at least 2 samples, got ${n}`);
  const { scores, denoms } = r2Columns(t.data, p.data, cols);
  const mode = opts.multioutput ?? 'uniform_average';
  if (mode === 'raw_values') return scores;
  if (mode === 'variance_weighted') {
    const total = denoms.reduce((a, b) => a + b, 0);
    if (total === 0) return scores.reduce((a, b) => a + b, 0) / cols;
    return scores.reduce((a, s, i) => a + s * denoms[i], 0) / total;
  }
  if (mode !== 'uniform_average') throw new ValueError(`${where}: multioutput must be 'uniform_average', 'variance_weighted' or 'raw_values', got ${JSON.stringify(mode)}`);
  return scores.reduce((a, b) => a + b, 0) / cols;
}

/** Per-column R^2 of row-major n x cols arrays, with each column's total sum of squares. */
export function r2Columns(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, cols: number): { scores: number[]; denoms: number[] } {
  const n = yTrue.length / cols;
  const scores: number[] = [];
  const denoms: number[] = [];
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += yTrue[i * cols + c];
    mean /= n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const v = yTrue[i * cols + c];
      num += (v - yPred[i * cols + c]) ** 2;
      den += (v - mean) ** 2;
    }
    scores.push(den === 0 ? (num === 0 ? 1 : 0) : 1 - num / den);
    denoms.push(den);
  }
  return { scores, denoms };
}

/** Mean R^2 over the columns of row-major n x cols arrays (sklearn's score of a multi-output regressor). */
export function r2Mean(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, cols: number): number {
  const { scores } = r2Columns(yTrue, yPred, cols);
  return scores.reduce((a, b) => a + b, 0) / cols;
}

/** Mean of (yTrue - yPred)^2 over all entries (sklearn.metrics.mean_squared_error, uniform average). */
export function meanSquaredError(yTrue: Values, yPred: Values): number {
  const [t, p] = readPair('meanSquaredError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += (t.data[i] - p.data[i]) ** 2;
  return s / t.data.length;
}

/** Mean of |yTrue - yPred| over all entries (sklearn.metrics.mean_absolute_error). */
export function meanAbsoluteError(yTrue: Values, yPred: Values): number {
  const [t, p] = readPair('meanAbsoluteError', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += Math.abs(t.data[i] - p.data[i]);
  return s / t.data.length;
}

/** Fraction of samples whose predicted label equals the true one (sklearn.metrics.accuracy_score). */
export function accuracyScore(yTrue: Values, yPred: Values): number {
  const [t, p] = readPair('accuracyScore', yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < t.data.length; i++) if (t.data[i] === p.data[i]) hit++;
  return hit / t.data.length;
}

/** A contingency table of two labelings: `table[i][j]` counts samples of true class `rows[i]` in cluster `cols[j]`. */
export interface Contingency {
  /** Counts, rows.length x cols.length. */
  table: number[][];
  /** The distinct true labels, ascending. */
  rows: number[];
  /** The distinct predicted labels, ascending. */
  cols: number[];
}

/** The contingency table of two 1-D labelings of the same samples (sklearn.metrics.cluster.contingency_matrix). */
export function contingencyMatrix(labelsTrue: Values, labelsPred: Values): Contingency {
  const where = 'contingencyMatrix';
  const [t, p] = readPair(where, labelsTrue, labelsPred, ['labelsTrue', 'labelsPred']);
  if (t.shape.length !== 1) throw new ShapeError(`${where}: labels must be 1-D, got shape ${fmtShape(t.shape)}`);
  checkFiniteHost(where, 'labelsTrue', t.data, 0);
  checkFiniteHost(where, 'labelsPred', p.data, 0);
  const rows = [...new Set(t.data)].sort((a, b) => a - b);
  const cols = [...new Set(p.data)].sort((a, b) => a - b);
  const ri = new Map(rows.map((v, i) => [v, i]));
  const ci = new Map(cols.map((v, i) => [v, i]));
  const table = rows.map(() => new Array<number>(cols.length).fill(0));
  for (let i = 0; i < t.data.length; i++) table[ri.get(t.data[i])!][ci.get(p.data[i])!]++;
  return { table, rows, cols };
}

function comb2(v: number): number {
  return (v * (v - 1)) / 2;
}

/** Pair counts of two labelings: pairs together in both, in the true only, in the predicted only, in neither. */
function pairCounts(c: Contingency, n: number): { both: number; trueOnly: number; predOnly: number; neither: number } {
  let both = 0;
  const rowSums = c.table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = c.cols.map((_, j) => c.table.reduce((a, r) => a + r[j], 0));
  for (const r of c.table) for (const v of r) both += comb2(v);
  const sameTrue = rowSums.reduce((a, v) => a + comb2(v), 0);
  const samePred = colSums.reduce((a, v) => a + comb2(v), 0);
  const total = comb2(n);
  return { both, trueOnly: sameTrue - both, predOnly: samePred - both, neither: total - sameTrue - samePred + both };
}

/**
 * Rand index: the fraction of sample pairs on which two labelings agree (both together or both apart),
 * sklearn.metrics.rand_score. Label values need not match, only the grouping.
 */
export function randScore(labelsTrue: Values, labelsPred: Values): number {
  const c = contingencyMatrix(labelsTrue, labelsPred);
  const n = c.table.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
  if (n < 2) return 1;
  const p = pairCounts(c, n);
  return (p.both + p.neither) / comb2(n);
}

/**
 * Adjusted Rand index (Hubert & Arabie): the Rand index corrected for chance, 1 for identical groupings
 * (up to renaming), about 0 for random ones, negative for worse than chance (sklearn's adjusted_rand_score,
 * with its special case: 1 when neither labeling splits any pair differently).
 */
export function adjustedRandScore(labelsTrue: Values, labelsPred: Values): number {
  const c = contingencyMatrix(labelsTrue, labelsPred);
  const n = c.table.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
  const p = pairCounts(c, n);
  // sklearn's pair confusion matrix counts ordered pairs: tp = 2 both, fp = 2 predOnly, fn = 2 trueOnly
  const tp = 2 * p.both;
  const fp = 2 * p.predOnly;
  const fn = 2 * p.trueOnly;
  const tn = 2 * p.neither;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

function entropyOf(counts: number[], n: number): number {
  let h = 0;
  for (const v of counts) if (v > 0) h -= (v / n) * Math.log(v / n);
  return h;
}

/**
 * Normalized mutual information of two labelings, MI / mean(H(true), H(pred)) with the arithmetic mean
 * (sklearn's normalized_mutual_info_score default): 1 for identical groupings, 0 for independent ones.
 */
export function normalizedMutualInfoScore(labelsTrue: Values, labelsPred: Values): number {
  const c = contingencyMatrix(labelsTrue, labelsPred);
  if ((c.rows.length === 1 && c.cols.length === 1) || (c.rows.length === 0 && c.cols.length === 0)) return 1;
  const n = c.table.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
  const rowSums = c.table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = c.cols.map((_, j) => c.table.reduce((a, r) => a + r[j], 0));
  let mi = 0;
  for (let i = 0; i < c.rows.length; i++) {
    for (let j = 0; j < c.cols.length; j++) {
      const v = c.table[i][j];
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rowSums[i] * colSums[j]));
    }
  }
  const norm = (entropyOf(rowSums, n) + entropyOf(colSums, n)) / 2;
  return mi <= 0 || norm <= 0 ? 0 : Math.min(1, mi / norm);
}

/** What `residualReport` says about a regression fit's residuals r = yTrue - yPred. */
export interface ResidualReport {
  /** Number of samples. */
  n: number;
  /** Number of features (predictors) the model used, when given. */
  nFeatures?: number;
  /** The residuals yTrue - yPred, one per sample. */
  residuals: Float64Array;
  /** Smallest residual. */
  min: number;
  /** First quartile (numpy's linear interpolation). */
  q1: number;
  /** Median residual. */
  median: number;
  /** Third quartile. */
  q3: number;
  /** Largest residual. */
  max: number;
  /** Mean residual (about 0 for least squares with an intercept). */
  mean: number;
  /** Standard deviation of the residuals (divisor n). */
  std: number;
  /** Residual sum of squares. */
  rss: number;
  /** Mean squared error rss / n. */
  mse: number;
  /** Root mean squared error. */
  rmse: number;
  /** Mean absolute error. */
  mae: number;
  /** Largest absolute residual (sklearn's max_error). */
  maxError: number;
  /** R^2 of the fit. */
  r2: number;
  /** Residual degrees of freedom n - p - 1 (p = nFeatures; with an intercept), when nFeatures is given. */
  df?: number;
  /** Residual standard error sqrt(rss / df), when nFeatures is given and df > 0. */
  residualStdError?: number;
  /** Adjusted R^2 = 1 - (1 - R^2)(n - 1)/df, when nFeatures is given and df > 0. */
  adjustedR2?: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The residual report of a single-target regression: quantiles of yTrue - yPred, error sizes, R^2, and —
 * given the model's number of features (an intercept assumed) — the residual standard error on n - p - 1
 * degrees of freedom and the adjusted R^2, as R's summary(lm) prints them.
 */
export function residualReport(yTrue: Values, yPred: Values, opts: { nFeatures?: number } = {}): ResidualReport {
  const where = 'residualReport';
  const [t, p] = readPair(where, yTrue, yPred);
  if (t.shape.length === 2 && t.shape[1] !== 1) throw new ShapeError(`${where}: needs a single target, got shape ${fmtShape(t.shape)}; report each column separately`);
  const n = t.data.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = t.data[i] - p.data[i];
  const sorted = Float64Array.from(r).sort();
  let sum = 0;
  let rss = 0;
  let abs = 0;
  let maxErr = 0;
  for (const v of r) {
    sum += v;
    rss += v * v;
    abs += Math.abs(v);
    maxErr = Math.max(maxErr, Math.abs(v));
  }
  const mean = sum / n;
  let varSum = 0;
  for (const v of r) varSum += (v - mean) ** 2;
  const r2 = n >= 2 ? r2Mean(t.data, p.data, 1) : NaN;
  const rep: ResidualReport = {
    n, residuals: r, min: sorted[0], q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75),
    max: sorted[n - 1], mean, std: Math.sqrt(varSum / n), rss, mse: rss / n, rmse: Math.sqrt(rss / n), mae: abs / n, maxError: maxErr, r2,
  };
  if (opts.nFeatures !== undefined) {
    const k = opts.nFeatures;
    if (!Number.isInteger(k) || k < 0) throw new ValueError(`${where}: nFeatures must be an integer >= 0, got ${String(k)}`);
    rep.nFeatures = k;
    rep.df = n - k - 1;
    if (rep.df > 0) {
      rep.residualStdError = Math.sqrt(rss / rep.df);
      rep.adjustedR2 = 1 - ((1 - r2) * (n - 1)) / rep.df;
    }
  }
  return rep;
}

/** A residual report as text, in the layout of R's summary(lm). */
export function formatResidualReport(rep: ResidualReport, digits = 4): string {
  const f = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v));
  const cells = [['Min', rep.min], ['1Q', rep.q1], ['Median', rep.median], ['3Q', rep.q3], ['Max', rep.max]] as const;
  const widths = cells.map(([k, v]) => Math.max(k.length, f(v).length) + 2);
  const lines = [
    'Residuals:',
    cells.map(([k], i) => k.padStart(widths[i])).join(''),
    cells.map(([, v], i) => f(v).padStart(widths[i])).join(''),
    '',
  ];
  if (rep.residualStdError !== undefined) lines.push(`Residual standard error: ${f(rep.residualStdError)} on ${rep.df} degrees of freedom`);
  lines.push(`Multiple R-squared: ${f(rep.r2)}${rep.adjustedR2 !== undefined ? `,  Adjusted R-squared: ${f(rep.adjustedR2)}` : ''}`);
  lines.push(`RMSE: ${f(rep.rmse)},  MAE: ${f(rep.mae)},  max |residual|: ${f(rep.maxError)}  (n = ${rep.n})`);
  return lines.join('\n');
}
