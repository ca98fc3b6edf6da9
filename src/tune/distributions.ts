/**
 * Parameter distributions of a search space (Optuna's `FloatDistribution`, `IntDistribution`,
 * `CategoricalDistribution`): their checks, and the internal representation samplers work in — a number per
 * parameter (the value itself for floats and ints, the index of the choice for categoricals).
 * @module
 */
import { ValueError, assertNever } from '../errors.js';

/** A value a categorical parameter may take (Optuna allows None, bool, int, float and str). */
export type CategoricalChoice = null | boolean | number | string;

/** A parameter value as the objective sees it. */
export type ParamValue = CategoricalChoice;

/** A float parameter in [low, high], optionally log-scaled or on a grid of `step`. */
export interface FloatDistribution {
  /** Tag of the distribution. */
  readonly kind: 'float';
  /** Smallest value. */
  readonly low: number;
  /** Largest value. */
  readonly high: number;
  /** Sampled uniformly in log space. */
  readonly log: boolean;
  /** Grid spacing from low, or null for a continuous range. */
  readonly step: number | null;
}

/** An integer parameter in [low, high] on a grid of `step` (1 by default), optionally log-scaled. */
export interface IntDistribution {
  /** Tag of the distribution. */
  readonly kind: 'int';
  /** Smallest value. */
  readonly low: number;
  /** Largest value. */
  readonly high: number;
  /** Sampled uniformly in log space. */
  readonly log: boolean;
  /** Spacing of the values from low. */
  readonly step: number;
}

/** A parameter drawn from a fixed list of choices. */
export interface CategoricalDistribution {
  /** Tag of the distribution. */
  readonly kind: 'categorical';
  /** The values, in order (the internal representation is the index). */
  readonly choices: readonly CategoricalChoice[];
}

/** Any parameter distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Options of `suggestFloat`: `log` samples log(x) uniformly, `step` puts the values on a grid from `low`. */
export interface FloatOptions {
  /** Sample log(x) uniformly (needs low > 0). */
  log?: boolean;
  /** Grid spacing from low; must divide high - low. */
  step?: number | null;
}

/** Options of `suggestInt`: `step` (default 1) spaces the values from `low`, `log` samples log(x) uniformly. */
export interface IntOptions {
  /** Sample log(x) uniformly (needs low > 0). */
  log?: boolean;
  /** Spacing from low (default 1); must divide high - low. */
  step?: number;
}

function dividesRange(low: number, high: number, step: number): boolean {
  const k = (high - low) / step;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

/**
 * Checks and builds a float distribution. Unlike Optuna, which silently lowers `high` to the grid and allows
 * low == high, a range that `step` does not divide or that is empty is an error here: both are almost always typos.
 */
export function floatDistribution(fn: string, name: string, low: number, high: number, opts: FloatOptions = {}): FloatDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? null;
  const where = `${fn}: parameter '${name}'`;
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new ValueError(`${where}: low and high must be finite numbers, got low=${low}, high=${high}`);
  if (low >= high) throw new ValueError(`${where}: low must be < high, got low=${low}, high=${high}`);
  if (log && low <= 0) throw new ValueError(`${where}: log=true needs low > 0, got low=${low}`);
  if (step !== null) {
    if (log) throw new ValueError(`${where}: step and log=true cannot be combined, got step=${step}`);
    if (!(step > 0) || !Number.isFinite(step)) throw new ValueError(`${where}: step must be a positive number, got ${step}`);
    if (!dividesRange(low, high, step)) throw new ValueError(`${where}: step must divide high - low, got step=${step} for [${low}, ${high}]`);
  }
  return { kind: 'float', low, high, log, step };
}

/** Checks and builds an integer distribution (same strictness as `floatDistribution`). */
export function intDistribution(fn: string, name: string, low: number, high: number, opts: IntOptions = {}): IntDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? 1;
  const where = `${fn}: parameter '${name}'`;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new ValueError(`${where}: low and high must be integers, got low=${low}, high=${high}`);
  if (low >= high) throw new ValueError(`${where}: low must be < high, got low=${low}, high=${high}`);
  if (log && low <= 0) throw new ValueError(`${where}: log=true needs low > 0, got low=${low}`);
  if (!Number.isSafeInteger(step) || step < 1) throw new ValueError(`${where}: step must be a positive integer, got ${step}`);
  if (log && step !== 1) throw new ValueError(`${where}: step and log=true cannot be combined, got step=${step}`);
  if ((high - low) % step !== 0) throw new ValueError(`${where}: step must divide high - low, got step=${step} for [${low}, ${high}]`);
  return { kind: 'int', low, high, log, step };
}

/** Checks and builds a categorical distribution. */
export function categoricalDistribution(fn: string, name: string, choices: readonly CategoricalChoice[]): CategoricalDistribution {
  const where = `${fn}: parameter '${name}'`;
  if (!Array.isArray(choices) || choices.length === 0) throw new ValueError(`${where}: choices must be a non-empty array, got ${JSON.stringify(choices)}`);
  for (const c of choices) {
    const t = typeof c;
    if (!(c === null || t === 'boolean' || t === 'number' || t === 'string')) {
      throw new ValueError(`${where}: choices must be null, booleans, numbers or strings, got ${t}`);
    }
  }
  return { kind: 'categorical', choices: [...choices] };
}

/** True when the two distributions are the same (a parameter may be suggested again only with the same one). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Describes a distribution for messages, e.g. `float [0.001, 1] log`. */
export function describeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'float': return `float [${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.step !== null ? ` step ${d.step}` : ''}`;
    case 'int': return `int [${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.step !== 1 ? ` step ${d.step}` : ''}`;
    case 'categorical': return `categorical ${JSON.stringify(d.choices)}`;
    default: return assertNever(d, 'distribution');
  }
}

/** The internal number samplers use for a value: the value itself, or the index of the choice. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.findIndex((c) => Object.is(c, value) || c === value);
    if (i < 0) throw new ValueError(`toInternal: value ${JSON.stringify(value)} is not one of ${JSON.stringify(d.choices)}`);
    return i;
  }
  return value as number;
}

/** The value the objective sees for an internal number (inverse of `toInternal`). */
export function toExternal(d: Distribution, internal: number): ParamValue {
  return d.kind === 'categorical' ? d.choices[internal] : internal;
}

/** Whether an internal number is a value of the distribution (on its grid, in its range). */
export function contains(d: Distribution, x: number): boolean {
  switch (d.kind) {
    case 'categorical': return Number.isInteger(x) && x >= 0 && x < d.choices.length;
    case 'int': return Number.isInteger(x) && x >= d.low && x <= d.high && (x - d.low) % d.step === 0;
    case 'float': return x >= d.low && x <= d.high && (d.step === null || dividesRange(d.low, x, d.step) || x === d.low);
    default: return assertNever(d, 'distribution');
  }
}

/** Rounds a number in the distribution's numeric range onto its grid and clips it to [low, high]. */
export function snap(d: FloatDistribution | IntDistribution, x: number): number {
  let v = x;
  if (d.kind === 'int') v = d.log ? Math.round(v) : Math.round((v - d.low) / d.step) * d.step + d.low;
  else if (d.step !== null) v = Math.round((v - d.low) / d.step) * d.step + d.low;
  return Math.min(d.high, Math.max(d.low, v));
}
