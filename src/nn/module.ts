/**
 * Module, the base of every layer and model, and Parameter, a tensor a module learns. Parameters, child
 * modules and buffers are found by walking the module's own properties in assignment order, so
 * `this.fc = new Linear(4, 2)` in a constructor registers `fc` and its parameters, as in PyTorch. One JS
 * difference: a class field declared without `declare` (`fc!: Linear;`) is created, as undefined, when the
 * constructor starts, so such fields keep their declaration order; initialize fields where they are declared
 * (`fc = new Linear(4, 2);`) or write `declare fc: Linear;` to get the assignment order.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { copy_ } from '../ops/inplace.js';
import { to as cast } from '../ops/movement.js';
import type { DType } from '../tensor/dtype.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor that a Module learns: requiresGrad is on by default and `parameters()` finds it. */
export class Parameter extends Tensor {
  /** Wraps `data` (sharing its storage, detached from any graph) as a parameter. */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new ValueError('Parameter: data must be a Tensor');
    super(data.storage, data.shape, data.strides, data.offset);
    if (requiresGrad) {
      if (!isFloating(data.dtype)) throw new ValueError(`Parameter: only floating-point tensors can require gradients, got ${data.dtype}`);
      this.requiresGrad = true;
    }
  }
}

/** A module with a single-tensor forward pass: what Sequential chains. */
export interface Layer extends Module {
  /** Computes the layer's output. */
  forward(x: Tensor): Tensor;
}

/** A name → tensor map of a module's parameters and buffers, in registration order. */
export type StateDict = Record<string, Tensor>;

/** Options of `loadStateDict`. */
export interface LoadOptions {
  /** Require exactly the module's keys (default true). Shapes must always match. */
  strict?: boolean;
}

/** What `loadStateDict` reports (PyTorch's `_IncompatibleKeys`): both empty when loading strictly. */
export interface LoadResult {
  /** The module's keys the state lacked (left unchanged). */
  missingKeys: string[];
  /** The state's keys the module does not have (ignored). */
  unexpectedKeys: string[];
}

/**
 * A forward hook (PyTorch's `register_forward_hook`): called after the module's `forward` with the module, the
 * arguments forward was given and its output; a value other than undefined replaces the output.
 */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;

/** What `registerForwardHook` returns: `remove()` takes the hook off again (a second call does nothing). */
export interface RemovableHandle {
  /** Unregisters the hook. */
  remove(): void;
}

// hooks live beside the module, not on it, so a hooked module's own properties (and so its state) are unchanged
const forwardHooks = new WeakMap<Module, { hooks: Map<number, ForwardHook>; wrapper: unknown; own: PropertyDescriptor | undefined }>();
let nextHookId = 0;

/** Base class of layers and models: holds parameters, buffers and child modules, and a training flag. */
export class Module {
  /** True in training mode (dropout active, batch-norm updating its statistics); see `train()`/`eval()`. */
  training = true;
  private readonly _bufferNames = new Set<string>();
  private readonly _nonPersistent = new Set<string>();
  private readonly _bufferKeys = new Map<string, string>();

  /**
   * Registers `tensor` under the property `name` as a buffer: saved in the state dict but not learned (e.g. a
   * running mean). `stateKey` names it in the state dict when that differs (PyTorch's `running_mean` for the
   * property `runningMean`, so checkpoints interoperate); `persistent: false` leaves it out of the state dict.
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean; stateKey?: string } = {}): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ValueError(`registerBuffer: name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) throw new ValueError(`registerBuffer: buffer '${name}' must be a Tensor or null`);
    this._bufferNames.add(name);
    if (opts.persistent === false) this._nonPersistent.add(name);
    if (opts.stateKey !== undefined) this._bufferKeys.set(name, opts.stateKey);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Child modules directly held by this module, with their names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Child modules directly held by this module. */
  children(): Module[] {
    return this.namedChildren().map((e) => e[1]);
  }

