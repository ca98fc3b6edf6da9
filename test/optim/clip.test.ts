/**
 * clipGradNorm_ / clipGradValue_ against torch.nn.utils (float64 and float32, norm orders 2, 1, ∞, 3, 0.5,
 * 0, −∞), non-finite norms, and bad arguments.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Tensor, ValueError, mul, sum, tensor, type DType } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';
import { assertClose, loadFixture } from './fixtures.js';

interface ClipCase {
  name: string;
  fn: 'norm' | 'value' | 'l1' | 'l2';
  dtype: DType;
  normType?: number | 'inf' | '-inf';
  maxNorm?: number;
  clipValue?: number;
  grads?: number[][];
  params?: number[][];
  shapes: number[][];
  total?: number;
  clipped?: number[][];
  value?: number;
}

const fx = loadFixture<{ cases: ClipCase[] }>('clip');
const ord = (p: ClipCase['normType']): number => (p === 'inf' ? Infinity : p === '-inf' ? -Infinity : (p as number));
const values = (t: Tensor) => Array.from(t.toTypedArray());
/** float32 results against float64 PyTorch ones rounded to float32: a few float32 ulps. */
const tolOf = (dtype: DType) => (dtype === 'float32' ? 1e-6 : 1e-12);

function paramsWithGrads(c: ClipCase, source: number[][]): Parameter[] {
  return source.map((g, i) => {
    const p = new Parameter(tensor(Float64Array.from(g), { shape: c.shapes[i] }).to(c.dtype));
    p.grad = tensor(Float64Array.from(g), { shape: c.shapes[i] }).to(c.dtype);
    return p;
  });
}

describe('clipGradNorm_ and clipGradValue_ against PyTorch', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'norm' || k.fn === 'value')) {
    test(c.name, () => {
      const ps = paramsWithGrads(c, c.grads as number[][]);
      const grads = ps.map((p) => p.grad as Tensor);
      if (c.fn === 'norm') {
        const total = optim.clipGradNorm_(ps, c.maxNorm as number, ord(c.normType));
        assertClose([total], [c.total as number], `${c.name}: total norm`, tolOf(c.dtype));
      } else {
        optim.clipGradValue_(ps, c.clipValue as number);
      }
      ps.forEach((p, i) => {
        assert.equal((p.grad as Tensor).dtype, c.dtype);
        assertClose(values(p.grad as Tensor), (c.clipped as number[][])[i], `${c.name}: grad ${i}`, tolOf(c.dtype));
      });
      // the gradient tensors handed in were not written to
      grads.forEach((g, i) => assertClose(values(g), (c.grads as number[][])[i], `${c.name}: original grad ${i}`, tolOf(c.dtype)));
    });
  }

  test('the options form, a single tensor, and parameters without gradients', () => {
    const a = new Parameter(tensor([3, 4], { dtype: 'float64' }));
    a.grad = tensor([3, 4], { dtype: 'float64' });
    const none = new Parameter(tensor([1], { dtype: 'float64' }));
    assert.equal(optim.clipGradNorm_([a, none], 1, { normType: 2 }), 5);
    assertClose(values(a.grad), [3 / (5 + 1e-6), 4 / (5 + 1e-6)], 'clipped');
    assert.equal(none.grad, null);
    assert.equal(optim.clipGradNorm_([none], 1), 0);
    a.grad = tensor([-3, 0.5], { dtype: 'float64' });
    assert.equal(optim.clipGradNorm_(a, 10, Infinity), 3);
    assertClose(values(a.grad), [-3, 0.5], 'unclipped');
    optim.clipGradValue_(a, 1);
    assert.deepEqual(values(a.grad), [-1, 0.5]);
  });

  test('a gradient that is a broadcast view (from sum().backward()) can be clipped', () => {
    const w = new Parameter(tensor([[1, 2], [3, 4]], { dtype: 'float64' }));
    mul(sum(w), 3).backward();
    const total = optim.clipGradNorm_([w], 1);
    assertClose([total], [6], 'total');
    assertClose(values(w.grad as Tensor), [3, 3, 3, 3].map((g) => (g * 1) / (6 + 1e-6)), 'clipped');
  });

  test('non-finite norms: scaled by default, an error on request', () => {
    const a = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    a.grad = tensor([Infinity, 1], { dtype: 'float64' });
    assert.equal(optim.clipGradNorm_([a], 1), Infinity);
    a.grad = tensor([NaN, 1], { dtype: 'float64' });
    assert.throws(() => optim.clipGradNorm_([a], 1, { errorIfNonfinite: true }), (e: unknown) => {
      assert.ok(e instanceof ValueError);
      assert.match((e as Error).message, /^clipGradNorm_: the total norm of order 2 of the gradients is NaN, so they cannot be clipped; pass errorIfNonfinite: false/);
      return true;
    });
  });

  test('bad arguments', () => {
    const a = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    a.grad = tensor([1, 1], { dtype: 'float64' });
    const err = (re: RegExp) => (e: unknown) => e instanceof ValueError && re.test((e as Error).message);
    assert.throws(() => optim.clipGradNorm_([a], -1), err(/^clipGradNorm_: maxNorm must be a number >= 0, got -1$/));
    assert.throws(() => optim.clipGradNorm_([a], 1, -2), err(/^clipGradNorm_: normType must be a number >= 0, Infinity or -Infinity, got -2$/));
    assert.throws(() => optim.clipGradNorm_([a], 1, { norm_type: 1 } as never), err(/^clipGradNorm_: unknown option 'norm_type'/));
    assert.throws(() => optim.clipGradNorm_([a, 3] as never, 1), err(/^clipGradNorm_: params\[1\] must be a Tensor, got 3$/));
    assert.throws(() => optim.clipGradNorm_(5 as never, 1), err(/^clipGradNorm_: params must be a Tensor or a list of tensors, got 5$/));
    assert.throws(() => optim.clipGradValue_([a], -0.5), err(/^clipGradValue_: clipValue must be a number >= 0, got -0\.5$/));
    assert.throws(() => optim.clipGradValue_([a], NaN), err(/^clipGradValue_: clipValue must be a number >= 0, got NaN$/));
  });
});
