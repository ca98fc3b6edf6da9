/**
 * Grapheme-to-phoneme conversion on the CMU pronouncing dictionary (issue 13): the zoo's `g2p` (BiGRU encoder,
 * GRU decoder with Luong attention) or, with --arch transformer, `g2p_transformer` (nn.TransformerEncoder/Decoder,
 * width 64, 4 heads, 2 + 2 layers), trained by the seq2seq task with teacher forcing, scored on held-out words by
 * word accuracy and phoneme error rate (greedy decoding). Stress digits are stripped (39 phonemes); each word's first
 * pronunciation only. The held-out words: 10% of the dictionary by a seeded split (seed 0); training and evaluation
 * may use a random part of each (--train, --test). bench/torch_g2p.py is the PyTorch twin (--data-dir, --arch).
--warmup N ramps the learning rate linearly over the first N steps before the cosine decay.
 *
 *   node dist/examples/g2p-cmudict.js [--train 20000] [--test 1000] [--epochs 2] [--batch 64] [--lr 0.003]
 *        [--arch gru|transformer] [--embed 32] [--hidden 64] [--attention luong|bahdanau]
 *        [--d-model 64] [--nhead 4] [--layers 2] [--ff 256] [--dropout 0.1] [--positions sinusoidal|learned]
 *        [--warmup 0] [--threads 1] [--out FILE.json] [--png FILE.png (gru)] [--data-dir DIR]
 *        [--save g2p.safetensors] [--load g2p.safetensors (with --epochs 0: score a saved model)]
 *
 * Held-out word accuracy / PER on 1,000 words after 2 epochs on 16,000 (--train 16000 --test 1000 --epochs 2,
 * Adam 3e-3 with cosine decay, batch 64; bench/results/g2p-*.json): GRU 36.9% / 19.2% (PyTorch 36.8% / 17.8%);
 * Transformer (--arch transformer, 240,938 parameters) 30.0% / 24.2% in 1,176 s (PyTorch 31.8% / 23.0% in 236 s).
 * In PyTorch, --lr 0.005 --warmup 50 gave the Transformer 33.4% / 21.5%, --lr 0.001 --warmup 100 17.5% / 32.6%.
 * The whole training split (--train 200000 --test 1000 --epochs 8 --threads 1: 111,487 words, 13,936 steps, 1,954 s
 * beside other work; bench/results/g2p-full-8epochs-*.json): GRU + Luong 61.5% / 9.5% on the first 1,000 held-out
 * words (PyTorch on the same data and recipe: 61.8% / 9.9%); 1,000 words put the accuracy within about ±3 points
 * (95%), so the same run was repeated scoring every held-out word (--test 20000: all 12,387; 1,938 s;
 * bench/results/g2p-full-8epochs-all-heldout-*.json): 60.05% / 10.02% (PyTorch: 59.97% / 10.09%).
 * @module
 */
