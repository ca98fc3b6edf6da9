/**
 * Samplers: reproducible by seed, the grid covered exactly once, TPE's Parzen estimator against Optuna 3.1 (as shipped,
 * whose truncnorm.logpdf omits the -log(scale) term, and with the term restored, as later Optuna has it)
 * (test/fixtures/tune.json from tools/make_tune_fixtures.py), TPE and GP beating random search over seeds, and the
 * GP's marginal-likelihood gradient against finite differences.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { tune } from '../../src/index.js';
import { ParzenEstimator } from '../../src/tune/samplers/parzen.js';
import { _objectiveAndGrad } from '../../src/tune/samplers/gp-model.js';
import { Generator } from '../../src/tensor/random.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/tune.json', import.meta.url), 'utf8'));

async function run(sampler: tune.Sampler, objective: tune.Objective, nTrials: number): Promise<tune.Study> {
  const study = tune.createStudy({ sampler, pruner: 'none' });
  await study.optimize(objective, { nTrials });
  return study;
}

const mixed: tune.Objective = (t) => {
  const x = t.suggestFloat('x', -3, 3);
  const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
  const n = t.suggestInt('n', 1, 9, { step: 2 });
  const act = t.suggestCategorical('act', ['relu', 'tanh', 'gelu']);
  return x * x + (Math.log10(lr) + 2) ** 2 + (n - 5) ** 2 / 10 + (act === 'tanh' ? 0 : 0.5);
};

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

describe('reproducible by seed', () => {
  for (const [name, make] of [
    ['random', (seed: number) => new tune.RandomSampler({ seed })],
    ['tpe', (seed: number) => new tune.TPESampler({ seed })],
    ['gp', (seed: number) => new tune.GPSampler({ seed, nCandidates: 200, fitIters: 20 })],
  ] as const) {
    test(`${name}: same seed, same trials; another seed, other trials`, async () => {
      const n = name === 'gp' ? 14 : 25;
      const a = (await run(make(7), mixed, n)).trials.map((t) => t.params);
      const b = (await run(make(7), mixed, n)).trials.map((t) => t.params);
      const c = (await run(make(8), mixed, n)).trials.map((t) => t.params);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
    });
  }
});

test('grid: every point once, then the study stops by itself', async () => {
  const grid = { a: [1, 2, 3], b: ['x', 'y'], c: [0.5, 1] };
  const study = tune.createStudy({ sampler: new tune.GridSampler(grid, { seed: 3 }), pruner: 'none' });
  await study.optimize((t) => {
    const a = t.suggestInt('a', 1, 3);
    const b = t.suggestCategorical('b', ['x', 'y']);
    const c = t.suggestFloat('c', 0, 1);
    return a + (b === 'x' ? 0 : 10) + c;
  });
  const seen = study.trials.map((t) => JSON.stringify([t.params.a, t.params.b, t.params.c]));
  assert.equal(seen.length, 12);
  assert.equal(new Set(seen).size, 12);
  assert.equal(study.bestValue, 1.5);
});

describe('TPE against Optuna 3.1', () => {
  test('default gamma and weights', () => {
    for (const [n, g] of fixture.gamma) assert.equal(tune.defaultGamma(n), g, `gamma(${n})`);
    for (const [n, w] of Object.entries(fixture.weights) as [string, number[]][]) {
      const ours = tune.defaultWeights(Number(n));
      assert.equal(ours.length, w.length);
      ours.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-12, `weights(${n})[${i}]`));
    }
  });
  for (const c of fixture.parzen) {
    for (const asShipped of [true, false]) {
      test(`Parzen estimator log density: ${c.name}${asShipped ? ' (3.1 as shipped)' : ' (true density)'}`, () => {
        const pe = new ParzenEstimator(c.observations, c.dist, {
          considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: tune.defaultWeights,
          optuna31Density: asShipped,
        });
        const want: number[] = asShipped ? c.logPdfAsShipped : c.logPdf;
        pe.logPdf(c.xs).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-6, `${c.name} at ${c.xs[i]}: ${v} vs ${want[i]}`));
      });
    }
  }
  test('samples of the estimator stay in range and on the grid', () => {
    const dist = { kind: 'int', low: 1, high: 9, log: false, step: 2 } as const;
    const pe = new ParzenEstimator([3, 3, 5], dist, { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: tune.defaultWeights });
    for (const x of pe.sample(new Generator(0), 200)) assert.ok([1, 3, 5, 7, 9].includes(x), `${x}`);
  });
});

describe('model-based samplers beat random search', () => {
  test('TPE beats random on a 1-D problem (median over 10 seeds, 40 trials)', async () => {
    const f: tune.Objective = (t) => { const x = t.suggestFloat('x', -10, 10); return Math.abs(x - 3.3) + 0.1 * Math.sin(5 * x); };
    const tpe: number[] = [];
    const rnd: number[] = [];
    for (let s = 0; s < 10; s++) {
      tpe.push((await run(new tune.TPESampler({ seed: s }), f, 40)).bestValue);
      rnd.push((await run(new tune.RandomSampler({ seed: s }), f, 40)).bestValue);
    }
    assert.ok(median(tpe) < median(rnd) * 0.5, `TPE median ${median(tpe)}, random ${median(rnd)}`);
  });

  test('GP-EI beats random on a 2-D quadratic with a log parameter (5 seeds, 20 trials)', async () => {
    const f: tune.Objective = (t) => (t.suggestFloat('x', -2, 2) - 0.7) ** 2 + (Math.log10(t.suggestFloat('lr', 1e-5, 1, { log: true })) + 3) ** 2 / 4;
    const gp: number[] = [];
    const rnd: number[] = [];
    for (let s = 0; s < 5; s++) {
      gp.push((await run(new tune.GPSampler({ seed: s, nCandidates: 300, fitIters: 30 }), f, 20)).bestValue);
      rnd.push((await run(new tune.RandomSampler({ seed: s }), f, 20)).bestValue);
    }
    assert.ok(median(gp) < median(rnd) * 0.2, `GP median ${median(gp)}, random ${median(rnd)}`);
  });

  test('GP marginal-likelihood gradient matches finite differences', () => {
    const g = new Generator(1);
    const x = Array.from({ length: 12 }, () => [g.random(), g.random(), g.random()]);
    const y = x.map((r) => Math.sin(3 * r[0]) + r[1] * r[1] - 0.5 + 0.01 * g.normal());
    const p = [Math.log(0.3), Math.log(0.8), Math.log(2), 0.2, Math.log(1e-3)];
    const { grad } = _objectiveAndGrad(x, y, p);
    for (let i = 0; i < p.length; i++) {
      const h = 1e-5;
      const up = p.slice(); up[i] += h;
      const dn = p.slice(); dn[i] -= h;
      const fd = (_objectiveAndGrad(x, y, up).obj - _objectiveAndGrad(x, y, dn).obj) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]) < 1e-4 * Math.max(1, Math.abs(fd)), `param ${i}: analytic ${grad[i]}, numeric ${fd}`);
    }
  });
});
