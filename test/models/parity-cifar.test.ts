/**
 * The CIFAR nets against PyTorch twins built from torchvision's blocks (tools/make_zoo_fixtures.py), at 32x32:
 * parameter counts, keys and logits; and the parameter counts against He et al. 2016, Table 6.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { decodeSafetensors, models, noGrad } from '../../src/index.js';
import { parityTest } from './parity.js';
import { relDiff, zooInput } from './zoo-weights.js';

describe('CIFAR ResNets and plain nets', () => {
  for (const d of [20, 32, 44, 56, 110]) parityTest(`resnet${d}`);
  parityTest('resnet20/B');
  for (const d of [20, 32, 44, 56, 110]) parityTest(`plain${d}`);

  test("parameter counts are the paper's (0.27M, 0.46M, 0.66M, 0.85M, 1.7M), option A adding none", () => {
    const paper: Record<number, number> = { 20: 0.27, 32: 0.46, 44: 0.66, 56: 0.85, 110: 1.7 };
    for (const [d, m] of Object.entries(paper)) {
      const n = models.createModel(`resnet${d}` as 'resnet20').parameterCount();
      const rounded = Number(d) === 110 ? Math.round(n / 1e5) / 10 : Math.round(n / 1e4) / 100;
      assert.equal(rounded, m, `resnet${d}: ${n}`);
      assert.equal(models.createModel(`plain${d}` as 'plain20').parameterCount(), n, `plain${d}`);
    }
  });
});

describe('VGG and DenseNet-BC for 32x32', () => {
  parityTest('vgg_cifar');
  parityTest('densenet_bc');
  test('DenseNet-BC (L=100, k=12) has the paper\'s 0.8M parameters', () => {
    assert.equal(Math.round(models.createModel('densenet_bc').parameterCount() / 1e5) / 10, 0.8);
  });
});

describe('a PyTorch state dict as a file', () => {
  test('ResNet-20 saved by PyTorch as safetensors (float16 weights, int64 counters) loads and gives its logits', () => {
    const file = new URL('../../../test/fixtures/models/resnet20.safetensors', import.meta.url);
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(file)), { source: 'resnet20.safetensors' });
    const model = models.createModel('resnet20');
    model.loadStateDict(tensors);
    model.eval();
    assert.equal(model.stateDict()['layer1.0.bn1.num_batches_tracked'].item(), 7);
    const y = noGrad(() => model.forward(zooInput(Number(metadata.inputSize))));
    const want = metadata.logits.split(',').map(Number);
    const d = relDiff(Array.from(y.toTypedArray(), Number), want);
    assert.ok(d < 1e-3, `logits differ by ${d}`);
  });
});
