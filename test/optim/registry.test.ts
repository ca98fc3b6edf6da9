/**
 * The optimizer and scheduler registry: every name builds and steps with the CLI's defaults, parameter groups keep
 * their own learning rates through optimizers and schedulers, state dicts round-trip, and bad names and options
 * are ValueErrors listing the valid choices.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, mul, sum, tensor, type Tensor } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const param = (v: number[] = [1, -2, 3]) => new Parameter(tensor(v, { dtype: 'float64' }));
const values = (t: Tensor) => Array.from(t.toTypedArray() as Float64Array);

/** Sets the gradient of sum(w · p²) on each parameter (w differs per parameter so updates differ too). */
function setGrads(params: Tensor[]): void {
  params.forEach((p, i) => {
    p.grad = null;
    sum(mul(mul(p, p), i + 1)).backward();
  });
}

describe('optimizer registry', () => {
  test('the names and default learning rates are the CLI recipe\'s', () => {
    assert.deepEqual([...optim.OPTIMIZER_NAMES], ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'asgd', 'rprop']);
    assert.deepEqual({ ...optim.DEFAULT_LR }, {
      sgd: 0.05, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, adadelta: 1, rmsprop: 0.001, adam: 0.001, adamw: 0.001, adamax: 0.002,
      nadam: 0.002, radam: 0.001, asgd: 0.01, rprop: 0.01,
    });
  });

  for (const name of optim.OPTIMIZER_NAMES) {
    test(`${name}: builds with its default lr and its steps lower a quadratic`, () => {
      const p = param();
      const opt = optim.createOptimizer(name, [p]);
      assert.equal(opt.paramGroups[0].lr, optim.DEFAULT_LR[name]);
      const before = values(p).reduce((s, v) => s + v * v, 0);
      for (let i = 0; i < 3; i++) {
        setGrads([p]);
        opt.step();
      }
      const after = values(p).reduce((s, v) => s + v * v, 0);
      assert.ok(after < before, `${name}: |p|² went from ${before} to ${after}`);
    });

    test(`${name}: the state dict round-trips (a copy resumes exactly)`, () => {
      const [a, b] = [param(), param([0.5, 0.25])];
      const opt = optim.createOptimizer(name, [{ params: [a], lr: 0.02 }, { params: [b] }]);
      for (let i = 0; i < 2; i++) {
        setGrads([a, b]);
        opt.step();
      }
      const [a2, b2] = [param(values(a)), param(values(b))];
      const opt2 = optim.createOptimizer(name, [{ params: [a2], lr: 0.5 }, { params: [b2] }]);
      opt2.loadStateDict(opt.stateDict());
      assert.equal(opt2.paramGroups[0].lr, 0.02);
      for (let i = 0; i < 2; i++) {
        setGrads([a, b]);
        opt.step();
        setGrads([a2, b2]);
        opt2.step();
      }
      assert.deepEqual(values(a2), values(a));
      assert.deepEqual(values(b2), values(b));
    });
  }

  test('the SGD variants and AdamW carry the recipe\'s settings; options override them', () => {
    const m = optim.createOptimizer('momentum', [param()]);
    assert.equal(m.paramGroups[0].momentum, 0.9);
    const n = optim.createOptimizer('nesterov', [param()], { lr: 0.1, momentum: 0.5, weightDecay: 1e-4 });
    assert.deepEqual([n.paramGroups[0].lr, n.paramGroups[0].momentum, n.paramGroups[0].nesterov, n.paramGroups[0].weightDecay], [0.1, 0.5, true, 1e-4]);
    assert.ok(n instanceof optim.SGD);
    assert.equal(optim.createOptimizer('adamw', [param()]).paramGroups[0].weightDecay, 0.01);
    assert.equal(optim.createOptimizer('adamw', [param()], { weightDecay: 0 }).paramGroups[0].weightDecay, 0);
    assert.equal(optim.createOptimizer('adam', [param()], { weightDecay: undefined }).paramGroups[0].weightDecay, 0);
    assert.equal(optim.createOptimizer('rprop', [param()], { weightDecay: 0 }).paramGroups[0].lr, 0.01);
    assert.deepEqual(optim.createOptimizer('adam', [param()], { betas: [0.5, 0.9] }).paramGroups[0].betas, [0.5, 0.9]);
  });

  test('parameter groups keep their own lr, and an SGD step uses it', () => {
    const [a, b] = [param([1]), param([1])];
    const opt = optim.createOptimizer('sgd', [{ params: [a], lr: 0.1 }, { params: [b] }], { lr: 0.01 });
    assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.1, 0.01]);
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    assert.ok(Math.abs(values(a)[0] - 0.9) < 1e-12);
    assert.ok(Math.abs(values(b)[0] - 0.99) < 1e-12);
  });
});

