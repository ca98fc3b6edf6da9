/**
 * Optimizers and learning-rate schedulers by name — the one list the CLI (`--optimizer`, `--scheduler`), the
 * tests and hyper-parameter search share: `createOptimizer('momentum', model.parameters(), {lr: 0.01})`,
 * `createScheduler('onecycle', opt, {epochs: 10, stepsPerEpoch: 469})`. Each name carries its defaults (the
 * optimizer's learning rate, the scheduler's settings for a run of `epochs` epochs) and, for schedulers, whether
 * the training loop steps it per optimizer step or per epoch.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adadelta, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, type AdamOptions } from './adam.js';
import { Adamax, type AdamaxOptions } from './adamax.js';
import { AdamW, type AdamWOptions } from './adamw.js';
import { ASGD, type ASGDOptions } from './asgd.js';
import { fmtValue } from './check.js';
import { NAdam, type NAdamOptions } from './nadam.js';
import type { Optimizer, ParamsInput } from './optimizer.js';
import { RAdam, type RAdamOptions } from './radam.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { Rprop, type RpropOptions } from './rprop.js';
import type { LRScheduler } from './schedulers/base.js';
import { ExponentialLR, StepLR, type ExponentialLROptions, type StepLROptions } from './schedulers/basic.js';
import { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine.js';
import { OneCycleLR, type OneCycleLROptions } from './schedulers/cyclic.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/plateau.js';
import { SGD, type SGDHyper } from './sgd.js';

/** The optimizer names, in the order help texts list them. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'asgd', 'rprop'] as const;

/** An optimizer name of the registry. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** What an optimizer is built over: parameters, or parameter groups `{params, lr?, ...}` each overriding options. */
export type OptimizerParams = Tensor | Iterable<Tensor> | Iterable<{ params: Tensor | Iterable<Tensor>; lr?: number; [key: string]: unknown }>;

/** Options every registry optimizer takes (rprop accepts only weightDecay 0, as PyTorch's Rprop has none). */
export interface CommonOptimizerOptions {
  /** Learning rate (default: the name's `defaultLr`, see `DEFAULT_LR`). */
  lr?: number;
  /** L2 penalty (decoupled decay for adamw); default the optimizer's own (0; adamw 0.01). */
  weightDecay?: number;
}

/** Each optimizer name and the options it takes besides `lr` and `weightDecay` (its class's options). */
export interface OptimizerOptionsMap {
  /** SGD without momentum. */
  sgd: Partial<SGDHyper>;
  /** SGD with momentum (default 0.9). */
  momentum: Partial<SGDHyper>;
  /** SGD with Nesterov momentum (default 0.9). */
  nesterov: Partial<SGDHyper>;
  /** Adagrad. */
  adagrad: AdagradOptions;
  /** Adadelta. */
  adadelta: AdadeltaOptions;
  /** RMSprop. */
  rmsprop: RMSpropOptions;
  /** Adam. */
  adam: AdamOptions;
  /** AdamW. */
  adamw: AdamWOptions;
  /** Adamax. */
  adamax: AdamaxOptions;
  /** NAdam. */
  nadam: NAdamOptions;
  /** RAdam. */
  radam: RAdamOptions;
  /** ASGD. */
  asgd: ASGDOptions;
  /** Rprop. */
  rprop: RpropOptions;
}

/** The options `createOptimizer(name, ...)` takes for the optimizer `N`. */
export type OptimizerOptions<N extends OptimizerName = OptimizerName> = CommonOptimizerOptions & OptimizerOptionsMap[N];

/** A registry optimizer: what it is, its default learning rate, and how it is built. */
export interface OptimizerEntry<O = Record<string, unknown>> {
  /** One line for help texts. */
  description: string;
  /** The learning rate used when none is given (what trains the zoo's small models well with batch 64). */
  defaultLr: number;
  /** Builds it over `params` with `opts`, whose `lr` is already filled in. */
  build: (params: ParamsInput, opts: O & { lr: number; weightDecay?: number }) => Optimizer;
}

const sgdLike = (description: string, defaultLr: number, extra: Partial<SGDHyper>): OptimizerEntry<Partial<SGDHyper>> => ({
  description, defaultLr, build: (p, o) => new SGD(p, { ...extra, ...o }),
});

