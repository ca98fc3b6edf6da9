/**
 * Callbacks for `fit`: EarlyStopping, the CSV and JSON-lines epoch loggers and the learning-rate logger
 * (ModelCheckpoint is in checkpoint.ts, ProgressBar in progress.ts). Loggers write through a FileStore; when a
 * run resumes from epoch k they first drop any rows after epoch k (written before a crash), so a resumed log
 * reads as if the run had never stopped.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import type { StateDict } from '../nn/module.js';
import { clone } from '../ops/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { autoMode, monitoredValue } from './checkpoint.js';
import { utf8Decode, utf8Encode } from './platform.js';
import { checkFileName, type FileStore } from './store.js';
import type { BatchLogs, Callback, EpochLogs, FitContext } from './types.js';

/** Options of EarlyStopping. */
export interface EarlyStoppingOptions {
  /** The log value watched (default `val_loss` when validation runs, else `loss`). */
  monitor?: string;
  /** Epochs without improvement after which training stops (default 0: stop at the first). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Whether lower or higher is better; 'auto' (default): higher for accuracy/f1/precision/recall names. */
  mode?: 'min' | 'max' | 'auto';
  /** At the end of training, load the weights of the best epoch back into the model (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs in a row
 * (Keras's EarlyStopping). With `restoreBestWeights`, the best epoch's weights are loaded back when training
 * ends — whether it stopped early or ran to the last epoch (Keras 3 behaviour).
 */
export class EarlyStopping implements Callback {
  /** Best value so far (null before the first epoch). */
  best: number | null = null;
  /** Epoch of the best value. */
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** A copy of the weights at the best epoch (kept only with restoreBestWeights). */
  bestWeights: StateDict | null = null;
  private readonly patience: number;
  private readonly minDelta: number;

  /** Creates the callback. */
  constructor(readonly opts: EarlyStoppingOptions = {}) {
    this.patience = opts.patience ?? 0;
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new ValueError(`EarlyStopping: patience must be a non-negative integer, got ${opts.patience}`);
    if (!Number.isFinite(this.minDelta)) throw new ValueError(`EarlyStopping: minDelta must be a finite number, got ${opts.minDelta}`);
    if (opts.mode !== undefined && !['min', 'max', 'auto'].includes(opts.mode)) throw new ValueError(`EarlyStopping: mode must be 'min', 'max' or 'auto', got ${String(opts.mode)}`);
  }

  /** Records the epoch's value and stops training once patience runs out. */
  onEpochEnd(epoch: number, logs: EpochLogs, ctx: FitContext): void {
    const { key, value } = monitoredValue('EarlyStopping', this.opts.monitor, logs);
    const mode = !this.opts.mode || this.opts.mode === 'auto' ? autoMode(key) : this.opts.mode;
    const improved = !Number.isNaN(value) && (this.best === null || (mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta));
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.opts.restoreBestWeights) {
        this.bestWeights = noGrad(() => Object.fromEntries(Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, clone(t)])));
      }
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience && this.best !== null) {
      this.stoppedEpoch = epoch;
      ctx.stop(`EarlyStopping: ${key} did not improve for ${this.wait} epoch${this.wait === 1 ? '' : 's'} (best ${this.best} at epoch ${this.bestEpoch})`);
    }
  }

  /** Restores the best weights when asked to and they are not the current ones. */
  onTrainEnd(ctx: FitContext): void {
    if (this.opts.restoreBestWeights && this.bestWeights !== null && this.bestEpoch !== ctx.epoch) ctx.model.loadStateDict(this.bestWeights);
  }

  /** Counters, best value and (with restoreBestWeights) the best weights. */
  stateDict(): Record<string, unknown> {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, stoppedEpoch: this.stoppedEpoch, bestWeights: this.bestWeights };
  }

  /** Restores a state from `stateDict()`. */
  loadStateDict(state: Record<string, unknown>): void {
    const w = state.bestWeights;
    if (w !== null && (typeof w !== 'object' || Object.values(w as object).some((t) => !(t instanceof Tensor)))) {
      throw new ValueError('EarlyStopping.loadStateDict: bestWeights must be null or an object of tensors');
    }
    this.best = typeof state.best === 'number' ? state.best : null;
    this.bestEpoch = Number(state.bestEpoch) || 0;
    this.wait = Number(state.wait) || 0;
    this.stoppedEpoch = Number(state.stoppedEpoch) || 0;
    this.bestWeights = w as StateDict | null;
  }
}

