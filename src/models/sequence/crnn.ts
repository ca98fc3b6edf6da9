/**
 * CRNN (Shi, Bai & Yao, An End-to-End Trainable Neural Network for Image-based Sequence Recognition, TPAMI 2017):
 * a convolutional feature extractor whose output columns, left to right, are a sequence for a bidirectional LSTM,
 * read out per column into class scores plus a CTC blank. Sized here for short grey strips (14 x 112 digit strings
 * made from MNIST): three 3x3 conv + batch-norm + ReLU stages, 2x2 max pooling after the first two, so each of the
 * W/4 columns sees about 4 strip pixels of stride and ~20 pixels of receptive field.
 * @module
 */
import { ValueError } from '../../errors.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { MaxPool2d } from '../../nn/pooling.js';
import { ReLU } from '../../nn/activation.js';
import { LSTM } from '../../nn/recurrent.js';
import { permute, reshape } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ctcBeamSearchDecode, ctcGreedyDecode } from '../../text/ctc-decode.js';

/** Options of CRNN. */
export interface CrnnOptions {
  /** Symbol classes without the blank (default 10 digits); the model scores numClasses + 1, the blank last. */
  numClasses?: number;
  /** Input channels (default 1). */
  inChannels?: number;
  /** Input height in pixels (default 14); the columns' feature size depends on it. */
  imageHeight?: number;
  /** Channels of the three conv stages (default [16, 32, 48]). */
  channels?: readonly [number, number, number];
  /** Hidden units of each direction of the LSTM (default 64). */
  hiddenSize?: number;
  /** Stacked bidirectional LSTM layers (default 1). */
  numLayers?: number;
  /** Prefix beam width of `decode` (default 1: greedy best path). */
  beamWidth?: number;
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`crnn: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * The CRNN: images [N, C, H, W] -> conv features [N, c3, H/4, W/4] -> columns [W/4, N, c3 * H/4] -> BiLSTM
 * [W/4, N, 2 hidden] -> frame scores [W/4, N, numClasses + 1] (logits, time first as `ctcLoss` wants them).
 * Parameter names: `cnn.0.weight` ..., `rnn.weight_ih_l0(_reverse)` ..., `fc.weight`, `fc.bias`.
 */
export class CRNN extends Module implements Layer {
  /** The conv feature extractor. */
  readonly cnn: Sequential;
  /** The bidirectional recurrence over columns (time first). */
  readonly rnn: LSTM;
  /** Per-column read-out to class scores. */
  readonly fc: Linear;
  /** The blank class: the last one, numClasses. */
  readonly blank: number;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<CrnnOptions>;

  /** Builds the model. */
  constructor(opts: CrnnOptions = {}) {
    super();
    const numClasses = positive('numClasses', opts.numClasses ?? 10);
    const inChannels = positive('inChannels', opts.inChannels ?? 1);
    const imageHeight = positive('imageHeight', opts.imageHeight ?? 14);
    const channels = opts.channels ?? [16, 32, 48];
    if (!Array.isArray(channels) || channels.length !== 3) throw new ValueError(`crnn: option channels must be three positive integers, got ${JSON.stringify(channels)}`);
    channels.forEach((c, i) => positive(`channels[${i}]`, c));
    const hiddenSize = positive('hiddenSize', opts.hiddenSize ?? 64);
    const numLayers = positive('numLayers', opts.numLayers ?? 1);
    const beamWidth = positive('beamWidth', opts.beamWidth ?? 1);
    const featH = Math.floor(Math.floor(imageHeight / 2) / 2);
    if (featH < 1) throw new ValueError(`crnn: option imageHeight must be at least 4 (two 2x2 poolings), got ${imageHeight}`);
    this.options = { numClasses, inChannels, imageHeight, channels, hiddenSize, numLayers, beamWidth };
    const [c1, c2, c3] = channels;
    const stage = (i: number, o: number): Layer[] => [new Conv2d(i, o, 3, { padding: 1, bias: false }), new BatchNorm2d(o), new ReLU()];
    this.cnn = new Sequential(...stage(inChannels, c1), new MaxPool2d(2), ...stage(c1, c2), new MaxPool2d(2), ...stage(c2, c3));
    this.rnn = new LSTM(c3 * featH, hiddenSize, { bidirectional: true, numLayers });
    this.fc = new Linear(2 * hiddenSize, numClasses + 1);
    this.blank = numClasses;
  }

  /** Frame scores [W/4, N, numClasses + 1] for images [N, C, imageHeight, W]. */
  forward(x: Tensor): Tensor {
    const { inChannels, imageHeight } = this.options;
    if (x.ndim !== 4 || x.shape[1] !== inChannels || x.shape[2] !== imageHeight) {
      throw new ValueError(`crnn: input must be images [N, ${inChannels}, ${imageHeight}, W], got shape [${x.shape.join(', ')}]`);
    }
    const f = this.cnn.forward(x);
    const [n, c, h, w] = f.shape;
    // columns become time steps; each column's channels x rows are its features
    const seq = reshape(permute(f, [3, 0, 1, 2]), [w, n, c * h]);
    const [out] = this.rnn.forward(seq, null);
    return this.fc.forward(out);
  }

  /** Digit sequences read from log-probabilities [T, N, numClasses + 1]: greedy, or prefix beam search when beamWidth > 1. */
  decode(logProbs: Tensor): number[][] {
    const bw = this.options.beamWidth;
    if (bw === 1) return ctcGreedyDecode(logProbs, { blank: this.blank });
    return ctcBeamSearchDecode(logProbs, { blank: this.blank, beamWidth: bw }).map((hyps) => hyps[0]?.labels ?? []);
  }
}
