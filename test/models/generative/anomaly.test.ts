/**
 * reconstructionScores and scoreReconstructions (src/models/generative/anomaly.ts): per-sample MSE and relative error against values
 * computed by hand, independence of the batch size, eval mode during scoring and the mode restored, a conv AE on
 * images, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, manualSeed, nn, rand, tensor, zeros, type Tensor } from '../../../src/index.js';
import { reconstructionScores, scoreReconstructions } from '../../../src/models/generative/anomaly.js';
import { ConvAutoEncoder } from '../../../src/models/generative/conv-ae.js';
import { checkErrors } from '../../helpers/check-errors.js';

/** A "model" that returns a fixed function of its input, remembering the mode it ran in. */
class Fixed extends nn.Module {
  modes: boolean[] = [];
  constructor(readonly f: (x: Tensor) => Tensor) {
    super();
  }
  forward(x: Tensor): Tensor {
    this.modes.push(this.training);
    return this.f(x);
  }
}

describe('reconstructionScores', () => {
  const x = tensor([[[1, 2], [0, 0]], [[0, 0], [0, 3]], [[1, 1], [1, 1]]]); // [3, 2, 2]
  const half = new Fixed((v) => v.mul(0.5));

  test("'mse' is the mean of (x̂ - x)^2 over each sample's values; 'relative' divides the summed error by sum x^2", () => {
    // x̂ = x / 2, so (x̂ - x)^2 = x^2 / 4 and the relative error is 1/4 for every sample
    const mse = reconstructionScores(half, x).toTypedArray();
    assert.deepEqual(Array.from(mse), [(1 + 4) / 16, 9 / 16, 4 / 16]);
    const rel = Array.from(reconstructionScores(half, x, { score: 'relative' }).toTypedArray());
    rel.forEach((v) => assert.ok(Math.abs(v - 0.25) < 1e-7, `${rel}`));
  });

  test('scoreReconstructions applies the same rules to given reconstructions', () => {
    const r = x.mul(0.5);
    assert.deepEqual(Array.from(scoreReconstructions(x, r).toTypedArray()), Array.from(reconstructionScores(half, x).toTypedArray()));
    assert.deepEqual(Array.from(scoreReconstructions(x, r, { score: 'relative' }).toTypedArray()), Array.from(reconstructionScores(half, x, { score: 'relative' }).toTypedArray()));
    assert.deepEqual(Array.from(scoreReconstructions(tensor([[0, 0], [2, 2]]), tensor([[1, 1], [2, 0]])).toTypedArray()), [1, 2]);
  });

  test('the batch size does not change the scores; the model runs in eval mode and gets its mode back', () => {
    half.modes = [];
    half.train();
    const a = Array.from(reconstructionScores(half, x, { batchSize: 2 }).toTypedArray());
    assert.deepEqual(half.modes, [false, false], 'two batches of at most 2, both in eval mode');
    assert.equal(half.training, true);
    assert.deepEqual(a, Array.from(reconstructionScores(half.eval(), x, { batchSize: 256 }).toTypedArray()));
    assert.equal(half.training, false);
  });

  test('a conv auto-encoder scores [N, 1, 28, 28] images: [N] scores, equal to its reconstructions by hand, no gradient', () => {
    manualSeed(0);
    const ae = new ConvAutoEncoder({}, 'unpool');
    const imgs = rand([5, 1, 28, 28]);
    const s = reconstructionScores(ae, imgs, { batchSize: 2 });
    assert.deepEqual(s.shape, [5]);
    assert.equal(s.requiresGrad, false);
    const r = ae.reconstruct(imgs).sub(imgs).square().reshape([5, 784]).mean(1).toTypedArray();
    s.toTypedArray().forEach((v, i) => assert.ok(Math.abs(v - r[i]) < 1e-6, `${v} vs ${r[i]}`));
  });

  checkErrors('reconstructionScores', [
    ['not a tensor', () => reconstructionScores(half, [1, 2] as unknown as Tensor), ValueError, /^reconstructionScores: x must be a Tensor \[N, \.\.\.\], got object/],
    ['1-D input', () => reconstructionScores(half, tensor([1, 2])), ShapeError, /^reconstructionScores: x must be \[N, \.\.\.\] .* got shape \[2\]/],
    ['no samples', () => reconstructionScores(half, zeros([0, 3])), ShapeError, /got shape \[0, 3\]/],
    ['model changes the shape', () => reconstructionScores(new Fixed((v) => v.reshape([3, 4])), x), ShapeError, /must return reconstructions of the input's shape \[3, 2, 2\], got \[3, 4\]/],
    ['batch size 0', () => reconstructionScores(half, x, { batchSize: 0 }), ValueError, /^reconstructionScores: .*batchSize/],
    ['unknown score', () => reconstructionScores(half, x, { score: 'l1' as 'mse' }), ValueError, /^reconstructionScores: score must be 'mse' or 'relative', got "l1"/],
    ['relative score of an all-zero sample', () => reconstructionScores(half, tensor([[1, 1], [0, 0]]), { score: 'relative' }), ValueError, /sample 1 is all zeros/],
    ['all-zero sample in a later batch', () => reconstructionScores(half, tensor([[1, 1], [1, 1], [0, 0]]), { score: 'relative', batchSize: 2 }), ValueError, /sample 2 is all zeros/],
    ['reconstruction of another shape', () => scoreReconstructions(x, zeros([3, 4])), ShapeError, /^scoreReconstructions: reconstruction must have x's shape \[3, 2, 2\], got \[3, 4\]/],
    ['reconstruction not a tensor', () => scoreReconstructions(x, null as unknown as Tensor), ShapeError, /^scoreReconstructions: reconstruction must .* got object/],
    ['scoreReconstructions of a 1-D x', () => scoreReconstructions(tensor([1]), tensor([1])), ShapeError, /^scoreReconstructions: x must be \[N, \.\.\.\]/],
    ['scoreReconstructions: unknown score', () => scoreReconstructions(x, x, { score: 'max' as 'mse' }), ValueError, /^scoreReconstructions: score must be 'mse' or 'relative', got "max"/],
  ]);
});