/**
 * Keeps the lines of a log file that belong to epochs ≤ `epoch` (`epochOf` reads a line's epoch; lines it
 * returns null for, such as a header, are kept) and rewrites the file atomically.
 */
function truncateLog(store: FileStore, name: string, epoch: number, epochOf: (line: string) => number | null): string[] {
  const bytes = store.read(name);
  if (bytes === null) return [];
  const lines = utf8Decode(bytes).split('\n').filter((l) => l !== '');
  const kept = lines.filter((l) => {
    const e = epochOf(l);
    return e === null || e <= epoch;
  });
  store.write(name, utf8Encode(kept.map((l) => `${l}\n`).join('')));
  return kept;
}

/** Options of CSVLogger. */
export interface CSVLoggerOptions {
  /** Where the file goes. */
  store: FileStore;
  /** File name (default 'metrics.csv'). */
  name?: string;
  /** Field separator (default ','). */
  separator?: string;
}

/**
 * Writes one CSV row per epoch (Keras's CSVLogger): a header of the log keys, `epoch` first, then the values
 * (full precision; non-finite values as NaN/Infinity). A fresh run starts a new file; a resumed run keeps the
 * rows up to the epoch it resumes from.
 */
export class CSVLogger implements Callback {
  private columns: string[] | null = null;
  private readonly name: string;
  private readonly sep: string;

  /** Creates the logger. */
  constructor(readonly opts: CSVLoggerOptions) {
    this.name = checkFileName('CSVLogger', opts.name ?? 'metrics.csv');
    this.sep = opts.separator ?? ',';
    if (typeof this.sep !== 'string' || this.sep.length !== 1 || /["\n\r]/.test(this.sep)) throw new ValueError(`CSVLogger: separator must be one character other than a quote or newline, got ${JSON.stringify(opts.separator)}`);
  }

  /** Starts the file, or trims it to the resumed epoch. */
  onTrainBegin(ctx: FitContext): void {
    this.columns = null;
    if (ctx.initialEpoch === 0) {
      this.opts.store.write(this.name, new Uint8Array(0));
      return;
    }
    let header: string[] | null = null;
    let epochCol = 0;
    truncateLog(this.opts.store, this.name, ctx.initialEpoch, (line) => {
      const cells = line.split(this.sep);
      if (header === null) {
        header = cells;
        epochCol = Math.max(0, cells.indexOf('epoch'));
        return null;
      }
      const e = Number(cells[epochCol]);
      return Number.isFinite(e) ? e : Infinity; // a line torn by a crash is dropped
    });
    this.columns = header;
  }

  /** Appends the epoch's row (and the header before the first row). */
  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    let head = '';
    if (this.columns === null) {
      this.columns = ['epoch', ...Object.keys(logs).filter((k) => k !== 'epoch')];
      head = `${this.columns.join(this.sep)}\n`;
    }
    const row = this.columns.map((k) => (k in logs ? String(logs[k]) : '')).join(this.sep);
    this.opts.store.append(this.name, `${head}${row}\n`);
  }
}

/** Options of JSONLinesLogger. */
export interface JSONLinesLoggerOptions {
  /** Where the file goes. */
  store: FileStore;
  /** File name (default 'metrics.jsonl'). */
  name?: string;
}

/**
 * Writes each epoch's logs as one JSON object per line (non-finite numbers as null). A fresh run starts a new
 * file; a resumed run keeps the lines up to the epoch it resumes from.
 */
export class JSONLinesLogger implements Callback {
  private readonly name: string;

  /** Creates the logger. */
  constructor(readonly opts: JSONLinesLoggerOptions) {
    this.name = checkFileName('JSONLinesLogger', opts.name ?? 'metrics.jsonl');
  }

  /** Starts the file, or trims it to the resumed epoch. */
  onTrainBegin(ctx: FitContext): void {
    if (ctx.initialEpoch === 0) {
      this.opts.store.write(this.name, new Uint8Array(0));
      return;
    }
    truncateLog(this.opts.store, this.name, ctx.initialEpoch, (line) => {
      try {
        const e = (JSON.parse(line) as { epoch?: unknown }).epoch;
        return typeof e === 'number' ? e : null;
      } catch {
        return Infinity; // a line torn by a crash is dropped
      }
    });
  }

