/**
 * Plain-text tables of benchmark rows: the `peers` table (one line per workload, a column per runner, then
 * the best shendu-wasm figure as a ratio of each peer's) and the `core` table. Errors show as `err N` in their
 * cell, with the messages listed under the table.
 * @module
 */
import type { Row } from './rows.js';

/** Peers the ratio columns compare against; `torch-best` is the better of the torch runners. */
export const RATIO_PEERS: readonly string[] = ['tfjs-cpu', 'tfjs-wasm', 'torch-1t', 'torch-2t', 'torch-best'];

function ok(row: Row | undefined): row is Row {
  return row !== undefined && !row.error && Number.isFinite(row.value);
}

function fmtFigure(v: number, unit: string): string {
  if (unit === 'GFLOP/s') return v.toFixed(2);
  if (unit === 'elements/s') return (v / 1e6).toFixed(1);
  if (unit === 'runs/s') return v >= 100 ? Math.round(v).toString() : v.toPrecision(3);
  return Math.round(v).toString();
}

function best(rows: Row[], pick: (runner: string) => boolean): Row | undefined {
  return rows.filter((r) => pick(r.runner) && ok(r)).sort((a, b) => b.value - a.value)[0];
}

function layout(lines: string[][]): string {
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines.map((l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** Numbers each distinct error message; `cell` gives the `err N` for a row. */
function errorNotes(): { cell: (r: Row) => string; notes: () => string[] } {
  const messages: string[] = [];
  const users = new Map<string, string[]>();
  return {
    cell: (r) => {
      let i = messages.indexOf(r.error!);
      if (i < 0) i = messages.push(r.error!) - 1;
      const who = `${r.runner} ${r.workload}`;
      users.set(r.error!, [...(users.get(r.error!) ?? []), who]);
      return `err ${i + 1}`;
    },
    notes: () => messages.map((m, i) => `  err ${i + 1} (${users.get(m)!.join(', ')}): ${m}`),
  };
}

/**
 * The peers table: figures of every runner, then `shendu-wasm / peer` ratios (above 1: shendu is faster).
 * Where no shendu-wasm runner has a figure the ratio uses the best shendu figure and is marked `*`.
 */
export function peersTable(rows: Row[], workloads: readonly string[], runners: readonly string[]): string {
  const errs = errorNotes();
  const header = ['workload', 'unit', ...runners, ...RATIO_PEERS.map((p) => `wasm/${p}`)];
  const lines = [header];
  let fallback = false;
  for (const w of workloads) {
    const mine = rows.filter((r) => r.workload === w);
    if (!mine.length) continue;
    const unit = mine[0].unit;
    const cells = runners.map((name) => {
      const r = mine.find((x) => x.runner === name);
      return !r ? '-' : r.error ? errs.cell(r) : fmtFigure(r.value, unit);
    });
    let base = best(mine, (n) => n.startsWith('shendu-wasm'));
    let mark = '';
    if (!base) {
      base = best(mine, (n) => n.startsWith('shendu-'));
      mark = '*';
    }
    const ratios = RATIO_PEERS.map((p) => {
      const peer = p === 'torch-best' ? best(mine, (n) => n.startsWith('torch-')) : mine.find((x) => x.runner === p);
      if (!base || !ok(peer)) return '-';
      if (mark) fallback = true;
      return `${(base.value / peer.value).toFixed(2)}x${mark}`;
    });
    lines.push([w, unit === 'elements/s' ? 'M elem/s' : unit, ...cells, ...ratios]);
  }
  const out = [layout(lines), '  wasm/X = best shendu-wasm figure / X\'s figure (above 1x: shendu is faster)'];
  if (fallback) out.push('  * no shendu-wasm figure: ratio of the best shendu runner (shendu-cpu) instead');
  const notes = errs.notes();
  if (notes.length) out.push('errors:', ...notes);
  return out.join('\n');
}

/** The core table: figures per runner, then the first shendu runner's figure over each other runner's. */
export function coreTable(rows: Row[]): string {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const runners = [...new Set(rows.map((r) => r.runner))];
  const base = runners.find((r) => r.startsWith('shendu-')) ?? runners[0];
  const others = runners.filter((r) => r !== base);
  const lines = [['workload', 'unit', ...runners, ...others.map((r) => `${base}/${r}`)]];
  for (const w of workloads) {
    const get = (runner: string) => rows.find((r) => r.workload === w && r.runner === runner);
    const unit = rows.find((r) => r.workload === w)!.unit;
    const cells = runners.map((r) => {
      const row = get(r);
      return ok(row) ? fmtFigure(row.value, unit) : '-';
    });
    const a = get(base);
    const ratios = others.map((r) => {
      const b = get(r);
      return ok(a) && ok(b) ? `${(a.value / b.value).toFixed(3)}x` : '-';
    });
    lines.push([w, unit === 'elements/s' ? 'M elem/s' : unit, ...cells, ...ratios]);
  }
  return layout(lines);
}
