/**
 * AlexNet and VGG-11/13/16/19 (with and without batch norm) against torchvision: parameter counts, state-dict keys
 * and shapes, and logits for formula-filled weights at 64x64 (AlexNet) and 32x32 (VGG). Their 120M-parameter
 * classifiers make this the slowest zoo test (a few seconds per model on an idle 2-core machine).
 */
import { describe } from 'node:test';
import { parityTest } from './parity.js';

describe('AlexNet and VGG', () => {
  for (const n of ['alexnet', 'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn']) parityTest(n);
});
