/**
 * The `core` benchmark suite: elementwise throughput and matmul GFLOP/s for shendu's backends, with
 * PyTorch measured on the same workloads in the same run when /usr/bin/python3 can import torch.
 * @module
 */
import { add, exp, getBackend, listBackends, matmul, mul, randn, relu, setBackend, type Tensor } from '../src/index.js';
import { timeIt } from './timing.js';

/** One measured figure. */
export interface Row {
  /** Workload name, e.g. `matmul_1024`. */
  workload: string;
  /** Who ran it, e.g. `shendu-cpu` or `pytorch-1t`. */
  runner: string;
  /** The figure. */
  value: number;
  /** Its unit, e.g. `GFLOP/s`. */
  unit: string;
}

/** Elementwise ops measured, each on 2^20 float32 elements. */
export const ELEMENTWISE: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: (a, b) => add(a, b),
  mul: (a, b) => mul(a, b),
  exp: (a) => exp(a),
  relu: (a) => relu(a),
};

/** Square matmul sizes measured. */
export const MATMUL_SIZES = [256, 1024];

/** Runs the suite on every registered shendu backend. */
export function runShenduCore(log: (s: string) => void): Row[] {
  const rows: Row[] = [];
  const prev = getBackend().name;
  for (const backend of listBackends()) {
    setBackend(backend);
    const runner = `shendu-${backend}`;
    const n = 1 << 20;
    const a = randn([n]);
    const b = randn([n]);
    for (const [name, fn] of Object.entries(ELEMENTWISE)) {
      const s = timeIt(() => fn(a, b), { minSeconds: 0.5 });
      rows.push({ workload: `elementwise_${name}`, runner, value: n / s, unit: 'elements/s' });
      log(`  ${runner} elementwise_${name}: ${(n / s / 1e6).toFixed(1)} M elements/s`);
    }
    for (const size of MATMUL_SIZES) {
      const x = randn([size, size]);
      const y = randn([size, size]);
      const s = timeIt(() => matmul(x, y), { warmup: 1, minSeconds: size >= 1024 ? 3 : 1, minRuns: 3 });
      const gflops = (2 * size ** 3) / s / 1e9;
      rows.push({ workload: `matmul_${size}`, runner, value: gflops, unit: 'GFLOP/s' });
      log(`  ${runner} matmul_${size}: ${gflops.toFixed(2)} GFLOP/s`);
    }
  }
  setBackend(prev);
  return rows;
}
