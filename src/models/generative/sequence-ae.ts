/**
 * A sequence auto-encoder for windows of a multivariate time series (the LSTM encoder-decoder of Malhotra et al.,
 * "LSTM-based Encoder-Decoder for Multi-sensor Anomaly Detection", 2016, in its repeat-vector form): a recurrent
 * encoder reads the window [N, T, F] and keeps its last hidden state as the code [N, H]; the decoder reads the
 * code at every step and a linear layer maps its outputs back to [N, T, F]. Trained on normal windows only, it
 * reconstructs normal behaviour well and unusual behaviour badly, so the reconstruction error is an anomaly score.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { GRU, LSTM } from '../../nn/recurrent.js';
import { select } from '../../ops/indexing.js';
import { cat, expand, narrow, unsqueeze } from '../../ops/movement.js';
import { mean } from '../../ops/reduce.js';
import { square, sub } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';

/** The recurrent cell of a SequenceAE. */
export type SequenceCell = 'lstm' | 'gru';

/** Options of SequenceAE. */
export interface SequenceAEOptions {
  /** Features per step F (default 1). */
  features?: number;
  /** Hidden size H of encoder and decoder, which is also the code size (default 32). */
  hiddenSize?: number;
  /** 'lstm' (default) or 'gru'. */
  cell?: SequenceCell;
  /** Stacked recurrent layers in encoder and decoder (default 1). */
  numLayers?: number;
}

/**
 * Sequence auto-encoder: windows [N, T, F] -> reconstructions [N, T, F] through a code [N, H]. Parameters:
 * `encoder.*` and `decoder.*` (PyTorch's LSTM/GRU names, batchFirst), `output.weight` [F, H], `output.bias`.
 */
export class SequenceAE extends Module implements Layer {
  /** Features per step. */
  readonly features: number;
  /** Hidden and code size. */
  readonly hiddenSize: number;
  /** The recurrent cell. */
  readonly cell: SequenceCell;
  /** Reads the window; its last hidden state is the code. */
  encoder: LSTM | GRU;
  /** Reads the code at every step. */
  decoder: LSTM | GRU;
  /** Maps decoder outputs to features. */
  output: Linear;

  /** Builds the model (see SequenceAEOptions for the defaults). */
  constructor(opts: SequenceAEOptions = {}) {
    super();
    const name = 'SequenceAE';
    this.features = positiveInt(name, 'features', opts.features, 1);
    this.hiddenSize = positiveInt(name, 'hiddenSize', opts.hiddenSize, 32);
    const layers = positiveInt(name, 'numLayers', opts.numLayers, 1);
    const cell = opts.cell ?? 'lstm';
    if (cell !== 'lstm' && cell !== 'gru') throw new ValueError(`${name}: option cell must be 'lstm' or 'gru', got ${JSON.stringify(cell)}`);
    this.cell = cell;
    const Rnn = cell === 'lstm' ? LSTM : GRU;
    this.encoder = new Rnn(this.features, this.hiddenSize, { batchFirst: true, numLayers: layers });
    this.decoder = new Rnn(this.hiddenSize, this.hiddenSize, { batchFirst: true, numLayers: layers });
    this.output = new Linear(this.hiddenSize, this.features);
  }

  private check(op: string, x: Tensor): void {
    if (x.ndim !== 3 || x.shape[2] !== this.features || x.shape[1] < 1) {
      throw new ShapeError(`${op}: input must be windows [N, T, ${this.features}] (batch, steps, features), got shape ${fmtShape(x.shape)}`);
    }
  }

  /** The code of each window: the encoder's last hidden state (top layer), [N, T, F] -> [N, H]. */
  encode(x: Tensor): Tensor {
    this.check('SequenceAE.encode', x);
    const out = this.encoder instanceof LSTM ? this.encoder.forward(x)[0] : this.encoder.forward(x)[0];
    return select(out, 1, x.shape[1] - 1);
  }

  /** Reconstructions [N, steps, F] of codes [N, H]. */
  decode(code: Tensor, steps: number): Tensor {
    if (code.ndim !== 2 || code.shape[1] !== this.hiddenSize) throw new ShapeError(`SequenceAE.decode: code must be [N, ${this.hiddenSize}], got shape ${fmtShape(code.shape)}`);
    positiveInt('SequenceAE.decode', 'steps', steps, 1);
    const input = expand(unsqueeze(code, 1), [code.shape[0], steps, this.hiddenSize]);
    const out = this.decoder instanceof LSTM ? this.decoder.forward(input)[0] : this.decoder.forward(input)[0];
    return this.output.forward(out);
  }

  /** Reconstructions [N, T, F] of windows [N, T, F]. */
  forward(x: Tensor): Tensor {
    return this.decode(this.encode(x), x.shape[1]);
  }
}

/**
 * Per-step reconstruction errors of `windows` [N, T, F] under `model` (eval mode, no gradients, in batches of
 * `batchSize`, default 512): the squared error averaged over features, [N, T]. The model's mode is restored.
 */
export function reconstructionErrors(model: Layer & Module, windows: Tensor, opts: { batchSize?: number } = {}): Tensor {
  const op = 'reconstructionErrors';
  if (windows.ndim !== 3) throw new ShapeError(`${op}: windows must be [N, T, F], got shape ${fmtShape(windows.shape)}`);
  const bs = positiveInt(op, 'batchSize', opts.batchSize, 512);
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < windows.shape[0]; i += bs) {
        const x = narrow(windows, 0, i, Math.min(bs, windows.shape[0] - i));
        const y = model.forward(x);
        if (y.ndim !== 3 || y.shape.some((d, k) => d !== x.shape[k])) throw new ShapeError(`${op}: the model must return reconstructions of the input's shape ${fmtShape(x.shape)}, got ${fmtShape(y.shape)}`);
        parts.push(mean(square(sub(y, x)), 2));
      }
      return cat(parts, 0);
    });
  } finally {
    model.train(was);
  }
}
