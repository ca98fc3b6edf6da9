/**
 * The `linalg` suite end to end: shendu's float64 linear algebra and classical methods in this process
 * (bench/linalg.ts), then numpy's and scikit-learn's on the same problems from bench/numpy_linalg.py when
 * /usr/bin/python3 can import them. Figures are runs per second; the table's ratios are shendu over each peer
 * (issue 18's target: every one at 0.2x or better, i.e. within 5x).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runShenduLinalg } from './linalg.js';
import { PYTHON } from './peers/torch.js';
import type { Row } from './rows.js';

const benchSrc = fileURLToPath(new URL('../../bench/', import.meta.url));

function runNumpyLinalg(problemsFile: string, only: readonly string[], log: (s: string) => void): { rows: Row[]; versions: Record<string, string> } {
  const r = spawnSync(PYTHON, [benchSrc + 'numpy_linalg.py', problemsFile, ...only], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop();
    log(`  numpy/scikit-learn not measured: ${why} (install Debian's python3-sklearn to compare)`);
    return { rows: [], versions: {} };
  }
  const out = JSON.parse(r.stdout) as { versions: Record<string, string>; rows: Row[] };
  for (const row of out.rows) log(`  ${row.runner} ${row.workload}: ${(1000 / row.value).toFixed(1)} ms (${row.note})`);
  return out;
}

/** Runs the linalg workloads in `only` on shendu, then on numpy/scikit-learn, logging each figure. */
export function runLinalg(only: readonly string[], log: (s: string) => void): { rows: Row[]; versions: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'shendu-linalg-'));
  try {
    const file = join(dir, 'problems.bin');
    const mine = runShenduLinalg(only, file, log);
    const peers = runNumpyLinalg(file, only, log);
    return { rows: [...mine, ...peers.rows], versions: peers.versions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