const OPTIMIZERS: { [K in OptimizerName]: OptimizerEntry<OptimizerOptionsMap[K]> } = {
  sgd: sgdLike('stochastic gradient descent', 0.05, {}),
  momentum: sgdLike('SGD with momentum 0.9', 0.01, { momentum: 0.9 }),
  nesterov: sgdLike('SGD with Nesterov momentum 0.9', 0.01, { momentum: 0.9, nesterov: true }),
  adagrad: { description: 'Adagrad: per-element steps scaled by the summed squared gradients', defaultLr: 0.01, build: (p, o) => new Adagrad(p, o) },
  adadelta: { description: 'Adadelta: Adagrad with running averages and unit-free steps', defaultLr: 1, build: (p, o) => new Adadelta(p, o) },
  rmsprop: { description: 'RMSprop: steps scaled by a running average of squared gradients', defaultLr: 0.001, build: (p, o) => new RMSprop(p, o) },
  adam: { description: 'Adam: bias-corrected first and second moment averages', defaultLr: 0.001, build: (p, o) => new Adam(p, o) },
  adamw: { description: 'AdamW: Adam with decoupled weight decay (default 0.01)', defaultLr: 0.001, build: (p, o) => new AdamW(p, o) },
  adamax: { description: 'Adamax: Adam with the infinity norm', defaultLr: 0.002, build: (p, o) => new Adamax(p, o) },
  nadam: { description: 'NAdam: Adam with Nesterov momentum', defaultLr: 0.002, build: (p, o) => new NAdam(p, o) },
  radam: { description: 'RAdam: Adam with a rectified warm-up of the adaptive step', defaultLr: 0.001, build: (p, o) => new RAdam(p, o) },
  asgd: { description: 'averaged SGD', defaultLr: 0.01, build: (p, o) => new ASGD(p, o) },
  rprop: {
    description: 'Rprop: per-element step sizes from gradient signs (full-batch)', defaultLr: 0.01,
    build: (p, { weightDecay, ...o }) => {
      if (weightDecay) throw new ValueError(`rprop has no weight decay (as in PyTorch), got weightDecay ${fmtValue(weightDecay)}; leave it at 0`);
      return new Rprop(p, o);
    },
  },
};

/** The default learning rate of each optimizer name. */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = Object.freeze(
  Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, OPTIMIZERS[n].defaultLr])) as Record<OptimizerName, number>,
);

/** True when `name` is a registry optimizer. */
export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/** The registry entry of optimizer `name`; unknown names are a ValueError listing the valid ones. */
export function optimizerEntry(name: string): OptimizerEntry {
  if (!isOptimizerName(name)) {
    throw new ValueError(`createOptimizer: unknown optimizer ${fmtValue(name)}; valid choices: ${OPTIMIZER_NAMES.join(', ')}`);
  }
  return OPTIMIZERS[name] as unknown as OptimizerEntry;
}

function checkOpts(fn: string, opts: unknown): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new ValueError(`${fn}: options must be an object, got ${fmtValue(opts)}`);
  return opts as Record<string, unknown>;
}

/** Runs `build`, prefixing a ValueError's message with the registry call so it names the name the user gave. */
function named<T>(fn: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ValueError && !e.message.startsWith(fn)) throw new ValueError(`${fn}: ${e.message}`);
    throw e;
  }
}

/**
 * Builds the optimizer called `name` over parameters or parameter groups (`[{params, lr}, ...]`; a group's values
 * override `opts`). `lr` defaults to the name's `DEFAULT_LR`; other options are the optimizer class's own,
 * checked by it (an unknown or out-of-range option is a ValueError naming the valid ones or the range).
 */
export function createOptimizer<N extends OptimizerName>(name: N, params: OptimizerParams, opts?: OptimizerOptions<N>): Optimizer;
export function createOptimizer(name: string, params: OptimizerParams, opts?: OptimizerOptions): Optimizer;
export function createOptimizer(name: string, params: OptimizerParams, opts?: OptimizerOptions): Optimizer {
  const entry = optimizerEntry(name);
  const fn = `createOptimizer('${name}')`;
  const o = checkOpts(fn, opts);
  const given = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return named(fn, () => entry.build(params as ParamsInput, { ...given, lr: (given.lr as number | undefined) ?? entry.defaultLr }));
}

/** The scheduler names (`none`: a constant learning rate), in the order help texts list them. */
export const SCHEDULER_NAMES = ['none', 'cosine', 'step', 'exponential', 'onecycle', 'plateau'] as const;

/** A scheduler name of the registry. */
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

/** A learning-rate scheduler: an epoch/step schedule, or ReduceLROnPlateau (stepped with a metric). */
export type Scheduler = LRScheduler | ReduceLROnPlateau;

/** When the training loop steps a scheduler: after every optimizer step, or once per epoch after validation. */
export type SchedulerInterval = 'step' | 'epoch';

/** The run a scheduler is made for: schedules are laid out over its length. */
export interface SchedulerRunOptions {
  /** Epochs the run trains (a positive integer). */
  epochs: number;
  /** Optimizer steps per epoch (a positive integer). */
  stepsPerEpoch: number;
}

/** Each scheduler name and the options it takes besides the run's length (its class's, with defaults below). */
export interface SchedulerOptionsMap {
  /** No options. */
  none: Record<string, never>;
  /** CosineAnnealingLR over `TMax` epochs (default: the run's epochs). */
  cosine: CosineAnnealingLROptions & { TMax?: number };
  /** StepLR: ×gamma (default 0.1) every `stepSize` epochs (default max(1, ⌊epochs/3⌋)). */
  step: StepLROptions & { stepSize?: number };
  /** ExponentialLR: ×gamma (default 0.9) per epoch. */
  exponential: ExponentialLROptions & { gamma?: number };
  /** OneCycleLR over every step of the run, peaking at `maxLr` (default 10 × each group's lr). */
  onecycle: Partial<Omit<OneCycleLROptions, 'epochs' | 'stepsPerEpoch'>>;
  /** ReduceLROnPlateau (defaults factor 0.5, patience 1). */
  plateau: ReduceLROnPlateauOptions;
}

