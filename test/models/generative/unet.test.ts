/**
 * U-Net (src/models/generative/unet.ts): output size = input size for multiples of 2^depth with both upsampling
 * modes, parameter names and counts, gradients that reach the input through the skip connections (gradcheck in
 * float64, and a network whose deep path is cut off still depends on its input), the zoo entry, bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, gradcheck, manualSeed, models, noGrad, randn, zeros } from '../../../src/index.js';
import { UNet } from '../../../src/models/generative/unet.js';
import { checkErrors } from '../../helpers/check-errors.js';

describe('UNet', () => {
  for (const upsample of ['transpose', 'bilinear'] as const) {
    test(`${upsample}: [N, C, H, W] -> [N, K, H, W] for depths 1-3 and non-square sizes`, () => {
      manualSeed(0);
      for (const [depth, h, w] of [[1, 6, 10], [2, 8, 12], [3, 16, 8]]) {
        const m = new UNet({ inChannels: 2, numClasses: 3, depth, baseWidth: 4, upsample }).eval();
        const y = noGrad(() => m.forward(randn([2, 2, h, w])));
        assert.deepEqual(y.shape, [2, 3, h, w], `depth ${depth}`);
      }
    });
  }

  test('parameter names and counts: widths double per level, transposed convs halve the channels', () => {
    const m = new UNet({ inChannels: 1, numClasses: 2, depth: 1, baseWidth: 4, batchNorm: false });
    const shapes = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
    assert.deepEqual(shapes, {
      'inc.conv.0.weight': [4, 1, 3, 3], 'inc.conv.0.bias': [4], 'inc.conv.2.weight': [4, 4, 3, 3], 'inc.conv.2.bias': [4],
      'downs.0.conv.conv.0.weight': [8, 4, 3, 3], 'downs.0.conv.conv.0.bias': [8], 'downs.0.conv.conv.2.weight': [8, 8, 3, 3], 'downs.0.conv.conv.2.bias': [8],
      'ups.0.up.weight': [8, 4, 2, 2], 'ups.0.up.bias': [4],
      'ups.0.conv.conv.0.weight': [4, 8, 3, 3], 'ups.0.conv.conv.0.bias': [4], 'ups.0.conv.conv.2.weight': [4, 4, 3, 3], 'ups.0.conv.conv.2.bias': [4],
      'outc.weight': [2, 4, 1, 1], 'outc.bias': [2],
    });
    // bilinear keeps the 8 channels, so the first decoder conv sees 4 + 8
    const b = new UNet({ depth: 1, baseWidth: 4, upsample: 'bilinear', batchNorm: false });
    assert.deepEqual(b.stateDict()['ups.0.conv.conv.0.weight'].shape, [4, 12, 3, 3]);
    assert.equal(models.createModel('unet').parameterCount(), 117243);
  });

  test('gradcheck in float64 through pooling, upsampling and the skip concatenation (both modes)', () => {
    for (const upsample of ['transpose', 'bilinear'] as const) {
      manualSeed(3);
      const m = new UNet({ inChannels: 1, numClasses: 2, depth: 1, baseWidth: 2, upsample, batchNorm: false }).double();
      const x = randn([1, 1, 4, 4], { dtype: 'float64' }).requiresGrad_();
      assert.ok(gradcheck((t) => m.forward(t), [x], { atol: 1e-5, rtol: 1e-3 }), upsample);
    }
  });

  test('the skip path carries the input: with the deep path zeroed the output still varies, and every parameter gets a gradient', () => {
    manualSeed(4);
    const m = new UNet({ depth: 2, baseWidth: 4, numClasses: 3 });
    const x = randn([2, 1, 8, 8]);
    m.forward(x).square().mean().backward();
    for (const [name, p] of m.namedParameters()) {
      assert.ok(p.grad !== null && Array.from(p.grad.toTypedArray()).some((v) => v !== 0), `${name} has a gradient`);
    }
    const cut = new UNet({ depth: 2, baseWidth: 4, numClasses: 3, batchNorm: false }).eval();
    noGrad(() => { for (const [name, p] of cut.namedParameters()) if (name.startsWith('downs.')) p.zero_(); });
    const a = noGrad(() => cut.forward(randn([1, 1, 8, 8]))).toTypedArray();
    const b = noGrad(() => cut.forward(randn([1, 1, 8, 8]))).toTypedArray();
    assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-6), 'the output depends on the input through the skips alone');
  });

  test('zoo entry: unet, segmentation task, 1 channel, 28x28, 11 classes, no head; options reach the network', () => {
    const e = models.modelEntry('unet');
    assert.deepEqual([e.task, e.inChannels, e.inputSize, e.numClasses, e.head], ['segmentation', 1, 28, 11, undefined]);
    const m = models.createModel('unet', { upsample: 'bilinear', baseWidth: 8 }) as UNet;
    assert.deepEqual([m.depth, m.baseWidth, m.numClasses, m.upsample], [2, 8, 11, 'bilinear']);
    assert.deepEqual(noGrad(() => m.eval().forward(zeros([1, 1, 28, 28]))).shape, [1, 11, 28, 28]);
  });
});

checkErrors('UNet', [
  ['size not a multiple of 2^depth names the sizes that work', () => new UNet({ depth: 3, baseWidth: 2 }).forward(zeros([1, 1, 28, 28])), ShapeError,
    /^UNet\.forward: input height 28 and width 28 are not multiples of 2\^3 = 8 \(depth 3\); sizes that work are multiples of 8 \(e\.g\. 24, 32\).*depth <= 2/],
  ['one odd side', () => new UNet({ depth: 1, baseWidth: 2 }).forward(zeros([1, 1, 8, 7])), ShapeError, /^UNet\.forward: input width 7 is not a multiple of 2\^1 = 2/],
  ['inputSize option checked', () => new UNet({ depth: 2, inputSize: 30 }), ShapeError, /^UNet: option inputSize 30 is not a multiple of 2\^2 = 4/],
  ['3-D input', () => new UNet({ depth: 1, baseWidth: 2 }).forward(zeros([1, 8, 8])), ShapeError, /^UNet\.forward: input must be \[N, 1, H, W\], got shape \[1, 8, 8\]/],
  ['wrong channels', () => new UNet({ depth: 1, baseWidth: 2 }).forward(zeros([1, 3, 8, 8])), ShapeError, /input must be \[N, 1, H, W\], got shape \[1, 3, 8, 8\]/],
  ['depth 0', () => new UNet({ depth: 0 }), ValueError, /^UNet: option depth must be a positive integer, got 0/],
  ['unknown upsample', () => new UNet({ upsample: 'nearest' as 'bilinear' }), ValueError, /^UNet: option upsample must be 'transpose' or 'bilinear', got "nearest"/],
  ['batchNorm not boolean', () => new UNet({ batchNorm: 1 as unknown as boolean }), ValueError, /option batchNorm must be a boolean, got 1/],
]);
