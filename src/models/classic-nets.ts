/**
 * The first models of the zoo: logistic (softmax) regression, a multi-layer perceptron and LeNet-5 in the
 * course's layout. Each takes [N, C, H, W] images and returns class logits [N, numClasses].
 * @module
 */
import { ValueError } from '../errors.js';
import { Sequential } from '../nn/containers.js';
import { Conv2d } from '../nn/conv.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten, Linear } from '../nn/linear.js';
import type { Layer } from '../nn/module.js';
import { AvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { ReLU, Sigmoid, Tanh } from '../nn/activation.js';

/** What every image classifier of the zoo is built for. */
export interface ImageClassifierOptions {
  /** Input channels (default 1). */
  inChannels?: number;
  /** Input height and width (default 28). */
  inputSize?: number;
  /** Number of classes (default 10). */
  numClasses?: number;
}

/** Hidden-layer nonlinearities the zoo offers. */
export type ActivationName = 'relu' | 'tanh' | 'sigmoid';

function activation(name: ActivationName): Layer {
  if (name === 'relu') return new ReLU();
  if (name === 'tanh') return new Tanh();
  if (name === 'sigmoid') return new Sigmoid();
  throw new ValueError(`activation must be one of relu, tanh, sigmoid, got '${String(name)}'`);
}

function dims(o: ImageClassifierOptions): { c: number; s: number; k: number } {
  const c = o.inChannels ?? 1;
  const s = o.inputSize ?? 28;
  const k = o.numClasses ?? 10;
  for (const [n, v] of [['inChannels', c], ['inputSize', s], ['numClasses', k]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`model option ${n} must be a positive integer, got ${v}`);
  }
  return { c, s, k };
}

/** Multinomial logistic regression: flatten, then one linear layer to the class logits (softmax is in the loss). */
export function logisticRegression(opts: ImageClassifierOptions = {}): Sequential {
  const { c, s, k } = dims(opts);
  return new Sequential(new Flatten(), new Linear(c * s * s, k));
}

/** Options of the MLP. */
export interface MlpOptions extends ImageClassifierOptions {
  /** Hidden layer widths (default [256, 128]). */
  hidden?: readonly number[];
  /** Hidden nonlinearity (default relu). */
  activation?: ActivationName;
  /** Dropout after each hidden layer (default 0). */
  dropout?: number;
}

/** A multi-layer perceptron: flatten, hidden Linear + activation (+ dropout) layers, a Linear to the logits. */
export function mlp(opts: MlpOptions = {}): Sequential {
  const { c, s, k } = dims(opts);
  const hidden = opts.hidden ?? [256, 128];
  const layers: Layer[] = [new Flatten()];
  let width = c * s * s;
  for (const h of hidden) {
    layers.push(new Linear(width, h), activation(opts.activation ?? 'relu'));
    if (opts.dropout) layers.push(new Dropout(opts.dropout));
    width = h;
  }
  layers.push(new Linear(width, k));
  return new Sequential(...layers);
}

/** Options of LeNet-5. */
export interface LeNetOptions extends ImageClassifierOptions {
  /** Nonlinearity after each conv and hidden layer (default relu; LeCun's original used a scaled tanh). */
  activation?: ActivationName;
  /** Subsampling: max pooling (default) or average pooling (the original's). */
  pool?: 'max' | 'avg';
  /**
   * Dropout probability after each hidden fully connected layer (120 and 84; default 0). At 0 no Dropout layer is
   * built, so the layer indices and weight names stay those of the plain LeNet-5 and its checkpoints load unchanged.
   */
  dropout?: number;
}

/**
 * LeNet-5 as the course lays it out: conv 6@5x5 (padded by 2 so 28x28 inputs keep their size, as the original's
 * 32x32 inputs did), pool 2, conv 16@5x5, pool 2, then 120, 84 and numClasses units. 61,706 parameters on MNIST.
 * With `dropout` > 0, Dropout follows the 120- and 84-unit layers (the head then sits at index 13, not 11).
 */
export function lenet5(opts: LeNetOptions = {}): Sequential {
  const { c, s, k } = dims(opts);
  const act = opts.activation ?? 'relu';
  const pool = () => (opts.pool === 'avg' ? new AvgPool2d(2) : new MaxPool2d(2));
  const after = Math.floor((Math.floor(s / 2) - 4) / 2);
  if (after < 1) throw new ValueError(`lenet5: inputSize ${s} is too small (needs at least 12)`);
  const p = opts.dropout ?? 0;
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ValueError(`lenet5: dropout must be a number in [0, 1), got ${String(p)}`);
  const drop = (): Layer[] => (p > 0 ? [new Dropout(p)] : []);
  return new Sequential(
    new Conv2d(c, 6, 5, { padding: 2 }), activation(act), pool(),
    new Conv2d(6, 16, 5), activation(act), pool(),
    new Flatten(),
    new Linear(16 * after * after, 120), activation(act), ...drop(),
    new Linear(120, 84), activation(act), ...drop(),
    new Linear(84, k),
  );
}
