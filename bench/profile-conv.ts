/**
 * Where a training step of a peers workload spends its time on the wasm backend: runs N steps of a workload
 * exactly as bench/runners/shendu.ts builds it and reports process CPU time per step, split by backend kernel
 * (conv2d, conv2dBackwardInput, ... ; unary/binary/reduce by op), with the time spent copying operands into
 * WebAssembly memory (putF32) and results out (takeF32/takeI32) split off, and the rest of the step (autograd,
 * tensor bookkeeping, host kernels) as `outside kernels`. CPU time (process.cpuUsage, all threads), so a loaded
 * machine inflates it less than wall time; run it with one thread for the per-kernel split.
 *
 * `node dist/bench/profile-conv.js <workload> [--steps=N] [--threads=T] [--repeat=R] [--top=K] [--no-split]`
 * (`--no-split`: only the step totals, without the per-kernel wrappers).
 * @module
 */
import { WasmRuntime } from '../src/backend/wasm/runtime.js';
import { getBackend } from '../src/backend/registry.js';
import type { View } from '../src/backend/types.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { prepareShendu } from './runners/shendu.js';
import { workloadData } from './workloads/data.js';
import { workloadSpec } from './workloads/spec.js';

function option(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** Microseconds of process CPU time (user + system, every thread). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

interface Tally { cpu: number; calls: number; elems: number }
const tallies = new Map<string, Tally>();
/** Time spent in nested timed regions, subtracted from the enclosing one (so each bucket is exclusive). */
let nested = 0;
let enabled = false;
/** The kernel whose timed region is open (copies are charged as `copy:<method> in <kernel>`). */
let current = '';
let copiedBytes = 0;

function charge(key: string, cpu: number, elems: number): void {
  const t = tallies.get(key) ?? { cpu: 0, calls: 0, elems: 0 };
  t.cpu += cpu;
  t.calls++;
  t.elems += elems;
  tallies.set(key, t);
}

/** Runs `fn` timed under `key`, exclusive of nested timed regions. */
function timed<R>(key: string, elems: number, fn: () => R): R {
  if (!enabled) return fn();
  const outer = nested;
  const parent = current;
  nested = 0;
  if (!key.startsWith('copy:')) current = key;
  const t0 = cpuNow();
  try {
    return fn();
  } finally {
    const dt = cpuNow() - t0;
    charge(key.startsWith('copy:') ? `${key} in ${parent.split(':')[0]}` : key, dt - nested, elems);
    nested = outer + dt;
    current = parent;
  }
}

function viewSize(v: unknown): number {
  const s = (v as View | undefined)?.shape;
  return Array.isArray(s) ? s.reduce((a: number, b: number) => a * b, 1) : 0;
}

/** Wraps every kernel of the current backend and the runtime's copies in timed regions. */
function instrument(): void {
  const table = getBackend() as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(table)) {
    if (typeof fn !== 'function') continue;
    const f = fn as (...a: unknown[]) => unknown;
    const tagged = name === 'unary' || name === 'binary' || name === 'reduce';
    table[name] = (...a: unknown[]) => timed(tagged ? `${name}:${String(a[0])}` : name, viewSize(tagged ? a[1] : a[0]), () => f(...a));
  }
  const proto = WasmRuntime.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['putF32', 'takeF32', 'takeI32']) {
    const f = proto[name];
    proto[name] = function (this: unknown, ...a: unknown[]) {
      const n = name === 'putF32' ? (a[0] as Float32Array).length : (a[1] as number);
      copiedBytes += 4 * n;
      return timed(`copy:${name}`, n, () => f.apply(this, a));
    };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--')) ?? '';
  const spec = workloadSpec(name);
  if (!spec) throw new Error(`profile-conv: unknown workload '${name}'`);
  const steps = Number(option(args, 'steps') ?? 4);
  const threads = Number(option(args, 'threads') ?? 1);
  const repeat = Number(option(args, 'repeat') ?? 2);
  const top = Number(option(args, 'top') ?? 25);
  const split = !args.includes('--no-split');
  const data = workloadData();
  const prepared = await prepareShendu({ name: `shendu-wasm-${threads}t`, kind: 'shendu', backend: 'wasm', threads }, spec.name, data);
  if (split) instrument();
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  for (let i = 0; i < 2; i++) await prepared.step();
  const perStep = spec.perStep === 'runner' ? prepared.perStep ?? NaN : spec.perStep;
  const rows: string[] = [];
  for (let r = 0; r < repeat; r++) {
    tallies.clear();
    copiedBytes = 0;
    await new Promise((r) => setTimeout(r, 0));
    gcMs = 0;
    enabled = split;
    const c0 = cpuNow();
    const w0 = performance.now();
    for (let i = 0; i < steps; i++) await prepared.step();
    const wall = (performance.now() - w0) / steps;
    const cpu = (cpuNow() - c0) / 1000 / steps;
    enabled = false;
    await new Promise((r) => setTimeout(r, 0));
    rows.push(`${spec.name} threads=${threads} run ${r + 1}: CPU ${cpu.toFixed(1)} ms/step, wall ${wall.toFixed(1)} ms/step, ` +
      `${(perStep / (wall / 1000)).toFixed(1)} ${spec.unit} (wall), ${(perStep / (cpu / 1000)).toFixed(1)} per CPU-second`);
    if (r === repeat - 1 && split) {
      let inKernels = 0;
      for (const t of tallies.values()) inKernels += t.cpu;
      const sorted = [...tallies.entries()].sort((a, b) => b[1].cpu - a[1].cpu);
      rows.push(`  ${'kernel'.padEnd(34)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'calls/step'.padStart(10)} ${'Melem/step'.padStart(10)}`);
      const stepCpu = cpu * 1000;
      for (const [key, t] of sorted.slice(0, top)) {
        rows.push(`  ${key.padEnd(34)} ${(t.cpu / 1000 / steps).toFixed(2).padStart(8)} ${(100 * t.cpu / steps / stepCpu).toFixed(1).padStart(5)}% ${(t.calls / steps).toFixed(0).padStart(10)} ${(t.elems / steps / 1e6).toFixed(2).padStart(10)}`);
      }
      rows.push(`  copied across the wasm boundary: ${(copiedBytes / steps / 1e6).toFixed(1)} MB/step; GC pauses (main thread, wall): ${(gcMs / steps).toFixed(1)} ms/step, inside the buckets above`);
      const outside = stepCpu - inKernels / steps;
      rows.push(`  ${'outside kernels'.padEnd(34)} ${(outside / 1000).toFixed(2).padStart(8)} ${(100 * outside / stepCpu).toFixed(1).padStart(5)}%`);
    }
  }
  console.log(rows.join('\n'));
}

await main();
