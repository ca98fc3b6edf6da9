/**
 * Feature maps: what chosen layers of a model output for one image (chapter 7.2, "seeing inside" a CNN), captured
 * with forward hooks during a single forward pass in evaluation mode, as PyTorch users do with
 * `register_forward_hook` (or torchvision's `create_feature_extractor`).
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Module, type ForwardHook, type Layer } from '../nn/module.js';
import { reshape, unsqueeze } from '../ops/movement.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `featureMaps`. */
export interface FeatureMapsOptions {
  /** Dotted names of the submodules to capture, as `model.namedModules()` names them (e.g. 'layer1.0.conv1'). */
  layers: readonly string[];
}

/** One image [C, H, W] (or a batch of one) as the batch [1, C, H, W] a model takes; anything else is a ShapeError. */
export function asImageBatch(fn: string, input: Tensor): Tensor {
  if (!(input instanceof Tensor)) throw new ValueError(`${fn}: input must be an image tensor [C, H, W] or [1, C, H, W], got ${typeof input}`);
  if (input.ndim === 3) return unsqueeze(input, 0);
  if (input.ndim === 4 && input.shape[0] === 1) return input;
  throw new ShapeError(`${fn}: input must be one image [C, H, W] or [1, C, H, W], got shape ${fmtShape(input.shape)}`);
}

/** Checks that `model` is a module with a forward method. */
export function checkModel(fn: string, model: Layer): void {
  if (!(model instanceof Module) || typeof model.forward !== 'function') throw new ValueError(`${fn}: model must be a Module with a forward method`);
}

/** Names of the submodules `featureMaps` can capture: every entry of `model.namedModules()` but the model itself. */
export function layerNames(model: Module): string[] {
  return model.namedModules().map((e) => e[0]).filter((n) => n !== '');
}

/** Looks up the submodule `name`, or throws a ValueError listing (a sensible part of) the available names. */
export function findLayer(fn: string, model: Module, name: string): Module {
  if (typeof name !== 'string') throw new ValueError(`${fn}: a layer name must be a string, got ${typeof name}`);
  const found = model.namedModules().find((e) => e[0] === name && name !== '');
  if (found) return found[1];
  const names = layerNames(model);
  // a long zoo model has hundreds of names: show the close ones, else the first and last few
  const close = names.filter((n) => name !== '' && (n.startsWith(name) || n.includes(name) || name.startsWith(n)));
  let shown: string;
  if (names.length <= 24) shown = names.join(', ');
  else if (close.length > 0 && close.length <= 24) shown = `${close.join(', ')} (and ${names.length - close.length} more)`;
  else shown = `${names.slice(0, 12).join(', ')}, ..., ${names.slice(-6).join(', ')} (${names.length} in all; see model.namedModules())`;
  throw new ValueError(`${fn}: ${model.constructor.name} has no layer '${name}'; layers: ${shown}`);
}

/**
 * Runs `run` with `model` in evaluation mode and `hooks` registered, then removes them and puts every module's
 * mode back (modes may differ between modules, e.g. a frozen batch norm kept in eval while fine-tuning).
 */
export function runHooked<T>(model: Module, hooks: readonly (readonly [Module, ForwardHook])[], run: () => T): T {
  const handles = hooks.map(([m, h]) => m.registerForwardHook(h));
  const modes = model.modules().map((m): [Module, boolean] => [m, m.training]);
  model.eval();
  try {
    return run();
  } finally {
    for (const h of handles) h.remove();
    for (const [m, mode] of modes) m.training = mode;
  }
}

/**
 * Runs `model` once on `input` (an image [C, H, W] or [1, C, H, W]) in evaluation mode without gradients, and
 * returns the output of each layer in `opts.layers` with the batch dimension dropped, in the order asked: [C', H', W']
 * for a conv-like layer, [F] for a linear one. A layer that runs more than once in the forward pass (a ReLU module
 * reused, as in torchvision's ResNet blocks) gives its last output. Modes are restored afterwards.
 * Throws ValueError for an unknown layer name (listing the names), a layer that did not run or does not return a tensor.
 */
export function featureMaps(model: Layer, input: Tensor, opts: FeatureMapsOptions): Map<string, Tensor> {
  const fn = 'featureMaps';
  checkModel(fn, model);
  const x = asImageBatch(fn, input);
  if (opts === null || typeof opts !== 'object' || !Array.isArray(opts.layers) || opts.layers.length === 0) {
    throw new ValueError(`${fn}: opts.layers must be a non-empty array of layer names (see model.namedModules()), got ${JSON.stringify(opts?.layers)}`);
  }
  const layers = opts.layers.map((name) => [name, findLayer(fn, model, name)] as const);
  const got = new Map<string, unknown>();
  runHooked(model, layers.map(([name, m]) => [m, (_m: Module, _inputs: unknown[], out: unknown) => void got.set(name, out)] as const), () => noGrad(() => model.forward(x)));
  const out = new Map<string, Tensor>();
  for (const [name, m] of layers) {
    if (!got.has(name)) throw new ValueError(`${fn}: layer '${name}' (${m.constructor.name}) did not run in the model's forward pass`);
    const t = got.get(name);
    if (!(t instanceof Tensor)) throw new ValueError(`${fn}: layer '${name}' (${m.constructor.name}) returns ${t === null ? 'null' : typeof t}, not a tensor`);
    out.set(name, t.ndim > 0 && t.shape[0] === 1 ? reshape(t, t.shape.slice(1)) : t);
  }
  return out;
}

/** One row of `layerShapes`. */
export interface LayerShape {
  /** Dotted name in the model. */
  name: string;
  /** Class name of the layer. */
  type: string;
  /** Its output's shape for the image, batch dimension included ([] when it does not return a tensor). */
  shape: number[];
}

/**
 * Every submodule's output shape for one image ([C, H, W] or [1, C, H, W]), in the order the layers finish in the
 * forward pass (evaluation mode, no gradients): what `featureMaps` and `gradCam` can be asked for. A module that
 * runs more than once is listed at its last call.
 */
export function layerShapes(model: Layer, input: Tensor): LayerShape[] {
  const fn = 'layerShapes';
  checkModel(fn, model);
  const x = asImageBatch(fn, input);
  const done = new Map<string, LayerShape>();
  const hooks = model.namedModules().filter((e) => e[0] !== '').map(([name, m]) => [m, (_m: Module, _inputs: unknown[], out: unknown) => {
    done.delete(name); // re-inserted: the order is that of each layer's last call
    done.set(name, { name, type: m.constructor.name, shape: out instanceof Tensor ? [...out.shape] : [] });
  }] as const);
  runHooked(model, hooks, () => noGrad(() => model.forward(x)));
  return [...done.values()];
}
