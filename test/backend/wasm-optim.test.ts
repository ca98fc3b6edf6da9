/**
 * The wasm backend's optimizer updates (src/backend/wasm/optim.ts): tensors of 2^16 elements or more are split over
 * the threads by elements. Checked through the public API: Adam (weight decay, maximize) and SGD (momentum with
 * Nesterov, plain) give the same bits on 1 and 2 threads, on sizes that leave a ragged last chunk and lanes, and
 * the same numbers as the cpu backend's updates to rounding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getBackend, listBackends, manualSeed, nn, optim, randn, setBackend, setNumThreads, type Tensor } from '../../src/index.js';

const loaded = listBackends().includes('wasm');

/** Three steps of `make`'s optimizer on parameters of the given sizes; the parameters' values after them. */
function train(sizes: number[], make: (ps: nn.Parameter[]) => optim.Optimizer): Float32Array[] {
  manualSeed(11);
  const ps = sizes.map((n) => new nn.Parameter(randn([n])));
  const opt = make(ps);
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    const loss = ps.map((p: Tensor) => p.mul(randn(p.shape)).sum()).reduce((a, b) => a.add(b));
    loss.backward();
    opt.step();
  }
  return ps.map((p) => p.toTypedArray() as Float32Array);
}

describe('wasm optimizer updates split over threads', { skip: !loaded }, () => {
  const sizes = [(1 << 16) + 3, 200_001, 1000];
  const cases: [string, (ps: nn.Parameter[]) => optim.Optimizer][] = [
    ['Adam (weight decay, maximize)', (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.1, maximize: true })],
    ['Adam', (ps) => new optim.Adam(ps, { lr: 0.01 })],
    ['SGD (Nesterov momentum, weight decay)', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['SGD (plain)', (ps) => new optim.SGD(ps, { lr: 0.05 })],
  ];
  for (const [name, make] of cases) {
    test(`${name}: the same bits on 1 and 2 threads, cpu's numbers to rounding`, () => {
      const prev = getBackend().name;
      try {
        setBackend('wasm');
        setNumThreads(1);
        const one = train(sizes, make);
        setNumThreads(2);
        const two = train(sizes, make);
        setBackend('cpu');
        const cpu = train(sizes, make);
        for (let i = 0; i < sizes.length; i++) {
          assert.deepEqual(Array.from(two[i]), Array.from(one[i]), `parameter ${i}: 1 and 2 threads`);
          let worst = 0;
          for (let j = 0; j < one[i].length; j++) worst = Math.max(worst, Math.abs(one[i][j] - cpu[i][j]) / (Math.abs(cpu[i][j]) + 1));
          assert.ok(worst < 1e-5, `parameter ${i}: wasm against cpu, worst relative difference ${worst}`);
        }
      } finally {
        setNumThreads(2);
        setBackend(prev);
      }
    });
  }
});
