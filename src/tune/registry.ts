/**
 * Samplers and pruners by name, for configuration files and the command line (`--sampler tpe --pruner sha`).
 * @module
 */
import { ValueError, assertNever } from '../errors.js';
import { NopPruner, type Pruner } from './pruners/base.js';
import { HyperbandPruner } from './pruners/hyperband.js';
import { MedianPruner } from './pruners/median.js';
import { SuccessiveHalvingPruner } from './pruners/successive-halving.js';
import type { Sampler } from './samplers/base.js';
import { GPSampler } from './samplers/gp.js';
import { GridSampler, type GridSpace } from './samplers/grid.js';
import { RandomSampler } from './samplers/random.js';
import { TPESampler } from './samplers/tpe.js';

/** Sampler names `makeSampler` knows. */
export const SAMPLER_NAMES = ['grid', 'random', 'tpe', 'gp'] as const;
/** A sampler name. */
export type SamplerName = (typeof SAMPLER_NAMES)[number];
/** Pruner names `makePruner` knows. */
export const PRUNER_NAMES = ['none', 'median', 'sha', 'hyperband'] as const;
/** A pruner name. */
export type PrunerName = (typeof PRUNER_NAMES)[number];

/** Builds a sampler by name ('grid' needs `grid`, the values to try); an unknown name is a ValueError. */
export function makeSampler(name: string, opts: { seed?: number; grid?: GridSpace } = {}): Sampler {
  if (!(SAMPLER_NAMES as readonly string[]).includes(name)) {
    throw new ValueError(`makeSampler: unknown sampler ${JSON.stringify(name)}, expected one of ${SAMPLER_NAMES.join(', ')}`);
  }
  const n = name as SamplerName;
  switch (n) {
    case 'grid':
      if (opts.grid === undefined) throw new ValueError("makeSampler: sampler 'grid' needs the grid of values, got none");
      return new GridSampler(opts.grid, { seed: opts.seed });
    case 'random': return new RandomSampler({ seed: opts.seed });
    case 'tpe': return new TPESampler({ seed: opts.seed });
    case 'gp': return new GPSampler({ seed: opts.seed });
    default: return assertNever(n, 'sampler name');
  }
}

/** Builds a pruner by name with Optuna's defaults; an unknown name is a ValueError. */
export function makePruner(name: string): Pruner {
  if (!(PRUNER_NAMES as readonly string[]).includes(name)) {
    throw new ValueError(`makePruner: unknown pruner ${JSON.stringify(name)}, expected one of ${PRUNER_NAMES.join(', ')}`);
  }
  const n = name as PrunerName;
  switch (n) {
    case 'none': return new NopPruner();
    case 'median': return new MedianPruner();
    case 'sha': return new SuccessiveHalvingPruner();
    case 'hyperband': return new HyperbandPruner();
    default: return assertNever(n, 'pruner name');
  }
}
