/**
 * `shendu tune <model>`: searches a zoo image classifier's training hyper-parameters (lr, weight decay, dropout
 * where the model has it, optionally batch size and optimizer) with a sampler (random, TPE, GP, grid) and a pruner
 * (median, successive halving, Hyperband) that sees the validation accuracy after every epoch. The study lives in
 * an append-only journal, so a killed search continues with --resume; with --workers N, N processes train trials of
 * the one study at once (trial numbers decided under the journal's lock). The run directory gets summary.json,
 * trials.csv and the pictures history.png, intermediate.png, slices.png, parallel.png and importance.png.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setBackend } from '../backend/registry.js';
import { setNumThreads } from '../backend/wasm/index.js';
import { ValueError } from '../errors.js';
import { DATASET_NAMES } from '../node/datasets/index.js';
import { JournalFileStorage } from '../node/tune-journal.js';
import { ClassifierTuning, imageClassifierNames, takesDropout } from '../node/tune-classifier.js';
import { saveTunePlots, studyImportances } from '../node/tune-plots.js';
import { OPTIMIZER_NAMES, SCHEDULER_NAMES } from '../optim/registry.js';
import { defaultClassifierSpace, describeClassifierSpace, parseClassifierSpace, type ClassifierSpace } from '../tune/classifier-space.js';
import { CLASSIFIER_WORKER_MODULE, classifierPruner, classifierSampler, type ClassifierWorkerArgs } from '../node/tune-classifier-worker.js';
import { optimizeInWorkers } from '../node/tune-workers.js';
import { PRUNER_NAMES, SAMPLER_NAMES } from '../tune/registry.js';
import { lastStep, type FrozenTrial } from '../tune/storage.js';
import { createStudy } from '../tune/study.js';
import { trialsToCsv, trialsToJson } from '../tune/table.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';

const pct = (v: number | null): string => (v === null ? '-' : `${(100 * v).toFixed(2)}%`);
const show = (params: Record<string, unknown>): string => Object.entries(params).map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toPrecision(3)) : String(v)}`).join(', ');

/** The space the options describe: --space FILE, else the default one, plus --batch-sizes and --optimizers. */
function spaceOf(o: Record<string, unknown>, model: string): { space: ClassifierSpace; note: string | null } {
  let space: ClassifierSpace;
  let note: string | null = null;
  const file = o.space as string | undefined;
  if (file !== undefined) {
    if (!existsSync(file)) throw new UsageError(`shendu tune: --space ${file}: no such file`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ValueError(`tune: --space ${file} is not valid JSON: ${(e as Error).message}`);
    }
    space = parseClassifierSpace(json, OPTIMIZER_NAMES, `tune: --space ${file}`);
  } else {
    space = defaultClassifierSpace(takesDropout(model));
    if (!takesDropout(model)) note = `${model} has no dropout option, so dropout is not searched`;
  }
  const list = (key: string): string[] | undefined => {
    const raw = o[key] as string | undefined;
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new UsageError(`shendu tune: --${key} needs a comma-separated list, got '${raw}'`);
    return items;
  };
  const sizes = list('batch-sizes');
  if (sizes) {
    const bad = sizes.find((s) => !/^\d+$/.test(s) || Number(s) < 1);
    if (bad !== undefined) throw new UsageError(`shendu tune: --batch-sizes must be positive integers, got '${bad}'`);
    space = { ...space, batchSize: parseClassifierSpace({ lr: space.lr, batchSize: sizes.map(Number) }, OPTIMIZER_NAMES, 'tune: --batch-sizes').batchSize };
  }
  const optimizers = list('optimizers');
  if (optimizers) {
    const bad = optimizers.find((s) => !(OPTIMIZER_NAMES as readonly string[]).includes(s));
    if (bad !== undefined) throw new UsageError(`shendu tune: --optimizers: unknown optimizer '${bad}'; valid: ${OPTIMIZER_NAMES.join(', ')}`);
    space = { ...space, optimizer: parseClassifierSpace({ lr: space.lr, optimizer: optimizers }, OPTIMIZER_NAMES, 'tune: --optimizers').optimizer };
  }
  return { space, note };
}

