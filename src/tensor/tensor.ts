/**
 * The Tensor: a strided view onto backend storage plus its autograd fields. Ops are plain functions in
 * `src/ops`; `src/ops/methods.ts` attaches them as methods, so this file knows nothing of them.
 * @module
 */
import type { DType, Storage, TypedArray, View } from '../backend/types.js';
import { backendNamed } from '../backend/registry.js';
import { DTypeError, ValueError } from '../errors.js';
import { isFloating } from './dtype.js';
import { contiguousStrides, sizeOf } from './shape.js';
import { formatTensor } from './format.js';

/** A nested JS array of numbers or booleans, as `toArray` returns and `tensor` accepts. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * Where an input's gradient goes, fixed when the op was recorded: the node that produced the input, the input
 * itself when it was a leaf requiring grad, or null when it did not require grad.
 */
export type GradEdge = GradNode | Tensor | null;

/** A tensor an op saved for its backward pass, with the version it had then. */
export interface SavedTensor {
  /** The saved tensor. */
  readonly tensor: Tensor;
  /** Its version counter when it was saved. */
  readonly version: number;
}

/** A recorded operation: its inputs and the function mapping the output's gradient to theirs. */
export interface GradNode {
  /** Op name shown in printouts, e.g. `MulBackward`. */
  readonly name: string;
  /** The op's tensor inputs, in order; gradients flow to those that require them. */
  readonly inputs: readonly Tensor[];
  /** One edge per input: where its gradient goes (see GradEdge). */
  readonly edges: readonly GradEdge[];
  /** Tensors whose values the vjp reads; backward checks that none was changed in place since. */
  readonly saved: readonly SavedTensor[];
  /** Vector-Jacobian product; set to null once backward has used and freed it. */
  vjp: ((grad: Tensor) => (Tensor | null)[]) | null;
  /** The output tensor, set when it called `retainGrad` so backward can store its gradient. */
  retained?: Tensor;
  /**
   * True when the vjp keeps its gradient after it returns (to sum it with others later, as the shared-operand
   * products do): the engine then leaves that gradient's memory alone instead of recycling it.
   */
  keepsGradient?: boolean;
}

// Version counters live with the storage, so every view of the same memory shares one (as PyTorch's do); the
// first tensor made over a storage owns it, every later one is a view of it. Both marks sit on the storage
// object itself (not in a WeakMap, whose table would grow with every tensor ever made).
const VERSION = Symbol('shendu.version');
const OWNED = Symbol('shendu.owned');
type Marked = Storage & { [VERSION]?: number; [OWNED]?: true };

/** Counts one in-place change of `t`'s memory (every view of it sees the new version). */
export function bumpVersion(t: View): void {
  const s = t.storage as Marked;
  s[VERSION] = (s[VERSION] ?? 0) + 1;
}

/** Set while `ownerOf` builds its tensor, which then owns its storage instead of viewing it. */
let claiming = false;

/**
 * A row-major tensor over all of `t`'s storage that owns it (not a view), for memory that nothing else uses any
 * more: the autograd engine gives a leaf such a gradient when it adopts one that arrived as a view.
 */
export function ownerOf(t: Tensor): Tensor {
  claiming = true;
  try {
    return new Tensor(t.storage, t.shape);
  } finally {
    claiming = false;
  }
}

/** An n-dimensional array on a backend, with optional gradient tracking. */
export class Tensor implements View {
  /** The memory this tensor views (shared between views). */
  readonly storage: Storage;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Storage step per dimension. */
  readonly strides: readonly number[];
  /** Storage index of the first element. */
  readonly offset: number;
  /** Accumulated gradient of a leaf (or of a tensor that called `retainGrad`), else null. */
  grad: Tensor | null = null;
  /** The operation that produced this tensor when it is part of a recorded graph, else null. */
  gradFn: GradNode | null = null;
  /** True when backward should keep this non-leaf tensor's gradient in `grad`. */
  retainsGrad = false;
  private _requiresGrad = false;

  /** Wraps storage as a tensor; `strides` default to row-major. Most code uses the creation functions instead. */
  constructor(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(strides ? strides.slice() : contiguousStrides(shape));
    this.offset = offset;
    const marked = storage as Marked;
    this.viewOfOther = marked[OWNED] === true && !claiming;
    marked[OWNED] = true;
  }

  private readonly viewOfOther: boolean;

  /** How many times this tensor's memory has been changed in place (PyTorch's `_version`); shared by views. */
  get version(): number {
    return (this.storage as Marked)[VERSION] ?? 0;
  }

  /** True when this tensor shares memory made for another tensor (a view, a detached alias). */
  get isView(): boolean {
    return this.viewOfOther;
  }

  /** Element type. */
  get dtype(): DType {
    return this.storage.dtype;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Name of the backend holding the data. */
  get device(): string {
    return this.storage.backend;
  }

  /** Number of elements. */
  numel(): number {
    return sizeOf(this.shape);
  }

  /** The whole shape, or the size of one (possibly negative) dim. */
  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): number | readonly number[] {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    if (!Number.isInteger(d) || d < 0 || d >= this.ndim) {
      throw new ValueError(`size: dim must be in [${-this.ndim}, ${this.ndim - 1}], got ${dim}`);
    }
    return this.shape[d];
  }

  /** Whether gradients are computed for this tensor. Only floating tensors may require them. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(on: boolean) {
    if (on && !isFloating(this.dtype)) {
      throw new DTypeError(`requiresGrad: only floating-point tensors can require gradients, got dtype ${this.dtype}`);
    }
    if (this.gradFn !== null && !on) {
      throw new ValueError('requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach() instead');
    }
    this._requiresGrad = on;
  }

  /** Sets `requiresGrad` and returns this tensor, for chaining. */
  requiresGrad_(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /** True for tensors not produced by a recorded op (user-created tensors and parameters). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Asks backward to keep this non-leaf tensor's gradient in `grad`. */
  retainGrad(): this {
    if (!this._requiresGrad) throw new ValueError('retainGrad: the tensor does not require grad');
    this.retainsGrad = true;
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  }

  /** Row-major copy of the elements as a typed array (Float32Array, Float64Array, Int32Array, or Uint8Array for bool). */
  toTypedArray(): TypedArray {
    return backendNamed(this.storage.backend).read(this);
  }

  /** The elements as nested JS arrays (numbers; booleans for bool tensors); a 0-d tensor gives a number. */
  toArray(): NestedArray {
    const flat = this.toTypedArray();
    const isBool = this.dtype === 'bool';
    const build = (d: number, off: number): NestedArray => {
      if (d === this.ndim) return isBool ? flat[off] !== 0 : flat[off];
      const n = this.shape[d];
      const step = sizeOf(this.shape.slice(d + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(d + 1, off + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) {
      throw new ValueError(`item: only a one-element tensor can be converted to a number, got shape [${this.shape.join(', ')}]`);
    }
    return this.toTypedArray()[0];
  }
}

Tensor.prototype.toString = function (this: Tensor): string {
  return formatTensor(this);
};

// Node's console.log and util.inspect print a tensor by its text form (a plain symbol: no Node import).
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) {
    return formatTensor(this);
  },
});
