/**
 * `shendu tune <model>`: searches a zoo image classifier's training hyper-parameters (lr, weight decay, dropout
 * where the model has it, optionally batch size and optimizer) with a sampler (random, TPE, GP, grid) and a pruner
 * (median, successive halving, Hyperband) that sees the validation accuracy after every epoch. The study lives in
 * an append-only journal, so a killed search continues with --resume; the run directory gets summary.json,
 * trials.csv and the pictures history.png, intermediate.png and slices.png.
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
import { saveTunePlots } from '../node/tune-plots.js';
import { OPTIMIZER_NAMES, SCHEDULER_NAMES } from '../optim/registry.js';
import { classifierGrid, defaultClassifierSpace, describeClassifierSpace, parseClassifierSpace, type ClassifierSpace } from '../tune/classifier-space.js';
import { HyperbandPruner } from '../tune/pruners/hyperband.js';
import { SuccessiveHalvingPruner } from '../tune/pruners/successive-halving.js';
import { PRUNER_NAMES, SAMPLER_NAMES, makePruner, makeSampler } from '../tune/registry.js';
import type { FrozenTrial } from '../tune/storage.js';
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
    for (const key of ['trials', 'epochs', 'batch-size', 'threads', 'limit'] as const) {
      const v = o[key] as number | undefined;
      if (v !== undefined && v < 1) throw new UsageError(`shendu tune: --${key} must be at least 1, got ${v}`);
    }
    const gridPoints = o['grid-points'] as number;
    if (gridPoints < 2) throw new UsageError(`shendu tune: --grid-points must be at least 2, got ${gridPoints}`);
    if (o['val-split'] !== undefined && (o['val-split'] as number) < 1) throw new UsageError(`shendu tune: --val-split must be at least 1 (trials are scored on it), got ${o['val-split'] as number}`);
    const nTrials = o.trials as number;
    const epochs = o.epochs as number;
    const { space, note } = spaceOf(o, model);
    if (o.backend !== undefined) setBackend(o.backend as string);
    if (o.threads !== undefined) setNumThreads(Math.min(o.threads as number, availableParallelism()));

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
    const tuning = new ClassifierTuning({
      model, dataset, dataDir: o['data-dir'] as string | undefined, epochs, limit: o.limit as number | undefined, valCount: o['val-split'] as number | undefined,
      space, batchSize: o['batch-size'] as number, optimizer: o.optimizer as string, scheduler: o.scheduler as string, seed,
    });
    const prunerName = o.pruner as string;
    // the epochs are known, so the pruners need not wait for a first complete trial to learn the maximum resource
    const pruner = prunerName === 'hyperband' ? new HyperbandPruner({ minResource: 1, maxResource: epochs })
      : prunerName === 'sha' ? new SuccessiveHalvingPruner({ minResource: 1 }) : makePruner(prunerName);
    // a resumed random or grid search draws on from a fresh seed instead of repeating the first trials' values
    const already = exists ? createStudy({ direction: 'maximize', storage, studyName, loadIfExists: true, sampler: 'random', pruner: 'none' }).trials.length : 0;
    const study = createStudy({
      direction: 'maximize', storage, studyName, loadIfExists: resume, pruner,
      sampler: makeSampler(samplerName, { seed: seed + already, grid: samplerName === 'grid' ? classifierGrid(space, gridPoints) : undefined }),
    });
    const done = study.trials.filter((t) => t.state !== 'fail' && t.state !== 'running').length;
    console.log(`tuning ${model} on ${dataset} (${tuning.trainCount} training images, ${tuning.valCount} held out for validation), ${epochs} epochs per trial, ${samplerName} sampler, ${prunerName} pruner: ${describeClassifierSpace(space)} -> ${out}`);
    if (note) console.log(note);
    if (resume) console.log(`resuming ${studyName} from ${journal}: ${done} of ${nTrials} trials done`);

    const t0 = Date.now();
    await study.optimize(tuning.objective, {
      nTrials, maxTrialsInStudy: nTrials,
      callbacks: [(s, t) => {
        const tr = tuning.trainings.get(t.number);
        const best = s.getTrials(['complete']).length ? s.bestTrial : null;
        const secs = t.datetimeComplete === null ? 0 : (t.datetimeComplete - t.datetimeStart) / 1000;
        const held = s.trials.filter((x) => x.state !== 'fail' && x.state !== 'running').length;
        console.log(`trial ${t.number} (${held}/${nTrials}) ${t.state}${t.state === 'pruned' ? ` after epoch ${tr?.epochs ?? '?'}` : ''}: val accuracy ${pct(t.value)} (${show(t.params)}) ${secs.toFixed(1)} s; best ${best ? `${pct(best.value)} (trial ${best.number})` : '-'}`);
      }],
    });
    const trials = study.trials;
    const complete = trials.filter((t) => t.state === 'complete');
    if (complete.length === 0) throw new ValueError(`tune: no trial of ${studyName} completed (${trials.length} trials: ${counts(trials)}); look at the trials in ${journal}`);
    const best = study.bestTrial;
    const epochsSpent = trials.reduce((n, t) => n + t.intermediateValues.size, 0);
    const summary = {
      model, dataset, trainImages: tuning.trainCount, valImages: tuning.valCount, epochs, sampler: samplerName, pruner: prunerName, seed, space,
      studyName, journal, trials: trials.length, states: Object.fromEntries(['complete', 'pruned', 'fail', 'running'].map((s) => [s, trials.filter((t) => t.state === s).length])),
      epochsSpent, epochsIfUnpruned: trials.length * epochs, seconds: (Date.now() - t0) / 1000,
      best: { trial: best.number, valAccuracy: best.value, params: best.params },
      table: JSON.parse(trialsToJson(trials)),
    };
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(out, 'trials.csv'), trialsToCsv(trials));
    const pictures = await saveTunePlots(trials, out, { direction: 'maximize', objectiveName: 'validation accuracy (%)', stepName: 'epoch', valueScale: 100 });
    console.log(`best trial ${best.number}: val accuracy ${pct(best.value)} with ${show(best.params)}; ${counts(trials)}; ${epochsSpent} of ${trials.length * epochs} epochs trained`);
    console.log(`study saved in ${out}: summary.json, trials.csv, ${pictures.map((p) => p.png.slice(out.length + 1)).join(', ')}; journal ${journal}`);
    return 0;
  },
};

function counts(trials: readonly FrozenTrial[]): string {
  const by = new Map<string, number>();
  for (const t of trials) by.set(t.state, (by.get(t.state) ?? 0) + 1);
  return [...by].map(([s, n]) => `${n} ${s}`).join(', ');
}