  /** This module and every module below it, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    const seen = new Set<Module>([this]);
    const walk = (m: Module, pre: string) => {
      for (const [name, child] of m.namedChildren()) {
        if (seen.has(child)) continue;
        seen.add(child);
        const full = pre ? `${pre}.${name}` : name;
        out.push([full, child]);
        walk(child, full);
      }
    };
    walk(this, prefix);
    return out;
  }

  /** This module and every module below it. */
  modules(): Module[] {
    return this.namedModules().map((e) => e[1]);
  }

  /** Every parameter, with dotted names like `features.0.weight`; a shared parameter is listed once. */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    for (const [pre, m] of this.namedModules()) {
      for (const [name, v] of Object.entries(m)) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          out.push([pre ? `${pre}.${name}` : name, v]);
        }
      }
    }
    return out;
  }

  /** Every parameter (what an optimizer is given). */
  parameters(): Parameter[] {
    return this.namedParameters().map((e) => e[1]);
  }

  /** Every registered buffer, with dotted names. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [pre, m] of this.namedModules()) {
      for (const name of m._bufferNames) {
        const v = (m as unknown as Record<string, unknown>)[name];
        const key = m._bufferKeys.get(name) ?? name;
        if (v instanceof Tensor) out.push([pre ? `${pre}.${key}` : key, v]);
      }
    }
    return out;
  }

  /** Every registered buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map((e) => e[1]);
  }

  /** Sets training mode on this module and all below it; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (same as `train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Converts floating parameters and buffers to `dtype`, a floating dtype (integer buffers are kept). Parameters
   * are replaced by new Parameter objects, so create optimizers after converting, as PyTorch advises for `.to()`;
   * a parameter or buffer shared between modules stays shared.
   */
  to(dtype: DType): this {
    if (!isFloating(dtype)) throw new ValueError(`Module.to: only floating-point dtypes are accepted, got ${String(dtype)}`);
    const converted = new Map<Tensor, Tensor>();
    const convert = (v: Tensor, make: () => Tensor): Tensor => {
      let out = converted.get(v);
      if (out === undefined) converted.set(v, (out = make()));
      return out;
    };
    noGrad(() => {
      for (const m of this.modules()) {
        const rec = m as unknown as Record<string, unknown>;
        for (const [name, v] of Object.entries(m)) {
          if (v instanceof Parameter && v.dtype !== dtype) rec[name] = convert(v, () => new Parameter(cast(v, dtype), v.requiresGrad));
        }
        for (const name of m._bufferNames) {
          const v = rec[name];
          if (v instanceof Tensor && isFloating(v.dtype) && v.dtype !== dtype) rec[name] = convert(v, () => cast(v, dtype));
        }
      }
    });
    return this;
  }

  /** Converts floating parameters and buffers to float64 (see `to`). */
  double(): this {
    return this.to('float64');
  }

  /** Converts floating parameters and buffers to float32 (see `to`). */
  float(): this {
    return this.to('float32');
  }

  /** Sets `requiresGrad` on every parameter (false freezes the module); returns this. */
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls `fn` on every module below this one and then on this one (e.g. custom initialization); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, sharing storage with the module (like PyTorch). As in
   * PyTorch, a module or parameter reachable under two names appears under both.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const path = new Set<Module>();
    const visit = (m: Module, pre: string) => {
      if (path.has(m)) return; // a module that holds one of its ancestors: do not loop
      path.add(m);
      const rec = m as unknown as Record<string, unknown>;
      for (const [name, v] of Object.entries(m)) {
        if (v instanceof Parameter) out[pre + name] = v;
      }
      for (const name of m._bufferNames) {
        const v = rec[name];
        if (v instanceof Tensor && !m._nonPersistent.has(name)) out[pre + (m._bufferKeys.get(name) ?? name)] = v;
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${pre}${name}.`);
      path.delete(m);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies values from `state` into this module's parameters and buffers (in place, so optimizers keep
   * working). Throws a ValueError listing every missing, unexpected and mis-shaped key; nothing is changed
   * unless all keys check out. With `strict: false` missing and unexpected keys are allowed (mis-shaped ones never
   * are) and returned, as PyTorch returns them.
   */
  loadStateDict(state: StateDict, opts: LoadOptions = {}): LoadResult {
    if (state === null || typeof state !== 'object') throw new ValueError('loadStateDict: state must be an object of tensors');
    const strict = opts.strict ?? true;
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !Object.hasOwn(state, k));
    const unexpected = Object.keys(state).filter((k) => !Object.hasOwn(own, k));
    const misShaped: string[] = [];
    for (const [k, t] of Object.entries(own)) {
      if (!Object.hasOwn(state, k)) continue;
      const v = state[k];
      if (!(v instanceof Tensor)) {
        misShaped.push(`${k}: expected a Tensor, got ${typeof v}`);
      } else if (v.ndim !== t.ndim || v.shape.some((s, i) => s !== t.shape[i])) {
        misShaped.push(`${k}: expected shape ${fmtShape(t.shape)}, got ${fmtShape(v.shape)}`);
      }
    }
    const problems: string[] = [];
    if (strict && missing.length) problems.push(`missing keys: ${missing.join(', ')}`);
    if (strict && unexpected.length) problems.push(`unexpected keys: ${unexpected.join(', ')}`);
    if (misShaped.length) problems.push(`mis-shaped keys: ${misShaped.join('; ')}`);
    if (problems.length) {
      const err = misShaped.length && !(strict && (missing.length || unexpected.length)) ? ShapeError : ValueError;
      throw new err(`loadStateDict: the state does not fit ${this.constructor.name}: ${problems.join('; ')}`);
    }
    noGrad(() => {
      for (const [k, t] of Object.entries(own)) if (Object.hasOwn(state, k)) copy_(t, state[k]);
    });
    return { missingKeys: missing, unexpectedKeys: unexpected };
  }

  /**
   * Registers `hook` to run after every call of this module's `forward`, in registration order, as PyTorch's
   * `register_forward_hook` (e.g. to capture feature maps). It sees calls made through the module's `forward`
   * property, as every container and model does (`this.conv1.forward(x)`).
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    if (typeof hook !== 'function') throw new ValueError(`registerForwardHook: hook must be a function (module, inputs, output) => output | undefined, got ${typeof hook}`);
    const self = this as unknown as { forward?: (...args: unknown[]) => unknown };
    const inner = self.forward;
    if (typeof inner !== 'function') throw new ValueError(`registerForwardHook: ${this.constructor.name} has no forward method to hook`);
    let entry = forwardHooks.get(this);
    if (!entry) {
      const hooks = new Map<number, ForwardHook>();
      const wrapper = (...args: unknown[]): unknown => {
        let out = inner.apply(this, args);
        for (const h of [...hooks.values()]) {
          const r = h(this, args, out);
          if (r !== undefined) out = r;
        }
        return out;
      };
      entry = { hooks, wrapper, own: Object.getOwnPropertyDescriptor(this, 'forward') };
      forwardHooks.set(this, entry);
      Object.defineProperty(this, 'forward', { configurable: true, writable: true, enumerable: false, value: wrapper });
    }
    const id = nextHookId++;
    entry.hooks.set(id, hook);
    const e = entry;
    return {
      remove: () => {
        if (!e.hooks.delete(id) || e.hooks.size > 0 || forwardHooks.get(this) !== e) return;
        forwardHooks.delete(this);
        // put the forward back only if nobody has replaced the wrapper meanwhile (else it stays, passing through)
        if (self.forward !== e.wrapper) return;
        if (e.own) Object.defineProperty(this, 'forward', e.own);
        else delete self.forward;
      },
    };
  }

  /** Total number of parameter elements (trainable only, if asked). */
  parameterCount(opts: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !opts.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.numel(), 0);
  }

  /** One line describing the layer's settings, shown by `toString` (layers override it). */
  extraRepr(): string {
    return '';
  }

  /** A nested description of the module tree, like PyTorch's print(model). */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (!kids.length) return `${head})`;
    const lines = kids.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}
