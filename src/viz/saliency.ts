/**
 * Where a classifier looks: class saliency maps (Simonyan, Vedaldi & Zisserman 2014, "Deep inside convolutional
 * networks") and Grad-CAM (Selvaraju et al. 2017). Both differentiate the class score, the logit before softmax,
 * for one image; both leave the model's parameters' `.grad` untouched (they use `autograd.grad`).
 * @module
 */
import { grad } from '../autograd/engine.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Layer, Module } from '../nn/module.js';
import { relu } from '../ops/activation.js';
import { abs, div, mul, sub } from '../ops/elementwise.js';
import { detach, reshape } from '../ops/movement.js';
import { amax, argmax, mean, sum } from '../ops/reduce.js';
import { interpolate } from '../ops/resample.js';
import { select } from '../ops/indexing.js';
import { isFloating } from '../tensor/dtype.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { asImageBatch, checkModel, findLayer, runHooked } from './feature-maps.js';

/** Options of `saliency`. */
export interface SaliencyOptions {
  /** The class whose score is differentiated (default: the predicted class, the largest logit). */
  classIndex?: number;
}

/** Options of `gradCam`. */
export interface GradCamOptions extends SaliencyOptions {
  /** Dotted name of the layer whose activations weigh in (as `model.namedModules()` names it), conv-like. */
  layer: string;
}

/**
 * Runs `model` in evaluation mode with gradients on a leaf copy of the image, capturing `layer`'s output if asked;
 * returns the input leaf, the class score [] and the capture. Modes and hooks are restored afterwards.
 */
function scoreOf(fn: string, model: Layer, input: Tensor, classIndex: number | undefined, layer?: Module): { x: Tensor; score: Tensor; act: unknown } {
  checkModel(fn, model);
  const batch = asImageBatch(fn, input);
  if (!isFloating(batch.dtype)) throw new DTypeError(`${fn}: input must be a floating-point image, got dtype ${batch.dtype}`);
  const x = detach(batch).requiresGrad_();
  let act: unknown;
  const hooks = layer ? [[layer, (_m: Module, _inputs: unknown[], out: unknown) => void (act = out)] as const] : [];
  const logits = runHooked(model, hooks, () => enableGrad(() => model.forward(x)));
  if (!(logits instanceof Tensor) || logits.ndim !== 2 || logits.shape[0] !== 1) {
    throw new ShapeError(`${fn}: the model must return class scores [1, K] for one image, got ${logits instanceof Tensor ? `shape ${fmtShape(logits.shape)}` : typeof logits}`);
  }
  const k = logits.shape[1];
  let c: number;
  if (classIndex === undefined) c = Number(noGrad(() => argmax(logits, 1)).toTypedArray()[0]);
  else if (Number.isInteger(classIndex) && classIndex >= 0 && classIndex < k) c = classIndex;
  else throw new ValueError(`${fn}: classIndex must be an integer in [0, ${k - 1}] (the model has ${k} classes), got ${classIndex}`);
  return { x, score: sum(select(logits, 1, c)), act };
}

/**
 * The class saliency map of one image [C, H, W] (or [1, C, H, W]): |d score / d input|, maximized over the
 * channels, as a [H, W] tensor of raw gradient magnitudes (scale it for display). The score is the logit of
 * `opts.classIndex`, by default of the predicted class.
 */
export function saliency(model: Layer, input: Tensor, opts: SaliencyOptions = {}): Tensor {
  const fn = 'saliency';
  const { x, score } = scoreOf(fn, model, input, opts?.classIndex);
  const [g] = grad(score, [x]);
  return noGrad(() => reshape(amax(abs(g), 1), [x.shape[2], x.shape[3]]));
}

/**
 * The Grad-CAM heat map of one image [C, H, W] (or [1, C, H, W]) for `opts.layer`, whose output A is [1, K, h, w]:
 * ReLU(Σ_k α_k A^k) with α_k the spatial mean of d score / d A^k, resized bilinearly (alignCorners false) to the
 * image's [H, W] and stretched to [0, 1] by its min and max (all zeros when nothing in A speaks for the class).
 * Throws ValueError for an unknown layer (listing the names), ShapeError for a layer whose output is not 4-D.
 */
export function gradCam(model: Layer, input: Tensor, opts: GradCamOptions): Tensor {
  const fn = 'gradCam';
  checkModel(fn, model);
  if (opts === null || typeof opts !== 'object' || typeof opts.layer !== 'string') {
    throw new ValueError(`${fn}: opts.layer must name a conv-like layer (see model.namedModules()), got ${JSON.stringify(opts?.layer)}`);
  }
  const layer = findLayer(fn, model, opts.layer);
  const { x, score, act } = scoreOf(fn, model, input, opts.classIndex, layer);
  if (!(act instanceof Tensor)) throw new ValueError(`${fn}: layer '${opts.layer}' ${act === undefined ? 'did not run in the forward pass' : 'does not return a tensor'}`);
  if (act.ndim !== 4) throw new ShapeError(`${fn}: layer '${opts.layer}' gives shape ${fmtShape(act.shape)}; Grad-CAM needs a conv-like layer with output [1, C, h, w]`);
  const [h, w] = [x.shape[2], x.shape[3]];
  if (!act.requiresGrad) return tensor(new Float32Array(h * w), { shape: [h, w], dtype: act.dtype });
  const [g] = grad(score, [act]);
  return noGrad(() => {
    const alpha = mean(g, [2, 3], true);
    const cam = relu(sum(mul(alpha, act), 1, true));
    const up = reshape(interpolate(cam, { size: [h, w], mode: 'bilinear', alignCorners: false }), [h, w]);
    const v = up.toTypedArray();
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of v) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
    if (!(hi - lo > 0)) return tensor(new Float32Array(h * w), { shape: [h, w], dtype: act.dtype });
    return div(sub(up, lo), hi - lo);
  });
}
