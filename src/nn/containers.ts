/**
 * Containers: Sequential (a chain of layers), ModuleList and ModuleDict (registered collections).
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

/** Runs its layers in order, feeding each one's output to the next. Children are named '0', '1', .... */
export class Sequential extends Module implements Layer {
  /** Creates the chain from layers (each with a `forward(x)`). */
  constructor(...layers: Layer[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ValueError(`Sequential: argument ${i} is not a Module`);
      (this as unknown as Record<string, Module>)[String(i)] = m;
    });
  }

  /** Number of layers. */
  get length(): number {
    return this.namedChildren().length;
  }

  /** The layer at `i` (negative counts from the end). */
  at(i: number): Layer {
    const kids = this.children() as Layer[];
    const k = i < 0 ? i + kids.length : i;
    if (!Number.isInteger(k) || k < 0 || k >= kids.length) throw new ValueError(`Sequential.at: index ${i} is out of range for ${kids.length} layers`);
    return kids[k];
  }

  /** Appends a layer; returns this. */
  append(layer: Layer): this {
    if (!(layer instanceof Module)) throw new ValueError('Sequential.append: argument is not a Module');
    (this as unknown as Record<string, Module>)[String(this.length)] = layer;
    return this;
  }

  /** Applies every layer in turn. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children() as Layer[]) y = m.forward(y);
    return y;
  }
}

/** A list of modules whose parameters are registered (children named '0', '1', ...). */
export class ModuleList extends Module {
  /** Creates the list. */
  constructor(modules: readonly Module[] = []) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Number of modules. */
  get length(): number {
    return this.namedChildren().length;
  }

  /** Adds a module at the end; returns this. */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new ValueError('ModuleList.append: argument is not a Module');
    (this as unknown as Record<string, Module>)[String(this.length)] = m;
    return this;
  }

  /** The module at `i` (negative counts from the end). */
  at(i: number): Module {
    const kids = this.children();
    const k = i < 0 ? i + kids.length : i;
    if (!Number.isInteger(k) || k < 0 || k >= kids.length) throw new ValueError(`ModuleList.at: index ${i} is out of range for ${kids.length} modules`);
    return kids[k];
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

/**
 * A name → module map whose parameters are registered. Like PyTorch's ModuleDict it keeps insertion order
 * (also for keys that look like numbers, which plain JS objects would move to the front) and iterates over its keys.
 */
export class ModuleDict extends Module {
  private readonly _order: string[] = [];

  /** Creates the map from an object of modules. */
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /** Adds or replaces the module called `key` (a replaced key keeps its place); returns this. */
  set(key: string, m: Module): this {
    if (typeof key !== 'string' || key === '' || key.includes('.')) {
      throw new ValueError(`ModuleDict.set: key must be a non-empty string without '.', got ${JSON.stringify(key)}`);
    }
    if (!(m instanceof Module)) throw new ValueError(`ModuleDict.set: '${key}' is not a Module`);
    const rec = this as unknown as Record<string, unknown>;
    if (key in this && !(Object.hasOwn(this, key) && rec[key] instanceof Module)) {
      throw new ValueError(`ModuleDict.set: '${key}' cannot be used as a key: it names a member of the module`);
    }
    if (!this._order.includes(key)) this._order.push(key);
    rec[key] = m;
    return this;
  }

  /** The module called `key`. */
  get(key: string): Module {
    if (!this.has(key)) throw new ValueError(`ModuleDict.get: no module '${key}'; keys are ${this.keys().join(', ')}`);
    return (this as unknown as Record<string, Module>)[key];
  }

  /** True when a module is stored under `key`. */
  has(key: string): boolean {
    return typeof key === 'string' && Object.hasOwn(this, key) && (this as unknown as Record<string, unknown>)[key] instanceof Module;
  }

  /** Number of modules. */
  get length(): number {
    return this.namedChildren().length;
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return this.namedChildren().map((e) => e[0]);
  }

  /** The modules in insertion order. */
  values(): Module[] {
    return this.children();
  }

  /** The [key, module] pairs in insertion order. */
  entries(): [string, Module][] {
    return this.namedChildren();
  }

  /** Iterates over the keys in insertion order, as iterating a PyTorch ModuleDict does. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /** The children in insertion order (then any module assigned to the map as a plain property). */
  override namedChildren(): [string, Module][] {
    const all = super.namedChildren();
    const byKey = new Map(all);
    const ordered = this._order.filter((k) => byKey.has(k)).map((k): [string, Module] => [k, byKey.get(k)!]);
    return [...ordered, ...all.filter(([k]) => !this._order.includes(k))];
  }
}
