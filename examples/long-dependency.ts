/**
 * Claim (chapter 9): a plain (Elman) RNN cannot carry information over many steps — its gradient through time
 * shrinks or grows geometrically — while LSTM and GRU, whose gated additive state update lets the gradient pass
 * unchanged, hold it much longer.
 * Task ("recall"): a sequence of k + 1 random symbols from an alphabet of 8; the label is the FIRST symbol, the one
 * read k steps before the last. Nothing else predicts it (chance is 1/8), so held-out accuracy measures whether the
 * cell carried that symbol k steps. Model: Embedding(8, 16) -> one-layer nn.RNN (tanh) / nn.LSTM / nn.GRU, all with
 * hidden size 32 -> Linear on the last output; a fourth line is the LSTM with its forget-gate bias started at 1
 * ('LSTM+fb1', the usual remedy for an LSTM that forgets at init: PyTorch's default bias makes the forget gate
 * about 0.5, which halves the carried state every step). Each (cell, k) trains from the same seed on fresh random
 * batches of 64 (never reused, so no over-fitting) with Adam lr 1e-2 and clipGradNorm_ at 1, for the same number
 * of steps; accuracy on 1,000 held-out sequences from another generator. Writes <out>.png (accuracy against k, a
 * line per cell) and <out>.json (the numbers; --plot-only redraws the PNG from it).
 *
 *   npx tsc -p tsconfig.json && nice -n 5 node dist/examples/long-dependency.js \
 *     [--ks 5,10,20,40] [--steps 500] [--hidden 32] [--threads 1] [--out docs/pictures/long-dependency] [--plot-only]
 *
 * Measured with the defaults (2026-12-03, 1 thread, 98 CPU-seconds, 7 min wall on the shared machine at load ~18),
 * held-out accuracy at k = 5 / 10 / 20 / 40:
 *   RNN      1.000 / 0.585 / 0.796 / 0.118
 *   LSTM     1.000 / 0.622 / 0.118 / 0.122
 *   LSTM+fb1 1.000 / 1.000 / 0.118 / 0.119
 *   GRU      1.000 / 1.000 / 1.000 / 0.134
 * So at this budget (500 steps) the GRU carries the symbol 20 steps, the LSTM with forget bias 1 10 and with
 * PyTorch's init only 5, the plain RNN partly (0.59 at 10, 0.80 at 20: when a run "clicks" is noisy, one seed
 * each) and nobody 40. The course's ordering (gated cells hold longer) shows for the GRU; the LSTM needs more steps
 * than this budget to open its forget gate, which is itself what the picture shows. Not repeated over seeds.
 * Doubling the budget (--steps 1000, 173 CPU-seconds) changes little: RNN 1.000 / 0.601 / 0.573 / 0.118, LSTM
 * 1.000 / 0.849 / 0.132 / 0.122, LSTM+fb1 1.000 / 1.000 / 0.132 / 0.122, GRU 1.000 / 1.000 / 1.000 / 0.105.
 * @module
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { F, Generator, manualSeed, nn, noGrad, optim, randint, setNumThreads, tensor, type Tensor } from '../src/index.js';
import { saveLineChart } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  ks: { type: 'string', default: '5,10,20,40' }, steps: { type: 'string', default: '500' }, hidden: { type: 'string', default: '32' },
  threads: { type: 'string', default: '1' }, 'plot-only': { type: 'boolean', default: false }, out: { type: 'string', default: 'docs/pictures/long-dependency' },
});
const KS = a.ks.split(',').map(Number);
const STEPS = Number(a.steps);
const HIDDEN = Number(a.hidden);
const SYMBOLS = 8;
const EMBED = 16;
const BATCH = 64;
const TEST = 1000;
/** 'LSTM+fb1': an LSTM whose forget-gate bias starts at 1 (Gers et al. 2000; Jozefowicz et al. 2015) instead of PyTorch's U(-1/sqrt(H), 1/sqrt(H)). */
const CELLS = ['RNN', 'LSTM', 'LSTM+fb1', 'GRU'] as const;
type Cell = (typeof CELLS)[number];
setNumThreads(Number(a.threads));

/** A batch of `n` recall sequences [n, k + 1] (int32) and their labels [n] (the first symbol of each). */
function recallBatch(n: number, k: number, g: Generator): [Tensor, Tensor] {
  const x = randint(0, SYMBOLS, [n, k + 1], { generator: g });
  return [x, x.select(1, 0).contiguous()];
}

