/**
 * The tune charts: optimization history (values by state, best-so-far line in the study's direction),
 * intermediate values (one line per trial, pruned ones in their own colour), parameter slices (log axes for log
 * parameters, categories for categorical ones), all rendering to SVG; bad inputs are ValueErrors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, viz } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const LOG = { kind: 'float', log: true };
const trials: viz.TunePlotTrial[] = [
  { number: 0, state: 'complete', value: 0.80, params: { lr: 0.01, opt: 'adam' }, distributions: { lr: LOG, opt: { kind: 'categorical' } }, intermediateValues: new Map([[1, 0.7], [2, 0.8]]) },
  { number: 1, state: 'pruned', value: 0.50, params: { lr: 0.1, opt: 'sgd' }, distributions: { lr: LOG, opt: { kind: 'categorical' } }, intermediateValues: new Map([[1, 0.5]]) },
  { number: 2, state: 'complete', value: 0.85, params: { lr: 0.001, opt: 'sgd' }, distributions: { lr: LOG, opt: { kind: 'categorical' } }, intermediateValues: new Map([[1, 0.6], [2, 0.85]]) },
  { number: 3, state: 'complete', value: 0.82, params: { lr: 0.003, opt: 'adam' }, distributions: { lr: LOG, opt: { kind: 'categorical' } }, intermediateValues: new Map([[1, 0.75], [2, 0.82]]) },
];
type Layered = { layer: { data: { values: { trial: number; value: number; series: string }[] } }[] };

describe('tune charts', () => {
  test('history: every trial a point, the best complete value so far as a line (maximize and minimize)', async () => {
    const spec = viz.optimizationHistorySpec(trials, { direction: 'maximize', valueScale: 100 }) as unknown as Layered;
    assert.deepEqual(spec.layer[0].data.values.map((r) => r.value), [80, 80, 85, 85]);
    assert.deepEqual(spec.layer[1].data.values.map((r) => [r.trial, r.series]), [[0, 'complete'], [1, 'pruned'], [2, 'complete'], [3, 'complete']]);
    const min = viz.optimizationHistorySpec(trials) as unknown as Layered;
    assert.deepEqual(min.layer[0].data.values.map((r) => r.value), [0.8, 0.8, 0.8, 0.8]);
    const svg = await viz.renderSvg(viz.optimizationHistorySpec(trials, { direction: 'maximize', objectiveName: 'accuracy' }));
    assert.match(svg, /best so far/);
    assert.match(svg, /pruned/);
  });

  test('intermediate values: one line per trial with its state; pruned trials end early', async () => {
    const spec = viz.intermediateValuesSpec(trials) as unknown as { data: { values: { trial: number; step: number; state: string }[] }; encoding: { detail: { field: string } } };
    assert.equal(spec.data.values.length, 7);
    assert.deepEqual(spec.data.values.filter((r) => r.trial === 1).map((r) => [r.step, r.state]), [[1, 'pruned']]);
    assert.equal(spec.encoding.detail.field, 'trial');
    assert.match(await viz.renderSvg(viz.intermediateValuesSpec(trials)), /<svg/);
  });

  test('slices: complete trials only, a log axis for a log parameter, categories for a categorical one', async () => {
    const spec = viz.sliceSpec(trials) as unknown as { hconcat: { data: { values: unknown[] }; encoding: { x: { type: string; scale?: { type?: string } } } }[] };
    assert.equal(spec.hconcat.length, 2);
    assert.equal(spec.hconcat[0].data.values.length, 3);
    assert.deepEqual(spec.hconcat[0].encoding.x.scale, { type: 'log' });
    assert.equal(spec.hconcat[1].encoding.x.type, 'nominal');
    assert.equal((viz.sliceSpec(trials, { params: ['opt'] }) as unknown as { hconcat: unknown[] }).hconcat.length, 1);
    assert.match(await viz.renderSvg(viz.sliceSpec(trials)), /<svg/);
  });
});

checkErrors('tune charts', [
  ['no trials', () => viz.optimizationHistorySpec([]), ValueError, /^optimizationHistorySpec: no trials to draw \(the study is empty\)$/],
  ['not an array', () => viz.sliceSpec(null as unknown as viz.TunePlotTrial[]), ValueError, /^sliceSpec: trials must be an array of trials, got null$/],
  ['bad direction', () => viz.optimizationHistorySpec(trials, { direction: 'up' as 'maximize' }), ValueError, /^optimizationHistorySpec: direction must be 'minimize' or 'maximize', got "up"$/],
  ['zero valueScale', () => viz.intermediateValuesSpec(trials, { valueScale: 0 }), ValueError, /^intermediateValuesSpec: valueScale must be a finite non-zero number, got 0$/],
  ['negative width', () => viz.sliceSpec(trials, { width: -1 }), ValueError, /^sliceSpec: width must be a positive number, got -1$/],
  ['nothing reported', () => viz.intermediateValuesSpec([{ ...trials[0], intermediateValues: new Map() }]), ValueError, /^intermediateValuesSpec: no trial reported an intermediate value/],
  ['no complete trial', () => viz.sliceSpec([trials[1]]), ValueError, /^sliceSpec: no complete trial to draw$/],
  ['unknown parameter', () => viz.sliceSpec(trials, { params: ['momentum'] }), ValueError, /^sliceSpec: parameter 'momentum' was not drawn by any complete trial; the parameters are lr, opt$/],
]);
