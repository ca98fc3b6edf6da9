/**
 * GoogLeNet, the ResNets and the DenseNets against torchvision (AlexNet and VGG: parity-vgg.test.ts): parameter
 * counts (at 1000 classes; they do not depend on the image size), torchvision's state-dict keys and shapes, and
 * logits for formula-filled weights at 64x64, a size the architectures take, so the test runs in seconds.
 */
import { describe } from 'node:test';
import { parityTest } from './parity.js';

describe('GoogLeNet', () => {
  parityTest('googlenet');
  parityTest('googlenet/published');
});
describe('ResNet', () => {
  for (const d of [18, 34, 50, 101, 152]) parityTest(`resnet${d}`);
});
describe('DenseNet', () => {
  for (const d of [121, 161, 169, 201]) parityTest(`densenet${d}`);
});
