/**
 * Checkpoints. A checkpoint named `last` is two safetensors files in a FileStore:
 * - `last.safetensors`: the model's state dict alone, with `{"format": "pt"}` metadata — the file PyTorch users
 *   load with `safetensors.torch.load_file` and `model.load_state_dict`;
 * - `last.state.safetensors`: everything needed to resume — the weights again (as `model.<key>`), each named
 *   optimizer's tensors (as `state.optimizers.<name>.state.<i>.<key>`) and, in the metadata key
 *   `shendu.training_state`, the rest of the training state as JSON (epoch, step, optimizer hyper-parameters,
 *   schedulers, the task's own state, generator states, callback
 *   states, history).
 * The state file is written last and is complete on its own, so a crash between the two writes, or during
 * either (each write is atomic), always leaves a consistent checkpoint to resume from.
 * @module
 */
import { DataError, ValueError } from '../errors.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import type { Module, StateDict } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';
import type { FileStore } from './store.js';
import type { Callback, Checkpoint, EpochLogs, FitContext, TrainingState } from './types.js';

const STATE_KEY = 'shendu.training_state';
/** 2: named optimizers and schedulers of a task (1: one of each, still read). */
const FORMAT_VERSION = '2';

/** File names of checkpoint `name`: its weights and its training state. */
export function checkpointFiles(name: string): { weights: string; state: string } {
  return { weights: `${name}.safetensors`, state: `${name}.state.safetensors` };
}

/** Replaces tensors by references `{$tensor: key}` (collecting them) and non-finite numbers by `{$number}`. */
function toJsonTree(v: unknown, path: string, tensors: Record<string, Tensor>): unknown {
  if (v instanceof Tensor) {
    let key = path;
    for (let i = 2; key in tensors; i++) key = `${path}#${i}`;
    tensors[key] = v;
    return { $tensor: key };
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
  if (Array.isArray(v)) return v.map((x, i) => toJsonTree(x, `${path}.${i}`, tensors));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = toJsonTree(x, `${path}.${k}`, tensors);
    return out;
  }
  return v;
}

function fromJsonTree(v: unknown, tensors: Record<string, Tensor>, source: string): unknown {
  if (Array.isArray(v)) return v.map((x) => fromJsonTree(x, tensors, source));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$tensor') {
      const t = tensors[o.$tensor as string];
      if (t === undefined) throw new DataError(`${source}: the training state refers to tensor '${String(o.$tensor)}', which the file lacks`);
      return t;
    }
    if (keys.length === 1 && keys[0] === '$number') return Number(o.$number);
    return Object.fromEntries(keys.map((k) => [k, fromJsonTree(o[k], tensors, source)]));
  }
  return v;
}

/** Options of `saveCheckpoint`. */
export interface SaveCheckpointOptions {
  /** The training state to save beside the weights (omit for a weights-only checkpoint). */
  state?: TrainingState;
  /** Extra string metadata for both files (e.g. the model's name and options, so a CLI can rebuild it). */
  metadata?: Record<string, string>;
}

/**
 * Saves `model`'s weights as `<name>.safetensors` and, when `opts.state` is given, the full training state as
 * `<name>.state.safetensors` (written second; see the module comment). Both writes are atomic if the store's are.
 */
export function saveCheckpoint(store: FileStore, name: string, model: Module, opts: SaveCheckpointOptions = {}): void {
  const files = checkpointFiles(name);
  const weights = model.stateDict();
  const meta: Record<string, string> = { ...(opts.metadata ?? {}), format: 'pt' };
  if (opts.state) {
    meta['shendu.epoch'] = String(opts.state.epoch);
    meta['shendu.step'] = String(opts.state.step);
  }
  store.write(files.weights, encodeSafetensors(weights, meta));
  if (!opts.state) return;
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(weights)) tensors[`model.${k}`] = t;
  const tree = toJsonTree(opts.state, 'state', tensors);
  const stateMeta = { ...meta, 'shendu.format_version': FORMAT_VERSION, [STATE_KEY]: JSON.stringify(tree) };
  store.write(files.state, encodeSafetensors(tensors, stateMeta));
}

