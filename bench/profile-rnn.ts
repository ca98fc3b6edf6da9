/**
 * Where a training step's CPU time goes, for the small-model peer workloads (lstm_train, charlm_train,
 * mlp_train, transformer_train by default), built exactly as the bench builds them (runners/shendu.ts).
 *
 * `node dist/bench/profile-rnn.js [workload ...] [--steps=N] [--threads=T] [--repeat=R] [--no-breakdown]`
 *
 * Per workload: first the plain step, timed by process CPU time (process.cpuUsage, so a loaded machine does not
 * inflate it; with T > 1 it sums every thread's) over R rounds of N steps, reporting the best and median round,
 * and the best round's wall time per step (the speed, where the machine is quiet); then, unless --no-breakdown, one
 * instrumented round that attributes the wall time of every step to a section (the modules' forwards, backward,
 * optimizer), a kernel of the wasm backend's table (by op for unary/binary/reduce), the copies into and out of
 * the kernel memory (WasmRuntime.putF32/takeF32/takeI32), and garbage collection. Each figure is self time:
 * a kernel's copies are not counted in the kernel, a section's kernels not in the section, so what is left in
 * a section is JavaScript (autograd bookkeeping, views, allocation). Spans are timed in process CPU time (a
 * getrusage call, a few microseconds each, which the instrumented step time includes), or in wall time with
 * `--wall` (cheaper, but inflated by whatever else the machine runs): compare breakdowns with each other, step
 * times with the uninstrumented figure.
 * @module
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import * as sd from '../src/index.js';
import { backendNamed } from '../src/backend/registry.js';
import { float32PoolStats } from '../src/backend/array-pool.js';
import { WasmRuntime } from '../src/backend/wasm/runtime.js';
import { prepareShendu } from './runners/shendu.js';
import { workloadData } from './workloads/data.js';
import { workloadSpec, type WorkloadName } from './workloads/spec.js';

const DEFAULT_WORKLOADS: WorkloadName[] = ['lstm_train', 'charlm_train', 'mlp_train', 'transformer_train'];

function option(args: string[], name: string, dflt: number): number {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a === undefined ? dflt : Number(a.slice(name.length + 3));
}

/** Self-time accounting over nested, named spans. */
class Profile {
  readonly self = new Map<string, number>();
  readonly calls = new Map<string, number>();
  private readonly stack: { name: string; start: number; child: number }[] = [];
  active = false;
  /** Milliseconds of process CPU time (default) or of wall time (`--wall`). */
  clock: () => number = cpuMs;

  wrap<F extends (...args: never[]) => unknown>(name: string | ((args: Parameters<F>) => string), fn: F): F {
    const prof = this;
    return function (this: unknown, ...args: Parameters<F>) {
      if (!prof.active) return fn.apply(this, args);
      const label = typeof name === 'string' ? name : name(args);
      prof.stack.push({ name: label, start: prof.clock(), child: 0 });
      try {
        return fn.apply(this, args);
      } finally {
        const top = prof.stack.pop()!;
        const total = prof.clock() - top.start;
        prof.self.set(label, (prof.self.get(label) ?? 0) + total - top.child);
        prof.calls.set(label, (prof.calls.get(label) ?? 0) + 1);
        if (prof.stack.length > 0) prof.stack[prof.stack.length - 1].child += total;
      }
    } as F;
  }

  reset(): void {
    this.self.clear();
    this.calls.clear();
  }
}

const prof = new Profile();

function instrument(): void {
  const table = backendNamed('wasm') as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const key of Object.keys(table)) {
    const fn = table[key];
    if (typeof fn !== 'function') continue;
    const byOp = key === 'unary' || key === 'binary' || key === 'reduce';
    table[key] = prof.wrap(byOp ? (args: unknown[]) => `k.${key}:${String(args[0])}` : `k.${key}`, fn);
  }
  const rt = WasmRuntime.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const key of ['putF32', 'takeF32', 'takeI32']) rt[key] = prof.wrap(`copy.${key}`, rt[key]);
  const protoWrap = (proto: Record<string, unknown>, key: string, label: string) => {
    proto[key] = prof.wrap(label, proto[key] as (...args: never[]) => unknown);
  };
  const nn = sd.nn as unknown as Record<string, { prototype: Record<string, unknown> }>;
  for (const m of ['Embedding', 'LSTM', 'GRU', 'Linear', 'TransformerEncoder', 'Sequential']) {
    if (nn[m]) protoWrap(nn[m].prototype, 'forward', `fwd.${m}`);
  }
  protoWrap(sd.Tensor.prototype as unknown as Record<string, unknown>, 'backward', 'backward');
  protoWrap(sd.Tensor.prototype as unknown as Record<string, unknown>, 'item', 'item');
  for (const o of ['Adam', 'SGD'] as const) protoWrap((sd.optim[o] as unknown as { prototype: Record<string, unknown> }).prototype, 'step', 'optim.step');
  protoWrap((sd.optim.Adam as unknown as { prototype: Record<string, unknown> }).prototype, 'zeroGrad', 'optim.zeroGrad');
}

