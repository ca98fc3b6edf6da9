/**
 * Argument checks shared by the optimizers and schedulers: each failure is a ValueError that names the
 * optimizer or scheduler, the argument and the value, e.g. `Adam: betas[1] must be in [0, 1), got 1`.
 * @module
 */
import { ValueError } from '../errors.js';

/** Formats a value for an error message: numbers and arrays as written, strings quoted. */
export function fmtValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(fmtValue).join(', ')}]`;
  if (typeof v === 'function') return 'a function';
  if (v !== null && typeof v === 'object') return v.constructor?.name && v.constructor !== Object ? `a ${v.constructor.name}` : 'an object';
  return String(v);
}

/** Bounds for `Checker.number`: inclusive by default, exclusive with `minOpen`/`maxOpen`. */
export interface NumberBounds {
  /** Lower bound (default -Infinity). */
  min?: number;
  /** Upper bound (default Infinity). */
  max?: number;
  /** Exclude `min` itself. */
  minOpen?: boolean;
  /** Exclude `max` itself. */
  maxOpen?: boolean;
}

/** Validates named arguments of one optimizer or scheduler; `where` is appended to messages (e.g. ` in param group 1`). */
export class Checker {
  /** `owner` names the optimizer or scheduler in messages. */
  constructor(readonly owner: string, readonly where = '') {}

  /** A ValueError with `owner: message` and the context. */
  error(message: string): ValueError {
    return new ValueError(`${this.owner}: ${message}${this.where}`);
  }

  /** Requires a (non-NaN) number within `bounds`; returns it. */
  number(name: string, v: unknown, bounds: NumberBounds = {}): number {
    const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = bounds;
    const ok = typeof v === 'number' && !Number.isNaN(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    if (!ok) {
      let want = 'a number';
      if (min > -Infinity && max < Infinity) want = `in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
      else if (min > -Infinity) want = `a number ${minOpen ? '>' : '>='} ${min}`;
      else if (max < Infinity) want = `a number ${maxOpen ? '<' : '<='} ${max}`;
      throw this.error(`${name} must be ${want}, got ${fmtValue(v)}`);
    }
    return v as number;
  }

  /** Requires an integer >= `min`; returns it. */
  int(name: string, v: unknown, min = -Infinity): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw this.error(`${name} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${fmtValue(v)}`);
    }
    return v;
  }

  /** Requires a boolean; returns it. */
  bool(name: string, v: unknown): boolean {
    if (typeof v !== 'boolean') throw this.error(`${name} must be true or false, got ${fmtValue(v)}`);
    return v;
  }

  /** Requires one of `choices`; returns it. */
  oneOf<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      throw this.error(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${fmtValue(v)}`);
    }
    return v as T;
  }

  /** Requires a plain options object (or undefined, read as {}) whose keys are all in `known`; returns it. */
  options<T extends object>(v: T | undefined, known: readonly string[], what = 'options'): T {
    if (v === undefined) return {} as T;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw this.error(`${what} must be an object, got ${fmtValue(v)}`);
    const unknown = Object.keys(v).filter((k) => !known.includes(k));
    if (unknown.length) {
      throw this.error(`unknown ${what.replace(/s$/, '')} ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${known.join(', ')})`);
    }
    return v;
  }

  /** A number, or one number per parameter group, as a list of `n` numbers each checked with `bounds`. */
  perGroup(name: string, v: unknown, n: number, bounds: NumberBounds = {}): number[] {
    if (Array.isArray(v)) {
      if (v.length !== n) throw this.error(`expected ${n} values for ${name} (one per param group), got ${v.length}`);
      return v.map((x, i) => this.number(`${name}[${i}]`, x, bounds));
    }
    const x = this.number(name, v, bounds);
    return new Array<number>(n).fill(x);
  }
}

/** Checks a constructor's options object: a plain object (or undefined) with known keys only, and the `required` ones given. */
export function checkOptions<T extends object>(owner: string, opts: T | undefined, known: readonly string[], required: readonly string[] = []): T {
  const c = new Checker(owner);
  const o = c.options(opts, known);
  for (const k of required) {
    if ((o as Record<string, unknown>)[k] === undefined) throw c.error(`${k} is required (give it in the options)`);
  }
  return o;
}
