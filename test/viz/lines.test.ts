import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShapeError, ValueError, viz } from '../../src/index.js';

const history = [
  { epoch: 1, loss: 0.62, valLoss: 0.4, accuracy: 0.81, valAccuracy: 0.88, lr: 0.1 },
  { epoch: 2, loss: 0.31, valLoss: 0.27, accuracy: 0.91, valAccuracy: 0.92, lr: 0.05 },
  { epoch: 3, loss: 0.2, valLoss: 0.22, accuracy: 0.95, valAccuracy: 0.94, lr: 0.01 },
];

/** The text of every <text> element of an SVG. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

test('trainingCurvesSpec: a loss panel and a metric panel, train and validation in the legend, axis titles', async () => {
  const spec = viz.trainingCurvesSpec(history) as unknown as { hconcat: { data: { values: { x: number; y: number; series: string }[] } }[] };
  assert.equal(spec.hconcat.length, 2, 'loss and accuracy; lr is bookkeeping, not a metric');
  const loss = spec.hconcat[0].data.values;
  assert.deepEqual(loss.filter((r) => r.series === 'train').map((r) => [r.x, r.y]), [[1, 0.62], [2, 0.31], [3, 0.2]]);
  assert.deepEqual(loss.filter((r) => r.series === 'validation').map((r) => r.y), [0.4, 0.27, 0.22]);
  const svg = await viz.renderSvg(spec as unknown as viz.VegaLiteSpec);
  const t = texts(svg);
  for (const want of ['epoch', 'loss', 'accuracy', 'train', 'validation']) assert.ok(t.includes(want), `missing text '${want}' in ${JSON.stringify(t)}`);
  assert.equal(t.filter((s) => s === 'train').length, 1, 'one shared legend');
  assert.ok(!t.includes('lr'));
  // train and validation lines drawn in their colours
  assert.match(svg, new RegExp(`<path[^>]*stroke="${viz.seriesColors[0]}"`));
  assert.match(svg, new RegExp(`<path[^>]*stroke="${viz.seriesColors[1]}"`));
});

test('trainingCurvesSpec: keys without validation, Keras-style val_ keys, chosen metrics, missing epochs', () => {
  const only = viz.trainingCurvesSpec([{ loss: 1 }, { loss: 0.5 }]) as unknown as { hconcat: { data: { values: { x: number; series: string }[] } }[] };
  assert.equal(only.hconcat.length, 1);
  assert.deepEqual(only.hconcat[0].data.values.map((r) => [r.x, r.series]), [[1, 'train'], [2, 'train']]);
  const keras = viz.trainingCurvesSpec([{ epoch: 1, loss: 1, val_loss: 2, acc: 0.5, val_acc: 0.4 }]) as unknown as { hconcat: { data: { values: { y: number; series: string }[] } }[] };
  assert.equal(keras.hconcat.length, 2);
  assert.deepEqual(keras.hconcat[1].data.values, [{ x: 1, y: 0.5, series: 'train' }, { x: 1, y: 0.4, series: 'validation' }]);
  const chosen = viz.trainingCurvesSpec(history, { metrics: ['lr'] }) as unknown as { hconcat: { encoding: { y: { title: string } } }[] };
  assert.deepEqual(chosen.hconcat.map((p) => p.encoding.y.title), ['loss', 'lr']);
  const noted = viz.trainingCurvesSpec([{ epoch: 1, loss: 1, note: 'warm-up', accuracy: 0.5 }]) as unknown as { hconcat: unknown[] };
  assert.equal(noted.hconcat.length, 2, 'non-numeric entries are not metrics');
  const gaps = viz.trainingCurvesSpec([{ epoch: 1, loss: NaN }, { epoch: 2, loss: 0.3 }]) as unknown as { hconcat: { data: { values: unknown[] } }[] };
  assert.equal(gaps.hconcat[0].data.values.length, 1, 'a NaN loss leaves a gap');
});

test('trainingCurvesSpec: errors name the function and the problem', () => {
  assert.throws(() => viz.trainingCurvesSpec([]), (e: Error) => e instanceof ValueError && /trainingCurvesSpec: history is empty/.test(e.message));
  assert.throws(() => viz.trainingCurvesSpec(history, { metrics: ['f1'] }), (e: Error) => e instanceof ValueError && /metric 'f1' is not in the history.*accuracy/.test(e.message));
  assert.throws(() => viz.trainingCurvesSpec([{ epoch: 1 }]), (e: Error) => e instanceof ValueError && /nothing to plot/.test(e.message));
  assert.throws(() => viz.trainingCurvesSpec(history, { width: -1 }), (e: Error) => e instanceof ValueError && /width must be a positive number, got -1/.test(e.message));
});

test('lineChartSpec: one coloured line per series, legend, axis titles; log scale drops non-positive points', async () => {
  const spec = viz.lineChartSpec(
    [{ name: 'lr', x: [0, 1, 2, 3], y: [0.1, 0.05, 0, 0.01] }, { name: 'momentum', x: new Float32Array([0, 3]), y: [0.9, 0.99] }],
    { xTitle: 'step', yTitle: 'value', yScale: 'log', title: 'schedule' },
  );
  const rows = (spec as unknown as { data: { values: { series: string }[] } }).data.values;
  assert.equal(rows.filter((r) => r.series === 'lr').length, 3);
  const svg = await viz.renderSvg(spec);
  const t = texts(svg);
  for (const want of ['step', 'value', 'lr', 'momentum', 'schedule']) assert.ok(t.includes(want), `missing '${want}'`);
  assert.match(svg, new RegExp(`stroke="${viz.seriesColors[1]}"`));
});

test('lineChartSpec: mismatched x/y is a ShapeError, repeated names and no series are ValueErrors', () => {
  assert.throws(() => viz.lineChartSpec([{ name: 'a', x: [1, 2, 3], y: [1, 2] }]), (e: Error) => e instanceof ShapeError && /lineChartSpec: series 'a' has 3 x values but 2 y values/.test(e.message));
  assert.throws(() => viz.lineChartSpec([{ name: 'a', x: [1], y: [1] }, { name: 'a', x: [2], y: [2] }]), (e: Error) => e instanceof ValueError && /'a' is used twice/.test(e.message));
  assert.throws(() => viz.lineChartSpec([]), (e: Error) => e instanceof ValueError && /lineChartSpec: no series/.test(e.message));
});

test('renderSvg refuses what is not a spec, and reports specs Vega-Lite cannot compile', async () => {
  await assert.rejects(viz.renderSvg(null as unknown as viz.VegaLiteSpec), (e: Error) => e instanceof ValueError && /renderSvg: spec must be/.test(e.message));
  await assert.rejects(viz.renderSvg({ mark: 'nosuchmark' } as unknown as viz.VegaLiteSpec), (e: Error) => e instanceof ValueError && /renderSvg: Vega-Lite cannot compile/.test(e.message));
});