  /** Appends the epoch's logs. */
  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    this.opts.store.append(this.name, `${JSON.stringify(logs, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  }
}

/** One LRLogger record: the learning rate of every parameter group at an epoch (or batch). */
export interface LRRecord {
  /** Epoch, 1-based. */
  epoch: number;
  /** Optimizer steps taken before this record. */
  step: number;
  /** One lr per parameter group. */
  lr: number[];
}

/** Options of LRLogger. */
export interface LRLoggerOptions {
  /** Also write the records to this store as CSV (`epoch,step,lr0,lr1,...`). */
  store?: FileStore;
  /** File name (default 'lr.csv'). */
  name?: string;
  /** Record before every batch instead of once per epoch (for per-batch schedules such as OneCycleLR). */
  perBatch?: boolean;
}

/**
 * Records the learning rate of every parameter group in effect at the start of each epoch (or, with
 * `perBatch`, of each batch) in `records`, and optionally as CSV. Its records are saved in checkpoints.
 */
export class LRLogger implements Callback {
  /** The records, in order. */
  records: LRRecord[] = [];
  private readonly name: string;
  private headerWritten = false;

  /** Creates the logger. */
  constructor(readonly opts: LRLoggerOptions = {}) {
    this.name = checkFileName('LRLogger', opts.name ?? 'lr.csv');
  }

  /** Starts the file, or trims it to the resumed epoch. */
  onTrainBegin(ctx: FitContext): void {
    this.records = this.records.filter((r) => r.epoch <= ctx.initialEpoch);
    const store = this.opts.store;
    if (!store) return;
    if (ctx.initialEpoch === 0) {
      store.write(this.name, new Uint8Array(0));
      this.headerWritten = false;
      return;
    }
    const kept = truncateLog(store, this.name, ctx.initialEpoch, (line) => (line.startsWith('epoch') ? null : Number(line.split(',')[0])));
    this.headerWritten = kept.length > 0;
  }

  private record(epoch: number, ctx: FitContext): void {
    const rec = { epoch, step: ctx.step, lr: ctx.optimizer.paramGroups.map((g) => g.lr) };
    const store = this.opts.store;
    if (store) {
      const head = !this.headerWritten ? `epoch,step,${rec.lr.map((_, i) => `lr${i}`).join(',')}\n` : '';
      store.append(this.name, `${head}${epoch},${rec.step},${rec.lr.join(',')}\n`);
      this.headerWritten = true;
    }
    this.records.push(rec);
  }

  /** Records the epoch's learning rates (unless recording per batch). */
  onEpochBegin(epoch: number, ctx: FitContext): void {
    if (!this.opts.perBatch) this.record(epoch, ctx);
  }

  /** Records the batch's learning rates (when recording per batch). */
  onBatchBegin(_batch: number, ctx: FitContext): void {
    if (this.opts.perBatch) this.record(ctx.epoch, ctx);
  }

  /** The records. */
  stateDict(): Record<string, unknown> {
    return { records: this.records.map((r) => ({ ...r, lr: r.lr.slice() })) };
  }

  /** Restores the records. */
  loadStateDict(state: Record<string, unknown>): void {
    if (!Array.isArray(state.records)) throw new ValueError('LRLogger.loadStateDict: records must be an array');
    this.records = (state.records as LRRecord[]).map((r) => ({ epoch: r.epoch, step: r.step, lr: r.lr.slice() }));
  }
}

/** A callback from plain functions, for one-off hooks: `new LambdaCallback({onEpochEnd: (e, logs) => ...})`. */
export class LambdaCallback implements Callback {
  /** Hook called before the first epoch. */
  onTrainBegin?: (ctx: FitContext) => void;
  /** Hook called before each epoch. */
  onEpochBegin?: (epoch: number, ctx: FitContext) => void;
  /** Hook called before each batch. */
  onBatchBegin?: (batch: number, ctx: FitContext) => void;
  /** Hook called after each batch. */
  onBatchEnd?: (batch: number, logs: BatchLogs, ctx: FitContext) => void;
  /** Hook called after each epoch. */
  onEpochEnd?: (epoch: number, logs: EpochLogs, ctx: FitContext) => void;
  /** Hook called after every callback's onEpochEnd. */
  onCheckpoint?: (epoch: number, logs: EpochLogs, ctx: FitContext) => void;
  /** Hook called when training ends. */
  onTrainEnd?: (ctx: FitContext) => void;

  /** Takes any of the Callback hooks as functions. */
  constructor(hooks: Omit<Callback, 'stateKey' | 'stateDict' | 'loadStateDict'>) {
    Object.assign(this, hooks);
  }
}
