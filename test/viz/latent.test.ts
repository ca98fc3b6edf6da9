/**
 * Latent-space pictures (src/viz/latent.ts): the scatter spec holds one dot per code coloured by its class with a
 * legend entry per class present and renders to SVG; interpolations run from a to b with both ends exact;
 * traversals sweep one dimension per row over the range with the others at the base code; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, tensor, viz, zeros } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

type Obj = Record<string, unknown>;
const rows2 = (t: { shape: readonly number[]; toTypedArray(): ArrayLike<number> }) => {
  const v = Array.from(t.toTypedArray(), Number);
  const d = t.shape[1];
  return Array.from({ length: t.shape[0] }, (_, i) => v.slice(i * d, (i + 1) * d));
};
const close = (a: number[][], b: number[][]) => a.every((r, i) => r.every((v, j) => Math.abs(v - b[i][j]) < 1e-6));

describe('latent pictures', () => {
  test('latentScatterSpec: one dot per code, coloured by class name with the class colours, renders', async () => {
    const spec = viz.latentScatterSpec(tensor([[0, 1], [2, -1], [0.5, 0.5]]), [3, 0, 3], { classes: ['zero', 'one', 'two', 'three'], title: 'codes' }) as unknown as Obj;
    assert.deepEqual((spec.data as Obj).values, [{ x: 0, y: 1, label: 'three' }, { x: 2, y: -1, label: 'zero' }, { x: 0.5, y: 0.5, label: 'three' }]);
    const color = (spec.encoding as Record<string, Obj>).color;
    assert.deepEqual(color.scale, { domain: ['zero', 'three'], range: [viz.seriesColors[0], viz.seriesColors[3]] });
    assert.equal(spec.title, 'codes');
    assert.match(await viz.renderSvg(spec as never), /<svg/);
  });

  test('interpolateLatents: steps codes per pair from a to b, both ends exact, evenly spaced', () => {
    const a = tensor([[0, 0], [1, 2]]);
    const b = tensor([[4, -4], [1, 6]]);
    const z = viz.interpolateLatents(a, b, 5);
    assert.deepEqual(z.shape, [10, 2]);
    assert.equal(z.dtype, 'float32');
    assert.ok(close(rows2(z), [[0, 0], [1, -1], [2, -2], [3, -3], [4, -4], [1, 2], [1, 3], [1, 4], [1, 5], [1, 6]]));
  });

  test('traverseLatents: row r sweeps dims[r] over the range, the other dimensions stay at the base', () => {
    const base = tensor([0.5, -1, 2]);
    const z = viz.traverseLatents(base, { dims: [2, 0], range: [-3, 3], steps: 3 });
    assert.deepEqual(z.shape, [6, 3]);
    assert.ok(close(rows2(z), [[0.5, -1, -3], [0.5, -1, 0], [0.5, -1, 3], [-3, -1, 2], [0, -1, 2], [3, -1, 2]]));
    const all = viz.traverseLatents(zeros([4]));
    assert.deepEqual(all.shape, [40, 4], 'default: every dimension, 10 steps');
    assert.deepEqual(rows2(all)[9], [0, 0, 0, 0].map((_, i) => (i === 0 ? 3 : 0)));
  });
});

checkErrors('latent pictures', [
  ['scatter of 3-D codes', () => viz.latentScatterSpec(zeros([4, 3]), [0, 1, 2, 3]), ShapeError, /^latentScatterSpec: points must be 2-D codes \[N, 2\], got shape \[4, 3\]/],
  ['scatter with too few labels', () => viz.latentScatterSpec(zeros([3, 2]), [0, 1]), ShapeError, /^latentScatterSpec: 2 labels for 3 points/],
  ['scatter label 10', () => viz.latentScatterSpec(zeros([2, 2]), [0, 10]), ValueError, /^latentScatterSpec: labels must be class indices in \[0, 9\] .* got 10 at index 1/],
  ['scatter class without a name', () => viz.latentScatterSpec(zeros([1, 2]), [2], { classes: ['a'] }), ValueError, /^latentScatterSpec: class 2 has no name/],
  ['scatter of a non-tensor', () => viz.latentScatterSpec([[0, 1]] as never, [0]), ValueError, /^latentScatterSpec: points must be a Tensor, got object/],
  ['interpolation of different shapes', () => viz.interpolateLatents(zeros([2, 3]), zeros([2, 4]), 5), ShapeError, /^interpolateLatents: a and b must have the same shape \[K, D\], got \[2, 3\] and \[2, 4\]/],
  ['interpolation with one step', () => viz.interpolateLatents(zeros([1, 2]), zeros([1, 2]), 1), ValueError, /^interpolateLatents: steps must be an integer >= 2, got 1/],
  ['interpolation of one code', () => viz.interpolateLatents(zeros([2]), zeros([2]), 3), ShapeError, /^interpolateLatents: a must be codes \[N, D\] .* got shape \[2\]/],
  ['interpolation of int codes', () => viz.interpolateLatents(zeros([1, 2], { dtype: 'int32' }), zeros([1, 2]), 3), ValueError, /^interpolateLatents: a must be float32 or float64 codes, got dtype int32/],
  ['traversal of a batch', () => viz.traverseLatents(zeros([2, 3])), ShapeError, /^traverseLatents: base must be one code \[D\] .* got shape \[2, 3\]/],
  ['traversal of dimension 3 of 3', () => viz.traverseLatents(zeros([3]), { dims: [3] }), ValueError, /^traverseLatents: dims must be dimensions in \[0, 2\] \(the code has 3\), got 3 at index 0/],
  ['traversal over an empty range', () => viz.traverseLatents(zeros([3]), { range: [2, 2] }), ValueError, /^traverseLatents: range must be two finite numbers \[low, high\] with low < high, got \[2, 2\]/],
  ['traversal with no dims', () => viz.traverseLatents(zeros([3]), { dims: [] }), ValueError, /^traverseLatents: dims must be a non-empty array/],
]);
