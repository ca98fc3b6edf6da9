/**
 * The activation layers of src/nn/activation-extra.ts: each applies its function (checked against PyTorch in
 * test/ops/activation-extra.test.ts) with torch.nn's defaults, refuses bad constructor arguments, and RReLU is
 * random only in training mode.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, Tensor, ValueError, manualSeed, nn, randn, tensor } from '../../src/index.js';

const same = (a: Tensor, b: Tensor) => assert.deepEqual(a.toArray(), b.toArray());

describe('activation layers apply their function with torch.nn defaults', () => {
  const x = () => {
    manualSeed(4);
    return randn([2, 4, 6], { dtype: 'float64' }).mul(4);
  };
  const pairs: [string, nn.Module & { forward(t: Tensor): Tensor }, (t: Tensor) => Tensor][] = [
    ['Hardtanh', new nn.Hardtanh(), (t) => F.hardtanh(t, { minVal: -1, maxVal: 1 })],
    ['Hardtanh(-2, 3)', new nn.Hardtanh(-2, 3), (t) => F.hardtanh(t, { minVal: -2, maxVal: 3 })],
    ['ReLU6', new nn.ReLU6(), (t) => F.hardtanh(t, { minVal: 0, maxVal: 6 })],
    ['SiLU', new nn.SiLU(), (t) => t.mul(t.sigmoid())],
    ['Mish', new nn.Mish(), (t) => F.mish(t)],
    ['SELU', new nn.SELU(), (t) => F.selu(t)],
    ['CELU', new nn.CELU(), (t) => F.celu(t, { alpha: 1 })],
    ['CELU(0.5)', new nn.CELU(0.5), (t) => F.celu(t, { alpha: 0.5 })],
    ['Softsign', new nn.Softsign(), (t) => F.softsign(t)],
    ['Hardsigmoid', new nn.Hardsigmoid(), (t) => F.hardsigmoid(t)],
    ['Hardswish', new nn.Hardswish(), (t) => F.hardswish(t)],
    ['LogSigmoid', new nn.LogSigmoid(), (t) => F.logsigmoid(t)],
    ['Softmin(1)', new nn.Softmin(1), (t) => F.softmin(t, 1)],
    ['GLU', new nn.GLU(), (t) => F.glu(t, -1)],
    ['GLU(1)', new nn.GLU(1), (t) => F.glu(t, 1)],
    ['Threshold(0.5, -3)', new nn.Threshold(0.5, -3), (t) => F.threshold(t, 0.5, -3)],
    ['Tanhshrink', new nn.Tanhshrink(), (t) => F.tanhshrink(t)],
    ['Softshrink', new nn.Softshrink(), (t) => F.softshrink(t, { lambd: 0.5 })],
    ['Softshrink(2)', new nn.Softshrink(2), (t) => F.softshrink(t, { lambd: 2 })],
    ['Hardshrink', new nn.Hardshrink(), (t) => F.hardshrink(t, { lambd: 0.5 })],
    ['RReLU in eval', new nn.RReLU().eval(), (t) => F.leakyRelu(t, (1 / 8 + 1 / 3) / 2)],
  ];
  for (const [name, layer, f] of pairs) test(name, () => same(layer.forward(x()), f(x())));
  test('layers have no parameters', () => {
    for (const [, layer] of pairs) assert.equal(layer.parameters().length, 0);
  });
});

describe('RReLU', () => {
  test('random slopes in training mode, from the seeded generator; the mean slope in eval mode', () => {
    const layer = new nn.RReLU(0.1, 0.3);
    const neg = tensor([-1, -1, -1, -1, -1, -1, -1, -1], { dtype: 'float64' });
    manualSeed(9);
    const a = layer.forward(neg).toArray() as number[];
    manualSeed(9);
    same(layer.forward(neg), tensor(a, { dtype: 'float64' }));
    assert.ok(a.every((v) => v <= -0.1 && v >= -0.3) && new Set(a).size > 1);
    layer.eval();
    assert.ok((layer.forward(neg).toArray() as number[]).every((v) => Math.abs(v + 0.2) < 1e-15));
  });
});

describe('activation layers refuse bad arguments', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = (v: unknown) => v as any;
  const bad: [string, () => unknown, RegExp][] = [
    ['Hardtanh min > max', () => new nn.Hardtanh(2, 1), /^Hardtanh: minVal must be <= maxVal, got minVal 2 and maxVal 1$/],
    ['Hardtanh NaN', () => new nn.Hardtanh(NaN), /^Hardtanh: minVal must be a number, got NaN$/],
    ['CELU alpha 0', () => new nn.CELU(0), /^CELU: alpha must be nonzero, got 0$/],
    ['Softmin without dim', () => new nn.Softmin(any(undefined)), /^Softmin: dim must be an integer, got undefined$/],
    ['GLU fractional dim', () => new nn.GLU(0.5), /^GLU: dim must be an integer, got 0.5$/],
    ['Threshold without value', () => new nn.Threshold(1, any(undefined)), /^Threshold: value must be a number, got undefined$/],
    ['Softshrink negative', () => new nn.Softshrink(-0.1), /^Softshrink: lambd must be >= 0, got -0.1$/],
    ['Hardshrink string', () => new nn.Hardshrink(any('x')), /^Hardshrink: lambd must be a number, got x$/],
    ['RReLU lower > upper', () => new nn.RReLU(0.5, 0.2), /^RReLU: lower must be <= upper, got lower 0.5 and upper 0.2$/],
  ];
  for (const [name, f, re] of bad) test(name, () => assert.throws(f, (e: unknown) => e instanceof ValueError && re.test((e as Error).message)));
});

describe('PReLU goes through F.prelu', () => {
  test('at x = 0 the input gradient is the slope and the slope gradient is 0, as torch', () => {
    const layer = new nn.PReLU(2, { init: 0.3, dtype: 'float64' });
    const x = tensor([[0, -2], [1, 0]], { dtype: 'float64', requiresGrad: true });
    layer.forward(x).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[0.3, 0.3], [1, 0.3]]);
    assert.deepEqual(layer.weight.grad!.toArray(), [0, -2]);
  });
});
