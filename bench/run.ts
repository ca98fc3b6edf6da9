/**
 * `npm run bench [-- selection ...]`: runs the benchmark suites for shendu and its peers in one invocation,
 * prints a table of figures and ratios per suite, and writes bench/results.json (atomically).
 * Suites: core (elementwise elements/s, matmul GFLOP/s at 256 and 1024, shendu in-process vs PyTorch) and
 * peers (gemm, MLP, LeNet-5, LSTM and ResNet-20 training on shendu-wasm/cpu, TensorFlow.js cpu/wasm and PyTorch, each
 * pair in its own child process) and linalg (float64 svd, eigh, qr, inv, solve, lstsq, pinv at 500x500, PCA, linear
 * regression and k-means, shendu vs numpy/scikit-learn on the same problems). See select.ts for the arguments.
 * @module
 */
import { renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { HEAP_ENV } from '../src/cli/heap-env.js';
import { assertNever } from '../src/errors.js';
import type { Row } from './rows.js';
import { parseSelection, type Selection } from './select.js';
import { runCore } from './suite-core.js';
import { runLinalg } from './suite-linalg.js';
import { runPeers } from './suite-peers.js';
import { coreTable, peersTable } from './table.js';
import { WORKLOADS } from './workloads/spec.js';

const resultsPath = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main(): Promise<void> {
  let sel: Selection;
  try {
    sel = parseSelection(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const log = (s: string) => console.log(s);
  const rows: Row[] = [];
  const tables: string[] = [];
  const versions: Record<string, string> = {};
  const t0 = performance.now();
  const loadBefore = loadavg()[0];
  log(`${cpus().length} cores (${cpus()[0]?.model}), load average ${loadBefore.toFixed(2)}${loadBefore > 0.5 ? ': other work is running, figures (2-thread ones most) will be noisy' : ''}`);
  for (const [suite, workloads] of sel.suites) {
    log(`suite ${suite}:`);
    switch (suite) {
      case 'core': {
        const got = await runCore(workloads, log);
        rows.push(...got);
        tables.push(`core:\n${coreTable(got)}`);
        break;
      }
      case 'peers': {
        const specs = WORKLOADS.filter((w) => workloads.includes(w.name));
        const got = runPeers({ workloads: specs, runners: sel.runners, seconds: sel.seconds, rounds: sel.rounds, log });
        rows.push(...got.rows);
        versions.torch = got.torch;
        tables.push(`peers (median of 5 windows in ${sel.seconds} s per measurement, after warm-up; ${sel.rounds > 1 ? `best of ${sel.rounds} interleaved rounds` : 'one round'}):\n${peersTable(got.rows, workloads, sel.runners.map((r) => r.name))}`);
        break;
      }
      case 'linalg': {
        const got = runLinalg(workloads, log);
        rows.push(...got.rows);
        Object.assign(versions, got.versions);
        tables.push(`linalg (float64; runs per second, shendu / peer above 1x: shendu is faster):\n${coreTable(got.rows)}`);
        break;
      }
      default:
        assertNever(suite, 'bench suite');
    }
  }
  log(`\n${tables.join('\n\n')}`);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavg: { before: round2(loadBefore), after: round2(loadavg()[0]) },
    ...versions,
    // the peers' children run with these (src/cli/heap-env.ts), whichever the runner
    heapEnv: HEAP_ENV,
    suites: [...sel.suites.keys()],
    // each peers row is its runner's best of this many interleaved rounds (its `rounds` lists them)
    peersRounds: sel.rounds,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    rows: rows.map((r) => (Number.isFinite(r.value) ? r : { ...r, value: null })),
  };
  writeFileSync(resultsPath + '.tmp', JSON.stringify(result, null, 2) + '\n');
  renameSync(resultsPath + '.tmp', resultsPath);
  log(`\nwritten ${resultsPath}`);
}

await main();
