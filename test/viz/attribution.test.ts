/** viz.saliency and viz.gradCam against PyTorch (tools/make_viz_fixtures.py), and their bad inputs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DTypeError, ShapeError, ValueError, nn, tensor, viz, zeros } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { fixture, vizInput, vizNet } from './viz-net.js';

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('the rebuilt net gives PyTorch logits', () => {
  const y = vizNet().forward(vizInput().unsqueeze(0));
  assert.ok(maxAbsDiff(y.toTypedArray(), fixture.logits) < 1e-5);
});

for (const c of fixture.cases) {
  const what = `${c.kind}${c.layer !== undefined ? ` of layer '${c.layer}'` : ''}, class ${c.classIndex ?? `predicted (${c.used})`}`;
  test(`${what} equals PyTorch's within 1e-4`, () => {
    const model = vizNet();
    const classIndex = c.classIndex ?? undefined;
    const map = c.kind === 'saliency'
      ? viz.saliency(model, vizInput(), { classIndex })
      : viz.gradCam(model, vizInput(), { layer: c.layer as string, classIndex });
    assert.deepEqual(map.shape, [fixture.inputSize, fixture.inputSize]);
    const scale = Math.max(...c.map.map(Math.abs));
    assert.ok(scale > 0, 'the fixture map is not all zero');
    assert.ok(maxAbsDiff(map.toTypedArray(), c.map) <= 1e-4 * Math.max(1, scale), `max diff ${maxAbsDiff(map.toTypedArray(), c.map)}`);
    if (c.kind === 'gradCam') assert.deepEqual([Math.min(...map.toTypedArray()), Math.max(...map.toTypedArray())], [0, 1]);
  });
}

test('attribution leaves parameters\' gradients, training mode and the forward methods as they were', () => {
  const model = vizNet().train();
  viz.saliency(model, vizInput().unsqueeze(0));
  viz.gradCam(model, vizInput(), { layer: '7' });
  assert.ok(model.parameters().every((p) => p.grad === null));
  assert.ok(model.modules().every((m) => m.training));
  assert.ok(model.modules().every((m) => !Object.hasOwn(m, 'forward')));
});

test('Grad-CAM of a class nothing in the layer speaks for is all zeros, not NaN', () => {
  // a net whose last conv's output is always zero: d score / d A exists but A = 0
  const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(8, 3));
  model.at(0).loadStateDict({ weight: zeros([2, 1, 3, 3]), bias: zeros([2]) });
  const cam = viz.gradCam(model, tensor(new Float32Array(16).fill(1), { shape: [1, 4, 4] }), { layer: '1' });
  assert.deepEqual([...cam.toTypedArray()], new Array<number>(16).fill(0));
});

const model = vizNet();
const x = vizInput();
checkErrors('saliency and gradCam', [
  ['saliency of a batch of two', () => viz.saliency(model, zeros([2, 3, 12, 12])), ShapeError, /^saliency: input must be one image \[C, H, W\] or \[1, C, H, W\], got shape \[2, 3, 12, 12\]/],
  ['saliency of an integer image', () => viz.saliency(model, zeros([3, 12, 12], { dtype: 'int32' })), DTypeError, /^saliency: input must be a floating-point image, got dtype int32/],
  ['class out of range', () => viz.saliency(model, x, { classIndex: 5 }), ValueError, /^saliency: classIndex must be an integer in \[0, 4\] \(the model has 5 classes\), got 5/],
  ['not a model', () => viz.saliency({} as nn.Sequential, x), ValueError, /^saliency: model must be a Module with a forward method/],
  ['a model that is not a classifier', () => viz.saliency(new nn.Sequential(new nn.Conv2d(3, 2, 3)), x), ShapeError, /^saliency: the model must return class scores \[1, K\] for one image, got shape \[1, 2, 10, 10\]/],
  ['gradCam without a layer', () => viz.gradCam(model, x, {} as never), ValueError, /^gradCam: opts.layer must name a conv-like layer/],
  ['gradCam of an unknown layer', () => viz.gradCam(model, x, { layer: 'conv9' }), ValueError, /^gradCam: Sequential has no layer 'conv9'; layers: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10$/],
  ['gradCam of a linear layer', () => viz.gradCam(model, x, { layer: '10' }), ShapeError, /^gradCam: layer '10' gives shape \[1, 5\]; Grad-CAM needs a conv-like layer with output \[1, C, h, w\]/],
]);
