/**
 * l1Penalty and l2Penalty: values and gradients against PyTorch, gradcheck, and the l2 penalty's
 * equivalence with SGD weight decay.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Tensor, ValueError, add, gradcheck, mul, sum, tensor } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';
import { assertClose, loadFixture } from './fixtures.js';

interface PenaltyCase {
  name: string;
  fn: string;
  params: number[][];
  shapes: number[][];
  value: number;
  grads: number[][];
}

const fx = loadFixture<{ cases: PenaltyCase[] }>('clip');
const values = (t: Tensor) => Array.from(t.toTypedArray());

describe('l1Penalty and l2Penalty', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'l1' || k.fn === 'l2')) {
    test(`${c.name}: value and gradients against PyTorch`, () => {
      const ps = c.params.map((v, i) => new Parameter(tensor(Float64Array.from(v), { shape: c.shapes[i] })));
      const pen = c.fn === 'l1' ? optim.l1Penalty(ps) : optim.l2Penalty(ps);
      assert.deepEqual(pen.shape, []);
      assertClose([pen.item()], [c.value], `${c.name}: value`, 1e-12);
      pen.backward();
      ps.forEach((p, i) => assertClose(values(p.grad as Tensor), c.grads[i], `${c.name}: grad ${i}`, 1e-12));
    });
  }

  test('gradcheck (away from the kink of |w|)', () => {
    const w = tensor([[0.5, -1.2], [2, -0.3]], { dtype: 'float64', requiresGrad: true });
    const v = tensor([0.7, -0.1, 1.5], { dtype: 'float64', requiresGrad: true });
    assert.ok(gradcheck((a: Tensor, b: Tensor) => optim.l1Penalty([a, b]), [w, v]));
    assert.ok(gradcheck((a: Tensor, b: Tensor) => optim.l2Penalty([a, b]), [w, v]));
  });

  test('no parameters give 0; a single tensor is accepted; bad input is refused', () => {
    assert.equal(optim.l1Penalty([]).item(), 0);
    assert.equal(optim.l2Penalty(tensor([3, 4], { dtype: 'float64' })).item(), 12.5);
    assert.throws(() => optim.l2Penalty([tensor([1]), 'w'] as never), (e: unknown) => e instanceof ValueError && /^l2Penalty: params\[1\] must be a Tensor, got "w"$/.test((e as Error).message));
  });

  test('SGD on loss + λ·l2Penalty equals SGD with weightDecay λ', () => {
    const lambda = 0.3;
    const data = [[1, -2], [0.5, 3]];
    const w1 = new Parameter(tensor(data, { dtype: 'float64' }));
    const w2 = new Parameter(tensor(data, { dtype: 'float64' }));
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const penalized = new optim.SGD([w1], { lr: 0.05, momentum: 0.9 });
    const decayed = new optim.SGD([w2], { lr: 0.05, momentum: 0.9, weightDecay: lambda });
    for (let i = 0; i < 10; i++) {
      penalized.zeroGrad();
      add(sum(mul(mul(w1, x), w1)), mul(optim.l2Penalty([w1]), lambda)).backward();
      penalized.step();
      decayed.zeroGrad();
      sum(mul(mul(w2, x), w2)).backward();
      decayed.step();
    }
    assertClose(values(w1), values(w2), 'weights', 1e-12);
  });
});
