/**
 * What the auto-encoder family shares: option readers that name the model, the activations it offers, the
 * input check of the image models and the flattening of MLP inputs.
 * @module
 */
import { ShapeError, ValueError, assertNever, fmtShape } from '../../errors.js';
import { ReLU, Sigmoid, Tanh } from '../../nn/activation.js';
import type { Layer } from '../../nn/module.js';
import { reshape } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * The options every zoo model takes, so a run's recorded options fit any entry: the image channels and size, and
 * the data set's number of classes, which the auto-encoders and VAEs ignore (their tasks ignore the labels).
 */
export interface GenerativeZooOptions {
  /** Image channels (default 1). */
  inChannels?: number;
  /** Image height and width (default 28). */
  inputSize?: number;
  /** The data set's classes, as the CLI passes to every zoo model and runs record; auto-encoders do not use it. */
  numClasses?: number;
}

/** Hidden-layer nonlinearities of the auto-encoders. */
export type AeActivation = 'relu' | 'sigmoid' | 'tanh';

/** A layer for an activation name (a ValueError names the model and the valid names). */
export function activationLayer(model: string, option: string, name: unknown): Layer {
  const n = name as AeActivation;
  switch (n) {
    case 'relu': return new ReLU();
    case 'sigmoid': return new Sigmoid();
    case 'tanh': return new Tanh();
    default:
      if (typeof name === 'string') throw new ValueError(`${model}: option ${option} must be 'relu', 'sigmoid' or 'tanh', got '${name}'`);
      return assertNever(n, `${model} ${option}`);
  }
}

/** A positive-integer option. */
export function posInt(model: string, name: string, v: unknown, dflt: number): number {
  const n = v ?? dflt;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${model}: option ${name} must be a positive integer, got ${String(v)}`);
  return n;
}

/** A number option within [lo, hi] (`open` excludes the bounds). */
export function numIn(model: string, name: string, v: unknown, dflt: number, lo: number, hi: number, open = false): number {
  const n = v ?? dflt;
  const ok = typeof n === 'number' && (open ? n > lo && n < hi : n >= lo && n <= hi);
  if (!ok) throw new ValueError(`${model}: option ${name} must be a number in ${open ? '(' : '['}${lo}, ${hi}${open ? ')' : ']'}, got ${String(v)}`);
  return n as number;
}

/** One of a set of string options. */
export function oneOf<T extends string>(model: string, name: string, v: unknown, dflt: T, choices: readonly T[]): T {
  const s = v ?? dflt;
  if (typeof s !== 'string' || !(choices as readonly string[]).includes(s)) {
    throw new ValueError(`${model}: option ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return s as T;
}

/**
 * Flattens an MLP model's input to [N, features]: [N, C, H, W] images (or any [N, ...]) whose trailing sizes
 * multiply to `features`; a ShapeError names the model and what it takes.
 */
export function flattenInput(model: string, x: Tensor, features: number): Tensor {
  const n = x.ndim >= 2 ? x.shape.slice(1).reduce((a, b) => a * b, 1) : -1;
  if (x.ndim < 2 || n !== features) {
    throw new ShapeError(`${model}: input must be [N, ${features}] or [N, C, H, W] with C*H*W = ${features}, got shape ${fmtShape(x.shape)}`);
  }
  return x.ndim === 2 ? x : reshape(x, [x.shape[0], features]);
}

/** The side of a square grey image of `features` pixels, or null (how MLP outputs are drawn as images). */
export function squareSide(features: number): number | null {
  const s = Math.round(Math.sqrt(features));
  return s * s === features ? s : null;
}
