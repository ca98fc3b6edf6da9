/**
 * Child process of the `peers` suite: builds one workload on one shendu or TensorFlow.js runner, times it
 * and prints its Row as one JSON line after ROW_MARKER. Errors become a Row with `error`, never a crash.
 * `node dist/bench/child.js <runner> <workload> [--seconds=S] [--tokens=FILE] [--words=FILE]`.
 * @module
 */
import { errorText, ROW_MARKER, type Row } from './rows.js';
import { runnerSpec, type RunnerSpec } from './runners.js';
import { measureSteps } from './timing.js';
import { workloadSpec, type PreparedWorkload, type WorkloadData, type WorkloadName } from './workloads/spec.js';
import { workloadData } from './workloads/data.js';

function option(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function prepare(r: RunnerSpec, workload: WorkloadName, data: WorkloadData): Promise<PreparedWorkload> {
  if (r.kind === 'shendu') return (await import('./runners/shendu.js')).prepareShendu(r, workload, data);
  if (r.kind === 'tfjs') return (await import('./peers/tfjs.js')).prepareTfjs(r, workload, data);
  throw new Error(`runner ${r.name} does not run in a node child (kind ${r.kind})`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [runnerName, workloadName] = args.filter((a) => !a.startsWith('--'));
  const r = runnerSpec(runnerName ?? '');
  const w = workloadSpec(workloadName ?? '');
  if (!r || !w) {
    console.error(`usage: child.js <runner> <workload> [--seconds=S] [--tokens=FILE] [--words=FILE]; got '${runnerName}' '${workloadName}'`);
    process.exit(2);
  }
  const seconds = Number(option(args, 'seconds') ?? 2.5);
  const row: Row = { workload: w.name, runner: r.name, value: NaN, unit: w.unit };
  try {
    const prepared = await prepare(r, w.name, workloadData(option(args, 'tokens'), option(args, 'words')));
    if (prepared.note) row.note = prepared.note;
    const perStep = w.perStep === 'runner' ? prepared.perStep : w.perStep;
    if (perStep === undefined) throw new Error(`${w.name} on ${r.name}: the runner did not report the work in one step`);
    const rate = await measureSteps(prepared.step, { seconds });
    row.value = rate.stepsPerSecond * perStep;
  } catch (e) {
    row.error = errorText(e);
  }
  process.stdout.write(`${ROW_MARKER}${JSON.stringify(row)}\n`);
}

await main();
