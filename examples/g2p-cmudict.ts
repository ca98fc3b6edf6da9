/**
 * Grapheme-to-phoneme conversion on the CMU pronouncing dictionary (issue 13): the zoo's `g2p` (BiGRU encoder,
 * GRU decoder with Luong attention) trained by the seq2seq task with teacher forcing, scored on held-out words by
 * word accuracy and phoneme error rate (greedy decoding). Stress digits are stripped (39 phonemes); each word's first
 * pronunciation only. The held-out words: 10% of the dictionary by a seeded split (seed 0); training and evaluation
 * may use a random part of each (--train, --test). bench/torch_g2p.py is the PyTorch twin (--data-dir).
 *
 *   node dist/examples/g2p-cmudict.js [--train 20000] [--test 1000] [--epochs 2] [--batch 64] [--lr 0.003]
 *        [--embed 32] [--hidden 64] [--attention luong|bahdanau] [--out FILE.json] [--png FILE.png] [--data-dir DIR]
 * @module
 */
import '../src/index.js'; // the public entry point installs the Tensor methods (backward, item, ...)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { G2PData } from '../src/data/g2p.js';
import { G2P, type AttentionKind } from '../src/models/sequence/g2p.js';
import { cmudict } from '../src/node/datasets/cmudict.js';
import { svgToPng } from '../src/node/pictures.js';
import { Adam } from '../src/optim/adam.js';
import { CosineAnnealingLR } from '../src/optim/schedulers/cosine.js';
import { Generator, manualSeed } from '../src/tensor/random.js';
import { evaluateTask, fitTask } from '../src/train/loop.js';
import { Seq2SeqTask } from '../src/train/tasks/seq2seq.js';
import { renderSvg, type VegaLiteSpec } from '../src/viz/render.js';

const { values: a } = parseArgs({
  options: {
    train: { type: 'string', default: '20000' }, test: { type: 'string', default: '1000' }, epochs: { type: 'string', default: '2' },
    batch: { type: 'string', default: '64' }, lr: { type: 'string', default: '0.003' }, embed: { type: 'string', default: '32' },
    hidden: { type: 'string', default: '64' }, attention: { type: 'string', default: 'luong' }, out: { type: 'string' }, png: { type: 'string' },
    'data-dir': { type: 'string' }, 'teacher-forcing': { type: 'string', default: '1' },
  },
});
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
const model = new G2P({ numLetters: dict.letters.length, numClasses: dict.phonemes.length, embedDim, hiddenSize, attention });
const optimizer = new Adam(model.parameters(), { lr });
const trainLoader = train.batches(batch, { generator: new Generator(0) });
const valLoader = test.batches(200);
const scheduler = new CosineAnnealingLR(optimizer, epochs * trainLoader.length);
const task = new Seq2SeqTask(model, { optimizer, scheduler, schedulerInterval: 'step', clipGradNorm: 5, teacherForcing: tf });
const params = model.parameters().reduce((s, p) => s + p.numel(), 0);
console.log(`g2p (${attention}): ${params} parameters, ${trainLoader.length} steps per epoch, ${epochs} epochs, Adam lr ${lr} (cosine), batch ${batch}, teacher forcing ${tf}`);

const epochsLog: Record<string, number>[] = [];
fitTask(task, {
  trainLoader, valLoader, epochs,
  callbacks: [{
    onEpochEnd: (epoch, logs) => {
      epochsLog.push({ epoch, loss: logs.loss, valLoss: logs.val_loss, valWordAcc: logs.val_seq_acc, valPer: logs.val_ter, seconds: logs.time as number });
      console.log(`epoch ${epoch}: loss ${logs.loss.toFixed(4)}; held-out loss ${logs.val_loss.toFixed(4)}, word accuracy ${logs.val_seq_acc.toFixed(4)}, PER ${logs.val_ter.toFixed(4)} (${(logs.time as number).toFixed(0)} s)`);
    },
  }],
});
const final = evaluateTask(task, valLoader);
const seconds = (performance.now() - t0) / 1000;
console.log(`held-out (${test.length} words): word accuracy ${(100 * final.seq_acc).toFixed(2)}%, PER ${(100 * final.ter).toFixed(2)}% (${seconds.toFixed(0)} s in all)`);
if (a.out) {
  const result = { framework: 'shendu', model: 'g2p', attention, parameters: params, train: train.length, test: test.length, epochs, batch, lr, embedDim, hiddenSize, teacherForcing: tf, heldOutWordAcc: final.seq_acc, heldOutPer: final.ter, heldOutLoss: final.loss, seconds, epochsLog };
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
}

if (a.png) {
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