function checkState(v: unknown, source: string): TrainingState {
  const s = v as TrainingState;
  const bad = (what: string) => new DataError(`${source}: the training state is corrupt: ${what}`);
  if (s === null || typeof s !== 'object') throw bad('not an object');
  if (!Number.isInteger(s.epoch) || s.epoch < 0) throw bad(`epoch must be a non-negative integer, got ${JSON.stringify(s.epoch)}`);
  if (!Number.isInteger(s.step) || s.step < 0) throw bad(`step must be a non-negative integer, got ${JSON.stringify(s.step)}`);
  const isRecord = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (s.optimizers !== undefined) {
    if (!isRecord(s.optimizers) || Object.values(s.optimizers).some((o) => !isRecord(o))) throw bad('optimizer states must be an object of objects');
    if (s.schedulers !== undefined && (!isRecord(s.schedulers) || Object.values(s.schedulers).some((o) => !isRecord(o)))) throw bad('scheduler states must be an object of objects');
    if (s.task !== undefined && !isRecord(s.task)) throw bad('task state must be an object');
  } else if (!isRecord(s.optimizer)) {
    throw bad('optimizer state missing');
  }
  if (s.rng === null || typeof s.rng !== 'object' || !Array.isArray(s.rng.default) || !Array.isArray(s.rng.extra)) throw bad('generator states missing');
  if (!Array.isArray(s.history)) throw bad('history missing');
  if (s.callbacks === null || typeof s.callbacks !== 'object') throw bad('callback states missing');
  return s;
}

/**
 * Loads checkpoint `name` from `store`: the training state file when there is one (weights, state, metadata),
 * else the weights file alone (state null). Returns null when neither exists. A corrupt file is a DataError
 * naming it.
 */
export function loadCheckpoint(store: FileStore, name: string): Checkpoint | null {
  const files = checkpointFiles(name);
  const stateBytes = store.read(files.state);
  if (stateBytes !== null) {
    const { tensors, metadata } = decodeSafetensors(stateBytes, { source: files.state });
    const json = metadata[STATE_KEY];
    if (json === undefined) throw new DataError(`${files.state}: no '${STATE_KEY}' metadata: not a shendu training-state file`);
    let tree: unknown;
    try {
      tree = JSON.parse(json);
    } catch (e) {
      throw new DataError(`${files.state}: the training state is not valid JSON (${(e as Error).message})`);
    }
    const weights: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model.')) weights[k.slice(6)] = t;
    const state = checkState(fromJsonTree(tree, tensors, files.state), files.state);
    const meta = { ...metadata };
    delete meta[STATE_KEY];
    return { weights, state, metadata: meta };
  }
  const weightBytes = store.read(files.weights);
  if (weightBytes === null) return null;
  const { tensors, metadata } = decodeSafetensors(weightBytes, { source: files.weights });
  return { weights: tensors, state: null, metadata };
}

/**
 * Loads the weights file `<name>.safetensors` alone (state null), ignoring any training-state file beside it:
 * what eval and predict read, so the file a user names (or replaced, e.g. with weights from PyTorch) is the file
 * used. Returns null when it does not exist; a corrupt file is a DataError naming it.
 */
export function loadWeights(store: FileStore, name: string): Checkpoint | null {
  const file = checkpointFiles(name).weights;
  const bytes = store.read(file);
  if (bytes === null) return null;
  const { tensors, metadata } = decodeSafetensors(bytes, { source: file });
  return { weights: tensors, state: null, metadata };
}

/** Options of ModelCheckpoint. */
export interface ModelCheckpointOptions {
  /** Where the files go. */
  store: FileStore;
  /** The log value that decides the best epoch (default `val_loss` when validation runs, else `loss`). */
  monitor?: string;
  /** Whether lower or higher is better; 'auto' (default): higher for names with accuracy/f1/precision/recall. */
  mode?: 'min' | 'max' | 'auto';
  /** Save the best epoch's weights as `<bestName>.safetensors` (default true). */
  saveBest?: boolean;
  /** Save weights and training state after every epoch as `<lastName>…` (default true). */
  saveLast?: boolean;
  /** Base name of the best checkpoint (default 'best'). */
  bestName?: string;
  /** Base name of the last checkpoint (default 'last'). */
  lastName?: string;
  /** Extra string metadata stored in every file (e.g. `{model: 'lenet5'}`). */
  metadata?: Record<string, string>;
}

/** 'max' for metric names that grow when better, else 'min'. */
export function autoMode(monitor: string): 'min' | 'max' {
  return /acc|f1|precision|recall|auc|iou|map/i.test(monitor) ? 'max' : 'min';
}

/** The value of `monitor` in `logs`, defaulting to val_loss/loss; a missing key is a ValueError listing the keys. */
export function monitoredValue(op: string, monitor: string | undefined, logs: EpochLogs): { key: string; value: number } {
  const key = monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
  if (!(key in logs)) throw new ValueError(`${op}: monitor '${key}' is not in the epoch's logs; available: ${Object.keys(logs).join(', ')}`);
  return { key, value: logs[key] };
}

/**
 * Saves checkpoints at the end of every epoch: the last one (weights + training state, for resuming) and the
 * best one by `monitor` (weights, with the epoch and value in its metadata). Runs in `onCheckpoint`, after every
 * callback's onEpochEnd, so the saved state includes theirs. `fit` never saves after a non-finite loss, so the
 * last good checkpoint survives a diverging run.
 */
export class ModelCheckpoint implements Callback {
  /** Best monitored value so far (±Infinity before the first epoch). */
  best: number | null = null;
  /** Epoch of the best value (0 before the first). */
  bestEpoch = 0;
  private readonly opts: ModelCheckpointOptions;