describe('scheduler registry', () => {
  const run = { epochs: 6, stepsPerEpoch: 5 };
  const twoGroups = () => optim.createOptimizer('momentum', [{ params: [param()], lr: 0.1 }, { params: [param()] }], { lr: 0.01 });

  test('names, intervals and metadata follow the training loop\'s rule', () => {
    assert.deepEqual([...optim.SCHEDULER_NAMES], ['none', 'cosine', 'step', 'exponential', 'onecycle', 'plateau']);
    assert.deepEqual(optim.SCHEDULER_NAMES.map((n) => optim.schedulerInterval(n)), ['epoch', 'epoch', 'epoch', 'epoch', 'step', 'epoch']);
    assert.deepEqual(optim.SCHEDULER_NAMES.filter((n) => optim.schedulerEntry(n).needsMetric), ['plateau']);
  });

  test('none is no scheduler', () => {
    assert.equal(optim.createScheduler('none', twoGroups(), run), null);
  });

  test('cosine, step and exponential scale each group from its own lr', () => {
    const cases: [optim.SchedulerName, number][] = [['cosine', (1 + Math.cos(Math.PI * 2 / 6)) / 2], ['step', 0.1], ['exponential', 0.81]];
    for (const [name, factor] of cases) {
      const opt = twoGroups();
      const s = optim.createScheduler(name, opt, run) as optim.LRScheduler;
      s.step();
      s.step();
      const lrs = opt.paramGroups.map((g) => g.lr);
      assert.ok(Math.abs(lrs[0] - 0.1 * factor) < 1e-12 && Math.abs(lrs[1] - 0.01 * factor) < 1e-12, `${name}: ${lrs}`);
    }
  });

  test('onecycle peaks at 10x each group\'s lr after 30% of epochs x stepsPerEpoch steps', () => {
    const opt = twoGroups();
    const s = optim.createScheduler('onecycle', opt, run) as optim.OneCycleLR;
    assert.equal(s.totalSteps, 30);
    assert.deepEqual(opt.paramGroups.map((g) => g.maxLr), [1, 0.1]);
    for (let i = 0; i < 8; i++) s.step();
    assert.ok(Math.abs(opt.paramGroups[0].lr - 1) < 1e-9 && Math.abs(opt.paramGroups[1].lr - 0.1) < 1e-9);
    const custom = optim.createScheduler('onecycle', twoGroups(), { ...run, maxLr: 0.5, pctStart: 0.5 }) as optim.OneCycleLR;
    assert.deepEqual(custom.optimizer.paramGroups.map((g) => g.maxLr), [0.5, 0.5]);
  });

  test('plateau halves the lr after one stalled epoch; options override the defaults', () => {
    const opt = twoGroups();
    const s = optim.createScheduler('plateau', opt, run) as optim.ReduceLROnPlateau;
    for (const m of [1, 1, 1]) s.step(m);
    assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.05, 0.005]);
    const t = optim.createScheduler('plateau', twoGroups(), { ...run, factor: 0.1, mode: 'max' }) as optim.ReduceLROnPlateau;
    assert.equal(t.factor, 0.1);
    assert.equal(t.mode, 'max');
    const st = optim.createScheduler('step', twoGroups(), { ...run, stepSize: 1, gamma: 0.5 }) as optim.StepLR;
    assert.deepEqual([st.stepSize, st.gamma], [1, 0.5]);
  });

  for (const name of optim.SCHEDULER_NAMES.filter((n) => n !== 'none')) {
    test(`${name}: the state dict round-trips (built, then loaded, as a resumed run does)`, () => {
      const opt = twoGroups();
      const s = optim.createScheduler(name, opt, run) as optim.Scheduler;
      const stepOnce = (x: optim.Scheduler) => (x instanceof optim.ReduceLROnPlateau ? x.step(1) : x.step());
      for (let i = 0; i < 3; i++) stepOnce(s);
      const opt2 = twoGroups();
      const s2 = optim.createScheduler(name, opt2, run) as optim.Scheduler;
      opt2.loadStateDict(opt.stateDict());
      s2.loadStateDict(s.stateDict());
      for (let i = 0; i < 3; i++) {
        stepOnce(s);
        stepOnce(s2);
      }
      assert.deepEqual(opt2.paramGroups.map((g) => g.lr), opt.paramGroups.map((g) => g.lr));
    });
  }
});