/** `shendu tune`. */
export const tuneCommand: Command = {
  spec: {
    name: 'tune',
    summary: "search a classifier's lr, weight decay and dropout with a sampler and a pruner; writes the journal, tables and plots",
    positionals: [{ name: 'model', help: 'a zoo image classifier', choices: imageClassifierNames }],
    options: {
      dataset: { type: 'string', default: 'mnist', choices: DATASET_NAMES, help: 'image data set to train on' },
      trials: { type: 'int', default: 20, help: 'trials the study holds when done (failed ones are rerun)', metavar: 'N' },
      workers: { type: 'int', default: 1, help: 'processes training trials of the study at once (each with --threads, default cores / N)', metavar: 'N' },
      sampler: { type: 'string', default: 'tpe', choices: SAMPLER_NAMES, help: 'how trials draw their parameters (grid: every combination of --grid-points values per range)' },
      pruner: { type: 'string', default: 'median', choices: PRUNER_NAMES, help: 'which trials stop early, judged on validation accuracy after each epoch' },
      epochs: { type: 'int', default: 3, help: 'epochs of a fully trained trial (the pruners\' maximum resource)', metavar: 'N' },
      limit: { type: 'int', help: 'training images used per epoch (default: all but the validation ones)', metavar: 'N' },
      'val-split': { type: 'int', help: 'training images held out to score trials (default as shendu train: 5000 for large sets, a tenth of --limit when smaller)', metavar: 'N' },
      space: { type: 'string', help: 'search space JSON: {"lr": {"low", "high", "log"}, "weightDecay": {...}, "dropout": {...}, "batchSize": [..], "optimizer": [..]} (default: lr log [1e-4, 3e-2], weightDecay log [1e-6, 1e-2], dropout [0, 0.6] when the model has it)', metavar: 'FILE' },
      'batch-sizes': { type: 'string', help: 'also search the batch size among these, e.g. 32,64,128', metavar: 'LIST' },
      optimizers: { type: 'string', help: 'also search the optimizer among these, e.g. adam,sgd', metavar: 'LIST' },
      'batch-size': { type: 'int', default: 64, help: 'batch size when not searched', metavar: 'N' },
      optimizer: { type: 'string', default: 'adam', choices: OPTIMIZER_NAMES, help: 'optimizer when not searched' },
      scheduler: { type: 'string', default: 'cosine', choices: SCHEDULER_NAMES, help: 'learning-rate schedule over --epochs' },
      'grid-points': { type: 'int', default: 3, help: 'grid sampler: values per float range', metavar: 'N' },
      seed: { type: 'int', default: 0, help: 'seed of the sampler, initialization, shuffling and the validation split', metavar: 'N' },
      out: { type: 'string', help: 'directory of the summary, tables and plots (default runs/tune-<model>-<dataset>)', metavar: 'DIR' },
      storage: { type: 'string', help: 'journal file of the study (default <out>/journal.jsonl)', metavar: 'FILE' },
      resume: { type: 'flag', help: 'continue the study in the journal (its finished trials are kept, trials left running by a killed run are rerun)' },
      'data-dir': { type: 'string', help: 'directory holding downloaded datasets (else $SHENDU_DATA_DIR)', metavar: 'DIR' },
      backend: { type: 'string', choices: ['wasm', 'cpu'], help: 'compute backend (default wasm)' },
      threads: { type: 'int', help: 'wasm backend threads (default: the machine\'s cores)', metavar: 'N' },
    },
  },
  async run(args) {
    const o = args.options;
    const model = args.positionals.model as string;
    const dataset = o.dataset as string;
    for (const key of ['trials', 'workers', 'epochs', 'batch-size', 'threads', 'limit'] as const) {
      const v = o[key] as number | undefined;
      if (v !== undefined && v < 1) throw new UsageError(`shendu tune: --${key} must be at least 1, got ${v}`);
    }
    const gridPoints = o['grid-points'] as number;
    if (gridPoints < 2) throw new UsageError(`shendu tune: --grid-points must be at least 2, got ${gridPoints}`);
    if (o['val-split'] !== undefined && (o['val-split'] as number) < 1) throw new UsageError(`shendu tune: --val-split must be at least 1 (trials are scored on it), got ${o['val-split'] as number}`);
    const nTrials = o.trials as number;
    const epochs = o.epochs as number;
    const { space, note } = spaceOf(o, model);
    const workers = o.workers as number;
    if (o.backend !== undefined) setBackend(o.backend as string);
    // Workers share the cores unless told otherwise.
    const threads = o.threads !== undefined ? Math.min(o.threads as number, availableParallelism()) : workers > 1 ? Math.max(1, Math.floor(availableParallelism() / workers)) : undefined;
    if (threads !== undefined) setNumThreads(threads);

    const out = (o.out as string | undefined) ?? join('runs', `tune-${model}-${dataset}`);
    const journal = (o.storage as string | undefined) ?? join(out, 'journal.jsonl');
    const resume = Boolean(o.resume);
    if (resume && !existsSync(journal)) throw new UsageError(`shendu tune: --resume given but there is no journal at ${journal}; start without --resume`);
    mkdirSync(out, { recursive: true });
    mkdirSync(dirname(journal), { recursive: true });
    const storage = new JournalFileStorage(journal);
    const studyName = `${model}-${dataset}`;
    const exists = storage.studyNames().includes(studyName);
    if (exists && !resume) throw new ValueError(`tune: ${journal} already holds the study '${studyName}'; pass --resume to continue it, or choose another --out or --storage`);
    if (!exists && resume) throw new ValueError(`tune: ${journal} holds no study '${studyName}' to resume (it has: ${storage.studyNames().join(', ') || 'none'})`);

    const samplerName = o.sampler as string;
    const seed = o.seed as number;
    const tuningOptions = {
      model, dataset, dataDir: o['data-dir'] as string | undefined, epochs, limit: o.limit as number | undefined, valCount: o['val-split'] as number | undefined,
      space, batchSize: o['batch-size'] as number, optimizer: o.optimizer as string, scheduler: o.scheduler as string, seed,
    };
    // Also with workers: the options are checked (and the image counts known) before any worker starts.
    const tuning = new ClassifierTuning(tuningOptions);
    const prunerName = o.pruner as string;
    // a resumed random or grid search draws on from a fresh seed instead of repeating the first trials' values
    const already = exists ? createStudy({ direction: 'maximize', storage, studyName, loadIfExists: true, sampler: 'random', pruner: 'none' }).trials.length : 0;
    const study = createStudy({
      direction: 'maximize', storage, studyName, loadIfExists: resume,
      pruner: classifierPruner(prunerName, epochs), sampler: classifierSampler(samplerName, seed + already, space, gridPoints),
    });
    const done = study.trials.filter((t) => t.state !== 'fail' && t.state !== 'running').length;
    console.log(`tuning ${model} on ${dataset} (${tuning.trainCount} training images, ${tuning.valCount} held out for validation), ${epochs} epochs per trial, ${samplerName} sampler, ${prunerName} pruner${workers > 1 ? `, ${workers} workers` : ''}: ${describeClassifierSpace(space)} -> ${out}`);
    if (note) console.log(note);
    if (resume) console.log(`resuming ${studyName} from ${journal}: ${done} of ${nTrials} trials done`);

    const t0 = Date.now();
    // `ended`: the study's trials that had ended when `t` did, `t` among them
    const progress = (t: FrozenTrial, ended: readonly FrozenTrial[], who: string): void => {
      const complete = ended.filter((x) => x.state === 'complete' && x.value !== null);
      const best = complete.length ? complete.reduce((a, b) => ((b.value as number) > (a.value as number) || ((b.value as number) === (a.value as number) && b.number < a.number) ? b : a)) : null;
      const secs = t.datetimeComplete === null ? 0 : (t.datetimeComplete - t.datetimeStart) / 1000;
      const held = ended.filter((x) => x.state !== 'fail').length;
      console.log(`trial ${t.number} (${held}/${nTrials}) ${t.state}${t.state === 'pruned' ? ` after epoch ${lastStep(t) ?? '?'}` : ''}: val accuracy ${pct(t.value)} (${show(t.params)}) ${secs.toFixed(1)} s; best ${best ? `${pct(best.value)} (trial ${best.number})` : '-'}${who}`);
    };
    if (workers === 1) {
      await study.optimize(tuning.objective, { nTrials, maxTrialsInStudy: nTrials, callbacks: [(s, t) => progress(t, s.trials.filter((x) => x.state !== 'running'), '')] });
    } else {
      const interrupted = await runWorkers({
        journal, studyName, nTrials, workers, progress, ended: study.trials.filter((t) => t.state !== 'running'),
        args: { tuning: tuningOptions, sampler: samplerName, seed: seed + already, gridPoints, pruner: prunerName, backend: o.backend as string | undefined, threads },
      });
      if (interrupted) {
        const trials = study.trials;
        const held = trials.filter((t) => t.state !== 'fail' && t.state !== 'running').length;
        console.log(`interrupted: ${held} of ${nTrials} trials done (the trials that were running are marked failed); continue with --resume`);
        return 130;
      }
    }
    const trials = study.trials;
    const complete = trials.filter((t) => t.state === 'complete');
    if (complete.length === 0) throw new ValueError(`tune: no trial of ${studyName} completed (${trials.length} trials: ${counts(trials)}); look at the trials in ${journal}`);
    const best = study.bestTrial;
    const epochsSpent = trials.reduce((n, t) => n + t.intermediateValues.size, 0);
    // fANOVA on a random forest, as Optuna's default; null when it cannot be assessed (values all equal)
    const importances = studyImportances(trials);
    const summary = {
      model, dataset, trainImages: tuning.trainCount, valImages: tuning.valCount, epochs, sampler: samplerName, pruner: prunerName, seed, space,
      workers, studyName, journal, trials: trials.length, states: Object.fromEntries(['complete', 'pruned', 'fail', 'running'].map((s) => [s, trials.filter((t) => t.state === s).length])),
      epochsSpent, epochsIfUnpruned: trials.length * epochs, seconds: (Date.now() - t0) / 1000,
      best: { trial: best.number, valAccuracy: best.value, params: best.params }, importances,
      table: JSON.parse(trialsToJson(trials)),
    };
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(out, 'trials.csv'), trialsToCsv(trials));
    const pictures = await saveTunePlots(trials, out, { direction: 'maximize', objectiveName: 'validation accuracy (%)', stepName: 'epoch', valueScale: 100, importances });
    console.log(`best trial ${best.number}: val accuracy ${pct(best.value)} with ${show(best.params)}; ${counts(trials)}; ${epochsSpent} of ${trials.length * epochs} epochs trained`);
    if (importances !== null) console.log(`parameter importance (fANOVA): ${Object.entries(importances).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    console.log(`study saved in ${out}: summary.json, trials.csv, ${pictures.map((p) => p.png.slice(out.length + 1)).join(', ')}; journal ${journal}`);
    return 0;
  },
};

/** Runs the study in worker processes with a progress line per ended trial; true when Ctrl-C (or SIGTERM) stopped it. */
async function runWorkers(w: {
  journal: string; studyName: string; nTrials: number; workers: number; args: ClassifierWorkerArgs; ended: FrozenTrial[];
  progress: (t: FrozenTrial, ended: readonly FrozenTrial[], who: string) => void;
}): Promise<boolean> {
  const abort = new AbortController();
  const stop = (): void => {
    console.log('stopping the workers ...');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const pids = new Map<number, number>();
  const output: string[] = [];
  try {
    const r = await optimizeInWorkers(CLASSIFIER_WORKER_MODULE, {
      journal: w.journal, studyName: w.studyName, direction: 'maximize', nTrials: w.nTrials, workers: w.workers, setupArgs: w.args, signal: abort.signal,
      onSpawn: (i, pid) => pids.set(pid, i),
      onOutput: (i, text) => output.push(...text.split('\n').filter((l) => l.trim() !== '').map((l) => `worker ${i}: ${l}`)),
      // counted as the lines go, so that trials ending within one read of the journal get their own counts
      onTrial: (t) => {
        w.ended.push(t);
        const pid = t.worker?.pid;
        w.progress(t, w.ended, pid === undefined ? '' : ` [worker ${pids.get(pid) ?? '?'}, pid ${pid}]`);
      },
      onExit: (i, code, signal) => {
        if (abort.signal.aborted) return;
        if (signal !== null) console.log(`worker ${i} was killed by ${signal}; its running trial is marked failed and run again`);
        else if (code !== 0) console.error(`worker ${i} exited with code ${code}`);
      },
    });
    if (abort.signal.aborted) return true;
    const held = r.trials.filter((t) => t.state !== 'fail' && t.state !== 'running').length;
    if (held < w.nTrials) {
      const why = output.filter((l) => !/\) done$/.test(l)).slice(-10).join('\n');
      throw new ValueError(`tune: the workers stopped with ${held} of ${w.nTrials} trials done${why ? `; they said:\n${why}` : ''}`);
    }
    return false;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function counts(trials: readonly FrozenTrial[]): string {
  const by = new Map<string, number>();
  for (const t of trials) by.set(t.state, (by.get(t.state) ?? 0) + 1);
  return [...by].map(([s, n]) => `${n} ${s}`).join(', ');
}
