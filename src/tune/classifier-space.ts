/**
 * The search space of a classifier's training hyper-parameters (learning rate, weight decay, dropout, batch size,
 * optimizer), as `shendu tune` and the tuning examples use it: a plain JSON-able description, checked with errors
 * that name the parameter, and drawn define-by-run from a trial.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Trial } from './trial.js';

/** A float range: uniform in [low, high], or uniform in log space with `log`. */
export interface FloatRange {
  /** Lower bound (> 0 with `log`). */
  low: number;
  /** Upper bound (> low). */
  high: number;
  /** Draw uniformly in log space (default false). */
  log?: boolean;
}

/**
 * What to search: `lr` always; `weightDecay` and `dropout` when given (a range) — dropout only for models built
 * with a dropout option; `batchSize` and `optimizer` when given as lists of choices (a list of one fixes the value).
 */
export interface ClassifierSpace {
  /** Learning rate range (usually log). */
  lr: FloatRange;
  /** Weight decay range (usually log), or absent: no weight decay. */
  weightDecay?: FloatRange;
  /** Dropout probability range within [0, 1), or absent: the model's default. */
  dropout?: FloatRange;
  /** Batch sizes to choose from, or absent: the fixed batch size. */
  batchSize?: number[];
  /** Optimizer names to choose from, or absent: the fixed optimizer. */
  optimizer?: string[];
}

/** One trial's training hyper-parameters drawn from a ClassifierSpace (absent: not searched). */
export interface ClassifierParams {
  /** Learning rate. */
  lr: number;
  /** Weight decay. */
  weightDecay?: number;
  /** Dropout probability. */
  dropout?: number;
  /** Batch size. */
  batchSize?: number;
  /** Optimizer name. */
  optimizer?: string;
}

/**
 * The default space: lr log-uniform in [1e-4, 3e-2] (Adam's useful range), weight decay log-uniform in
 * [1e-6, 1e-2], and, when `withDropout`, dropout uniform in [0, 0.6].
 */
export function defaultClassifierSpace(withDropout: boolean): ClassifierSpace {
  const space: ClassifierSpace = { lr: { low: 1e-4, high: 3e-2, log: true }, weightDecay: { low: 1e-6, high: 1e-2, log: true } };
  if (withDropout) space.dropout = { low: 0, high: 0.6 };
  return space;
}

const KEYS = ['lr', 'weightDecay', 'dropout', 'batchSize', 'optimizer'] as const;

function checkRange(fn: string, name: string, r: unknown, bounds?: { min: number; below: number }): FloatRange {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ValueError(`${fn}: parameter '${name}' must be a range {low, high, log?}, got ${JSON.stringify(r)}`);
  const { low, high, log } = r as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => !['low', 'high', 'log'].includes(k));
  if (extra.length) throw new ValueError(`${fn}: parameter '${name}' has unknown field '${extra[0]}'; a range has low, high and log`);
  if (typeof low !== 'number' || !Number.isFinite(low)) throw new ValueError(`${fn}: parameter '${name}': low must be a finite number, got ${JSON.stringify(low)}`);
  if (typeof high !== 'number' || !Number.isFinite(high)) throw new ValueError(`${fn}: parameter '${name}': high must be a finite number, got ${JSON.stringify(high)}`);
  if (log !== undefined && typeof log !== 'boolean') throw new ValueError(`${fn}: parameter '${name}': log must be true or false, got ${JSON.stringify(log)}`);
  if (!(low < high)) throw new ValueError(`${fn}: parameter '${name}': low must be below high, got low ${low} >= high ${high}`);
  if (log && low <= 0) throw new ValueError(`${fn}: parameter '${name}': a log range needs low > 0, got ${low}`);
  if (bounds && (low < bounds.min || high >= bounds.below)) throw new ValueError(`${fn}: parameter '${name}' must lie in [${bounds.min}, ${bounds.below}), got [${low}, ${high}]`);
  return { low, high, ...(log ? { log: true } : {}) };
}

function checkChoices<T>(fn: string, name: string, v: unknown, ok: (x: unknown) => x is T, what: string): T[] {
  if (!Array.isArray(v)) throw new ValueError(`${fn}: parameter '${name}' must be a list of choices, got ${JSON.stringify(v)}`);
  if (v.length === 0) throw new ValueError(`${fn}: parameter '${name}' has no choices (an empty list)`);
  for (const x of v) if (!ok(x)) throw new ValueError(`${fn}: parameter '${name}': every choice must be ${what}, got ${JSON.stringify(x)}`);
  if (new Set(v).size !== v.length) throw new ValueError(`${fn}: parameter '${name}' lists a choice twice: ${JSON.stringify(v)}`);
  return [...v] as T[];
}

