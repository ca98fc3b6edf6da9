/**
 * replaceHead: the zoo metadata names each model's final classifier, which is swapped for a fresh Linear of the
 * same input features; GoogLeNet's auxiliary classifiers follow; and the fine-tuning recipe (load matching
 * weights, replace the head, freeze the body) works end to end on LeNet-5.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, models, nn, noGrad, optim, F, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/**
 * One model per builder is built (AlexNet and the ImageNet VGGs take 10-20 s each here, for their 4096-wide fc
 * layers; the deeper ResNets and DenseNets seconds); the others share their builder's head, checked by name.
 */
const BUILT: readonly models.ModelName[] = ['logistic', 'mlp', 'lenet5', 'googlenet', 'resnet18', 'resnet50', 'densenet121', 'resnet20', 'plain20', 'vgg_cifar', 'densenet_bc'];
const FAMILY_HEAD: Record<string, string> = { alexnet: 'classifier.6', vgg: 'classifier.6', resnet: 'fc', plain: 'fc', densenet: 'classifier', nascnn: '-1' };

const values = (t: Tensor) => Array.from(t.toTypedArray());

describe('replaceHead', () => {
  test('every zoo entry names its head', () => {
    for (const n of models.modelNames()) {
      const family = /^[a-z]+/.exec(n)![0];
      if (!BUILT.includes(n)) assert.equal(models.modelEntry(n).head, FAMILY_HEAD[family], n);
    }
  });

  for (const name of BUILT) {
    test(`${name}: the head becomes a fresh Linear(inFeatures, 4) and the logits have 4 classes`, () => {
      manualSeed(0);
      const m = models.createModel(name, { numClasses: 7 }).eval();
      const e = models.modelEntry(name);
      const before = m.stateDict();
      const replaced = models.replaceHead(m, 4);
      const after = m.stateDict();
      assert.deepEqual(Object.keys(after), Object.keys(before), name);
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      const headKeys = replaced.flatMap((h) => Object.keys(before).filter((k) => k.startsWith(`${h}.`)));
      assert.deepEqual(changed.sort(), headKeys.sort(), name);
      const head = Object.fromEntries(m.namedModules())[replaced[0]] as nn.Linear;
      assert.ok(head instanceof nn.Linear, name);
      assert.equal(head.outFeatures, 4);
      assert.equal(m.stateDict()[`${replaced[0]}.weight`].shape[0], 4);
      if (e.head !== '-1') assert.equal(replaced[0], e.head);
      const size = Math.max(e.inputSize === 224 ? 32 : e.inputSize, name === 'googlenet' ? 15 : 0);
      const y = noGrad(() => m.forward(zeros([1, e.inChannels, size, size])));
      assert.deepEqual(y.shape, [1, 4], name);
    });
  }

  test('GoogLeNet: the auxiliary classifiers are replaced too, or skipped when the model has none', () => {
    manualSeed(1);
    const g = new models.GoogLeNet({ numClasses: 10 });
    assert.deepEqual(models.replaceHead(g, 3), ['fc', 'aux1.fc2', 'aux2.fc2']);
    const out = g.forwardWithAux(zeros([2, 3, 64, 64]));
    assert.deepEqual([out.logits.shape, out.aux1?.shape, out.aux2?.shape], [[2, 3], [2, 3], [2, 3]]);
    assert.equal(g.numClasses, 3);
    assert.deepEqual(models.replaceHead(new models.GoogLeNet({ auxLogits: false }), 3), ['fc']);
  });

  test('mlp\'s head is its last layer whatever its options; the new layer keeps the dtype and the bias setting', () => {
    const m = models.createModel('mlp', { hidden: [32], dropout: 0.5 }) as nn.Sequential;
    assert.deepEqual(models.replaceHead(m, 2), ['4']);
    const custom = new nn.Sequential(new nn.Flatten(), new nn.Linear(4, 3, { bias: false, dtype: 'float64' }), new nn.ReLU());
    assert.deepEqual(models.replaceHead(custom, 5, { head: '1' }), ['1']);
    const l = custom.at(1) as nn.Linear;
    assert.deepEqual([l.inFeatures, l.outFeatures, l.bias, l.weight.dtype], [4, 5, null, 'float64']);
  });

  test('a frozen model\'s new head trains; the helpers compose into the fine-tuning recipe', () => {
    manualSeed(2);
    const source = models.createModel('lenet5', { numClasses: 10 });
    const target = models.createModel('lenet5', { numClasses: 10 });
    const head = models.replaceHead(target, 4);
    const r = nn.loadMatching(target, source.stateDict());
    assert.deepEqual(r.misShaped.map((k) => k.key), ['11.weight', '11.bias']);
    assert.deepEqual(values(target.stateDict()['0.weight']), values(source.stateDict()['0.weight']));
    target.requiresGrad_(false);
    nn.unfreeze(target, head);
    assert.deepEqual(target.namedParameters().filter(([, p]) => p.requiresGrad).map(([n]) => n), ['11.weight', '11.bias']);
    const opt = optim.createOptimizer('adam', nn.paramGroupsByPrefix(target, { [head[0]]: 0.01 }));
    const conv = values(target.stateDict()['0.weight']);
    const x = randn([8, 1, 28, 28]);
    const yTrue = tensor([0, 1, 2, 3, 0, 1, 2, 3], { dtype: 'int32' });
    const first = F.crossEntropy(target.forward(x), yTrue).item();
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      F.crossEntropy(target.forward(x), yTrue).backward();
      opt.step();
    }
    assert.ok(F.crossEntropy(target.forward(x), yTrue).item() < first);
    assert.deepEqual(values(target.stateDict()['0.weight']), conv);
  });
});

checkErrors('replaceHead', [
  ['a path that does not exist', () => models.replaceHead(models.createModel('resnet20'), 3, { head: 'head' }), ValueError, /^replaceHead: head 'head': the model has no module 'head'; its children are conv1, bn1, relu, layer1, layer2, layer3, avgpool, fc$/],
  ['a nested path that does not exist', () => models.replaceHead(models.createModel('lenet5'), 3, { head: '11.x' }), ValueError, /^replaceHead: head '11.x': 11 has no module 'x'; its children are none$/],
  ['a head that is not a Linear', () => models.replaceHead(models.createModel('resnet20'), 3, { head: 'bn1' }), ValueError, /^replaceHead: the head 'bn1' must be a Linear, got a BatchNorm2d$/],
  ['a Sequential ending in an activation', () => models.replaceHead(new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()), 3), ValueError, /^replaceHead: the head '1' must be a Linear, got a ReLU$/],
  ['an index out of range', () => models.replaceHead(models.createModel('logistic'), 3, { head: '-3' }), ValueError, /^replaceHead: head '-3': the model has 2 children, so -3 is out of range$/],
  ['numClasses 0', () => models.replaceHead(models.createModel('lenet5'), 0), ValueError, /^replaceHead: numClasses must be a positive integer, got 0$/],
  ['a model of unknown layout', () => models.replaceHead(new nn.Linear(2, 2), 3), ValueError, /^replaceHead: cannot tell where the head of a Linear is; pass \{head: 'path.to.linear'\} or \{model: '<zoo name>'\}$/],
  ['an unknown zoo name', () => models.replaceHead(models.createModel('lenet5'), 3, { model: 'lenet' as 'lenet5' }), ValueError, /^unknown model 'lenet'; valid models: logistic, mlp, lenet5/],
]);
