/**
 * AlexNet and VGG-11/13/16/19 (with and without batch norm) against torchvision: parameter counts, state-dict keys
 * and shapes, and logits for formula-filled weights at 64x64 (AlexNet) and 32x32 (VGG-11, VGG-19 with batch norm).
 * Their 120M-parameter classifiers make a logits check cost a few seconds per model on an idle 2-core machine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parityTest } from './parity.js';
import { zoo } from './zoo-weights.js';

// logits of the shallowest and the deepest VGG, with and without batch norm: the four depths share the forward
// code and differ only in the layer list, which the state-dict keys pin down (features.N counts ReLUs and pools)
const LOGITS = ['alexnet', 'vgg11', 'vgg19_bn'];
const STRUCTURE = ['vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19'];

describe('AlexNet and VGG', () => {
  test('every AlexNet and VGG fixture case is checked, by logits or by structure', () => {
    const cases = zoo.cases.map((c) => c.name).filter((n) => /^(alexnet|vgg\d)/.test(n)).sort();
    assert.deepEqual(cases, [...LOGITS, ...STRUCTURE].sort());
  });
  for (const n of LOGITS) parityTest(n);
  for (const n of STRUCTURE) parityTest(n, { logits: false });
});
