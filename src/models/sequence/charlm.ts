/**
 * The character language model of chapter 9: an embedding of each symbol, a stack of recurrent layers (LSTM, GRU
 * or a plain tanh RNN) and a linear read-out to next-symbol logits, as PyTorch's word_language_model example
 * (encoder, rnn, decoder). Trained with truncated back-propagation through time by the language-model task, which
 * carries the recurrent state from one batch to the next; `generate` samples text from it.
 * @module
 */
import { ValueError } from '../../errors.js';
import { Dropout } from '../../nn/dropout.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { GRU, LSTM, RNN } from '../../nn/recurrent.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The recurrent cell of a CharLM. */
export type CellName = 'lstm' | 'gru' | 'rnn';

/** The cells a CharLM can use. */
export const CELL_NAMES: readonly CellName[] = ['lstm', 'gru', 'rnn'];

/** Options of CharLM. */
export interface CharLMOptions {
  /** Number of symbols (default 96). Zoo builders also accept it as `numClasses`. */
  vocabSize?: number;
  /** The zoo's generic name for the vocabulary size (used when vocabSize is absent). */
  numClasses?: number;
  /** Recurrent cell (default 'lstm'). */
  cell?: CellName;
  /** Embedding size (default 64). */
  embedDim?: number;
  /** Hidden units per recurrent layer (default 256). */
  hiddenSize?: number;
  /** Stacked recurrent layers (default 2). */
  numLayers?: number;
  /** Dropout on the embeddings, between recurrent layers and before the read-out, in training (default 0). */
  dropout?: number;
}

/** The recurrent state of a CharLM: the LSTM's [h, c] or the GRU's/RNN's h, each [numLayers, N, hiddenSize]. */
export type CharLMState = Tensor | readonly [Tensor, Tensor];

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`charlm: option ${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Character-level language model: symbols [N, L] (int32) -> embedding [N, L, E] -> recurrent layers [N, L, H] ->
 * logits [N, L, vocabSize] of the next symbol. Parameter names: `encoder.weight`, `rnn.weight_ih_l0`, ...,
 * `decoder.weight` / `decoder.bias` (PyTorch's example's names).
 */
export class CharLM extends Module implements Layer {
  /** The symbol embedding [vocabSize, embedDim]. */
  readonly encoder: Embedding;
  /** The recurrent stack (batch first). */
  readonly rnn: LSTM | GRU | RNN;
  /** The read-out to logits. */
  readonly decoder: Linear;
  /** Dropout on embeddings and recurrent outputs. */
  readonly drop: Dropout;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<Omit<CharLMOptions, 'numClasses'>>;

  /** Builds the model. */
  constructor(opts: CharLMOptions = {}) {
    super();
    const vocabSize = positive('vocabSize', opts.vocabSize ?? opts.numClasses ?? 96);
    const cell = opts.cell ?? 'lstm';
    if (!CELL_NAMES.includes(cell)) throw new ValueError(`charlm: option cell must be one of ${CELL_NAMES.join(', ')}, got '${String(cell)}'`);
    const embedDim = positive('embedDim', opts.embedDim ?? 64);
    const hiddenSize = positive('hiddenSize', opts.hiddenSize ?? 256);
    const numLayers = positive('numLayers', opts.numLayers ?? 2);
    const dropout = opts.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1)) throw new ValueError(`charlm: option dropout must be in [0, 1), got ${dropout}`);
    this.options = { vocabSize, cell, embedDim, hiddenSize, numLayers, dropout };
    this.encoder = new Embedding(vocabSize, embedDim);
    const ro = { numLayers, batchFirst: true, dropout: numLayers > 1 ? dropout : 0 };
    this.rnn = cell === 'lstm' ? new LSTM(embedDim, hiddenSize, ro) : cell === 'gru' ? new GRU(embedDim, hiddenSize, ro) : new RNN(embedDim, hiddenSize, ro);
    this.drop = new Dropout(dropout);
    this.decoder = new Linear(hiddenSize, vocabSize);
  }

  /** Logits [N, L, vocabSize] for symbols [N, L], starting from a zero state. */
  forward(x: Tensor): Tensor {
    return this.step(x, null)[0];
  }

  /** Logits [N, L, vocabSize] for symbols [N, L] starting from `state` (null: zeros), and the state after them. */
  step(x: Tensor, state: CharLMState | null): [Tensor, CharLMState] {
    if (x.ndim !== 2) throw new ValueError(`charlm: input must be symbols [N, L] (int32), got shape [${x.shape.join(', ')}]`);
    const e = this.drop.forward(this.encoder.forward(x));
    let out: Tensor;
    let next: CharLMState;
    if (this.rnn instanceof LSTM) {
      [out, next] = this.rnn.forward(e, state as readonly [Tensor, Tensor] | null);
    } else {
      [out, next] = this.rnn.forward(e, state as Tensor | null);
    }
    return [this.decoder.forward(this.drop.forward(out)), next];
  }
}

/** The state with its history cut (truncated back-propagation through time). */
export function detachState(state: CharLMState): CharLMState {
  return Array.isArray(state) ? [state[0].detach(), state[1].detach()] as const : (state as Tensor).detach();
}
