/**
 * Batches for truncated back-propagation through time over one long symbol stream, as PyTorch's
 * word_language_model example does it: the stream is cut into `batchSize` contiguous rows, and batch k holds
 * columns [k*seqLen, (k+1)*seqLen) of every row with the next symbols as targets. Row b of batch k+1 continues row b
 * of batch k, so a model may carry its recurrent state from one batch to the next.
 * @module
 */
import { ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of BpttBatches. */
export interface BpttOptions {
  /** Parallel rows of the stream (N). */
  batchSize: number;
  /** Time steps per batch (L); the last batch of an epoch may be shorter. */
  seqLen: number;
}

/** Iterates [inputs, targets], each int32 [batchSize, seqLen], over a symbol stream (see the module doc). */
export class BpttBatches implements Iterable<[Tensor, Tensor]> {
  /** Symbols per row (the stream's tail that does not fill a row is dropped). */
  readonly rowLength: number;
  private readonly rows: Int32Array;

  /** Cuts `symbols` into rows; needs at least two symbols per row. */
  constructor(symbols: ArrayLike<number>, readonly opts: BpttOptions) {
    const { batchSize, seqLen } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`BpttBatches: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(seqLen) || seqLen < 1) throw new ValueError(`BpttBatches: seqLen must be a positive integer, got ${seqLen}`);
    this.rowLength = Math.floor(symbols.length / batchSize);
    if (this.rowLength < 2) throw new ValueError(`BpttBatches: ${symbols.length} symbols are too few for ${batchSize} rows of at least 2`);
    this.rows = new Int32Array(batchSize * this.rowLength);
    for (let i = 0; i < this.rows.length; i++) this.rows[i] = symbols[i];
  }

  /** Batches per epoch. */
  get length(): number {
    return Math.ceil((this.rowLength - 1) / this.opts.seqLen);
  }

  /** Symbols predicted per epoch (targets in all batches). */
  get targetCount(): number {
    return (this.rowLength - 1) * this.opts.batchSize;
  }

  /** Batch k (0-based): inputs and next-symbol targets [batchSize, min(seqLen, rowLength - 1 - k*seqLen)]. */
  batch(k: number): [Tensor, Tensor] {
    const { batchSize, seqLen } = this.opts;
    const start = k * seqLen;
    if (!Number.isInteger(k) || k < 0 || start >= this.rowLength - 1) throw new ValueError(`BpttBatches: batch must be in 0..${this.length - 1}, got ${k}`);
    const len = Math.min(seqLen, this.rowLength - 1 - start);
    const x = new Int32Array(batchSize * len);
    const y = new Int32Array(batchSize * len);
    for (let b = 0; b < batchSize; b++) {
      const row = b * this.rowLength + start;
      x.set(this.rows.subarray(row, row + len), b * len);
      y.set(this.rows.subarray(row + 1, row + 1 + len), b * len);
    }
    return [tensor(x, { shape: [batchSize, len] }), tensor(y, { shape: [batchSize, len] })];
  }

  /** The batches in stream order. */
  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    for (let k = 0; k < this.length; k++) yield this.batch(k);
  }
}
