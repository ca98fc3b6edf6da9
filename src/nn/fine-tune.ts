/**
 * Fine-tuning by parameter name (chapter 3.7): load the part of a state dict that fits (a pretrained body under a
 * new head), freeze and unfreeze parameters by name prefix, and split the trainable parameters into optimizer
 * groups with a learning rate per prefix. A prefix names a module or parameter by its dotted path and matches at
 * dots only: 'layer1' matches `layer1.0.conv1.weight`, not `layer10.weight`.
 * @module
 */
import { ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { Module, type Parameter, type StateDict } from './module.js';

function checkModule(fn: string, model: unknown): Module {
  if (!(model instanceof Module)) throw new ValueError(`${fn}: model must be a Module, got ${model === null ? 'null' : typeof model}`);
  return model;
}

/** True when the dotted name `name` lies under `prefix` (equal, or continuing after a dot). */
export function matchesPrefix(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`);
}

/** The distinct first components of the model's parameter names, e.g. ['features', 'classifier'] ('0', '1', ... in a Sequential). */
export function topLevelPrefixes(model: Module): string[] {
  return [...new Set(model.namedParameters().map(([n]) => n.split('.')[0]))];
}

/** Checks a list of prefixes (or one): non-empty strings, a trailing '.' dropped. */
function checkPrefixes(fn: string, prefixes: unknown): string[] {
  const list = typeof prefixes === 'string' ? [prefixes] : prefixes;
  if (!Array.isArray(list) || list.length === 0) throw new ValueError(`${fn}: prefixes must be a non-empty list of parameter name prefixes, got ${JSON.stringify(prefixes)}`);
  return list.map((p, i) => {
    if (typeof p !== 'string' || p.replace(/\.$/, '') === '') throw new ValueError(`${fn}: prefixes[${i}] must be a non-empty string, got ${JSON.stringify(p)}`);
    return p.replace(/\.$/, '');
  });
}

function noMatch(fn: string, model: Module, prefix: string, what = 'parameter'): ValueError {
  return new ValueError(`${fn}: prefix '${prefix}' matches no ${what} of ${model.constructor.name}; its top-level parameter prefixes are ${topLevelPrefixes(model).join(', ')}`);
}

/** Sets requiresGrad on every parameter under one of `prefixes`; returns their names. */
function setRequiresGrad(fn: string, model: Module, prefixes: unknown, on: boolean): string[] {
  checkModule(fn, model);
  const list = checkPrefixes(fn, prefixes);
  const named = model.namedParameters();
  for (const p of list) if (!named.some(([n]) => matchesPrefix(n, p))) throw noMatch(fn, model, p);
  const hit = named.filter(([n]) => list.some((p) => matchesPrefix(n, p)));
  for (const [, t] of hit) t.requiresGrad = on;
  return hit.map(([n]) => n);
}

/**
 * Freezes the parameters under the given name prefixes (`freeze(model, ['features'])`): sets requiresGrad false,
 * so they get no gradient and optimizers leave them alone. Returns the names frozen. A prefix that matches no
 * parameter is a ValueError listing the model's top-level prefixes. Batch-norm layers among them still update
 * their running statistics in training mode, as in PyTorch; call `.eval()` on those modules to fix them too.
 */
export function freeze(model: Module, prefixes: string | readonly string[]): string[] {
  return setRequiresGrad('freeze', model, prefixes, false);
}

/** Unfreezes the parameters under the given name prefixes (requiresGrad true); returns their names. */
export function unfreeze(model: Module, prefixes: string | readonly string[]): string[] {
  return setRequiresGrad('unfreeze', model, prefixes, true);
}

/** A state-dict key that exists on both sides but whose shape differs. */
export interface MisShapedKey {
  /** The key. */
  key: string;
  /** The module's shape. */
  expected: number[];
  /** The state dict's shape. */
  got: number[];
}

/** What `loadMatching` loaded and what it skipped. */
export interface LoadMatchingResult {
  /** Keys copied into the module. */
  loaded: string[];
  /** Module keys the state dict lacks (left as they were, e.g. a new head). */
  missingKeys: string[];
  /** State-dict keys the module does not have (ignored). */
  unexpectedKeys: string[];
  /** Keys on both sides with different shapes (skipped, e.g. a head with another number of classes). */
  misShaped: MisShapedKey[];
}

/**
 * Loads the entries of `state` whose names and shapes both match the model's (e.g. pretrained weights into a
 * model whose head has another number of classes) and reports everything it skipped. A state dict that shares
 * no such key with the model is a ValueError (it belongs to another architecture), listing a few keys of each.
 */
export function loadMatching(model: Module, state: StateDict): LoadMatchingResult {
  checkModule('loadMatching', model);
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new ValueError('loadMatching: state must be an object of tensors (a state dict)');
  const bad = Object.entries(state).filter(([, v]) => !(v instanceof Tensor)).map(([k]) => k);
  if (bad.length) throw new ValueError(`loadMatching: state values must be tensors; not tensors: ${bad.join(', ')}`);
  const own = model.stateDict();
  const fits: StateDict = {};
  const misShaped: MisShapedKey[] = [];
  for (const [k, t] of Object.entries(own)) {
    if (!Object.hasOwn(state, k)) continue;
    const v = state[k];
    if (v.ndim === t.ndim && v.shape.every((s, i) => s === t.shape[i])) fits[k] = v;
    else misShaped.push({ key: k, expected: [...t.shape], got: [...v.shape] });
  }
  const loaded = Object.keys(fits);
  if (loaded.length === 0) {
    const few = (ks: string[]) => (ks.length > 5 ? `${ks.slice(0, 5).join(', ')}, ... (${ks.length})` : ks.join(', ') || 'none');
    const shaped = misShaped.map((m) => `${m.key} ${fmtShape(m.got)} (expected ${fmtShape(m.expected)})`);
    throw new ValueError(`loadMatching: no key of the state dict fits ${model.constructor.name} by name and shape; the model's keys: ${few(Object.keys(own))}; the state's keys: ${few(Object.keys(state))}${shaped.length ? `; mis-shaped: ${few(shaped)}` : ''}`);
  }
  model.loadStateDict(fits, { strict: false });
  return {
    loaded,
    missingKeys: Object.keys(own).filter((k) => !Object.hasOwn(state, k)),
    unexpectedKeys: Object.keys(state).filter((k) => !Object.hasOwn(own, k)),
    misShaped,
  };
}

/** Hyper-parameters of one prefix's group: a learning rate, or an object of the optimizer's group options. */
export type PrefixGroupOptions = number | ({ lr?: number } & Record<string, unknown>);

/** An optimizer parameter group as `paramGroupsByPrefix` makes it. */
export type PrefixParamGroup = { params: Parameter[] } & Record<string, unknown>;

/**
 * Splits the model's trainable parameters into optimizer groups: one per prefix of `byPrefix` with its learning
 * rate (or options), in the order given, then the rest with `base` (e.g. `{lr: 0.001}`; empty: the optimizer's
 * defaults). With no prefixes, one group holds every trainable parameter. A parameter under two prefixes goes to the longer one; frozen parameters are left out. Pass the
 * result to an optimizer: `new optim.SGD(paramGroupsByPrefix(model, {fc: 0.01}, {lr: 0.001}), {lr: 0.001})`.
 * A prefix that matches no trainable parameter is a ValueError.
 */
export function paramGroupsByPrefix(
  model: Module, byPrefix: Readonly<Record<string, PrefixGroupOptions>>, base: Readonly<Record<string, unknown>> = {},
): PrefixParamGroup[] {
  const fn = 'paramGroupsByPrefix';
  checkModule(fn, model);
  if (byPrefix === null || typeof byPrefix !== 'object' || Array.isArray(byPrefix)) throw new ValueError(`${fn}: byPrefix must be an object {prefix: lr}, got ${JSON.stringify(byPrefix)}`);
  if (base === null || typeof base !== 'object' || Array.isArray(base) || 'params' in base) throw new ValueError(`${fn}: base must be an object of group options such as {lr: 0.001}, got ${JSON.stringify(base)}`);
  const prefixes = Object.keys(byPrefix).length ? checkPrefixes(fn, Object.keys(byPrefix)) : [];
  const options = Object.values(byPrefix).map((v, i): Record<string, unknown> => {
    if (typeof v === 'number') {
      if (!(v >= 0)) throw new ValueError(`${fn}: the lr of prefix '${prefixes[i]}' must be a number >= 0, got ${v}`);
      return { lr: v };
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || 'params' in v) throw new ValueError(`${fn}: prefix '${prefixes[i]}' must map to an lr or an object of group options, got ${JSON.stringify(v)}`);
    return { ...v };
  });
  const named = model.namedParameters();
  const trainable = named.filter(([, t]) => t.requiresGrad);
  if (trainable.length === 0) throw new ValueError(`${fn}: every parameter of ${model.constructor.name} is frozen; unfreeze some first`);
  const groups: PrefixParamGroup[] = prefixes.map((_, i) => ({ ...options[i], params: [] }));
  const rest: Parameter[] = [];
  for (const [n, t] of trainable) {
    let best = -1;
    prefixes.forEach((p, i) => {
      if (matchesPrefix(n, p) && (best < 0 || p.length > prefixes[best].length)) best = i;
    });
    (best < 0 ? rest : groups[best].params).push(t);
  }
  prefixes.forEach((p, i) => {
    if (groups[i].params.length > 0) return;
    if (!named.some(([n]) => matchesPrefix(n, p))) throw noMatch(fn, model, p);
    if (trainable.some(([n]) => matchesPrefix(n, p))) throw new ValueError(`${fn}: prefix '${p}' gets no parameter: its trainable ones all fall under longer prefixes`);
    throw new ValueError(`${fn}: prefix '${p}' matches only frozen parameters; unfreeze them or leave the prefix out`);
  });
  return rest.length ? [...groups, { ...base, params: rest }] : groups;
}
