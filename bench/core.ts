/**
 * The `core` benchmark suite: elementwise throughput and matmul GFLOP/s for shendu's backends, with
 * PyTorch measured on the same workloads in the same run when /usr/bin/python3 can import torch.
 * @module
 */
import { add, exp, getBackend, listBackends, matmul, mul, randn, relu, setBackend, type Tensor } from '../src/index.js';
import type { Row } from './rows.js';
import { timeIt } from './timing.js';

export type { Row } from './rows.js';

/** Elementwise ops measured, each on 2^20 float32 elements. */
export const ELEMENTWISE: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: (a, b) => add(a, b),
  mul: (a, b) => mul(a, b),
  exp: (a) => exp(a),
  relu: (a) => relu(a),
};

/** Square matmul sizes measured. */
export const MATMUL_SIZES = [256, 1024];

/** Names of the core workloads, in order. */
export const CORE_WORKLOADS: readonly string[] = [
  ...Object.keys(ELEMENTWISE).map((n) => `elementwise_${n}`),
  ...MATMUL_SIZES.map((s) => `matmul_${s}`),
];

/** Runs the suite (or the workloads in `only`) on every registered shendu backend. */
export async function runShenduCore(log: (s: string) => void, only: readonly string[] = CORE_WORKLOADS): Promise<Row[]> {
  const rows: Row[] = [];
  const prev = getBackend().name;
  for (const backend of listBackends()) {
    await setBackend(backend);
    const runner = `shendu-${backend}`;
    const n = 1 << 20;
    const a = randn([n]);
    const b = randn([n]);
    for (const [name, fn] of Object.entries(ELEMENTWISE)) {
      if (!only.includes(`elementwise_${name}`)) continue;
      const s = timeIt(() => fn(a, b), { minSeconds: 0.5 });
      rows.push({ workload: `elementwise_${name}`, runner, value: n / s, unit: 'elements/s' });
      log(`  ${runner} elementwise_${name}: ${(n / s / 1e6).toFixed(1)} M elements/s`);
    }
    for (const size of MATMUL_SIZES) {
      if (!only.includes(`matmul_${size}`)) continue;
      const x = randn([size, size]);
      const y = randn([size, size]);
      const s = timeIt(() => matmul(x, y), { warmup: 1, minSeconds: size >= 1024 ? 3 : 1, minRuns: 3 });
      const gflops = (2 * size ** 3) / s / 1e9;
      rows.push({ workload: `matmul_${size}`, runner, value: gflops, unit: 'GFLOP/s' });
      log(`  ${runner} matmul_${size}: ${gflops.toFixed(2)} GFLOP/s`);
    }
  }
  await setBackend(prev);
  return rows;
}
