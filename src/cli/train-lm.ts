/**
 * `shendu train charlm --dataset moby-dick --cell lstm|gru|rnn`: a character language model trained with truncated
 * BPTT on a text corpus (its last tenth held out), bits per character each epoch, checkpoints and exact resume as
 * every run, and a sample of text at the end (sample.txt). `shendu sample` draws more.
 * @module
 */
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { CELL_NAMES, type CellName, type CharLM, type CharLMOptions } from '../models/sequence/charlm.js';
import { generate } from '../models/sequence/generate.js';
import { createModel } from '../models/registry.js';
import { CORPUS_NAMES, isCorpusName } from '../node/datasets/corpus.js';
import { prepareCorpus, type LanguageRunInfo } from '../node/train-recipes/language-model.js';
import { DEFAULT_LR, createOptimizer, createScheduler } from '../optim/registry.js';
import { Generator, manualSeed } from '../tensor/random.js';
import { createTask } from '../train/tasks/registry.js';
import type { EpochLogs } from '../train/types.js';
import { UsageError, type Parsed } from './args.js';
import { runFit } from './run-fit.js';

/** The prompt of the sample written at the end of a run. */
export const END_OF_RUN_PROMPT = 'Call me ';

/** Trains a language model as the parsed `shendu train` command line asks; returns the exit code. */
export async function trainLanguageModel(args: Parsed, banner: { backend: string; threads: number }): Promise<number> {
  const o = args.options;
  const modelName = args.positionals.model as string;
  const dataset = (o.dataset as string | undefined) ?? 'moby-dick';
  if (!isCorpusName(dataset)) throw new UsageError(`shendu train: ${modelName} is a language model and trains on a text corpus (--dataset ${CORPUS_NAMES.join(' | ')}), got '${dataset}'`);
  for (const flag of ['augment', 'input-size', 'init', 'freeze', 'replace-head', 'test-limit', 'val-split'] as const) {
    if (o[flag] !== undefined && o[flag] !== false && !(flag === 'augment' && o[flag] === 'none')) throw new UsageError(`shendu train: --${flag} is for image models; ${modelName} trains on text`);
  }
  const cell = (o.cell as string | undefined) ?? 'lstm';
  if (!(CELL_NAMES as readonly string[]).includes(cell)) throw new UsageError(`shendu train: --cell must be one of ${CELL_NAMES.join(', ')}, got '${cell}'`);
  const seqLen = (o['seq-len'] as number | undefined) ?? 100;
  const batchSize = o['batch-size'] as number;
  const epochs = o.epochs as number;
  const optimizerName = o.optimizer as string;
  const lr = (o.lr as number | undefined) ?? DEFAULT_LR[optimizerName as keyof typeof DEFAULT_LR];
  const clip = (o['clip-grad-norm'] as number | undefined) ?? 1;
  if (seqLen < 1) throw new UsageError(`shendu train: --seq-len must be at least 1, got ${seqLen}`);
  if (!(clip > 0)) throw new UsageError(`shendu train: --clip-grad-norm must be positive, got ${clip}`);
  const out = (o.out as string | undefined) ?? join('runs', `${modelName}-${dataset}`);

  const corpus = prepareCorpus(dataset, { batchSize, seqLen, limit: o.limit as number | undefined });
  const modelOptions: CharLMOptions = {
    vocabSize: corpus.vocab.length, cell: cell as CellName,
    embedDim: (o['embed-dim'] as number | undefined) ?? 64, hiddenSize: (o['hidden-size'] as number | undefined) ?? 256,
    numLayers: (o['num-layers'] as number | undefined) ?? 2, dropout: (o.dropout as number | undefined) ?? 0,
  };
  manualSeed(o.seed as number);
  const model = createModel('charlm', modelOptions) as CharLM;
  const optimizer = createOptimizer(optimizerName, model.parameters(), { lr, weightDecay: (o['weight-decay'] as number) || undefined });
  const scheduler = createScheduler(o.scheduler as string, optimizer, { epochs, stepsPerEpoch: corpus.train.length }) ?? undefined;
  const task = createTask('language-model', model, { optimizer, scheduler, clipGradNorm: clip });
  const info: LanguageRunInfo = { model: modelName, modelOptions, task: 'language-model', dataset, vocab: corpus.vocab.toJSON(), seqLen, batchSize, limit: (o.limit as number | undefined) ?? null };
  const run = await runFit({
    out, resume: Boolean(o.resume), overwrite: Boolean(o.overwrite), metadata: info,
    checkSame: (stored) => checkSameLanguageRun(out, stored, info), monitor: 'val_bpc',
    task, trainLoader: corpus.train, valLoader: corpus.val, epochs,
    banner: [`training ${modelName} (${cell}, ${modelOptions.numLayers} layers of ${modelOptions.hiddenSize}) on ${dataset}: ${corpus.counts.total} characters, ${corpus.vocab.length} symbols, last ${corpus.counts.heldOut} held out; ${corpus.train.length} steps of ${batchSize}x${seqLen} per epoch, ${epochs} epochs, ${optimizerName} lr ${lr}, ${o.scheduler} schedule, gradient norm clipped at ${clip}, ${banner.backend} backend${banner.backend === 'wasm' ? `, ${banner.threads} thread${banner.threads > 1 ? 's' : ''}` : ''} -> ${out}`],
  });
  const last = run.history.epochs[run.history.epochs.length - 1] as EpochLogs;
  const prompt = corpus.vocab.encode(Array.from(END_OF_RUN_PROMPT));
  const text = corpus.vocab.decode(generate(model, prompt, { length: 300, temperature: 0.8, topK: 5, generator: new Generator(o.seed as number) })).join('');
  run.store.write('sample.txt', new TextEncoder().encode(END_OF_RUN_PROMPT + text + '\n'));
  run.finish({
    model: modelName, task: 'language-model', dataset, cell, epochs: run.history.epochs.length, heldOutBpc: last.val_bpc ?? null, trainBpc: last.bpc ?? null,
    meanEpochSeconds: run.meanEpochSeconds, optimizer: optimizerName, lr, scheduler: o.scheduler, batchSize, seqLen, clipGradNorm: clip, seed: o.seed, backend: banner.backend, threads: banner.threads,
  });
  console.log(`held-out ${(last.val_bpc ?? NaN).toFixed(4)} bits per character` + (run.meanEpochSeconds ? `, ${run.meanEpochSeconds.toFixed(1)} s per epoch` : ''));
  console.log(`sample (temperature 0.8, top 5): ${END_OF_RUN_PROMPT}${text.slice(0, 160).replace(/\s+/g, ' ')}...`);
  console.log(`run saved in ${out}: last.safetensors, best.safetensors, metrics.csv, metrics.jsonl, curves.png, sample.txt`);
  return 0;
}

/** Refuses to resume a language-model run with another model, corpus or shape of batches. */
function checkSameLanguageRun(out: string, stored: string | undefined, info: LanguageRunInfo): void {
  let was: Partial<LanguageRunInfo> = {};
  try {
    was = JSON.parse(stored ?? 'null') ?? {};
  } catch {
    throw new ValueError(`train: the 'shendu' metadata of ${join(out, 'last.state.safetensors')} is not valid JSON; start a new run with --overwrite`);
  }
  const pairs: [string, unknown, unknown][] = [
    ['model', was.model, info.model], ['dataset', was.dataset, info.dataset], ['model options', JSON.stringify(was.modelOptions), JSON.stringify(info.modelOptions)],
    ['sequence length', was.seqLen, info.seqLen], ['batch size', was.batchSize, info.batchSize], ['characters used', was.limit ?? null, info.limit ?? null],
  ];
  const diff = pairs.filter(([, a, b]) => a !== b).map(([k, a, b]) => `${k}: the run has ${String(a)}, this command ${String(b)}`);
  if (diff.length > 0) throw new ValueError(`train: cannot resume ${out} with different settings (${diff.join('; ')}); resume with the run's settings, or pass --overwrite to start again`);
}
