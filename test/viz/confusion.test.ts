import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShapeError, ValueError, tensor, viz } from '../../src/index.js';

interface Cell { t: string; p: string; count: number; value: number; label: string }
const cells = (spec: viz.VegaLiteSpec) => (spec as unknown as { data: { values: Cell[] } }).data.values;

test('confusionMatrixSpec: heat map with counts in the cells, class names, axes "predicted" and "true"', async () => {
  const m = [[50, 2, 0], [3, 40, 7], [0, 1, 60]];
  const spec = viz.confusionMatrixSpec(m, ['cat', 'dog', 'bird']);
  const c = cells(spec);
  assert.equal(c.length, 9);
  assert.deepEqual(c.find((x) => x.t === 'dog' && x.p === 'bird'), { t: 'dog', p: 'bird', count: 7, value: 7, label: '7' });
  const svg = await viz.renderSvg(spec);
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((x) => x[1]);
  for (const want of ['predicted', 'true', 'cat', 'dog', 'bird', '50', '40', '60', '7', 'count']) assert.ok(texts.includes(want), `missing '${want}'`);
  // readable text: white on the dark cells (above half the scale), dark on light ones, grey for zeros
  assert.match(svg, new RegExp(`fill="${viz.textColors.dark}"[^>]*>60<`));
  assert.match(svg, new RegExp(`fill="${viz.textColors.light}"[^>]*>7<`));
  assert.match(svg, new RegExp(`fill="${viz.textColors.zero}"[^>]*>0<`));
  // the largest cell takes the dark end of the scale
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(viz.heatColors[1].slice(i, i + 2), 16));
  assert.ok(svg.includes(`count: 60" role="graphics-symbol" aria-roledescription="rect mark" d="M72,72h36v36h-36Z" fill="rgb(${r}, ${g}, ${b})"`));
});

test('confusionMatrixSpec: row normalization, int tensors, default class names', () => {
  const m = tensor([[3, 1], [0, 0]], { dtype: 'int32' });
  const c = cells(viz.confusionMatrixSpec(m, undefined, { normalize: true }));
  assert.deepEqual(c.map((x) => [x.t, x.p, x.value, x.label]), [['0', '0', 0.75, '.75'], ['0', '1', 0.25, '.25'], ['1', '0', 0, '0'], ['1', '1', 0, '0']]);
  const big = viz.confusionMatrixSpec(Array.from({ length: 40 }, (_, i) => Array.from({ length: 40 }, (_, j) => (i === j ? 9 : 0))));
  const layers = (big as unknown as { layer: unknown[]; width: number }).layer;
  assert.equal(layers.length, 1, 'no cell text for 40 classes by default');
  assert.equal((big as unknown as { width: number }).width, 40 * 12);
});

test('confusionMatrixSpec: ragged, non-square, wrong rank, bad names and negative counts are typed errors', () => {
  assert.throws(() => viz.confusionMatrixSpec([[1, 2], [3]]), (e: Error) => e instanceof ShapeError && /confusionMatrixSpec: ragged matrix: row 1 has 1 entries but row 0 has 2/.test(e.message));
  assert.throws(() => viz.confusionMatrixSpec([[1, 2, 3], [3, 4, 5]]), (e: Error) => e instanceof ShapeError && /must be square.*2 rows of 3/.test(e.message));
  assert.throws(() => viz.confusionMatrixSpec(tensor([1, 2, 3])), (e: Error) => e instanceof ShapeError && /must be 2-D.*\[3\]/.test(e.message));
  assert.throws(() => viz.confusionMatrixSpec([[1, 2], [3, 4]], ['a']), (e: Error) => e instanceof ValueError && /1 class names given for a 2 x 2 matrix/.test(e.message));
  assert.throws(() => viz.confusionMatrixSpec([[1, 2], [3, 4]], ['a', 'a']), (e: Error) => e instanceof ValueError && /'a' appears twice/.test(e.message));
  assert.throws(() => viz.confusionMatrixSpec([[1, -2], [3, 4]]), (e: Error) => e instanceof ValueError && /matrix\[0\]\[1\] must be a finite count >= 0, got -2/.test(e.message));
});
