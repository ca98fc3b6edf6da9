/**
 * The ImageNet zoo against torchvision: parameter counts (at 1000 classes; they do not depend on the image size),
 * torchvision's state-dict keys and shapes, and logits for formula-filled weights at 64x64 (32x32 for VGG),
 * sizes the architectures take, so the test runs in seconds.
 */
import { describe } from 'node:test';
import { parityTest } from './parity.js';

describe('AlexNet and VGG', () => {
  for (const n of ['alexnet', 'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn']) parityTest(n);
});
describe('GoogLeNet', () => parityTest('googlenet'));
describe('ResNet', () => {
  for (const d of [18, 34, 50, 101, 152]) parityTest(`resnet${d}`);
});
describe('DenseNet', () => {
  for (const d of [121, 161, 169, 201]) parityTest(`densenet${d}`);
});