/** The options `createScheduler(name, ...)` takes for the scheduler `N`. */
export type SchedulerOptions<N extends SchedulerName = SchedulerName> = SchedulerRunOptions & SchedulerOptionsMap[N];

/** A registry scheduler: what it is, when it is stepped, and how it is built. */
export interface SchedulerEntry<O = Record<string, unknown>> {
  /** One line for help texts. */
  description: string;
  /** 'step' for the per-batch cyclical schedules, 'epoch' for the rest (src/train/fit.ts's rule). */
  interval: SchedulerInterval;
  /** True when `step` takes the monitored metric (ReduceLROnPlateau). */
  needsMetric: boolean;
  /** Builds it for a run of `run.epochs` epochs of `run.stepsPerEpoch` steps (null: no scheduler). */
  build: (opt: Optimizer, run: SchedulerRunOptions, opts: O) => Scheduler | null;
}

const SCHEDULERS: { [K in SchedulerName]: SchedulerEntry<SchedulerOptionsMap[K]> } = {
  none: {
    description: 'constant learning rate', interval: 'epoch', needsMetric: false,
    build: (_opt, _run, o) => {
      const extra = Object.keys(o);
      if (extra.length) throw new ValueError(`takes no options, got ${extra.map((k) => `'${k}'`).join(', ')}`);
      return null;
    },
  },
  cosine: {
    description: 'cosine annealing to 0 over the run', interval: 'epoch', needsMetric: false,
    build: (opt, run, { TMax, ...o }) => new CosineAnnealingLR(opt, TMax ?? run.epochs, o),
  },
  step: {
    description: 'x0.1 every third of the run', interval: 'epoch', needsMetric: false,
    build: (opt, run, { stepSize, ...o }) => new StepLR(opt, stepSize ?? Math.max(1, Math.floor(run.epochs / 3)), { gamma: 0.1, ...o }),
  },
  exponential: {
    description: 'x0.9 per epoch', interval: 'epoch', needsMetric: false,
    build: (opt, _run, { gamma, ...o }) => new ExponentialLR(opt, gamma ?? 0.9, o),
  },
  onecycle: {
    description: '1cycle: up to 10x the lr and down over the run, per step', interval: 'step', needsMetric: false,
    build: (opt, run, o) => new OneCycleLR(opt, {
      maxLr: opt.paramGroups.map((g) => g.lr * 10), ...o, totalSteps: o.totalSteps ?? run.epochs * run.stepsPerEpoch,
    }),
  },
  plateau: {
    description: 'x0.5 when the validation loss stalls for an epoch', interval: 'epoch', needsMetric: true,
    build: (opt, _run, o) => new ReduceLROnPlateau(opt, { factor: 0.5, patience: 1, ...o }),
  },
};

/** True when `name` is a registry scheduler. */
export function isSchedulerName(name: string): name is SchedulerName {
  return (SCHEDULER_NAMES as readonly string[]).includes(name);
}

/** The registry entry of scheduler `name`; unknown names are a ValueError listing the valid ones. */
export function schedulerEntry(name: string): SchedulerEntry {
  if (!isSchedulerName(name)) {
    throw new ValueError(`createScheduler: unknown scheduler ${fmtValue(name)}; valid choices: ${SCHEDULER_NAMES.join(', ')}`);
  }
  return SCHEDULERS[name] as unknown as SchedulerEntry;
}

/** Whether scheduler `name` is stepped after every optimizer step ('step': onecycle) or once per epoch ('epoch'). */
export function schedulerInterval(name: string): SchedulerInterval {
  return schedulerEntry(name).interval;
}

/**
 * Builds the scheduler called `name` on `optimizer` for a run of `epochs` epochs of `stepsPerEpoch` optimizer
 * steps (null for 'none'). Other options are the scheduler class's own and override the registry's defaults.
 * Step it as `schedulerInterval(name)` says; 'plateau' is stepped with the monitored metric. When resuming, build
 * it before loading the optimizer's state (onecycle's default maxLr is read from the groups' current lr), then
 * load both states.
 */
export function createScheduler<N extends SchedulerName>(name: N, optimizer: Optimizer, opts: SchedulerOptions<N>): Scheduler | null;
export function createScheduler(name: string, optimizer: Optimizer, opts: SchedulerOptions): Scheduler | null;
export function createScheduler(name: string, optimizer: Optimizer, opts: SchedulerOptions): Scheduler | null {
  const entry = schedulerEntry(name);
  const fn = `createScheduler('${name}')`;
  const { epochs, stepsPerEpoch, ...rest } = checkOpts(fn, opts);
  for (const [k, v] of [['epochs', epochs], ['stepsPerEpoch', stepsPerEpoch]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${fn}: ${k} must be a positive integer, got ${fmtValue(v)}`);
  }
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return named(fn, () => entry.build(optimizer, { epochs: epochs as number, stepsPerEpoch: stepsPerEpoch as number }, given));
}
