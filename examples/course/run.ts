/**
 * Runs the course experiments one after another and writes their JSON records and `index.html` into one directory.
 * Run: npm run course -- [--quick] [--out course-report] [name ...]
 * @module
 */
import { join } from 'node:path';
import { ValueError } from '../../src/index.js';
import { scriptCommand } from '../../src/node/script-args.js';
import { isMain, runExperiment, writeAtomic } from './experiment.js';
import { EXPERIMENTS } from './registry.js';
import { renderReport, type ReportEntry } from './report.js';

/** Runs the experiments named in `names` (all when empty) into `outDir`, writes `index.html`; returns the records. */
export async function runCourse(opts: { quick: boolean; outDir: string; names?: readonly string[] }): Promise<ReportEntry[]> {
  const names = opts.names ?? [];
  const unknown = names.filter((n) => !EXPERIMENTS.some((e) => e.name === n));
  if (unknown.length > 0) {
    throw new ValueError(`runCourse: names must be experiments (${EXPERIMENTS.map((e) => e.name).join(', ')}), got ${unknown.join(', ')}`);
  }
  const chosen = names.length === 0 ? EXPERIMENTS : EXPERIMENTS.filter((e) => names.includes(e.name));
  const entries: ReportEntry[] = [];
  for (const [i, exp] of chosen.entries()) {
    console.log(`[${i + 1}/${chosen.length}] ${exp.name} (${exp.chapter})${opts.quick ? ', quick' : ''} …`);
    const r = await runExperiment(exp, { quick: opts.quick, outDir: opts.outDir });
    entries.push({ name: exp.name, chapter: exp.chapter, claim: exp.claim, quick: opts.quick, ...r });
  }
  writeAtomic(join(opts.outDir, 'index.html'), renderReport(entries, { outDir: opts.outDir }));
  console.log(`wrote ${join(opts.outDir, 'index.html')}: ${entries.filter((e) => e.holds).length} of ${entries.length} claims hold`);
  return entries;
}

if (isMain(import.meta.url)) {
  const options = { quick: { type: 'boolean' }, out: { type: 'string', default: 'course-report' } } as const;
  const { values: a, positionals: names } = scriptCommand(import.meta.url, options, '[claim ...]');
  const entries = await runCourse({ quick: a.quick, outDir: a.out, names });
  process.exitCode = entries.every((e) => e.holds) ? 0 : 1;
}