import '../src/index.js'; // the public entry point installs the Tensor methods (backward, item, ...)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { G2PData } from '../src/data/g2p.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';
import { G2P, type AttentionKind } from '../src/models/sequence/g2p.js';
import { G2PTransformer, type PositionKind } from '../src/models/sequence/g2p-transformer.js';
import { cmudict } from '../src/node/datasets/cmudict.js';
import { NodeFileStore } from '../src/node/files.js';
import { svgToPng } from '../src/node/pictures.js';
import { Adam } from '../src/optim/adam.js';
import { LambdaLR } from '../src/optim/schedulers/basic.js';
import { CosineAnnealingLR } from '../src/optim/schedulers/cosine.js';
import { setNumThreads } from '../src/backend/wasm/index.js';
import { Generator, manualSeed } from '../src/tensor/random.js';
import { evaluateTask, fitTask } from '../src/train/loop.js';
import { Seq2SeqTask } from '../src/train/tasks/seq2seq.js';
import { renderSvg, type VegaLiteSpec } from '../src/viz/render.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  train: { type: 'string', default: '20000' }, test: { type: 'string', default: '1000' }, epochs: { type: 'string', default: '2' },
  batch: { type: 'string', default: '64' }, lr: { type: 'string', default: '0.003' }, embed: { type: 'string', default: '32' },
  hidden: { type: 'string', default: '64' }, attention: { type: 'string', default: 'luong' }, out: { type: 'string' }, png: { type: 'string' },
  'data-dir': { type: 'string' }, 'teacher-forcing': { type: 'string', default: '1' },
  arch: { type: 'string', default: 'gru' }, 'd-model': { type: 'string', default: '64' }, nhead: { type: 'string', default: '4' },
  layers: { type: 'string', default: '2' }, ff: { type: 'string', default: '256' }, dropout: { type: 'string', default: '0.1' },
  positions: { type: 'string', default: 'sinusoidal' }, warmup: { type: 'string', default: '0' }, threads: { type: 'string', default: '1' },
  save: { type: 'string' }, load: { type: 'string' },
});
const arch = a.arch;
if (arch !== 'gru' && arch !== 'transformer') throw new Error(`g2p-cmudict: --arch must be gru or transformer, got ${arch}`);
const [dModel, nhead, layers, dimFeedforward, dropout, warmup] = [a['d-model'], a.nhead, a.layers, a.ff, a.dropout, a.warmup].map(Number);
const positions = a.positions as PositionKind;
const threads = Number(a.threads);
setNumThreads(threads);
const [nTrain, nTest, epochs, batch, lr, embedDim, hiddenSize, tf] = [a.train, a.test, a.epochs, a.batch, a.lr, a.embed, a.hidden, a['teacher-forcing']].map(Number);
const attention = a.attention as AttentionKind;

const t0 = performance.now();
const dict = cmudict();
const [trainAll, testAll] = dict.split(0.1, 0);
const train = trainAll.head(Math.min(nTrain, trainAll.length));
const test = testAll.head(Math.min(nTest, testAll.length));
console.log(`CMUdict: ${dict.length} words, ${dict.letters.length - 1} letters, ${dict.phonemes.length - 3} phonemes; training on ${train.length} of ${trainAll.length} training words, scoring ${test.length} of ${testAll.length} held-out words`);

function writePairs(dir: string, name: string, d: G2PData): void {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ letters: d.letters, phonemes: d.phonemes, entries: d.entries }));
}
if (a['data-dir']) {
  mkdirSync(a['data-dir'], { recursive: true });
  writePairs(a['data-dir'], 'train', train);
  writePairs(a['data-dir'], 'test', test);
}

manualSeed(0);
const symbols = { numLetters: dict.letters.length, numClasses: dict.phonemes.length };
const model = arch === 'gru'
  ? new G2P({ ...symbols, embedDim, hiddenSize, attention })
  : new G2PTransformer({ ...symbols, dModel, nhead, numEncoderLayers: layers, numDecoderLayers: layers, dimFeedforward, dropout, positions });
if (a.load) {
  model.loadStateDict(decodeSafetensors(readFileSync(a.load), { source: a.load }).tensors);
  console.log(`loaded ${a.load}`);
}
const optimizer = new Adam(model.parameters(), { lr });
const trainLoader = train.batches(batch, { generator: new Generator(0) });
const valLoader = test.batches(200);
const totalSteps = Math.max(1, epochs * trainLoader.length);
// the warm-up is a LambdaLR of the same closed form as the torch twin's
const scheduler = warmup > 0
  ? new LambdaLR(optimizer, (s) => Math.min(1, (s + 1) / warmup) * 0.5 * (1 + Math.cos((Math.PI * s) / totalSteps)))
  : new CosineAnnealingLR(optimizer, totalSteps);
