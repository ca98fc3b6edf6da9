/**
 * One parity check of a zoo model against its fixture: parameter count, state-dict keys and shapes (hash of
 * torchvision's), and float32 logits within 1e-3 of torchvision's (relative to their largest) in eval mode.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noGrad } from '../../src/index.js';
import { buildCase, keysHash, relDiff, zooCase, zooInput } from './zoo-weights.js';

/** Registers the parity test of fixture case `name`. */
export function parityTest(name: string): void {
  test(`${name}: parameters, state-dict keys and logits match PyTorch's`, () => {
    const c = zooCase(name);
    const model = buildCase(c);
    assert.equal(model.parameterCount(), c.params, 'parameter count');
    assert.equal(Object.keys(model.stateDict()).length, c.keys, 'number of state-dict entries');
    assert.equal(keysHash(model), c.keysHash, 'state-dict keys and shapes');
    const y = noGrad(() => model.forward(zooInput(c.inputSize)));
    assert.deepEqual(y.shape, [1, c.logits.length]);
    const d = relDiff(Array.from(y.toTypedArray(), Number), c.logits);
    assert.ok(d < 1e-3, `logits differ by ${d} (relative to the largest)`);
  });
}
