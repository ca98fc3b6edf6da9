/**
 * Training progress: on a terminal, a live bar per epoch (batches done, samples/s, running loss and metrics,
 * ETA) redrawn in place; when the output is piped or `ci` is set, one plain line per epoch. Writes to an
 * injected sink, so Node's `process.stdout` (which has `isTTY` and `columns`) or a test buffer both work.
 * @module
 */
import { ValueError } from '../errors.js';
import { nowMs } from './platform.js';
import type { BatchLogs, Callback, EpochLogs, FitContext } from './types.js';

/** Where progress goes: anything with `write`; `isTTY` enables the live bar, `columns` caps its width. */
export interface ProgressSink {
  /** Writes text as is. */
  write(text: string): unknown;
  /** True for an interactive terminal. */
  readonly isTTY?: boolean;
  /** Terminal width in characters. */
  readonly columns?: number;
}

/** Options of ProgressBar. */
export interface ProgressBarOptions {
  /** The output. */
  sink: ProgressSink;
  /** Plain lines even on a terminal (set it from the CI environment variable). */
  ci?: boolean;
  /** Clock in milliseconds (default `performance.now()`), injectable for tests. */
  now?: () => number;
  /** Least time between redraws of the live bar, in milliseconds (default 100). */
  refreshMs?: number;
  /** Width of the bar itself in characters (default 24). */
  barWidth?: number;
}

/** A number as progress shows it: 4 decimals in [0.001, 1e5), else 3 significant digits in exponent form. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  return a === 0 || (a >= 1e-3 && a < 1e5) ? v.toFixed(4) : v.toExponential(2);
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const HIDDEN = new Set(['epoch', 'batch', 'size', 'time', 'lr']);

/** `key value` pairs of the logs' loss and metric values, in log order. */
function valuePairs(logs: Record<string, number>): string[] {
  return Object.entries(logs).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => `${k} ${formatNumber(v)}`);
}

/** The bar for `done` of `total` batches (`[=====>......]`), or the count alone when the total is unknown. */
export function formatBar(done: number, total: number | null, width: number): string {
  if (total === null || total <= 0) return `${done} batches`;
  const filled = Math.min(width, Math.floor((done / total) * width));
  const head = done >= total ? '=' : '>';
  const bar = filled >= width ? '='.repeat(width) : `${'='.repeat(filled)}${head}${'.'.repeat(width - filled - 1)}`;
  const w = String(total).length;
  return `[${bar}] ${String(done).padStart(w)}/${total}`;
}

/** Progress of `fit`, as a callback: `new ProgressBar({sink: process.stdout, ci: process.env.CI === 'true'})`. */
export class ProgressBar implements Callback {
  private readonly live: boolean;
  private readonly now: () => number;
  private readonly refreshMs: number;
  private readonly barWidth: number;
  private epochStart = 0;
  private lastBatchEnd = 0;
  private lastDraw = -Infinity;
  private samples = 0;
  private batches = 0;

  /** Creates the progress display. */
  constructor(readonly opts: ProgressBarOptions) {
    if (opts === null || typeof opts !== 'object' || opts.sink === null || typeof opts.sink?.write !== 'function') throw new ValueError('ProgressBar: opts.sink must have a write(text) method');
    this.live = Boolean(opts.sink.isTTY) && !opts.ci;
    this.now = opts.now ?? nowMs;
    this.refreshMs = opts.refreshMs ?? 100;
    this.barWidth = opts.barWidth ?? 24;
  }

  private fit(line: string): string {
    const cols = this.opts.sink.columns;
    return cols && cols > 1 && line.length > cols - 1 ? line.slice(0, cols - 1) : line;
  }

  /** Starts the epoch's clock and counters. */
  onEpochBegin(): void {
    this.epochStart = this.now();
    this.lastBatchEnd = this.epochStart;
    this.lastDraw = -Infinity;
    this.samples = 0;
    this.batches = 0;
  }

  /** Redraws the live bar (at most every refreshMs, and always at the last batch). */
  onBatchEnd(batch: number, logs: BatchLogs, ctx: FitContext): void {
    this.batches = batch;
    this.samples += logs.size;
    const t = this.now();
    this.lastBatchEnd = t;
    if (!this.live) return;
    const total = ctx.batchesPerEpoch;
    if (t - this.lastDraw < this.refreshMs && batch !== total) return;
    this.lastDraw = t;
    const elapsed = (t - this.epochStart) / 1000;
    const rate = elapsed > 0 ? this.samples / elapsed : 0;
    const parts = [`Epoch ${ctx.epoch}/${ctx.epochs} ${formatBar(batch, total, this.barWidth)}`, `${Math.round(rate)} samples/s`, ...valuePairs(logs)];
    if (total !== null) parts.push(`ETA ${formatClock((elapsed / batch) * (total - batch))}`);
    this.opts.sink.write(`\r${this.fit(parts.join(' - '))}\x1b[K`);
  }

  /** Writes the epoch's summary line (replacing the live bar on a terminal). */
  onEpochEnd(epoch: number, logs: EpochLogs, ctx: FitContext): void {
    const train = (this.lastBatchEnd - this.epochStart) / 1000;
    const rate = train > 0 ? this.samples / train : 0;
    const seconds = logs.time ?? (this.now() - this.epochStart) / 1000;
    const total = ctx.batchesPerEpoch;
    const head = this.live ? `Epoch ${epoch}/${ctx.epochs} ${formatBar(this.batches, total ?? this.batches, this.barWidth)}` : `Epoch ${epoch}/${ctx.epochs} - ${this.batches} batches`;
    const parts = [head, `${seconds.toFixed(1)}s`, `${Math.round(rate)} samples/s`, ...valuePairs(logs)];
    if ('lr' in logs) parts.push(`lr ${formatNumber(logs.lr)}`);
    const line = parts.join(' - ');
    this.opts.sink.write(this.live ? `\r${line}\x1b[K\n` : `${line}\n`);
  }

  /** Says why training stopped early, when it did. */
  onTrainEnd(ctx: FitContext): void {
    if (ctx.stopReason) this.opts.sink.write(`${ctx.stopReason}\n`);
  }
}
