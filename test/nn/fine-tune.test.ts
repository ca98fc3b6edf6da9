/**
 * Fine-tuning by parameter name: loadStateDict's report of missing and unexpected keys, loading the part of a
 * state dict that fits, freezing by prefix, optimizer groups per prefix — and the bad inputs of each.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, ShapeError, ValueError, manualSeed, nn, optim, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** A small named model: body.0 (conv), body.1 (BN), layer1, layer10 and fc. */
class Net extends nn.Module {
  body = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2));
  layer1 = new nn.Linear(8, 4);
  layer10 = new nn.Linear(4, 4);
  fc: nn.Linear;
  constructor(classes = 3) {
    super();
    this.fc = new nn.Linear(4, classes);
  }
  forward(x: Tensor): Tensor {
    const y = this.body.forward(x).flatten(1);
    return this.fc.forward(this.layer10.forward(this.layer1.forward(y)).relu());
  }
}

const values = (t: Tensor) => Array.from(t.toTypedArray());
const same = (a: Tensor, b: Tensor) => assert.deepEqual(values(a), values(b));

describe('loadStateDict', () => {
  test('returns the missing and unexpected keys, as PyTorch does; none when strict', () => {
    manualSeed(0);
    const a = new Net();
    assert.deepEqual(a.loadStateDict(new Net().stateDict()), { missingKeys: [], unexpectedKeys: [] });
    const { 'fc.bias': _drop, ...partial } = new Net().stateDict();
    const r = a.loadStateDict({ ...partial, 'extra.weight': zeros([2]) }, { strict: false });
    assert.deepEqual(r, { missingKeys: ['fc.bias'], unexpectedKeys: ['extra.weight'] });
    same(a.layer1.weight, partial['layer1.weight']);
  });

  test('a state dict with missing, unexpected or mis-shaped keys is refused listing them, and nothing loads', () => {
    manualSeed(1);
    const a = new Net();
    const before = values(a.layer1.weight);
    const { 'fc.bias': _drop, ...partial } = new Net().stateDict();
    assert.throws(() => a.loadStateDict({ ...partial, 'extra.weight': zeros([2]) }), (e: unknown) => e instanceof ValueError
      && /^loadStateDict: the state does not fit Net: missing keys: fc.bias; unexpected keys: extra.weight$/.test(e.message));
    assert.throws(() => a.loadStateDict(new Net(5).stateDict(), { strict: false }), (e: unknown) => e instanceof ShapeError
      && /mis-shaped keys: fc.weight: expected shape \[3, 4\], got \[5, 4\]; fc.bias: expected shape \[3\], got \[5\]/.test(e.message));
    assert.deepEqual(values(a.layer1.weight), before);
  });
});

describe('loadMatching', () => {
  test('loads the keys whose names and shapes match (a replaced head) and reports what it skipped', () => {
    manualSeed(2);
    const src = new Net(10);
    const dst = new Net(3);
    const headBefore = values(dst.fc.weight);
    const { 'layer10.bias': _drop, ...state } = src.stateDict();
    const r = nn.loadMatching(dst, { ...state, 'old.head.weight': zeros([1]) });
    assert.deepEqual(r.misShaped, [{ key: 'fc.weight', expected: [3, 4], got: [10, 4] }, { key: 'fc.bias', expected: [3], got: [10] }]);
    assert.deepEqual(r.missingKeys, ['layer10.bias']);
    assert.deepEqual(r.unexpectedKeys, ['old.head.weight']);
    assert.ok(r.loaded.includes('body.1.running_mean') && r.loaded.includes('layer1.weight') && !r.loaded.includes('fc.weight'));
    same(dst.layer1.weight, src.layer1.weight);
    same(dst.body.at(1).stateDict().running_var, src.body.at(1).stateDict().running_var);
    assert.deepEqual(values(dst.fc.weight), headBefore);
    assert.notDeepEqual(values(dst.layer10.bias!), values(src.layer10.bias!));
  });
});

