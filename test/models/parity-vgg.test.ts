/**
 * AlexNet and VGG-11/13/16/19 (with and without batch norm) against torchvision: parameter counts, state-dict keys
 * and shapes, and logits for formula-filled weights at 64x64 (AlexNet) and 32x32 (VGG-11, VGG-19 with batch norm).
 * Their 120M-parameter classifiers make a logits check cost a few seconds per model on an idle 2-core machine.
 */
import { describe } from 'node:test';
import { parityTest } from './parity.js';

describe('AlexNet and VGG', () => {
  // logits of the shallowest and the deepest VGG, with and without batch norm: the four depths share the forward
  // code and differ only in the layer list, which the state-dict keys pin down (features.N counts ReLUs and pools)
  for (const n of ['alexnet', 'vgg11', 'vgg19_bn']) parityTest(n);
  for (const n of ['vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19']) parityTest(n, { logits: false });
});
