/**
 * TPE's parts against Optuna 3.1 (test/fixtures/tpe.json from tools/make_tpe_fixtures.py): the truncated normal's
 * quantile function candidates are drawn through, the Parzen estimators' weights, centres and bandwidths, the
 * good/bad split with pruned trials, and a replay of Optuna's own TPE history on the 5-D Rosenbrock (the estimators
 * TPESampler builds for trial 40 and its l(x)/g(x) score on a grid).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { tune } from '../../src/index.js';
import type { Distribution } from '../../src/tune/distributions.js';
import type { StudyView } from '../../src/tune/samplers/base.js';
import { ParzenEstimator } from '../../src/tune/samplers/parzen.js';
import { splitTrials } from '../../src/tune/samplers/tpe.js';
import { truncnormPpf, truncnormSample } from '../../src/tune/samplers/truncnorm.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../../src/tune/storage.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/tpe.json', import.meta.url), 'utf8'));

interface TrialJson { state: TrialState; value: number | null; params: Record<string, number>; intermediate: [number, number | null][] }

function frozen(ts: TrialJson[], dist: Distribution): FrozenTrial[] {
  return ts.map((t, i) => ({
    trialId: i, number: i, state: t.state, value: t.value, params: t.params, internalParams: t.params,
    distributions: Object.fromEntries(Object.keys(t.params).map((k) => [k, dist])),
    intermediateValues: new Map(t.intermediate.map(([s, v]) => [s, v ?? NaN])), systemAttrs: {},
    datetimeStart: 0, datetimeComplete: 0, worker: null,
  }));
}

function close(got: readonly number[], want: readonly number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: ${g} vs Optuna ${want[i]}`));
}

describe('TPE against Optuna 3.1, part by part', () => {
  test('truncated-normal quantiles equal Optuna\'s _truncnorm.ppf, including both ends and the right-side branch', () => {
    for (const [q, a, b, x] of fixture.ppf as number[][]) {
      const got = truncnormPpf(q, a, b);
      assert.ok(Math.abs(got - x) <= 2e-6 * Math.max(1, Math.abs(x)), `ppf(${q}; ${a}, ${b}) = ${got}, Optuna ${x}`);
    }
    // a draw is the quantile at the generator's uniform, scaled and shifted
    const u = 0.3;
    assert.equal(truncnormSample({ random: () => u } as never, -1, 4, 0.5, 2), 0.5 + 2 * truncnormPpf(u, -0.75, 1.75));
  });

  for (const c of fixture.parzen) {
    test(`Parzen estimator weights, centres and bandwidths: ${c.name}`, () => {
      const pe = new ParzenEstimator(c.observations, c.dist, { ...c.options, weights: tune.defaultWeights });
      const got = pe.components;
      close(got.weights, c.estimator.weights, 1e-12, 'weights');
      if (c.estimator.mus) {
        close(got.mus, c.estimator.mus, 1e-12, 'mus');
        close(got.sigmas, c.estimator.sigmas, 1e-12, 'sigmas');
        close([got.low, got.high], [c.estimator.low, c.estimator.high], 1e-12, 'range');
      } else {
        assert.equal(got.categoricalWeights.length, c.estimator.categoricalWeights.length);
        got.categoricalWeights.forEach((row, i) => close(row, c.estimator.categoricalWeights[i], 1e-12, `categorical row ${i}`));
      }
    });
  }

  for (const [k, c] of (fixture.split as { direction: StudyDirection; trials: TrialJson[]; nBelow: number; below: number[] }[]).entries()) {
    test(`good/bad split with pruned trials and NaN values: case ${k} (${c.direction}, ${c.trials.length} trials)`, () => {
      const trials = frozen(c.trials, { kind: 'float', low: 0, high: 1, log: false, step: null });
      const isBelow = splitTrials(trials, c.direction, c.nBelow);
      assert.deepEqual(isBelow.flatMap((b, i) => (b ? [i] : [])), c.below);
    });
  }

  test('replay of Optuna\'s TPE on Rosenbrock-5: the same split, estimators and l(x)/g(x) for trial 40', () => {
    const r = fixture.replay;
    const trials = frozen(r.trials, r.dist);
    const view: StudyView = {
      studyName: 'replay', direction: 'minimize', getTrials: (states) => trials.filter((t) => !states || states.includes(t.state)),
      setTrialSystemAttr: () => undefined, stop: () => undefined,
    };
    assert.deepEqual(splitTrials(trials, 'minimize', tune.defaultGamma(trials.length)).flatMap((b, i) => (b ? [i] : [])), r.below);
    const sampler = new tune.TPESampler({ seed: 0 });
    type Side = { weights: number[]; mus: number[]; sigmas: number[] };
    for (const [name, want] of Object.entries(r.params) as [string, { below: Side; above: Side; score: number[] }][]) {
      const est = sampler.estimators(view, name, r.dist);
      assert.ok(est !== null, 'past the startup trials');
      for (const side of ['below', 'above'] as const) {
        const got = est[side].components;
        close(got.weights, want[side].weights, 1e-12, `${name} ${side} weights`);
        close(got.mus, want[side].mus, 1e-12, `${name} ${side} mus`);
        close(got.sigmas, want[side].sigmas, 1e-12, `${name} ${side} sigmas`);
      }
      const ll = est.below.logPdf(r.xs);
      const lg = est.above.logPdf(r.xs);
      close(ll.map((v, i) => v - lg[i]), want.score, 1e-6, `${name} log l - log g`);
    }
  });

  test('startup trials are random: no estimators before nStartupTrials finished trials', () => {
    const trials = frozen(fixture.replay.trials.slice(0, 9), fixture.replay.dist);
    const view: StudyView = { studyName: 's', direction: 'minimize', getTrials: () => trials, setTrialSystemAttr: () => undefined, stop: () => undefined };
    assert.equal(new tune.TPESampler({ seed: 0 }).estimators(view, 'x0', fixture.replay.dist), null);
    assert.notEqual(new tune.TPESampler({ seed: 0, nStartupTrials: 9 }).estimators(view, 'x0', fixture.replay.dist), null);
  });
});
