/**
 * Parallel coordinates (the objective's axis first, one per parameter, a log axis with ticks at powers of ten,
 * categorical choices in their distribution's order, a line per complete trial coloured by value) and the
 * parameter-importance bars (most important on top); both render to SVG; bad inputs are ValueErrors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { renderSvg } from '../../src/viz/render.js';
import { paramImportanceSpec } from '../../src/viz/tune-importance.js';
import { parallelCoordinateSpec, type ParallelCoordinateTrial } from '../../src/viz/tune-parallel.js';
import { checkErrors } from '../helpers/check-errors.js';

const dists = { lr: { kind: 'float', log: true }, opt: { kind: 'categorical', choices: ['sgd', 'adam', 'rmsprop'] }, units: { kind: 'int', log: false } };
const trials: ParallelCoordinateTrial[] = [
  { number: 0, state: 'complete', value: 0.80, params: { lr: 0.01, opt: 'adam', units: 4 }, distributions: dists, intermediateValues: new Map() },
  { number: 1, state: 'pruned', value: 0.50, params: { lr: 0.1, opt: 'sgd', units: 2 }, distributions: dists, intermediateValues: new Map() },
  { number: 2, state: 'complete', value: 0.85, params: { lr: 0.0001, opt: 'sgd', units: 8 }, distributions: dists, intermediateValues: new Map() },
  { number: 3, state: 'complete', value: 0.70, params: { lr: 0.001, opt: 'rmsprop', units: 2 }, distributions: dists, intermediateValues: new Map() },
];
type Row = { trial: number; axis: string; pos: number; value: number };
type Tick = { axis: string; pos: number; label: string };
type Spec = { layer: { data: { values: unknown[] }; encoding: { x: { sort: string[] }; color?: { scale: { reverse: boolean } } } }[] };

describe('parallel coordinates', () => {
  test('an axis per parameter after the objective, positions on each axis\'s own scale, complete trials only', async () => {
    const spec = parallelCoordinateSpec(trials, { direction: 'maximize', valueScale: 100, objectiveName: 'accuracy (%)' }) as unknown as Spec;
    assert.deepEqual(spec.layer[1].encoding.x.sort, ['accuracy (%)', 'lr', 'opt', 'units']);
    const rows = spec.layer[1].data.values as Row[];
    assert.deepEqual([...new Set(rows.map((r) => r.trial))], [0, 2, 3]);
    const at = (trial: number, axis: string): number => rows.find((r) => r.trial === trial && r.axis === axis)!.pos;
    // objective 70..85: trial 0 at 80 is two thirds up
    assert.ok(Math.abs(at(0, 'accuracy (%)') - 2 / 3) < 1e-12);
    // log axis 1e-4..1e-2: 1e-3 halfway
    assert.ok(Math.abs(at(3, 'lr') - 0.5) < 1e-12);
    // categorical in the distribution's order (sgd, adam, rmsprop), all three taken
    assert.deepEqual([at(2, 'opt'), at(0, 'opt'), at(3, 'opt')], [0, 0.5, 1]);
    // int axis 2..8
    assert.ok(Math.abs(at(0, 'units') - 1 / 3) < 1e-12);
    assert.ok(Math.abs(rows.find((r) => r.trial === 2)!.value - 85) < 1e-9);
    const ticks = spec.layer[2].data.values as Tick[];
    assert.deepEqual(ticks.filter((t) => t.axis === 'lr').map((t) => t.label), ['1e-4', '0.001', '0.01']);
    assert.deepEqual(ticks.filter((t) => t.axis === 'opt').map((t) => t.label), ['sgd', 'adam', 'rmsprop']);
    assert.ok(ticks.filter((t) => t.axis === 'units').every((t) => Number.isInteger(Number(t.label))));
    // colours: bright for good values in both directions
    assert.equal(spec.layer[1].encoding.color!.scale.reverse, false);
    assert.equal((parallelCoordinateSpec(trials) as unknown as Spec).layer[1].encoding.color!.scale.reverse, true);
    const svg = await renderSvg(parallelCoordinateSpec(trials, { params: ['opt'] }));
    assert.match(svg, /rmsprop/);
  });
});

describe('parameter importance bars', () => {
  test('sorted from the most important, small shares written <0.01', async () => {
    const spec = paramImportanceSpec({ b: 0.2, a: 0.795, c: 0.005 }) as unknown as { data: { values: { param: string; label: string }[] } };
    assert.deepEqual(spec.data.values.map((r) => [r.param, r.label]), [['a', '0.80'], ['b', '0.20'], ['c', '<0.01']]);
    assert.match(await renderSvg(paramImportanceSpec({ lr: 0.7, dropout: 0.3 }, { title: 'importance' })), /dropout/);
  });
});

checkErrors('parallel coordinates and importance charts', [
  ['no trials', () => parallelCoordinateSpec([]), ValueError, /^parallelCoordinateSpec: no trials to draw \(the study is empty\)$/],
  ['not an array', () => parallelCoordinateSpec(null as unknown as ParallelCoordinateTrial[]), ValueError, /^parallelCoordinateSpec: trials must be an array of trials, got null$/],
  ['no complete trial', () => parallelCoordinateSpec([trials[1]]), ValueError, /^parallelCoordinateSpec: no complete trial to draw$/],
  ['unknown parameter', () => parallelCoordinateSpec(trials, { params: ['momentum'] }), ValueError, /^parallelCoordinateSpec: parameter 'momentum' was not drawn by any complete trial; the parameters are lr, opt, units$/],
  ['no parameters', () => parallelCoordinateSpec([{ ...trials[0], params: {} }]), ValueError, /^parallelCoordinateSpec: the trials have no parameters to draw$/],
  ['bad direction', () => parallelCoordinateSpec(trials, { direction: 'up' as 'maximize' }), ValueError, /^parallelCoordinateSpec: direction must be 'minimize' or 'maximize', got "up"$/],
  ['zero height', () => parallelCoordinateSpec(trials, { height: 0 }), ValueError, /^parallelCoordinateSpec: height must be a positive number, got 0$/],
  ['empty importances', () => paramImportanceSpec({}), ValueError, /^paramImportanceSpec: no parameters to draw \(importances is empty\)$/],
  ['negative importance', () => paramImportanceSpec({ lr: -0.1 }), ValueError, /^paramImportanceSpec: importance of 'lr' must be a finite number >= 0, got -0\.1$/],
  ['array importances', () => paramImportanceSpec([0.5] as unknown as Record<string, number>), ValueError, /^paramImportanceSpec: importances must be a record of parameter name to importance, got an array$/],
]);