const task = new Seq2SeqTask(model, { optimizer, scheduler, schedulerInterval: 'step', clipGradNorm: 5, teacherForcing: tf });
const params = model.parameters().reduce((s, p) => s + p.numel(), 0);
const what = arch === 'gru' ? `g2p (${attention})` : `g2p_transformer (${positions} positions)`;
console.log(`${what}: ${params} parameters, ${trainLoader.length} steps per epoch, ${epochs} epochs, Adam lr ${lr} (cosine, warm-up ${warmup}), batch ${batch}, teacher forcing ${tf}`);

const epochsLog: Record<string, number>[] = [];
if (epochs > 0) fitTask(task, {
  trainLoader, valLoader, epochs,
  callbacks: [{
    onEpochEnd: (epoch, logs) => {
      epochsLog.push({ epoch, loss: logs.loss, valLoss: logs.val_loss, valWordAcc: logs.val_seq_acc, valPer: logs.val_ter, seconds: logs.time as number });
      console.log(`epoch ${epoch}: loss ${logs.loss.toFixed(4)}; held-out loss ${logs.val_loss.toFixed(4)}, word accuracy ${logs.val_seq_acc.toFixed(4)}, PER ${logs.val_ter.toFixed(4)} (${(logs.time as number).toFixed(0)} s)`);
    },
  }],
});
if (a.save) {
  // the store's atomic write: a temporary file, fsync, rename
  new NodeFileStore(dirname(resolve(a.save))).write(basename(a.save), encodeSafetensors(model.stateDict()));
  console.log(`wrote ${a.save}`);
}
const final = evaluateTask(task, valLoader);
const seconds = (performance.now() - t0) / 1000;
console.log(`held-out (${test.length} words): word accuracy ${(100 * final.seq_acc).toFixed(2)}%, PER ${(100 * final.ter).toFixed(2)}% (${seconds.toFixed(0)} s in all)`);
if (a.out) {
  const sizes = arch === 'gru' ? { model: 'g2p', attention, embedDim, hiddenSize } : { model: 'g2p_transformer', dModel, nhead, layers, dimFeedforward, dropout, positions };
  const result = { framework: 'shendu', threads, arch, ...sizes, parameters: params, train: train.length, test: test.length, epochs, batch, lr, warmup, teacherForcing: tf, heldOutWordAcc: final.seq_acc, heldOutPer: final.ter, heldOutLoss: final.loss, seconds, epochsLog };
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
}

if (a.png && model instanceof G2PTransformer) console.log('--png draws the recurrent decoder\'s attention: only with --arch gru');
if (a.png && model instanceof G2P) {
  // attention of the first four held-out words: rows are the phonemes produced, columns the letters
  model.eval();
  const idx = [0, 1, 2, 3].filter((i) => i < test.length);
  const b = test.batch(idx);
  const res = model.attend(b.source, b.sourceLengths);
  const panels = res.map((r, j) => {
    const word = test.entries[idx[j]].word;
    const out = test.decodePhonemes(r.ids);
    const values = r.attention.flatMap((row, t) => row.map((w, s) => ({ letter: `${s + 1}:${word[s]}`, phoneme: `${t + 1}:${out[t] ?? '?'}`, weight: w })));
    return {
      title: `${word} -> ${out.join(' ')} (true ${test.entries[idx[j]].phonemes.join(' ')})`,
      data: { values }, mark: 'rect', width: 18 * word.length, height: 18 * Math.max(1, out.length),
      encoding: {
        x: { field: 'letter', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0, labelExpr: "split(datum.label, ':')[1]" } },
        y: { field: 'phoneme', type: 'ordinal', sort: null, title: null, axis: { labelExpr: "split(datum.label, ':')[1]" } },
        color: { field: 'weight', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] }, title: 'attention' },
      },
    };
  });
  const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', hconcat: panels } as unknown as VegaLiteSpec;
  writeFileSync(a.png, svgToPng(await renderSvg(spec)));
  console.log(`wrote ${a.png}`);
}
