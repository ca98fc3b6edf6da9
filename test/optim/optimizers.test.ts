/**
 * Every optimizer x hyper-parameter setting against PyTorch 1.13's trajectories (20 steps on a fixed
 * problem, float64), state-dict round trips (10 steps, save, load into a fresh optimizer over fresh
 * parameters, 10 more = the uninterrupted 20), and float32 runs that stay float32.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import {
  OptProblem, assertClose, flatValues, loadFixture, makeOptimizer, makeScheduler, type OptCase, type OptFixture,
} from './fixtures.js';

const fx = loadFixture<OptFixture>('optimizers');

/** Runs steps [from, to) of a case; returns the flattened parameters after each step. */
function run(c: OptCase, prob: OptProblem, params: Tensor[], opt: optim.Optimizer, sched: optim.LRScheduler | null, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let t = from; t < to; t++) {
    opt.zeroGrad();
    prob.loss(params, t, c.negate).backward();
    opt.step();
    sched?.step();
    out.push(flatValues(params));
  }
  return out;
}

function schedulerFor(c: OptCase, opt: optim.Optimizer): optim.LRScheduler | null {
  if (!c.scheduler) return null;
  const s = makeScheduler(c.scheduler, opt);
  assert.ok(s instanceof optim.LRScheduler);
  return s;
}

const covered = new Set(fx.cases.map((c) => c.optimizer));
test('the fixture covers every optimizer', () => {
  assert.deepEqual([...covered].sort(), ['Adadelta', 'Adagrad', 'Adam', 'AdamW', 'RMSprop', 'SGD']);
  assert.ok(fx.cases.length >= 36);
});

for (const name of [...covered]) {
  describe(`${name}: PyTorch trajectories`, () => {
    for (const c of fx.cases.filter((k) => k.optimizer === name)) {
      test(c.name, () => {
        const prob = new OptProblem(fx.problem);
        const params = prob.params();
        const opt = makeOptimizer(c, params);
        const traj = run(c, prob, params, opt, schedulerFor(c, opt), 0, fx.steps);
        traj.forEach((vals, t) => assertClose(vals, c.trajectory[t], `${c.name}, step ${t + 1}`));
      });

      test(`${c.name}: stateDict after 10 steps, loaded into a fresh optimizer, continues as uninterrupted`, () => {
        const prob = new OptProblem(fx.problem);
        const params = prob.params();
        const opt = makeOptimizer(c, params);
        const sched = schedulerFor(c, opt);
        run(c, prob, params, opt, sched, 0, 10);
        const saved = opt.stateDict();
        const savedSched = sched?.stateDict();
        // a fresh optimizer over fresh parameters holding the values reached
        const params2 = prob.params(flatValues(params));
        const opt2 = makeOptimizer(c, params2);
        const sched2 = schedulerFor(c, opt2);
        opt2.loadStateDict(saved);
        if (sched2 && savedSched) sched2.loadStateDict(savedSched);
        // the original keeps going too: loading must have copied the state, not shared it
        const rest = run(c, prob, params2, opt2, sched2, 10, fx.steps);
        const restOriginal = run(c, prob, params, opt, sched, 10, fx.steps);
        rest.forEach((vals, i) => {
          assertClose(vals, c.trajectory[10 + i], `${c.name}, resumed step ${11 + i}`);
          assertClose(vals, restOriginal[i], `${c.name}, resumed vs uninterrupted step ${11 + i}`, 0, 0);
        });
      });
    }
  });
}

describe('float32 parameters stay float32', () => {
  for (const name of ['SGD', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'AdamW']) {
    // the richest case of each optimizer: the one with the most options set
    const c = fx.cases.filter((k) => k.optimizer === name && !k.groups).sort((a, b) => Object.keys(b.options).length - Object.keys(a.options).length)[0];
    test(`${c.name} in float32`, () => {
      const prob = new OptProblem(fx.problem, 'float32');
      const params = prob.params();
      const opt = makeOptimizer(c, params);
      const traj = run(c, prob, params, opt, null, 0, fx.steps);
      for (const p of params) assert.equal(p.dtype, 'float32');
      for (const st of opt.state.values()) {
        for (const [k, v] of Object.entries(st)) if (v instanceof Tensor) assert.equal(v.dtype, 'float32', `state ${k}`);
      }
      // float32 rounding (about 6e-8 per operation) accumulated over 20 steps: 1e-4 relative is ample and
      // still far below the size of any update the fixture's hyper-parameters produce
      traj.forEach((vals, t) => assertClose(vals, c.trajectory[t], `${c.name} (float32), step ${t + 1}`, 1e-4, 1e-6));
    });
  }
});
