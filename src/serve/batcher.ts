/**
 * Dynamic batching: samples of concurrent requests wait up to `maxWaitMs` for each other and go through the
 * model in one forward of at most `maxBatch` samples. A model forward costs little more for 32 samples than for
 * one (the kernels are matrix products), so under load the server answers many more requests per second; with
 * `maxBatch` 1 every request runs alone as soon as it arrives.
 * @module
 */
import { ValueError } from '../errors.js';
import { cat } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of DynamicBatcher. */
export interface BatcherOptions {
  /** Most samples per forward (1: no batching). */
  maxBatch: number;
  /** Longest a sample waits for others before its batch runs anyway, in milliseconds (0: only those already queued). */
  maxWaitMs: number;
  /** Called after each forward with its number of samples and its duration in seconds. */
  onBatch?: (size: number, seconds: number) => void;
}

interface Pending {
  input: Tensor;
  resolve: (rows: Float32Array[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Queues inputs [n, ...] and runs `forward` on batches of them concatenated along dim 0; `forward` returns one
 * row per sample, [N, K], and each caller gets its own n rows back. A failing forward rejects every request of
 * its batch (with the error), and the batcher goes on serving.
 */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private rows = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private running = 0;
  private idle: (() => void)[] = [];
  /** Most samples in one forward. */
  readonly maxBatch: number;
  /** Longest wait (ms) of a first request for others to join its batch. */
  readonly maxWaitMs: number;

  /** Batches calls of `forward` ([N, ...] -> [N, K]). */
  constructor(private readonly forward: (x: Tensor) => Tensor, private readonly opts: BatcherOptions) {
    if (!Number.isInteger(opts.maxBatch) || opts.maxBatch < 1) throw new ValueError(`DynamicBatcher: maxBatch must be a positive integer, got ${opts.maxBatch}`);
    if (!(opts.maxWaitMs >= 0) || !Number.isFinite(opts.maxWaitMs)) throw new ValueError(`DynamicBatcher: maxWaitMs must be a finite number >= 0, got ${opts.maxWaitMs}`);
    this.maxBatch = opts.maxBatch;
    this.maxWaitMs = opts.maxWaitMs;
  }

  /** Samples waiting for a forward. */
  get queued(): number {
    return this.rows;
  }

  /** The model's rows for `input` [n, ...] (1 <= n <= maxBatch), computed in a batch with other callers' samples. */
  submit(input: Tensor): Promise<Float32Array[]> {
    const n = input.shape[0];
    if (this.closed) return Promise.reject(new ValueError('DynamicBatcher.submit: the batcher is closed'));
    if (!(n >= 1 && n <= this.maxBatch)) return Promise.reject(new ValueError(`DynamicBatcher.submit: a request holds 1 to ${this.maxBatch} samples (the largest batch), got ${n}`));
    return new Promise((resolve, reject) => {
      // a batch never exceeds maxBatch: what is queued goes first when this request would not fit beside it
      if (this.rows + n > this.maxBatch) this.flush();
      this.queue.push({ input, resolve, reject });
      this.rows += n;
      if (this.rows >= this.maxBatch) this.flushSoon(0);
      else if (this.timer === null) this.flushSoon(this.maxWaitMs);
    });
  }

  /** Runs what is queued now (after `ms`), letting the current request handler return first. */
  private flushSoon(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), ms);
  }

  /** Runs the queued samples as one forward and hands each caller its rows. */
  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const size = this.rows;
    this.rows = 0;
    this.running++;
    const t0 = process.hrtime.bigint();
    try {
      const x = batch.length === 1 ? batch[0].input : cat(batch.map((p) => p.input), 0);
      const y = this.forward(x);
      if (y.shape.length !== 2 || y.shape[0] !== size) throw new ValueError(`DynamicBatcher: forward must return [${size}, K] for ${size} samples, got [${y.shape.join(', ')}]`);
      const k = y.shape[1];
      const flat = y.toTypedArray() as Float32Array;
      this.opts.onBatch?.(size, Number(process.hrtime.bigint() - t0) / 1e9);
      let at = 0;
      for (const p of batch) {
        const n = p.input.shape[0];
        const rows: Float32Array[] = [];
        for (let i = 0; i < n; i++, at++) rows.push(Float32Array.from(flat.subarray(at * k, (at + 1) * k)));
        p.resolve(rows);
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.running--;
      if (this.running === 0 && this.rows === 0) for (const f of this.idle.splice(0)) f();
    }
  }

  /** Refuses new samples, runs those queued now, and resolves when none is left. */
  close(): Promise<void> {
    this.closed = true;
    if (this.rows > 0) this.flush();
    if (this.running === 0 && this.rows === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