/**
 * Checks a parsed JSON object as a ClassifierSpace (lr required; weightDecay >= 0; dropout within [0, 1); batch
 * sizes positive integers; optimizers among `optimizerNames`). Errors are ValueErrors naming `source` and the
 * parameter.
 */
export function parseClassifierSpace(json: unknown, optimizerNames: readonly string[], source = 'space'): ClassifierSpace {
  const fn = source;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ValueError(`${fn}: a search space must be an object {lr, weightDecay?, dropout?, batchSize?, optimizer?}, got ${JSON.stringify(json)}`);
  const o = json as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new ValueError(`${fn}: unknown parameter '${unknown[0]}'; the space knows ${KEYS.join(', ')}`);
  if (o.lr === undefined) throw new ValueError(`${fn}: parameter 'lr' is required`);
  const space: ClassifierSpace = { lr: checkRange(fn, 'lr', o.lr, { min: Number.MIN_VALUE, below: Infinity }) };
  if (o.weightDecay !== undefined) space.weightDecay = checkRange(fn, 'weightDecay', o.weightDecay, { min: 0, below: Infinity });
  if (o.dropout !== undefined) space.dropout = checkRange(fn, 'dropout', o.dropout, { min: 0, below: 1 });
  if (o.batchSize !== undefined) {
    space.batchSize = checkChoices(fn, 'batchSize', o.batchSize, (x): x is number => Number.isSafeInteger(x) && (x as number) >= 1, 'a positive integer');
  }
  if (o.optimizer !== undefined) {
    space.optimizer = checkChoices(fn, 'optimizer', o.optimizer, (x): x is string => typeof x === 'string' && optimizerNames.includes(x), `one of ${optimizerNames.join(', ')}`);
  }
  return space;
}

/** Draws one configuration from `space` through the trial's sampler (parameter names are the space's keys). */
export function suggestClassifierParams(trial: Trial, space: ClassifierSpace): ClassifierParams {
  const float = (name: string, r: FloatRange) => trial.suggestFloat(name, r.low, r.high, { log: r.log ?? false });
  const p: ClassifierParams = { lr: float('lr', space.lr) };
  if (space.weightDecay) p.weightDecay = float('weightDecay', space.weightDecay);
  if (space.dropout) p.dropout = float('dropout', space.dropout);
  if (space.batchSize) p.batchSize = trial.suggestCategorical('batchSize', space.batchSize);
  if (space.optimizer) p.optimizer = trial.suggestCategorical('optimizer', space.optimizer);
  return p;
}

/** One line describing a space, e.g. `lr log [0.0001, 0.03], weightDecay log [1e-6, 0.01], dropout [0, 0.6]`. */
export function describeClassifierSpace(space: ClassifierSpace): string {
  const range = (r: FloatRange) => `${r.log ? 'log ' : ''}[${r.low}, ${r.high}]`;
  const parts = [`lr ${range(space.lr)}`];
  if (space.weightDecay) parts.push(`weightDecay ${range(space.weightDecay)}`);
  if (space.dropout) parts.push(`dropout ${range(space.dropout)}`);
  if (space.batchSize) parts.push(`batchSize {${space.batchSize.join(', ')}}`);
  if (space.optimizer) parts.push(`optimizer {${space.optimizer.join(', ')}}`);
  return parts.join(', ');
}

/**
 * The space as a grid for `GridSampler`: each float range becomes `points` values from low to high (log-spaced for
 * log ranges), each list of choices stays as it is. ValueError for fewer than 2 points.
 */
export function classifierGrid(space: ClassifierSpace, points: number): Record<string, (number | string)[]> {
  if (!Number.isSafeInteger(points) || points < 2) throw new ValueError(`classifierGrid: points must be an integer >= 2, got ${points}`);
  const line = (r: FloatRange): number[] => Array.from({ length: points }, (_, i) => {
    const f = i / (points - 1);
    const v = r.log ? r.low * (r.high / r.low) ** f : r.low + (r.high - r.low) * f;
    // the endpoints exactly, and nothing a rounding error puts outside the range
    return i === 0 ? r.low : i === points - 1 ? r.high : Math.min(r.high, Math.max(r.low, Number(v.toPrecision(6))));
  });
  const grid: Record<string, (number | string)[]> = { lr: line(space.lr) };
  if (space.weightDecay) grid.weightDecay = line(space.weightDecay);
  if (space.dropout) grid.dropout = line(space.dropout);
  if (space.batchSize) grid.batchSize = [...space.batchSize];
  if (space.optimizer) grid.optimizer = [...space.optimizer];
  return grid;
}
