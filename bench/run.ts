/**
 * `npm run bench [-- suite ...]`: runs the benchmark suites (default: all) for shendu and its peers in one
 * process run, prints a table of figures and ratios, and writes bench/results.json.
 * Suites: core (elementwise elements/s, matmul GFLOP/s at 256 and 1024).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runShenduCore, type Row } from './core.js';

const SUITES: Record<string, { shendu: (log: (s: string) => void) => Row[]; torchScript: string }> = {
  core: { shendu: runShenduCore, torchScript: 'torch_core.py' },
};

const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url));

function runTorch(script: string, log: (s: string) => void): Row[] {
  const r = spawnSync('/usr/bin/python3', [benchDir + script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop();
    log(`  PyTorch not measured: ${why} (install Debian's python3-torch to compare)`);
    return [];
  }
  const out = JSON.parse(r.stdout) as { torch: string; rows: Row[] };
  for (const row of out.rows) log(`  ${row.runner} ${row.workload}: ${fmt(row)}`);
  return out.rows;
}

function fmt(r: Row): string {
  return r.unit === 'elements/s' ? `${(r.value / 1e6).toFixed(1)} M elements/s` : `${r.value.toFixed(2)} ${r.unit}`;
}

function table(rows: Row[]): string {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const runners = [...new Set(rows.map((r) => r.runner))];
  const base = runners.find((r) => r.startsWith('shendu-')) ?? runners[0];
  const header = ['workload', 'unit', ...runners, ...runners.filter((r) => r !== base).map((r) => `${base} / ${r}`)];
  const lines = [header];
  for (const w of workloads) {
    const get = (runner: string) => rows.find((r) => r.workload === w && r.runner === runner);
    const unit = rows.find((r) => r.workload === w)!.unit;
    const scale = unit === 'elements/s' ? 1e6 : 1;
    const cells = runners.map((r) => {
      const row = get(r);
      return row ? (row.value / scale).toFixed(2) : '-';
    });
    const ratios = runners.filter((r) => r !== base).map((r) => {
      const a = get(base);
      const b = get(r);
      return a && b ? `${(a.value / b.value).toFixed(3)}x` : '-';
    });
    lines.push([w, unit === 'elements/s' ? 'M elem/s' : unit, ...cells, ...ratios]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

function main(): void {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !(s in SUITES));
  if (unknown.length) {
    console.error(`bench: unknown suite '${unknown[0]}', expected one of: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const suites = asked.length ? asked : Object.keys(SUITES);
  const log = (s: string) => console.log(s);
  const rows: Row[] = [];
  for (const name of suites) {
    log(`suite ${name}:`);
    rows.push(...SUITES[name].shendu(log));
    rows.push(...runTorch(SUITES[name].torchScript, log));
  }
  log('');
  log(table(rows));
  const result = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, suites, rows };
  const path = benchDir + 'results.json';
  writeFileSync(path + '.tmp', JSON.stringify(result, null, 2) + '\n');
  renameSync(path + '.tmp', path);
  log(`\nwritten ${path}`);
}

main();
