/**
 * The char LM's cell comparison of issue 13: held-out bits per character after each epoch for the RNN, LSTM and GRU
 * runs of bench/charlm-moby-dick.ts (same recipe, one `--out` JSON each), drawn as one line chart, and a table of
 * the curves on the console. A PyTorch result of bench/torch_charlm.py may be given too: it is drawn as its own line.
 *
 *   node dist/bench/charlm-cells.js --png docs/pictures/charlm-cells.png runs/lstm.json runs/gru.json runs/rnn.json [torch-lstm.json]
 * @module
 */
import { readFileSync } from 'node:fs';
import { saveLineChart } from '../src/node/pictures.js';
import { scriptCommand } from '../src/node/script-args.js';

/** What bench/charlm-moby-dick.ts and bench/torch_charlm.py write. */
interface CharLmResult {
  framework: string;
  cell: string;
  epochs: number;
  hiddenSize?: number;
  hidden?: number;
  seqLen?: number;
  lr?: number;
  cosine?: boolean;
  epochsLog: { epoch: number; bpc: number; valBpc: number }[];
}

const { values: a, positionals } = scriptCommand(import.meta.url, { png: { type: 'string' } }, 'RESULT.json ...');
if (positionals.length === 0) throw new Error('charlm-cells: give the result JSON files of bench/charlm-moby-dick.ts (one per cell)');
const results = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CharLmResult);
const name = (r: CharLmResult): string => `${r.cell.toUpperCase()}${r.framework === 'shendu' ? '' : ` (${r.framework})`}`;
for (const r of results) {
  const curve = r.epochsLog.map((e) => e.valBpc.toFixed(3)).join(' ');
  console.log(`${name(r).padEnd(16)} held-out bpc by epoch: ${curve}`);
}
if (a.png) {
  const first = results[0];
  const recipe = `${first.epochs} epochs, sequences of ${first.seqLen ?? 100}, Adam ${first.lr ?? 2e-3}${first.cosine ? ' cosine' : ''}`;
  const saved = await saveLineChart(
    results.map((r) => ({ name: name(r), x: r.epochsLog.map((e) => e.epoch), y: r.epochsLog.map((e) => e.valBpc) })),
    a.png,
    { title: `Char LM on Moby Dick, 2 layers of ${first.hiddenSize ?? first.hidden ?? 256} (${recipe})`, xTitle: 'epoch', yTitle: 'held-out bits per character', width: 420, height: 280, integerX: true },
  );
  console.log(`wrote ${saved.png}`);
}
