/**
 * What every course experiment is: a claim from the course, a chapter, and a `run` that measures it on real data
 * with a fixed seed and writes its numbers (JSON) and figures (PNG). `--quick` (under a minute) is what `npm test`
 * runs to check the claim's direction; the full mode is what the report shows.
 * @module
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scriptArgs } from '../../src/node/script-args.js';

/** Where and how an experiment runs. */
export interface ExperimentContext {
  /** The fast mode (under a minute; used by the tests). */
  quick: boolean;
  /** Directory its figures are written to (created if missing). */
  outDir: string;
}

/** One figure an experiment wrote. */
export interface Figure {
  /** File name of the PNG, relative to the output directory. */
  file: string;
  /** One line saying what it shows. */
  caption: string;
}

/** What an experiment measured. */
export interface ExperimentResult {
  /** The measured numbers, by name (arrays for curves). */
  numbers: Record<string, number | string | boolean | readonly number[] | Record<string, number | readonly number[]>>;
  /** The figures it wrote. */
  figures: Figure[];
  /** Whether the measured effect goes the way the claim says. */
  holds: boolean;
  /** One or two sentences with the key numbers. */
  finding: string;
}

/** A claim of the course as a runnable experiment. */
export interface Experiment {
  /** Short name, as typed on the command line (`npm run course -- xor`). */
  name: string;
  /** The course chapter (section number and title). */
  chapter: string;
  /** The claim in one sentence. */
  claim: string;
  /** Runs the experiment. */
  run(ctx: ExperimentContext): Promise<ExperimentResult>;
}

/** Writes `text` to `path` through a temporary name, so a reader never sees half a file. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Runs one experiment, prints its finding and writes `<outDir>/<name>.json`; returns the result. */
export async function runExperiment(exp: Experiment, ctx: ExperimentContext): Promise<ExperimentResult & { seconds: number }> {
  mkdirSync(ctx.outDir, { recursive: true });
  const t0 = performance.now();
  const result = await exp.run(ctx);
  const seconds = (performance.now() - t0) / 1000;
  const record = { name: exp.name, chapter: exp.chapter, claim: exp.claim, quick: ctx.quick, seconds, ...result };
  writeAtomic(join(ctx.outDir, `${exp.name}.json`), JSON.stringify(record, null, 2) + '\n');
  console.log(`${exp.name}: ${result.holds ? 'the claim holds' : 'the claim does NOT hold'} (${seconds.toFixed(1)} s) — ${result.finding}`);
  return { ...result, seconds };
}

/** True when the module at `metaUrl` is the script node was started with. */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === metaUrl;
}

/**
 * The command-line entry of a single experiment, the module at `metaUrl` (whose comment `--help` prints):
 * `node dist/examples/course/<name>.js [--quick] [--out DIR]`.
 */
export async function runStandalone(exp: Experiment, metaUrl: string): Promise<void> {
  const a = scriptArgs(metaUrl, { quick: { type: 'boolean' }, out: { type: 'string', default: 'course-report' } });
  const r = await runExperiment(exp, { quick: a.quick, outDir: a.out });
  process.exitCode = r.holds ? 0 : 1;
}

/** Mean of an array. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}