  /** Creates the callback. */
  constructor(opts: ModelCheckpointOptions) {
    if (opts === null || typeof opts !== 'object' || opts.store === null || typeof opts.store !== 'object' || typeof opts.store.write !== 'function') {
      throw new ValueError('ModelCheckpoint: opts.store must be a FileStore');
    }
    if (opts.mode !== undefined && !['min', 'max', 'auto'].includes(opts.mode)) throw new ValueError(`ModelCheckpoint: mode must be 'min', 'max' or 'auto', got ${String(opts.mode)}`);
    this.opts = opts;
  }

  /** Writes the best checkpoint when the monitored value improved, then the last one. */
  onCheckpoint(epoch: number, logs: EpochLogs, ctx: FitContext): void {
    const o = this.opts;
    const metadata = o.metadata ?? {};
    if (o.saveBest ?? true) {
      const { key, value } = monitoredValue('ModelCheckpoint', o.monitor, logs);
      const mode = !o.mode || o.mode === 'auto' ? autoMode(key) : o.mode;
      const better = !Number.isNaN(value) && (this.best === null || (mode === 'min' ? value < this.best : value > this.best));
      if (better) {
        this.best = value;
        this.bestEpoch = epoch;
        saveCheckpoint(o.store, o.bestName ?? 'best', ctx.model, {
          metadata: { ...metadata, 'shendu.epoch': String(epoch), 'shendu.monitor': key, 'shendu.value': String(value) },
        });
      }
    }
    if (o.saveLast ?? true) saveCheckpoint(o.store, o.lastName ?? 'last', ctx.model, { state: ctx.trainingState(), metadata });
  }

  /** The best value and its epoch. */
  stateDict(): Record<string, unknown> {
    return { best: this.best, bestEpoch: this.bestEpoch };
  }

  /** Restores the best value and its epoch. */
  loadStateDict(state: Record<string, unknown>): void {
    const best = state.best;
    if (best !== null && typeof best !== 'number') throw new ValueError(`ModelCheckpoint.loadStateDict: best must be a number or null, got ${JSON.stringify(best)}`);
    this.best = best;
    this.bestEpoch = Number(state.bestEpoch) || 0;
  }
}

/**
 * What a run's checkpoints carry in their `shendu` metadata (JSON) so that the model can be rebuilt without the
 * command that trained it: the zoo model's name and options, and whatever else the trainer recorded (the task,
 * dataset, class names, input normalization, validation split).
 */
export interface RunMetadata {
  /** The zoo model's registry name. */
  model: string;
  /** The options it was built with. */
  modelOptions: Record<string, unknown>;
  /** Anything else the trainer recorded. */
  [key: string]: unknown;
}

/** The `shendu` metadata of a checkpoint, parsed and checked (`source` names the file in errors). */
export function runMetadata(checkpoint: Checkpoint, source: string): RunMetadata {
  const raw = checkpoint.metadata.shendu;
  if (raw === undefined) throw new DataError(`${source}: the checkpoint has no 'shendu' metadata saying which model and dataset it belongs to (was it written by 'shendu train'?)`);
  let meta: unknown;
  try {
    meta = JSON.parse(raw);
  } catch {
    throw new DataError(`${source}: the 'shendu' metadata is not valid JSON`);
  }
  const m = meta as RunMetadata;
  if (m === null || typeof m !== 'object' || typeof m.model !== 'string' || m.modelOptions === null || typeof m.modelOptions !== 'object') {
    throw new DataError(`${source}: the 'shendu' metadata must name the model and its options ({"model": ..., "modelOptions": {...}}), got ${raw.slice(0, 120)}`);
  }
  return m;
}

/**
 * Restores a trained run in one call: reads checkpoint `name` ('last', 'best', ...) of the run in `store` (the
 * weights file only, never the training state beside it, so a file the user replaced is the file used), rebuilds
 * the model with `build(metadata)` (e.g. the zoo's createModel), loads the weights (a ValueError lists missing,
 * unexpected and mis-shaped keys) and puts the model in eval mode. `source` names the run in error messages.
 * Used by eval, predict, visualize and every later command that starts from a run.
 */
export function restoreRun<M extends Module>(
  store: FileStore, name: string, build: (meta: RunMetadata) => M, opts: { source?: string } = {},
): { model: M; meta: RunMetadata; checkpoint: Checkpoint } {
  const file = checkpointFiles(name).weights;
  const source = opts.source ?? file;
  const checkpoint = loadWeights(store, name);
  if (!checkpoint) throw new DataError(`${source}: no checkpoint '${file}'`);
  const meta = runMetadata(checkpoint, source);
  const model = build(meta);
  model.loadStateDict(checkpoint.weights);
  model.eval();
  return { model, meta, checkpoint };
}