describe('freeze and unfreeze', () => {
  test('freeze sets requiresGrad false under the prefixes (at dots only) and returns the names', () => {
    const m = new Net();
    assert.deepEqual(nn.freeze(m, ['body', 'layer1']), ['body.0.weight', 'body.0.bias', 'body.1.weight', 'body.1.bias', 'layer1.weight', 'layer1.bias']);
    assert.equal(m.layer10.weight.requiresGrad, true);
    assert.equal(m.parameterCount({ trainableOnly: true }), 4 * 4 + 4 + 4 * 3 + 3);
    assert.deepEqual(nn.freeze(m, 'fc.bias'), ['fc.bias']);
    assert.deepEqual(nn.unfreeze(m, ['body.0', 'fc.']), ['body.0.weight', 'body.0.bias', 'fc.weight', 'fc.bias']);
    assert.equal(m.body.at(0).parameters()[0].requiresGrad, true);
    assert.equal(m.layer1.weight.requiresGrad, false);
  });

  test('frozen parameters get no gradient and an optimizer leaves them as they are', () => {
    manualSeed(3);
    const m = new Net();
    nn.freeze(m, ['body', 'layer1']);
    const before = values(m.layer1.weight);
    const opt = optim.createOptimizer('sgd', m.parameters(), { lr: 0.1 });
    const loss = F.crossEntropy(m.forward(randn([4, 1, 4, 4])), tensor([0, 1, 2, 0], { dtype: 'int32' }));
    loss.backward();
    assert.equal(m.layer1.weight.grad, null);
    assert.notEqual(m.fc.weight.grad, null);
    const fcBefore = values(m.fc.weight);
    opt.step();
    assert.deepEqual(values(m.layer1.weight), before);
    assert.notDeepEqual(values(m.fc.weight), fcBefore);
  });
});

describe('paramGroupsByPrefix', () => {
  test('one group per prefix with its lr, the rest at the base lr, frozen parameters left out', () => {
    const m = new Net();
    nn.freeze(m, 'body');
    const groups = nn.paramGroupsByPrefix(m, { fc: 0.01, layer1: { lr: 0.5, weightDecay: 0.1 } }, { lr: 0.001 });
    assert.deepEqual(groups.map(({ params, ...h }) => [params.length, h]), [[2, { lr: 0.01 }], [2, { lr: 0.5, weightDecay: 0.1 }], [2, { lr: 0.001 }]]);
    assert.deepEqual(groups[0].params, [m.fc.weight, m.fc.bias]);
    assert.deepEqual(groups[2].params, [m.layer10.weight, m.layer10.bias]);
    const opt = optim.createOptimizer('sgd', groups, { lr: 0.001 });
    assert.deepEqual(opt.paramGroups.map((g) => [g.lr, g.weightDecay]), [[0.01, 0], [0.5, 0.1], [0.001, 0]]);
  });

  test('the longer prefix wins; no rest group when every parameter is taken; no base means the optimizer\'s lr', () => {
    const m = new Net();
    nn.freeze(m, ['body', 'layer1']);
    const groups = nn.paramGroupsByPrefix(m, { 'fc': 0.1, 'fc.bias': 0.2, 'layer10': 0.3 });
    assert.deepEqual(groups.map((g) => [g.params, g.lr]), [[[m.fc.weight], 0.1], [[m.fc.bias], 0.2], [[m.layer10.weight, m.layer10.bias], 0.3]]);
    const rest = nn.paramGroupsByPrefix(new Net(), { fc: 0.1 });
    assert.deepEqual(Object.keys(rest[1]), ['params']);
    assert.equal(optim.createOptimizer('adam', rest).paramGroups[1].lr, 0.001);
    const m2 = new Net();
    nn.freeze(m2, ['body', 'layer1', 'layer10']);
    const all = nn.paramGroupsByPrefix(m2, {}, { lr: 0.1 });
    assert.deepEqual(all, [{ lr: 0.1, params: [m2.fc.weight, m2.fc.bias] }]);
  });
});

