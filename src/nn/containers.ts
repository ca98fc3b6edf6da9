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

/** A name → module map whose parameters are registered. */
export class ModuleDict extends Module {
  /** Creates the map from an object of modules. */
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /** Adds or replaces the module called `key`; returns this. */
  set(key: string, m: Module): this {
    if (!(m instanceof Module)) throw new ValueError(`ModuleDict.set: '${key}' is not a Module`);
    if (key in Module.prototype || key === 'training' || key.includes('.') || key === '') {
      throw new ValueError(`ModuleDict.set: '${key}' cannot be used as a key (empty, dotted, or a Module member)`);
    }
    (this as unknown as Record<string, Module>)[key] = m;
    return this;
  }

  /** The module called `key`. */
  get(key: string): Module {
    const m = (this as unknown as Record<string, unknown>)[key];
    if (!(m instanceof Module)) throw new ValueError(`ModuleDict.get: no module '${key}'; keys are ${this.keys().join(', ')}`);
    return m;
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return this.namedChildren().map((e) => e[0]);
  }
}