const p = () => [param()];
const sgd = () => optim.createOptimizer('sgd', p());
checkErrors('optim registry', [
  ['unknown optimizer', () => optim.createOptimizer('adamm' as 'adam', p()), ValueError, /^createOptimizer: unknown optimizer "adamm"; valid choices: sgd, momentum, .*, rprop$/],
  ['unknown option', () => optim.createOptimizer('momentum', p(), { lr: 0.1, momentun: 0.9 } as never), ValueError, /^createOptimizer\('momentum'\): SGD: unknown option 'momentun' \(known: lr, momentum, dampening, weightDecay, nesterov, maximize\)/],
  ['negative lr', () => optim.createOptimizer('adam', p(), { lr: -1 }), ValueError, /^createOptimizer\('adam'\): Adam: lr must be a number >= 0, got -1/],
  ['rprop weight decay', () => optim.createOptimizer('rprop', p(), { weightDecay: 0.1 }), ValueError, /^createOptimizer\('rprop'\): rprop has no weight decay .* got weightDecay 0.1/],
  ['options not an object', () => optim.createOptimizer('sgd', p(), 0.1 as never), ValueError, /^createOptimizer\('sgd'\): options must be an object, got 0.1/],
  ['empty parameter list', () => optim.createOptimizer('sgd', []), ValueError, /^createOptimizer\('sgd'\): SGD: got an empty parameter list/],
  ['unknown key in a group', () => optim.createOptimizer('sgd', [{ params: p(), lrr: 0.1 }]), ValueError, /SGD: unknown option 'lrr' .* in param group 0/],
  ['unknown scheduler', () => optim.createScheduler('cos' as 'cosine', sgd(), { epochs: 3, stepsPerEpoch: 1 }), ValueError, /^createScheduler: unknown scheduler "cos"; valid choices: none, cosine, step, exponential, onecycle, plateau$/],
  ['unknown interval name', () => optim.schedulerInterval('linear'), ValueError, /^createScheduler: unknown scheduler "linear"; valid choices: none, cosine/],
  ['epochs missing', () => optim.createScheduler('cosine', sgd(), { stepsPerEpoch: 1 } as never), ValueError, /^createScheduler\('cosine'\): epochs must be a positive integer, got undefined/],
  ['stepsPerEpoch not an integer', () => optim.createScheduler('onecycle', sgd(), { epochs: 2, stepsPerEpoch: 1.5 }), ValueError, /^createScheduler\('onecycle'\): stepsPerEpoch must be a positive integer, got 1.5/],
  ['none with options', () => optim.createScheduler('none', sgd(), { epochs: 2, stepsPerEpoch: 1, gamma: 0.5 } as never), ValueError, /^createScheduler\('none'\): takes no options, got 'gamma'/],
  ['unknown scheduler option', () => optim.createScheduler('step', sgd(), { epochs: 2, stepsPerEpoch: 1, gama: 0.5 } as never), ValueError, /^createScheduler\('step'\): StepLR: unknown option 'gama' \(known: gamma, lastEpoch\)/],
  ['plateau factor out of range', () => optim.createScheduler('plateau', sgd(), { epochs: 2, stepsPerEpoch: 1, factor: 2 }), ValueError, /^createScheduler\('plateau'\): ReduceLROnPlateau: factor must be in \[0, 1\), got 2/],
]);
