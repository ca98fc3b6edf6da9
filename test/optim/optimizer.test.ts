/**
 * The Optimizer base: parameter groups, zeroGrad, skipping parameters without gradients, step closures,
 * state dicts (format, snapshots, typed errors on mismatches) and hyper-parameter validation of every optimizer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, Tensor, ValueError, add, mul, noGrad, sum, tensor, zeros } from '../../src/index.js';
import { Module, Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';

const f64 = (data: number[] | number[][]) => new Parameter(tensor(data, { dtype: 'float64' }));
const values = (t: Tensor) => Array.from(t.toTypedArray());
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

/** Gives `p` the gradient `g` (a fresh float64 tensor). */
function setGrad(p: Tensor, g: number[] | number[][]): void {
  p.grad = tensor(g, { dtype: 'float64' });
}

describe('parameter groups', () => {
  test('a plain parameter list makes one group holding every default', () => {
    const w = f64([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    assert.equal(opt.paramGroups.length, 1);
    const { params, ...hyper } = opt.paramGroups[0];
    assert.deepEqual(params, [w]);
    assert.deepEqual(hyper, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    assert.deepEqual({ ...opt.defaults }, hyper);
  });

  test('group values override the defaults; the rest are filled in', () => {
    const a = f64([1]);
    const b = f64([2]);
    const opt = new optim.Adam([{ params: [a] }, { params: b, lr: 0.5, betas: [0.5, 0.9] }], { lr: 0.01 });
    assert.equal(opt.paramGroups[0].lr, 0.01);
    assert.deepEqual(opt.paramGroups[0].betas, [0.9, 0.999]);
    assert.equal(opt.paramGroups[1].lr, 0.5);
    assert.deepEqual(opt.paramGroups[1].betas, [0.5, 0.9]);
    assert.deepEqual(opt.paramGroups[1].params, [b]);
    assert.equal(opt.paramGroups[1].weightDecay, 0);
  });

  test('defaults as in PyTorch', () => {
    const p = () => [f64([1])];
    assert.equal(new optim.Adam(p()).defaults.lr, 1e-3);
    assert.equal(new optim.Adam(p()).defaults.weightDecay, 0);
    assert.equal(new optim.AdamW(p()).defaults.weightDecay, 1e-2);
    assert.equal(new optim.Adadelta(p()).defaults.lr, 1);
    assert.equal(new optim.Adadelta(p()).defaults.rho, 0.9);
    assert.equal(new optim.Adagrad(p()).defaults.eps, 1e-10);
    assert.equal(new optim.RMSprop(p()).defaults.alpha, 0.99);
    assert.equal(new optim.RMSprop(p()).defaults.lr, 1e-2);
  });

  test('changing a group lr takes effect at the next step', () => {
    const w = f64([1, 1]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    setGrad(w, [1, 2]);
    opt.step();
    assertClose(values(w), [0.9, 0.8]);
    opt.paramGroups[0].lr = 0.5;
    opt.step();
    assertClose(values(w), [0.4, -0.2]);
  });

  test('addParamGroup adds parameters with their own values', () => {
    const a = f64([1]);
    const b = f64([1]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 1 });
    setGrad(a, [1]);
    setGrad(b, [1]);
    opt.step();
    assert.deepEqual(values(a), [0.9]);
    assert.deepEqual(values(b), [0]);
    assert.throws(() => opt.addParamGroup({ params: [a] }), isErr(ValueError, /^SGD: some parameters appear in more than one parameter group/));
    assert.throws(() => opt.addParamGroup({ params: [f64([1])], weight_decay: 0.1 } as never), isErr(ValueError, /^SGD: unknown option 'weight_decay' \(known: .*weightDecay.*\) in param group 2$/));
    assert.throws(() => opt.addParamGroup({ params: [f64([1])], lr: -1 }), isErr(ValueError, /^SGD: lr must be a number >= 0, got -1 in param group 2$/));
    assert.equal(opt.paramGroups.length, 2);
  });

  test('bad parameter lists are refused with typed errors', () => {
    assert.throws(() => new optim.SGD([], { lr: 0.1 }), isErr(ValueError, /^SGD: got an empty parameter list$/));
    assert.throws(() => new optim.Adam(new Module() as never), isErr(ValueError, /^Adam: params must be .*got a Module; pass model\.parameters\(\)$/));
    assert.throws(() => new optim.Adam(3 as never), isErr(ValueError, /^Adam: params must be a list of tensors or parameter groups, got 3$/));
    const leaf = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    assert.throws(() => new optim.SGD([mul(leaf, 2)], { lr: 0.1 }), isErr(ValueError, /^SGD: params\[0\] is not a leaf tensor/));
    assert.throws(() => new optim.SGD([tensor([1, 2], { dtype: 'int32' })], { lr: 0.1 }), isErr(DTypeError, /^SGD: params\[0\] must be a floating-point tensor, got dtype int32/));
    assert.throws(() => new optim.SGD([leaf, leaf], { lr: 0.1 }), isErr(ValueError, /^SGD: a parameter appears twice in param group 0$/));
    assert.throws(() => new optim.SGD([{ params: [leaf] }, { params: [leaf] }], { lr: 0.1 }), isErr(ValueError, /more than one parameter group/));
    assert.throws(() => new optim.SGD([{ params: [leaf] }, 5] as never, { lr: 0.1 }), isErr(ValueError, /^SGD: a parameter group must be an object \{params, \.\.\.options\}, got 5$/));
  });
});

describe('step and zeroGrad', () => {
  test('zeroGrad sets every gradient to null', () => {
    const a = f64([1]);
    const b = f64([2]);
    const opt = new optim.SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    setGrad(a, [1]);
    setGrad(b, [1]);
    opt.zeroGrad();
    assert.equal(a.grad, null);
    assert.equal(b.grad, null);
  });

  test('parameters whose grad is null are skipped: unchanged, and no state is created', () => {
    const a = f64([1, 2]);
    const b = f64([3]);
    const opt = new optim.Adam([a, b], { lr: 0.1, weightDecay: 0.5 });
    setGrad(a, [1, 1]);
    opt.step();
    assert.deepEqual(values(b), [3]);
    assert.ok(opt.state.has(a));
    assert.ok(!opt.state.has(b));
    assert.equal(opt.state.get(a)?.step, 1);
  });

  test('updates are in place and record no graph, even with grad mode on', () => {
    const w = f64([1, 2]);
    const storage = w.storage;
    const opt = new optim.RMSprop([w], { momentum: 0.9, centered: true });
    setGrad(w, [0.5, -0.5]);
    opt.step();
    assert.equal(w.storage, storage);
    assert.equal(w.gradFn, null);
    assert.ok(w.requiresGrad);
  });

  test('a closure is evaluated with gradients enabled and its loss returned', () => {
    const w = f64([3]);
    const opt = new optim.SGD([w], { lr: 0.25 });
    const closure = () => {
      opt.zeroGrad();
      const loss = sum(mul(w, w));
      loss.backward();
      return loss;
    };
    const loss = noGrad(() => opt.step(closure));
    assert.ok(loss instanceof Tensor);
    assert.equal(loss.item(), 9);
    assert.deepEqual(values(w), [1.5]);
    assert.throws(() => opt.step(5 as never), isErr(ValueError, /^SGD\.step: closure must be a function, got 5$/));
  });

  test('gradients that are broadcast views or share memory are read, never written', () => {
    // sum().backward() gives w an expanded (stride-0) gradient; add(a, b) gives a and b the same one
    const w = new Parameter(zeros([2, 2], { dtype: 'float64' }));
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    const opt = new optim.SGD([w, a, b], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      add(sum(w), sum(add(a, b))).backward();
      opt.step();
    }
    // momentum: b1 = g, b2 = 0.9 g + g = 1.9 g; θ = θ0 − 0.1 (1 + 1.9) g with g = 1
    const d = 0.1 * 2.9;
    assertClose(values(w), [-d, -d, -d, -d]);
    assertClose(values(a), [1 - d, 2 - d]);
    assertClose(values(b), [3 - d, 4 - d]);
    assert.deepEqual(values(a.grad as Tensor), [1, 1]);
  });

  test('a gradient whose shape differs from its parameter is refused', () => {
    const w = f64([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.grad = tensor([1, 2, 3], { dtype: 'float64' });
    assert.throws(() => opt.step(), isErr(ValueError, /^SGD\.step: a gradient of shape \[3\] does not fit its parameter of shape \[2\]$/));
  });
});

function assertClose(a: number[], e: number[]): void {
  assert.equal(a.length, e.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - e[i]) <= 1e-12 * Math.max(1, Math.abs(e[i])), `[${i}]: ${x} != ${e[i]}`));
}

describe('stateDict and loadStateDict', () => {
  function trained(): { w: Parameter; b: Parameter; opt: optim.Adam } {
    const w = f64([[1, 2], [3, 4]]);
    const b = f64([0.5]);
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.1, amsgrad: true }], { lr: 0.01 });
    for (let i = 0; i < 3; i++) {
      setGrad(w, [[1, -1], [0.5, 2]]);
      setGrad(b, [i]);
      opt.step();
    }
    return { w, b, opt };
  }

  test('parameters are referred to by index over all groups; per-parameter state by name', () => {
    const { opt } = trained();
    const sd = opt.stateDict();
    assert.equal(sd.optimizer, 'Adam');
    assert.deepEqual(sd.paramGroups.map((g) => g.params), [[0], [1]]);
    assert.deepEqual(sd.paramGroups[1], { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [1] });
    assert.deepEqual(Object.keys(sd.state).sort(), ['0', '1']);
    assert.deepEqual(Object.keys(sd.state[0]).sort(), ['expAvg', 'expAvgSq', 'step']);
    assert.deepEqual(Object.keys(sd.state[1]).sort(), ['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    assert.equal(sd.state[0].step, 3);
    assert.deepEqual((sd.state[0].expAvg as Tensor).shape, [2, 2]);
  });

  test('a state dict is a snapshot: later steps do not change it', () => {
    const { w, b, opt } = trained();
    const sd = opt.stateDict();
    const before = values(sd.state[0].expAvg as Tensor);
    const lr = sd.paramGroups[0].lr;
    setGrad(w, [[5, 5], [5, 5]]);
    setGrad(b, [5]);
    opt.paramGroups[0].lr = 123;
    opt.step();
    assert.deepEqual(values(sd.state[0].expAvg as Tensor), before);
    assert.equal(sd.state[0].step, 3);
    assert.equal(sd.paramGroups[0].lr, lr);
  });

  test('loading restores hyper-parameters and copies the state, cast to the parameters\' dtype', () => {
    const { opt } = trained();
    const w32 = new Parameter(zeros([2, 2]));
    const b32 = new Parameter(zeros([1]));
    const opt2 = new optim.Adam([{ params: [w32] }, { params: [b32] }]);
    const sd = opt.stateDict();
    opt2.loadStateDict(sd);
    assert.equal(opt2.paramGroups[1].lr, 0.1);
    assert.equal(opt2.paramGroups[1].amsgrad, true);
    assert.equal(opt2.paramGroups[0].params[0], w32);
    const st = opt2.state.get(w32);
    assert.ok(st);
    assert.equal(st.step, 3);
    assert.equal((st.expAvg as Tensor).dtype, 'float32');
    assert.notEqual((st.expAvg as Tensor).storage, (sd.state[0].expAvg as Tensor).storage);
  });

  test('a state dict of another optimizer is refused, naming what differs, and nothing changes', () => {
    const { opt } = trained();
    const w = f64([[1, 2], [3, 4]]);
    const b = f64([0.5]);
    const sgd = new optim.SGD([{ params: [w] }, { params: [b] }], { lr: 0.3, momentum: 0.5 });
    setGrad(w, [[1, 1], [1, 1]]);
    setGrad(b, [1]);
    sgd.step();
    const before = sgd.stateDict();
    assert.throws(() => sgd.loadStateDict(opt.stateDict()), (e: unknown) => {
      assert.ok(e instanceof ValueError);
      const m = (e as Error).message;
      assert.match(m, /^SGD\.loadStateDict: the state dict does not fit this optimizer: /);
      assert.match(m, /it was saved by "Adam", not SGD/);
      assert.match(m, /param group 0 lacks momentum, dampening, nesterov/);
      assert.match(m, /param group 0 has unknown keys betas, eps, amsgrad/);
      assert.match(m, /state of parameter 0 has unknown key step \(SGD keeps momentumBuffer\)/);
      return true;
    });
    assert.deepEqual(sgd.stateDict().paramGroups, before.paramGroups);
    assert.equal(sgd.paramGroups[0].lr, 0.3);
    assert.deepEqual(values(sgd.state.get(w)?.momentumBuffer as Tensor), values(before.state[0].momentumBuffer as Tensor));
  });

  test('Adam and AdamW states are not interchangeable', () => {
    const { opt } = trained();
    const adamw = new optim.AdamW([{ params: [f64([[0, 0], [0, 0]])] }, { params: [f64([0])] }]);
    assert.throws(() => adamw.loadStateDict(opt.stateDict()), isErr(ValueError, /^AdamW\.loadStateDict: .*saved by "Adam", not AdamW$/));
  });

  test('mismatched groups and shapes are listed', () => {
    const { opt } = trained();
    const sd = opt.stateDict();
    const one = new optim.Adam([f64([[1, 2], [3, 4]]), f64([1])]);
    assert.throws(() => one.loadStateDict(sd), isErr(ValueError, /it has 2 parameter groups, this optimizer has 1$/));
    const sizes = new optim.Adam([{ params: [f64([[1, 2], [3, 4]]), f64([1])] }, { params: [] }]);
    assert.throws(() => sizes.loadStateDict(sd), isErr(ValueError, /param group 0 has 1 parameters, this optimizer's has 2; .*param group 1 has 1 parameters, this optimizer's has 0/));
    const shapes = new optim.Adam([{ params: [f64([1, 2, 3, 4])] }, { params: [f64([1, 2])] }]);
    assert.throws(() => shapes.loadStateDict(sd), isErr(ValueError,
      /state expAvg of parameter 0 has shape \[2, 2\], the parameter has shape \[4\].*state expAvg of parameter 1 has shape \[1\], the parameter has shape \[2\]/));
    assert.equal(shapes.state.size, 0);
    assert.throws(() => shapes.loadStateDict({ state: {} } as never), isErr(ValueError, /expected an object \{optimizer, state, paramGroups\} from stateDict\(\)/));
  });

  test('saved hyper-parameters are validated too', () => {
    const { opt } = trained();
    const sd = opt.stateDict();
    sd.paramGroups[1].betas = [1.5, 0.9];
    const fresh = new optim.Adam([{ params: [f64([[1, 2], [3, 4]])] }, { params: [f64([1])] }]);
    assert.throws(() => fresh.loadStateDict(sd), isErr(ValueError, /betas\[0\] must be in \[0, 1\), got 1\.5 in saved param group 1/));
  });
});

describe('hyper-parameter validation names the optimizer and the value', () => {
  const p = () => [f64([1])];
  const cases: [string, () => unknown, RegExp][] = [
    ['SGD negative lr', () => new optim.SGD(p(), { lr: -0.1 }), /^SGD: lr must be a number >= 0, got -0\.1$/],
    ['SGD missing lr', () => new optim.SGD(p(), {} as never), /^SGD: lr is required/],
    ['SGD negative momentum', () => new optim.SGD(p(), { lr: 0.1, momentum: -0.5 }), /^SGD: momentum must be a number >= 0, got -0\.5$/],
    ['SGD negative weight decay', () => new optim.SGD(p(), { lr: 0.1, weightDecay: -1 }), /^SGD: weightDecay must be a number >= 0, got -1$/],
    ['SGD nesterov without momentum', () => new optim.SGD(p(), { lr: 0.1, nesterov: true }), /^SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0 and dampening 0$/],
    ['SGD nesterov with dampening', () => new optim.SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /dampening 0\.1$/],
    ['SGD snake_case option', () => new optim.SGD(p(), { lr: 0.1, weight_decay: 0.1 } as never), /^SGD: unknown option 'weight_decay' \(known: lr, momentum, dampening, weightDecay, nesterov, maximize\)$/],
    ['SGD NaN lr', () => new optim.SGD(p(), { lr: NaN }), /^SGD: lr must be a number >= 0, got NaN$/],
    ['SGD non-boolean nesterov', () => new optim.SGD(p(), { lr: 0.1, momentum: 0.9, nesterov: 1 as never }), /^SGD: nesterov must be true or false, got 1$/],
    ['Adam beta1 = 1', () => new optim.Adam(p(), { betas: [1, 0.999] }), /^Adam: betas\[0\] must be in \[0, 1\), got 1$/],
    ['Adam beta2 < 0', () => new optim.Adam(p(), { betas: [0.9, -0.1] }), /^Adam: betas\[1\] must be in \[0, 1\), got -0\.1$/],
    ['Adam betas not a pair', () => new optim.Adam(p(), { betas: [0.9] as never }), /^Adam: betas must be a pair \[beta1, beta2\], got \[0\.9\]$/],
    ['Adam negative eps', () => new optim.Adam(p(), { eps: -1e-8 }), /^Adam: eps must be a number >= 0, got -1e-8$/],
    ['AdamW negative lr', () => new optim.AdamW(p(), { lr: -1 }), /^AdamW: lr must be a number >= 0, got -1$/],
    ['AdamW negative weight decay', () => new optim.AdamW(p(), { weightDecay: -0.01 }), /^AdamW: weightDecay must be a number >= 0, got -0\.01$/],
    ['Adagrad negative lrDecay', () => new optim.Adagrad(p(), { lrDecay: -1 }), /^Adagrad: lrDecay must be a number >= 0, got -1$/],
    ['Adagrad negative accumulator', () => new optim.Adagrad(p(), { initialAccumulatorValue: -0.1 }), /^Adagrad: initialAccumulatorValue must be a number >= 0, got -0\.1$/],
    ['Adadelta rho > 1', () => new optim.Adadelta(p(), { rho: 1.5 }), /^Adadelta: rho must be in \[0, 1\], got 1\.5$/],
    ['Adadelta negative eps', () => new optim.Adadelta(p(), { eps: -1 }), /^Adadelta: eps must be a number >= 0, got -1$/],
    ['RMSprop negative alpha', () => new optim.RMSprop(p(), { alpha: -0.9 }), /^RMSprop: alpha must be a number >= 0, got -0\.9$/],
    ['RMSprop negative momentum', () => new optim.RMSprop(p(), { momentum: -1 }), /^RMSprop: momentum must be a number >= 0, got -1$/],
    ['RMSprop string lr', () => new optim.RMSprop(p(), { lr: '0.1' as never }), /^RMSprop: lr must be a number >= 0, got "0\.1"$/],
    ['a bad value in a group names the group', () => new optim.Adam([{ params: p() }, { params: p(), betas: [0.9, 2] }]), /^Adam: betas\[1\] must be in \[0, 1\), got 2 in param group 1$/],
  ];
  for (const [name, fn, re] of cases) test(name, () => assert.throws(fn, isErr(ValueError, re)));
});