/** The op kind a span belongs to, for the summary. */
function groupOf(label: string): string {
  if (label === 'k.matmul') return 'GEMM (matmul)';
  if (label.startsWith('k.lstm') || label.startsWith('k.recurrent')) return 'fused recurrent kernels (their GEMMs included)';
  if (label.startsWith('copy.')) return 'copies into/out of wasm memory';
  if (label === 'k.indexSelect' || label === 'k.indexAdd') return 'embedding (indexSelect/indexAdd)';
  if (label === 'k.adamUpdate' || label === 'k.sgdUpdate' || label.startsWith('optim.')) return 'optimizer (kernels + JS)';
  if (label === 'k.copyInto' || label === 'k.copy' || label === 'k.fill') return 'host copies, fills (copy/copyInto/fill)';
  if (label.startsWith('k.')) return 'other kernels (elementwise, reductions, gathers)';
  return 'JS: modules, autograd, loss glue';
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--')) as WorkloadName[];
  const steps = option(args, 'steps', 10);
  const threads = option(args, 'threads', 1);
  const repeat = option(args, 'repeat', 3);
  const breakdown = !args.includes('--no-breakdown');
  const gcMs = { total: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs.total += e.duration;
  }).observe({ entryTypes: ['gc'] });
  if (args.includes('--wall')) prof.clock = () => performance.now();
  if (breakdown) instrument();
  const d = workloadData();
  for (const name of names.length ? names : DEFAULT_WORKLOADS) {
    const spec = workloadSpec(name);
    if (!spec) throw new Error(`unknown workload '${name}'`);
    const w = await prepareShendu({ name: `shendu-wasm-${threads}t`, kind: 'shendu', backend: 'wasm', threads }, name, d);
    for (let i = 0; i < 3; i++) await w.step();
    const perStep = spec.perStep === 'runner' ? w.perStep ?? NaN : spec.perStep;
    const rounds: number[] = [];
    const walls: number[] = [];
    // fresh memory's page faults (the cost the array pool avoids: src/backend/array-pool.ts), over all rounds
    const faults0 = process.resourceUsage().minorPageFault;
    const pool0 = float32PoolStats();
    for (let r = 0; r < repeat; r++) {
      const [c0, w0] = [cpuMs(), performance.now()];
      for (let i = 0; i < steps; i++) await w.step();
      rounds.push((cpuMs() - c0) / steps);
      walls.push((performance.now() - w0) / steps);
    }
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
    const [best, median] = [sorted(rounds)[0], sorted(rounds)[Math.floor(repeat / 2)]];
    const bestWall = sorted(walls)[0];
    const faults = (process.resourceUsage().minorPageFault - faults0) / (repeat * steps);
    const pool1 = float32PoolStats();
    const freshMb = (pool1.freshBytes - pool0.freshBytes) / (repeat * steps) / 1e6;
    const reused = (pool1.reused - pool0.reused) / (repeat * steps);
    const unit = spec.unit.replace(/\/s$/, '');
    // with threads > 1 the CPU time is every thread's: the wall figure is the speed, on a quiet machine
    console.log(`${name} (${threads} thread${threads > 1 ? 's' : ''}): CPU ${best.toFixed(1)} ms/step best, ${median.toFixed(1)} median of ${repeat}x${steps}` +
      ` -> ${Math.round(perStep / (best / 1000))} ${unit} per CPU-second; wall ${bestWall.toFixed(1)} ms/step best -> ${Math.round(perStep / (bestWall / 1000))} ${spec.unit};` +
      ` ${Math.round(faults)} page faults/step; float32 results: ${freshMb.toFixed(1)} MB fresh, ${Math.round(reused)} arrays reused per step`);
    if (!breakdown) continue;
    await new Promise((resolve) => setTimeout(resolve, 10));
    prof.reset();
    gcMs.total = 0;
    prof.active = true;
    const t0 = prof.clock();
    for (let i = 0; i < steps; i++) await w.step();
    const wall = prof.clock() - t0;
    prof.active = false;
    // gc entries arrive asynchronously
    await new Promise((resolve) => setTimeout(resolve, 10));
    const rows = [...prof.self.entries()].sort((a, b) => b[1] - a[1]);
    const inSpans = rows.reduce((s, [, v]) => s + v, 0);
    rows.push(['(outside spans: loss forward, batch building, ...)', wall - inSpans]);
    console.log(`  instrumented: ${(wall / steps).toFixed(1)} ms/step; gc (wall, within it) ${(gcMs.total / steps).toFixed(2)} ms/step`);
    const groups = new Map<string, number>();
    for (const [label, ms] of rows) groups.set(groupOf(label), (groups.get(groupOf(label)) ?? 0) + ms);
    for (const [label, ms] of [...groups.entries()].sort((a, b) => b[1] - a[1])) {
      console.log(`  = ${label.padEnd(42)} ${(ms / steps).toFixed(2).padStart(8)} ms ${((100 * ms) / wall).toFixed(1).padStart(5)}%`);
    }
    for (const [label, ms] of rows) {
      if (ms < wall * 0.003) continue;
      const calls = prof.calls.get(label);
      console.log(`  ${label.padEnd(44)} ${(ms / steps).toFixed(2).padStart(8)} ms ${((100 * ms) / wall).toFixed(1).padStart(5)}%${calls ? `  ${Math.round(calls / steps)} calls` : ''}`);
    }
  }
}

await main();