/** The recall model for one cell type: embedding, recurrent layer, a linear head on the last time step. */
class Recall extends nn.Module {
  readonly embed = new nn.Embedding(SYMBOLS, EMBED);
  readonly rnn: nn.RNN | nn.LSTM | nn.GRU;
  readonly head = new nn.Linear(HIDDEN, SYMBOLS);

  constructor(readonly cell: Cell) {
    super();
    const opts = { batchFirst: true };
    this.rnn = cell === 'RNN' ? new nn.RNN(EMBED, HIDDEN, opts) : cell === 'GRU' ? new nn.GRU(EMBED, HIDDEN, opts) : new nn.LSTM(EMBED, HIDDEN, opts);
    if (cell === 'LSTM+fb1') {
      // PyTorch's gate order is input, forget, cell, output: rows H..2H of bias_ih are the forget gate's (bias_hh keeps its small default).
      const bias = this.rnn.bias_ih_l0!;
      const b = Float32Array.from(bias.toTypedArray());
      b.fill(1, HIDDEN, 2 * HIDDEN);
      noGrad(() => bias.copy_(tensor(b, { shape: bias.shape })));
    }
  }

  /** x [N, L] symbols to logits [N, SYMBOLS] read from the last step's output. */
  forward(x: Tensor): Tensor {
    const [out] = this.rnn.forward(this.embed.forward(x)) as [Tensor, unknown];
    const L = x.shape[1];
    return this.head.forward(out.select(1, L - 1));
  }
}

/** Trains one (cell, k) and returns held-out accuracy and the mean loss of the last 20 steps. */
function run(cell: Cell, k: number): { accuracy: number; finalLoss: number } {
  manualSeed(0);
  const model = new Recall(cell);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const g = new Generator(1);
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const [x, y] = recallBatch(BATCH, k, g);
    const loss = F.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    optim.clipGradNorm_(model.parameters(), 1);
    opt.step();
    losses.push(loss.item());
  }
  const [xt, yt] = recallBatch(TEST, k, new Generator(12345));
  const pred = noGrad(() => model.forward(xt).argmax(1)).toTypedArray();
  const target = yt.toTypedArray();
  let right = 0;
  for (let i = 0; i < TEST; i++) right += pred[i] === target[i] ? 1 : 0;
  const tail = losses.slice(-20);
  return { accuracy: right / TEST, finalLoss: tail.reduce((s, v) => s + v, 0) / tail.length };
}

/** Trains every (cell, k) and returns held-out accuracies per cell, in KS order. */
function measure(): Record<Cell, number[]> {
  const acc: Record<Cell, number[]> = { RNN: [], LSTM: [], 'LSTM+fb1': [], GRU: [] };
  const t0 = performance.now();
  for (const k of KS) {
    for (const cell of CELLS) {
      const t = performance.now();
      const r = run(cell, k);
      acc[cell].push(r.accuracy);
      console.log(`k ${String(k).padStart(3)}  ${cell.padEnd(8)}  held-out accuracy ${r.accuracy.toFixed(3)}  final loss ${r.finalLoss.toFixed(3)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
  }
  console.log(`chance ${(1 / SYMBOLS).toFixed(3)}; ${STEPS} steps each, total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return acc;
}

// --plot-only redraws the PNG from the JSON a previous run wrote, without training.
let results: { ks: number[]; steps: number; accuracy: Record<Cell, number[]> };
if (a['plot-only']) results = JSON.parse(readFileSync(`${a.out}.json`, 'utf8')) as typeof results;
else {
  results = { ks: KS, steps: STEPS, accuracy: measure() };
  writeFileSync(`${a.out}.json`, JSON.stringify(results) + '\n');
}
const saved = await saveLineChart(CELLS.map((c) => ({ name: c, x: results.ks, y: results.accuracy[c] })), a.out, {
  title: `Recall the symbol k steps back (chance ${(1 / SYMBOLS).toFixed(3)}): hidden ${HIDDEN}, ${results.steps} Adam steps of ${BATCH}`,
  xTitle: 'k (steps between the symbol and the answer)', yTitle: 'held-out accuracy', width: 420, height: 260, points: true,
});
if (saved.svg) rmSync(saved.svg);
console.log(`wrote ${saved.png}`);
