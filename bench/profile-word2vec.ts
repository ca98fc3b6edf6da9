/**
 * word2vec_train's two inner loops side by side in one process: the plain JavaScript of src/text/word2vec-train.ts
 * (the cpu backend) and each backend's native runner (src/backend/host-word2vec.ts; the wasm backend's SIMD), on
 * the bench's Moby Dick words with its settings (skip-gram, bench/workloads/spec.ts W2V), one pass a step as the
 * bench's step. The paths alternate step by step, so a machine whose speed drifts slows both alike; the ratio of
 * each round's pair is the figure to read.
 *
 * `node dist/bench/profile-word2vec.js [--rounds=R] [--cbow] [--backends=cpu,wasm]`
 * @module
 */
import * as sd from '../src/index.js';
import { mobyDickSentences } from './workloads/words.js';
import { W2V } from './workloads/spec.js';

function option(args: string[], name: string, dflt: string): string {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a === undefined ? dflt : a.slice(name.length + 3);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const args = process.argv.slice(2);
  const rounds = Number(option(args, 'rounds', '5'));
  const backends = option(args, 'backends', 'cpu,wasm').split(',').filter((b) => sd.listBackends().includes(b));
  const sg = !args.includes('--cbow');
  sd.setNumThreads(1);
  const sentences = mobyDickSentences();
  const model = new sd.text.Word2Vec(sentences, { ...W2V, sg, epochs: 1, train: false });
  console.log(`${sg ? 'skip-gram' : 'CBOW'}, vocabulary ${model.vocab.length}, ${sentences.reduce((a, s) => a + s.length, 0)} words a pass`);
  const rates = new Map<string, number[]>(backends.map((b) => [b, []]));
  const pass = (b: string) => {
    sd.setBackend(b);
    return model.train().wordsPerSecond;
  };
  for (const b of backends) pass(b); // warm-up
  for (let r = 0; r < rounds; r++) {
    const line = backends.map((b) => {
      const w = pass(b);
      rates.get(b)!.push(w);
      return `${b} ${(w / 1000).toFixed(0)}k`;
    });
    const ratio = backends.length > 1 ? `  ${backends[1]}/${backends[0]} ${(rates.get(backends[1])![r] / rates.get(backends[0])![r]).toFixed(2)}x` : '';
    console.log(`round ${r + 1}: ${line.join(', ')} words/s${ratio}`);
  }
  for (const b of backends) {
    const xs = rates.get(b)!;
    console.log(`${b}: median ${(median(xs) / 1000).toFixed(0)}k, best ${(Math.max(...xs) / 1000).toFixed(0)}k words/s`);
  }
}

main();
