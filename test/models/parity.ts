/**
 * One parity check of a zoo model against its fixture: parameter count, state-dict keys and shapes (hash of
 * torchvision's), and float32 logits within 1e-3 of torchvision's (relative to their largest) in eval mode.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { models, nn, noGrad } from '../../src/index.js';
import { buildCase, keysHash, relDiff, zooCase, zooInput } from './zoo-weights.js';

/**
 * Registers the parity test of fixture case `name`. With `logits: false` only the structure is compared (the
 * count, the keys and their shapes; the model built without drawing weights): for variants of one family whose
 * forward code is the same and whose layer list the keys already pin down (VGG's keys `features.N` number the
 * ReLUs and pools too), where a second logits check would repeat the first at the cost of 100M formula weights.
 */
export function parityTest(name: string, opts: { logits?: boolean } = {}): void {
  const logits = opts.logits ?? true;
  test(`${name}: parameters, state-dict keys${logits ? ' and logits' : ' and shapes'} match PyTorch's`, () => {
    const c = zooCase(name);
    const model = logits ? buildCase(c) : nn.utils.skipInit(() => models.createModel(c.model, c.options));
    assert.equal(model.parameterCount(), c.params, 'parameter count');
    assert.equal(Object.keys(model.stateDict()).length, c.keys, 'number of state-dict entries');
    assert.equal(keysHash(model), c.keysHash, 'state-dict keys and shapes');
    if (!logits) return;
    const y = noGrad(() => model.forward(zooInput(c.inputSize)));
    assert.deepEqual(y.shape, [1, c.logits.length]);
    const d = relDiff(Array.from(y.toTypedArray(), Number), c.logits);
    assert.ok(d < 1e-3, `logits differ by ${d} (relative to the largest)`);
  });
}