const frozenBody = () => {
  const m = new Net();
  nn.freeze(m, 'body');
  return m;
};
const allFrozen = () => new Net().requiresGrad_(false);
checkErrors('fine-tuning helpers', [
  ['freeze: a prefix matching nothing', () => nn.freeze(new Net(), ['features', 'body']), ValueError, /^freeze: prefix 'features' matches no parameter of Net; its top-level parameter prefixes are body, layer1, layer10, fc$/],
  ['freeze: a prefix is not a whole name part', () => nn.freeze(new Net(), 'layer'), ValueError, /^freeze: prefix 'layer' matches no parameter of Net; its top-level/],
  ['freeze: no prefixes', () => nn.freeze(new Net(), []), ValueError, /^freeze: prefixes must be a non-empty list of parameter name prefixes, got \[\]/],
  ['freeze: an empty prefix', () => nn.freeze(new Net(), ['fc', '']), ValueError, /^freeze: prefixes\[1\] must be a non-empty string, got ""/],
  ['freeze: not a module', () => nn.freeze({} as nn.Module, 'fc'), ValueError, /^freeze: model must be a Module, got object/],
  ['unfreeze: a prefix matching nothing', () => nn.unfreeze(new Net(), 'head'), ValueError, /^unfreeze: prefix 'head' matches no parameter of Net; its top-level parameter prefixes are body, layer1, layer10, fc$/],
  ['loadMatching: nothing fits', () => nn.loadMatching(new Net(), new nn.Linear(2, 2).stateDict()), ValueError, /^loadMatching: no key of the state dict fits Net by name and shape; the model's keys: body.0.weight, .*, \.\.\. \(13\); the state's keys: weight, bias$/],
  ['loadMatching: only mis-shaped keys', () => nn.loadMatching(new nn.Linear(4, 3), new nn.Linear(4, 5).stateDict()), ValueError, /mis-shaped: weight \[5, 4\] \(expected \[3, 4\]\), bias \[5\] \(expected \[3\]\)$/],
  ['loadMatching: a value is not a tensor', () => nn.loadMatching(new Net(), { 'fc.weight': [1, 2] as unknown as Tensor }), ValueError, /^loadMatching: state values must be tensors; not tensors: fc.weight$/],
  ['groups: a prefix matching nothing', () => nn.paramGroupsByPrefix(new Net(), { classifier: 0.1 }), ValueError, /^paramGroupsByPrefix: prefix 'classifier' matches no parameter of Net; its top-level parameter prefixes are body, layer1, layer10, fc$/],
  ['groups: a prefix matching only frozen parameters', () => nn.paramGroupsByPrefix(frozenBody(), { body: 0.1 }), ValueError, /^paramGroupsByPrefix: prefix 'body' matches only frozen parameters/],
  ['groups: a prefix emptied by longer ones', () => nn.paramGroupsByPrefix(new Net(), { fc: 0.1, 'fc.weight': 0.2, 'fc.bias': 0.3 }), ValueError, /^paramGroupsByPrefix: prefix 'fc' gets no parameter: its trainable ones all fall under longer prefixes/],
  ['groups: every parameter frozen', () => nn.paramGroupsByPrefix(allFrozen(), { fc: 0.1 }), ValueError, /^paramGroupsByPrefix: every parameter of Net is frozen; unfreeze some first/],
  ['groups: a negative lr', () => nn.paramGroupsByPrefix(new Net(), { fc: -1 }), ValueError, /^paramGroupsByPrefix: the lr of prefix 'fc' must be a number >= 0, got -1/],
  ['groups: base with params', () => nn.paramGroupsByPrefix(new Net(), { fc: 0.1 }, { params: [] }), ValueError, /^paramGroupsByPrefix: base must be an object of group options such as \{lr: 0.001\}/],
]);
