/**
 * LeNet-5's dropout option: at 0 (the default) the network is the plain LeNet-5 — same layers, weight names and
 * outputs — so old checkpoints load; above 0 Dropout follows the two hidden fully connected layers, acts only in
 * training mode, and the zoo's head metadata still finds the classifier.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, models, nn, noGrad, randn } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

describe('lenet5 dropout', () => {
  test('dropout 0 builds the plain LeNet-5: same weight names and, from one seed, the same outputs', () => {
    manualSeed(3);
    const plain = models.lenet5();
    manualSeed(3);
    const zero = models.lenet5({ dropout: 0 });
    assert.deepEqual(Object.keys(zero.stateDict()), Object.keys(plain.stateDict()));
    assert.equal(Object.keys(plain.stateDict()).at(-1), '11.bias');
    const x = randn([2, 1, 28, 28]);
    assert.deepEqual(Array.from(zero.forward(x).toTypedArray()), Array.from(plain.forward(x).toTypedArray()));
  });

  test('dropout > 0 puts Dropout after the 120- and 84-unit layers; eval mode is deterministic, training mode is not', () => {
    manualSeed(0);
    const net = models.lenet5({ dropout: 0.5 });
    const kinds = net.namedChildren().map(([, m]) => m.constructor.name);
    assert.deepEqual(kinds.slice(7), ['Linear', 'ReLU', 'Dropout', 'Linear', 'ReLU', 'Dropout', 'Linear']);
    const x = randn([4, 1, 28, 28]);
    net.eval();
    const a = noGrad(() => net.forward(x).toTypedArray());
    const b = noGrad(() => net.forward(x).toTypedArray());
    assert.deepEqual(Array.from(a), Array.from(b));
    net.train();
    const c = noGrad(() => net.forward(x).toTypedArray());
    assert.notDeepEqual(Array.from(c), Array.from(a));
  });

  test('the zoo entry builds it by option and replaceHead finds the last Linear', () => {
    const net = models.createModel('lenet5', { dropout: 0.3, numClasses: 10 });
    assert.deepEqual(models.replaceHead(net, 4, { model: 'lenet5' }), ['13']);
    assert.deepEqual(models.replaceHead(models.createModel('lenet5'), 4, { model: 'lenet5' }), ['11']);
    assert.ok((net as nn.Sequential).namedChildren().at(-1)![1] instanceof nn.Linear);
  });
});

checkErrors('lenet5 dropout', [
  ['dropout 1', () => models.lenet5({ dropout: 1 }), ValueError, /^lenet5: dropout must be a number in \[0, 1\), got 1$/],
  ['negative dropout', () => models.lenet5({ dropout: -0.1 }), ValueError, /^lenet5: dropout must be a number in \[0, 1\), got -0.1$/],
  ['dropout NaN', () => models.lenet5({ dropout: NaN }), ValueError, /^lenet5: dropout must be a number in \[0, 1\), got NaN$/],
]);
