/**
 * What `npm run bench -- ...` asked for. Each argument is a suite (`core`, `peers`, `linalg`), a workload with or without
 * its suite (`peers/gemm`, `mlp_train`, `core/matmul_1024`), a peers runner (`torch-2t`), `--seconds=S`
 * (the time box of each peers measurement) or `--rounds=R` (how often each peers runner is measured, interleaved;
 * its best round counts: bench/rounds.ts). No suite or workload: every suite; no runner: every runner.
 * @module
 */
import { CORE_WORKLOADS } from './core.js';
import { LINALG_WORKLOADS } from './linalg.js';
import { RUNNERS, type RunnerSpec } from './runners.js';
import { WORKLOADS } from './workloads/spec.js';

/** Names of the suites, in run order. */
export const SUITE_NAMES = ['core', 'peers', 'linalg'] as const;

/** A suite name. */
export type SuiteName = (typeof SUITE_NAMES)[number];

/** The workload names of each suite. */
export const SUITE_WORKLOADS: Record<SuiteName, readonly string[]> = {
  core: CORE_WORKLOADS,
  peers: WORKLOADS.map((w) => w.name),
  linalg: LINALG_WORKLOADS,
};

/** The parsed command line. */
export interface Selection {
  /** Per suite to run, its workloads to run, in suite order. */
  suites: Map<SuiteName, string[]>;
  /** Peers runners to run. */
  runners: RunnerSpec[];
  /** Seconds each peers measurement is timed for. */
  seconds: number;
  /** Rounds of the peers suite: each runner of a workload is measured this often, interleaved (default 2). */
  rounds: number;
}

function suiteOf(workload: string): SuiteName | undefined {
  return SUITE_NAMES.find((s) => SUITE_WORKLOADS[s].includes(workload));
}

/** Parses the arguments; throws an Error naming the first one it does not know, and what it expected. */
export function parseSelection(args: readonly string[]): Selection {
  const asked = new Map<SuiteName, Set<string>>();
  const runners = new Set<string>();
  let seconds = 2.5;
  let rounds = 2;
  const add = (s: SuiteName, ws: readonly string[]) => asked.set(s, new Set([...(asked.get(s) ?? []), ...ws]));
  for (const arg of args) {
    if (arg.startsWith('--seconds=')) {
      seconds = Number(arg.slice(10));
      if (!(seconds > 0)) throw new Error(`bench: --seconds must be a positive number, got '${arg.slice(10)}'`);
      continue;
    }
    if (arg.startsWith('--rounds=')) {
      rounds = Number(arg.slice(9));
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench: --rounds must be a whole number of at least 1, got '${arg.slice(9)}'`);
      continue;
    }
    const [head, tail] = arg.split('/');
    if ((SUITE_NAMES as readonly string[]).includes(head)) {
      const s = head as SuiteName;
      if (tail === undefined || tail === '') add(s, SUITE_WORKLOADS[s]);
      else if (SUITE_WORKLOADS[s].includes(tail)) add(s, [tail]);
      else throw new Error(`bench: suite ${s} has no workload '${tail}', expected one of: ${SUITE_WORKLOADS[s].join(', ')}`);
    } else if (tail === undefined && suiteOf(arg)) add(suiteOf(arg)!, [arg]);
    else if (tail === undefined && RUNNERS.some((r) => r.name === arg)) runners.add(arg);
    else {
      const all = SUITE_NAMES.flatMap((s) => [s, ...SUITE_WORKLOADS[s]]);
      throw new Error(`bench: unknown argument '${arg}', expected a suite, workload or runner: ${[...all, ...RUNNERS.map((r) => r.name)].join(', ')}`);
    }
  }
  const suites = new Map<SuiteName, string[]>();
  for (const s of SUITE_NAMES) {
    if (asked.size === 0) suites.set(s, [...SUITE_WORKLOADS[s]]);
    else if (asked.has(s)) suites.set(s, SUITE_WORKLOADS[s].filter((w) => asked.get(s)!.has(w)));
  }
  return { suites, runners: RUNNERS.filter((r) => runners.size === 0 || runners.has(r.name)), seconds, rounds };
}
