/**
 * The `peers` suite: every selected workload on every selected runner (shendu, TensorFlow.js, PyTorch), each
 * pair in a child process of its own, with a progress line per measurement; with several rounds each runner of
 * a workload is measured that often, interleaved, and its best round counts (bench/rounds.ts). Every child,
 * whichever its runner, starts in the heap environment the `shendu` command runs in (src/cli/heap-env.ts: glibc
 * keeps freed memory), so the peers are measured in the same process settings as shendu's main job.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withHeapEnv } from '../src/cli/heap-env.js';
import { ensureTfjs } from './peers/install.js';
import { torchCommand, torchStatus, type TorchInputs } from './peers/torch.js';
import { ROW_MARKER, type Row } from './rows.js';
import { bestOfRounds, roundOrder } from './rounds.js';
import type { RunnerSpec } from './runners.js';
import { mnistDir } from './workloads/mnist.js';
import type { WorkloadSpec } from './workloads/spec.js';
import { writeTokens } from './workloads/text.js';
import { mobyDickSentences, writeSentences } from './workloads/words.js';

/** What to run and how long to time each measurement. */
export interface PeersOptions {
  /** Workloads to run, in order. */
  workloads: readonly WorkloadSpec[];
  /** Runners to run them on, in order. */
  runners: readonly RunnerSpec[];
  /** Seconds each measurement is timed for, after warm-up. */
  seconds: number;
  /** Times each runner of a workload is measured, interleaved; its best round is its row (bench/rounds.ts). */
  rounds: number;
  /** Where whole lines of progress go. */
  log: (line: string) => void;
}

/** What the suite measured, and versions worth recording. */
export interface PeersResult {
  /** One row per (workload, runner), its best round, errors included. */
  rows: Row[];
  /** PyTorch's version, or why it was not measured. */
  torch: string;
}

const benchSrc = fileURLToPath(new URL('../../bench/', import.meta.url));
const childJs = fileURLToPath(new URL('./child.js', import.meta.url));
/** Seconds a child may take unless its workload says otherwise. */
const CHILD_TIMEOUT_S = 120;

function fmtValue(row: Row): string {
  if (row.error) return `error: ${row.error}`;
  const v = row.unit === 'GFLOP/s' ? row.value.toFixed(2) : Math.round(row.value).toString();
  return `${v} ${row.unit}${row.note ? `  (${row.note})` : ''}`;
}

/** Runs one child for up to `timeoutS` seconds and reads its Row; a crash, a timeout or a missing row becomes the Row's error. */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, blank: Row, timeoutS: number): Row {
  const r = spawnSync(command, args, { encoding: 'utf8', env, timeout: timeoutS * 1000, maxBuffer: 1 << 26 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(ROW_MARKER));
  if (line) {
    const row = JSON.parse(line.slice(ROW_MARKER.length)) as Row;
    return { ...row, value: row.value ?? NaN };
  }
  let error: string;
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') error = `timed out after ${timeoutS} s`;
  else if (r.error) error = r.error.message;
  else {
    const last = (r.stderr ?? '').trim().split('\n').filter((l) => l.trim()).pop() ?? '';
    error = `child exited with ${r.signal ?? `code ${r.status}`}${last ? `: ${last.trim()}` : ''}`;
  }
  return { ...blank, error };
}

/** Runs the suite; each result is logged as it arrives. */
export function runPeers(opts: PeersOptions): PeersResult {
  const { workloads, runners, seconds, rounds, log } = opts;
  const tmp = mkdtempSync(join(tmpdir(), 'shendu-bench-'));
  try {
    const tokens = workloads.some((w) => w.data === 'text') ? join(tmp, 'tokens.u8') : undefined;
    if (tokens) log(`  text: Moby Dick, ${writeTokens(tokens)} characters as 64 symbols`);
    const words = workloads.some((w) => w.data === 'words') ? join(tmp, 'words.txt') : undefined;
    if (words) {
      const n = writeSentences(words, mobyDickSentences());
      log(`  words: Moby Dick, ${n.words} words in ${n.sentences} paragraphs`);
    }
    const wantsTorch = runners.some((r) => r.kind === 'torch');
    const torch = wantsTorch ? torchStatus() : { ok: false as const, why: 'no torch runner selected' };
    if (wantsTorch && !torch.ok) log(`  PyTorch not measured: ${torch.why}`);
    // TensorFlow.js (287 MB) is installed only when a selected workload runs on a selected tfjs runner
    const tfjsRuns = runners.some((r) => r.kind === 'tfjs' && workloads.some((w) => w.notRun?.[r.name] === undefined));
    const tfjsError = tfjsRuns ? ensureTfjs(log) : null;
    if (tfjsError) log(`  TensorFlow.js not measured: ${tfjsError}`);
    const inputs: TorchInputs = { tokens, words, mnistDir: wantsTorch && workloads.some((w) => w.data === 'mnist') ? mnistDir() : undefined };
    const rows: Row[] = [];
    const total = workloads.length * runners.length * rounds;
    let done = 0;
    const width = Math.max(...runners.map((r) => r.name.length));
    const measure = (w: WorkloadSpec, r: RunnerSpec): Row => {
      const blank: Row = { workload: w.name, runner: r.name, value: NaN, unit: w.unit };
      const timeoutS = w.timeoutSeconds ?? CHILD_TIMEOUT_S;
      const notRun = w.notRun?.[r.name];
      if (notRun !== undefined) return { ...blank, error: notRun };
      if (r.kind === 'torch' && !torch.ok) return { ...blank, error: `PyTorch not measured: ${torch.why}` };
      if (r.kind === 'tfjs' && tfjsError) return { ...blank, error: `TensorFlow.js not measured: ${tfjsError}` };
      if (r.kind === 'torch') {
        const c = torchCommand(r, w.name, benchSrc, inputs, seconds);
        return runChild(c.command, c.args, withHeapEnv(c.env), blank, timeoutS);
      }
      const args = [childJs, r.name, w.name, `--seconds=${seconds}`, ...(tokens ? [`--tokens=${tokens}`] : []), ...(words ? [`--words=${words}`] : [])];
      return runChild(process.execPath, args, withHeapEnv(process.env), blank, timeoutS);
    };
    for (const w of workloads) {
      log(`  ${w.name}: ${w.description}`);
      const got = new Map<string, Row[]>(runners.map((r) => [r.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const r of roundOrder(runners, round)) {
          const t0 = performance.now();
          const row = measure(w, r);
          got.get(r.name)!.push(row);
          const took = ((performance.now() - t0) / 1000).toFixed(1);
          done++;
          const which = rounds > 1 ? ` round ${round + 1}` : '';
          log(`    [${String(done).padStart(String(total).length)}/${total}]${which} ${r.name.padEnd(width)}  ${fmtValue(row)}  [${took} s]`);
        }
      }
      for (const r of runners) rows.push(bestOfRounds(got.get(r.name)!));
    }
    return { rows, torch: torch.ok ? torch.version : `not measured: ${torch.why}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
