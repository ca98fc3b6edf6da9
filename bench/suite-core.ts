/**
 * The `core` suite end to end: shendu's elementwise and matmul figures in this process, then PyTorch's from
 * bench/torch_core.py when /usr/bin/python3 can import torch.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runShenduCore } from './core.js';
import { PYTHON } from './peers/torch.js';
import type { Row } from './rows.js';

const benchSrc = fileURLToPath(new URL('../../bench/', import.meta.url));

function runTorchCore(only: readonly string[], log: (s: string) => void): Row[] {
  const r = spawnSync(PYTHON, [benchSrc + 'torch_core.py', ...only], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop();
    log(`  PyTorch not measured: ${why} (install Debian's python3-torch to compare)`);
    return [];
  }
  const out = JSON.parse(r.stdout) as { torch: string; rows: Row[] };
  for (const row of out.rows) {
    const v = row.unit === 'elements/s' ? `${(row.value / 1e6).toFixed(1)} M elements/s` : `${row.value.toFixed(2)} ${row.unit}`;
    log(`  ${row.runner} ${row.workload}: ${v}`);
  }
  return out.rows;
}

/** Runs the core workloads in `only` on shendu and PyTorch, logging each figure. */
export async function runCore(only: readonly string[], log: (s: string) => void): Promise<Row[]> {
  return [...(await runShenduCore(log, only)), ...runTorchCore(only, log)];
}
