/**
 * What every `shendu train` run shares whatever its task: the locked run directory, resume from its last
 * checkpoint (after checking the run was made with the same settings), the callbacks (progress, memory, checkpoints,
 * CSV/JSON logs, learning rates, the task's pictures), fitTask, the training curves and summary.json.
 * @module
 */
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { NodeFileStore, terminalProgress } from '../node/files.js';
import { saveTrainingCurves } from '../node/pictures.js';
import { openRunDir } from '../node/run-dir.js';
import type { Generator } from '../tensor/random.js';
import { CSVLogger, JSONLinesLogger, LRLogger, LambdaCallback } from '../train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../train/checkpoint.js';
import { fitTask } from '../train/loop.js';
import { PictureSaver } from '../train/picture-saver.js';
import type { Task } from '../train/task.js';
import type { Callback, History } from '../train/types.js';

/** Options of runFit. */
export interface RunFitOptions {
  /** The run directory. */
  out: string;
  /** Continue the run in `out` from its last checkpoint. */
  resume: boolean;
  /** Replace the run `out` holds. */
  overwrite: boolean;
  /** The run's metadata, stored as JSON under 'shendu' in every checkpoint (what eval, predict and sample read). */
  metadata: object;
  /** Throws when the stored metadata of the run being resumed differs from this command's. */
  checkSame: (stored: string | undefined) => void;
  /** The epoch log value that picks best.safetensors. */
  monitor: string;
  /** The task to train. */
  task: Task;
  /** Training batches. */
  trainLoader: Iterable<unknown>;
  /** Validation batches. */
  valLoader?: Iterable<unknown>;
  /** Epochs of the run. */
  epochs: number;
  /** Generators whose states checkpoints keep (shuffling, augmentation). */
  generators?: Generator[];
  /** Lines printed before training starts. */
  banner: string[];
}

/** A finished run: its history, the resident memory after each epoch and the open directory. */
export interface FinishedRun {
  /** The epochs' logs (resumed ones included). */
  history: History;
  /** Resident memory in MiB after each epoch of this process (flat once warmed up). */
  rssMiB: number[];
  /** The run directory's files. */
  store: NodeFileStore;
  /** Mean seconds per epoch over the history (null when none was timed). */
  meanEpochSeconds: number | null;
  /** Writes summary.json (with the peak memory and memory per epoch added) and releases the directory's lock. */
  finish(summary: Record<string, unknown>): void;
}

/** Opens (locks) the run directory, resumes if asked, trains the task with the standard callbacks, draws the curves. */
export async function runFit(o: RunFitOptions): Promise<FinishedRun> {
  const runDir = openRunDir(o.out, { resume: o.resume, overwrite: o.overwrite });
  const store = new NodeFileStore(o.out);
  const resumeFrom = o.resume ? loadCheckpoint(store, 'last') : null;
  if (o.resume && !resumeFrom) throw new ValueError(`train: --resume given but ${o.out} holds no checkpoint (last.safetensors); start without --resume`);
  if (resumeFrom) o.checkSame(resumeFrom.metadata.shendu);
  const rssMiB: number[] = [];
  const callbacks: Callback[] = [
    terminalProgress(),
    new LambdaCallback({ onEpochEnd: () => void rssMiB.push(Math.round(process.memoryUsage().rss / 2 ** 20)) }),
    new ModelCheckpoint({ store, monitor: o.monitor, metadata: { shendu: JSON.stringify(o.metadata) } }),
    new CSVLogger({ store }),
    new JSONLinesLogger({ store }),
    new LRLogger({ store }),
    new PictureSaver({ store }),
  ];
  for (const line of o.banner) console.log(line);
  if (resumeFrom) console.log(`resuming from ${join(o.out, 'last.safetensors')} (epoch ${resumeFrom.state?.epoch ?? '?'})`);
  const history = fitTask(o.task, { trainLoader: o.trainLoader, valLoader: o.valLoader, epochs: o.epochs, callbacks, resumeFrom, generators: o.generators });
  await saveTrainingCurves(history.epochs, join(o.out, 'curves'));
  const times = history.epochs.map((e) => e.time).filter((t): t is number => typeof t === 'number');
  return {
    history, rssMiB, store,
    meanEpochSeconds: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
    finish(summary) {
      const all = { ...summary, rssMiBAfterEpoch: rssMiB, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
      store.write('summary.json', new TextEncoder().encode(JSON.stringify(all, null, 2) + '\n'));
      runDir.release();
    },
  };
}
