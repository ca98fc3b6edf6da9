/**
 * The vision zoo's registry (names, metadata, typed options), its models' behaviour beyond parity (GoogLeNet's
 * auxiliary classifiers in training, the AlexNet/GoogLeNet paper variants), bad inputs, and `shendu summary`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, manualSeed, models, nn, noGrad, zeros } from '../../src/index.js';
import { formulaState, zoo } from './zoo-weights.js';

const TORCHVISION = [
  'alexnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn', 'googlenet',
  'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'densenet121', 'densenet161', 'densenet169', 'densenet201',
];
const CIFAR = ['resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'plain20', 'plain32', 'plain44', 'plain56', 'plain110', 'vgg_cifar', 'densenet_bc'];

// the structural tests build without drawing initial weights (nn.utils.skipInit): they look at shapes, counts and
// errors, and drawing AlexNet's or GoogLeNet's millions of weights only cost time
describe('registry', () => {
  test('has torchvision\'s names, the CIFAR nets, and keeps logistic, mlp and lenet5', () => {
    const names = models.modelNames();
    for (const n of [...TORCHVISION, ...CIFAR, 'logistic', 'mlp', 'lenet5']) assert.ok(names.includes(n as models.ModelName), n);
  });

  test('every entry carries its metadata', () => {
    for (const n of models.modelNames()) {
      const e = models.modelEntry(n);
      assert.ok(e.description.length > 10 && e.paper.length > 5, n);
      if (e.head === undefined) continue; // auto-encoders and generators (issue 14) have their own tasks and tests
      assert.equal(e.task, 'classification', n);
      const [c, s, k] = TORCHVISION.includes(n) ? [3, 224, 1000] : CIFAR.includes(n) ? [3, 32, 10] : [1, 28, 10];
      assert.deepEqual([e.inChannels, e.inputSize, e.numClasses], [c, s, k], n);
      if (c === 3) assert.equal(e.normalization?.mean.length, 3, n);
    }
    assert.deepEqual(models.modelEntry('resnet50').normalization, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  });

  test('numClasses and inChannels reach the first and last layers', () => {
    manualSeed(0);
    for (const n of ['resnet18', 'densenet121', 'googlenet', 'alexnet', 'resnet20', 'densenet_bc'] as const) {
      const m = nn.utils.skipInit(() => models.createModel(n, { numClasses: 7, inChannels: 1 })).eval();
      const y = noGrad(() => m.forward(zeros([2, 1, 64, 64])));
      assert.deepEqual(y.shape, [2, 7], n);
    }
  });

  test('the variants: AlexNet with LRN, GoogLeNet with 5x5 branches, ResNet-20 with projection shortcuts', () => {
    const original = nn.utils.skipInit(() => models.createModel('alexnet', { variant: 'original' }));
    assert.equal(original.parameterCount(), 62378344);
    assert.equal(original.modules().filter((m) => m instanceof nn.LocalResponseNorm).length, 2);
    assert.equal(nn.utils.skipInit(() => models.createModel('googlenet', { auxLogits: false })).parameterCount(), 6624904);
    const paper = nn.utils.skipInit(() => models.createModel('googlenet', { auxLogits: false, variant: 'paper' }));
    assert.deepEqual(paper.stateDict()['inception3a.branch3.1.conv.weight'].shape, [32, 16, 5, 5]);
    assert.equal(models.createModel('resnet20', { shortcut: 'B' }).parameterCount(), 272474);
  });

  test('GoogLeNet: auxiliary logits in training only, and none without them', () => {
    manualSeed(1);
    const g = nn.utils.skipInit(() => new models.GoogLeNet({ numClasses: 5 }));
    const x = zeros([2, 3, 64, 64]);
    const train = g.forwardWithAux(x);
    assert.deepEqual([train.logits.shape, train.aux1?.shape, train.aux2?.shape], [[2, 5], [2, 5], [2, 5]]);
    g.eval();
    const ev = noGrad(() => g.forwardWithAux(x));
    assert.equal(ev.aux1, null);
    assert.equal(ev.aux2, null);
    const noAux = nn.utils.skipInit(() => new models.GoogLeNet({ numClasses: 5, auxLogits: false }));
    assert.equal(noAux.forwardWithAux(x).aux1, null);
    assert.ok(!Object.keys(noAux.stateDict()).some((k) => k.startsWith('aux')));
  });
});

describe('bad input', () => {
  test('wrong channels or a too-small image name what the model takes', () => {
    const r = nn.utils.skipInit(() => models.createModel('resnet18'));
    assert.throws(() => r.forward(zeros([1, 1, 224, 224])), new ShapeError('resnet18: input must be [N, 3, H, W] with H, W >= 1, got shape [1, 1, 224, 224]'));
    assert.throws(() => r.forward(zeros([3, 224, 224])), /resnet18: input must be \[N, 3, H, W\]/);
    assert.throws(() => nn.utils.skipInit(() => models.createModel('alexnet')).forward(zeros([1, 3, 32, 32])), new ShapeError('alexnet: input must be [N, 3, H, W] with H, W >= 63, got shape [1, 3, 32, 32]'));
    assert.throws(() => nn.utils.skipInit(() => models.createModel('densenet121')).forward(zeros([1, 3, 28, 28])), /densenet121: .*H, W >= 29, got shape \[1, 3, 28, 28\]/);
    assert.throws(() => models.createModel('vgg_cifar').forward(zeros([1, 3, 64, 64])), new ShapeError('vgg_cifar: input must be [N, 3, 32, 32], got shape [1, 3, 64, 64]'));
  });

  // torchvision's smallest sizes too (one pixel less fails there; GoogLeNet's ceil-mode pools at 15 see windows
  // larger than their input, as in torch)
  test('the smallest images the architectures take run, and one pixel less is refused', () => {
    manualSeed(2);
    for (const [n, size] of [['alexnet', 63], ['googlenet', 15], ['densenet121', 29], ['resnet18', 1], ['resnet20', 1], ['densenet_bc', 4]] as const) {
      const m = nn.utils.skipInit(() => models.createModel(n, { numClasses: 3 })).eval();
      assert.deepEqual(noGrad(() => m.forward(zeros([1, 3, size, size]))).shape, [1, 3], n);
      if (size > 1) assert.throws(() => m.forward(zeros([1, 3, size - 1, size - 1])), new RegExp(`${n}: input must be \\[N, 3, H, W\\] with H, W >= ${size}`), n);
    }
  });

  test('bad options are refused with the option named', () => {
    assert.throws(() => models.createModel('resnet50', { numClasses: 0 }), new ValueError('resnet50: option numClasses must be a positive integer, got 0'));
    assert.throws(() => models.createModel('alexnet', { dropout: 1.5 }), /alexnet: option dropout must be in \[0, 1\), got 1.5/);
    assert.throws(() => new models.CifarResNet(21, false), /resnet21: depth must be 6n \+ 2/);
    assert.throws(() => models.createModel('resnet20', { shortcut: 'C' as 'A' }), /option shortcut must be 'A' or 'B', got 'C'/);
    assert.throws(() => models.createModel('densenet_bc', { depth: 50 }), /densenet_bc: depth - 4 must be a positive multiple of 6/);
    assert.throws(() => models.createModel('vgg_cifar', { depth: 12 as 11 }), /vgg_cifar: option depth must be 11, 13, 16 or 19, got 12/);
    assert.throws(() => models.createModel('googlenet', { inChannels: 1, transformInput: true }), new ValueError('googlenet: option transformInput needs 3 input channels, got inChannels 1'));
    assert.throws(() => models.createModel('resnet1000' as 'resnet18'), /unknown model 'resnet1000'; valid models: logistic, mlp, lenet5, alexnet/);
  });

  test('a torchvision state dict with a missing or mis-shaped key is refused, listing the keys, and nothing loads', () => {
    const m = models.createModel('resnet18', { numClasses: 10 });
    const state = formulaState(nn.utils.skipInit(() => models.createModel('resnet18', { numClasses: 10 })));
    delete state['layer1.0.bn1.running_var'];
    const before = Array.from(m.stateDict()['conv1.weight'].toTypedArray().slice(0, 4));
    assert.throws(() => m.loadStateDict(state), /missing keys: layer1\.0\.bn1\.running_var/);
    const big = formulaState(nn.utils.skipInit(() => models.createModel('resnet18')));
    assert.throws(() => m.loadStateDict(big), new ShapeError('loadStateDict: the state does not fit ResNet: mis-shaped keys: fc.weight: expected shape [10, 512], got [1000, 512]; fc.bias: expected shape [10], got [1000]'));
    assert.deepEqual(Array.from(m.stateDict()['conv1.weight'].toTypedArray().slice(0, 4)), before);
  });
});

describe('summary', () => {
  test("ResNet-152 and VGG-19 at 224x224: torchvision's multiply-adds (11.51 and 19.63 billion) and parameters", () => {
    for (const [n, params] of [['resnet152', 60192808], ['vgg19', 143667240]] as const) {
      const s = nn.summary(nn.utils.skipInit(() => models.createModel(n)), [1, 3, 224, 224]);
      assert.equal(s.totalParams, params, n);
      assert.equal(s.totalMultAdds, zoo.multAdds224[n], n);
    }
    assert.equal(Math.round(zoo.multAdds224.resnet152 / 1e7) / 100, 11.51);
    assert.equal(Math.round(zoo.multAdds224.vgg19 / 1e7) / 100, 19.63);
  });

  test('shendu summary uses the model\'s input unless --input-size, --in-channels, --num-classes say otherwise', () => {
    const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
    const run = (...a: string[]) => spawnSync(process.execPath, [cli, 'summary', ...a], { encoding: 'utf8' });
    const plain = run('resnet20');
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^resnet20: ResNet-20 for 32x32 images/);
    assert.match(plain.stdout, /Total params: 269,722\n/);
    assert.match(plain.stdout, /Input shape: \[1, 3, 32, 32\]/);
    assert.match(plain.stdout, /fc \(Linear\)\s+\[1, 10\]\s+650\s+640\n/);
    const custom = run('resnet18', '--input-size', '64', '--in-channels', '1', '--num-classes', '7');
    assert.equal(custom.status, 0, custom.stderr);
    assert.match(custom.stdout, /Input shape: \[1, 1, 64, 64\]/);
    assert.match(custom.stdout, /fc \(Linear\)\s+\[1, 7\]\s+3,591\s+3,584\n/);
    const small = run('alexnet', '--input-size', '32');
    assert.equal(small.status, 1);
    assert.match(small.stderr, /alexnet: input must be \[N, 3, H, W\] with H, W >= 63, got shape \[1, 3, 32, 32\]/);
  });
});
