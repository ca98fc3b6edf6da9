/**
 * The char-LM result of issue 13, shendu's side: a 2-layer LSTM (embedding 64, hidden --hidden, default 256) trained on Moby Dick
 * with truncated BPTT, its held-out bits per character after each epoch. bench/torch_charlm.py is the PyTorch twin:
 * the same symbols (this script writes them), split, model, recipe and number of steps.
 *
 *   node dist/bench/charlm-moby-dick.js [--epochs 5] [--cell lstm|gru|rnn] [--seq-len 100] [--lr 0.002] [--cosine] [--dropout 0]
 *        [--hidden 256] [--seed 0] [--threads 2] [--out result.json] [--tokens FILE] [--save model.safetensors]
 *
 * At the end it draws a sample of 300 characters after the prompt "Call me" (temperature 0.8, top 5, seed 0; the
 * shared symbol of the rare characters printed as ·), prints it and records it in the result; --save writes the
 * trained weights (PyTorch's parameter names) as safetensors.
 * Symbols: the 63 most frequent characters and one for every other (bench/workloads/text.ts); the last 10% of the
 * stream is held out. Recipe: rows of batch 32, sequences of --seq-len steps (default 100), state carried across
 * batches, Adam lr --lr (default 2e-3; with --cosine decayed to 0 by a cosine over all steps), gradient norm clipped
 * at 1, dropout --dropout (default 0: none) on the embeddings, between the layers and before the read-out, seed --seed (default 0)
 * for the initialization and the dropout draws;
 * evaluation on the held-out stream in 10 rows of 100 steps.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { BpttBatches } from '../src/data/bptt.js';
import { CharLM, type CellName } from '../src/models/sequence/charlm.js';
import { setNumThreads } from '../src/backend/wasm/index.js';
import { Adam } from '../src/optim/adam.js';
import { CosineAnnealingLR } from '../src/optim/schedulers/cosine.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { generate } from '../src/models/sequence/generate.js';
import { Generator, manualSeed } from '../src/tensor/random.js';
import { fitTask, evaluateTask } from '../src/train/loop.js';
import { LanguageModelTask } from '../src/train/tasks/language-model.js';
import { encodeText, readMobyDick, symbolChars } from './workloads/text.js';
import { VOCAB } from './workloads/spec.js';
import { scriptArgs } from '../src/node/script-args.js';
import { NodeFileStore } from '../src/node/files.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '5' }, cell: { type: 'string', default: 'lstm' }, out: { type: 'string' }, tokens: { type: 'string' },
  'seq-len': { type: 'string', default: '100' }, lr: { type: 'string', default: '0.002' }, cosine: { type: 'boolean', default: false },
  threads: { type: 'string', default: '2' }, save: { type: 'string' }, dropout: { type: 'string', default: '0' },
  hidden: { type: 'string', default: '256' }, seed: { type: 'string', default: '0' },
});
const [epochs, seqLen, lr, dropout, hiddenSize, seed] = [a.epochs, a['seq-len'], a.lr, a.dropout, a.hidden, a.seed].map(Number);
setNumThreads(Number(a.threads));
const cell = a.cell as CellName;
const book = readMobyDick();
const symbols = encodeText(book);
if (a.tokens) writeFileSync(a.tokens, symbols);
const cut = Math.floor(symbols.length * 0.9);
const train = new BpttBatches(symbols.subarray(0, cut), { batchSize: 32, seqLen });
const val = new BpttBatches(symbols.subarray(cut), { batchSize: 10, seqLen: 100 });
manualSeed(seed);
const model = new CharLM({ vocabSize: VOCAB, cell, embedDim: 64, hiddenSize, numLayers: 2, dropout });
const optimizer = new Adam(model.parameters(), { lr });
const scheduler = a.cosine ? new CosineAnnealingLR(optimizer, epochs * train.length) : undefined;
const task = new LanguageModelTask(model, { optimizer, scheduler, schedulerInterval: 'step', clipGradNorm: 1 });
console.log(`charlm ${cell} (hidden ${hiddenSize}): ${symbols.length} symbols (${VOCAB} kinds), ${train.length} steps per epoch of ${train.targetCount} targets, ${epochs} epochs, sequences of ${seqLen}, Adam lr ${lr}${a.cosine ? ' (cosine to 0)' : ''}`);
const epochsLog: { epoch: number; bpc: number; valBpc: number; seconds: number }[] = [];
const history = fitTask(task, {
  trainLoader: train, valLoader: val, epochs,
  callbacks: [{
    onEpochEnd: (epoch, logs) => {
      const row = { epoch, bpc: logs.bpc, valBpc: logs.val_bpc, seconds: logs.time as number };
      epochsLog.push(row);
      console.log(`epoch ${epoch}: train ${row.bpc.toFixed(4)} bpc, held-out ${row.valBpc.toFixed(4)} bpc, ${row.seconds.toFixed(1)} s`);
    },
  }],
});
const final = evaluateTask(task, val, { epoch: epochs, batch: 0, batchesPerEpoch: val.length, step: 0 });
console.log(`held-out bits per character after ${epochs} epochs: ${final.bpc.toFixed(4)}`);
const chars = symbolChars(book);
const prompt = 'Call me';
const promptSymbols = [...prompt].map((ch) => (chars.includes(ch) ? chars.indexOf(ch) : VOCAB - 1));
const drawn = generate(model, promptSymbols, { length: 300, temperature: 0.8, topK: 5, generator: new Generator(0) });
const sample = prompt + drawn.map((k) => chars[k] ?? '·').join('');
console.log(`sample (temperature 0.8, top 5):\n${sample}`);
if (a.save) {
  // the store's atomic write: a temporary file, fsync, rename
  new NodeFileStore(dirname(resolve(a.save))).write(basename(a.save), encodeSafetensors(model.stateDict()));
}
const result = { framework: 'shendu', cell, hiddenSize, epochs, seqLen, lr, cosine: a.cosine, dropout, seed, steps: history.epochs.length * train.length, heldOutBpc: final.bpc, epochsLog, sample };
if (a.out) writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
