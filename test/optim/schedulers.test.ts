/**
 * Learning-rate schedulers against PyTorch 1.13: the lr (and cycled momentum) of every group after
 * construction and after each of 50 steps, for single, composed, chained and sequential schedulers;
 * state-dict round trips; and typed errors for bad arguments.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, tensor, zeros } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';
import { assertClose, loadFixture, makeScheduler, type SchedSpec } from './fixtures.js';

interface SchedCase {
  name: string;
  kind: 'single' | 'compose' | 'chained' | 'sequential';
  scheduler?: SchedSpec;
  schedulers?: SchedSpec[];
  milestones?: number[];
  twoGroups?: boolean;
  momentum?: number;
  adam?: boolean;
  metrics?: number[];
  epochs?: number[];
  lrs: number[][];
  lastLr: number[][];
  momenta?: number[][];
}

const fx = loadFixture<{ steps: number; cases: SchedCase[] }>('schedulers');

type AnyScheduler = optim.LRScheduler | optim.ReduceLROnPlateau;

function makeOptimizer(c: SchedCase): optim.Optimizer {
  const params = [new Parameter(zeros([2])), new Parameter(zeros([3]))];
  if (c.adam) return new optim.Adam(params, { lr: 0.1 });
  const momentum = c.momentum ?? 0;
  if (c.twoGroups) return new optim.SGD([{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], { lr: 0.1, momentum });
  return new optim.SGD(params, { lr: 0.1, momentum });
}

const asLR = (s: AnyScheduler): optim.LRScheduler => {
  assert.ok(s instanceof optim.LRScheduler);
  return s;
};

/** The schedulers the case steps, in order (several for 'compose'). */
function build(c: SchedCase, opt: optim.Optimizer): AnyScheduler[] {
  switch (c.kind) {
    case 'single': return [makeScheduler(c.scheduler as SchedSpec, opt)];
    case 'compose': return (c.schedulers as SchedSpec[]).map((s) => makeScheduler(s, opt));
    case 'chained': return [new optim.ChainedScheduler((c.schedulers as SchedSpec[]).map((s) => asLR(makeScheduler(s, opt))))];
    case 'sequential': {
      const inner = (c.schedulers as SchedSpec[]).map((s) => asLR(makeScheduler(s, opt)));
      return [new optim.SequentialLR(opt, inner, c.milestones as number[])];
    }
  }
}

function stepAll(c: SchedCase, opt: optim.Optimizer, scheds: AnyScheduler[], i: number): void {
  opt.step();
  for (const s of scheds) {
    if (s instanceof optim.ReduceLROnPlateau) s.step((c.metrics as number[])[i]);
    else if (c.epochs) s.step(c.epochs[i]);
    else s.step();
  }
}

const momentumOf = (c: SchedCase, g: optim.ParamGroup): number => (c.adam ? (g.betas as number[])[0] : (g.momentum as number));

describe('schedulers: PyTorch lr sequences', () => {
  test('the fixture covers every scheduler', () => {
    const types = new Set(fx.cases.flatMap((c) => (c.scheduler ? [c.scheduler] : c.schedulers ?? []).map((s) => s.type)));
    for (const t of ['StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'PolynomialLR', 'LambdaLR', 'MultiplicativeLR',
      'CosineAnnealingLR', 'CosineAnnealingWarmRestarts', 'CyclicLR', 'OneCycleLR', 'InverseTimeDecay', 'NaturalExpDecay', 'ReduceLROnPlateau']) {
      assert.ok(types.has(t), `no case for ${t}`);
    }
    assert.deepEqual(new Set(fx.cases.map((c) => c.kind)), new Set(['single', 'compose', 'chained', 'sequential']));
  });

  for (const c of fx.cases) {
    test(c.name, () => {
      const opt = makeOptimizer(c);
      const scheds = build(c, opt);
      const last = scheds[scheds.length - 1];
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      const lastLr = [last.getLastLr()];
      const momenta = [opt.paramGroups.map((g) => momentumOf(c, g))];
      for (let i = 0; i < fx.steps; i++) {
        stepAll(c, opt, scheds, i);
        lrs.push(opt.paramGroups.map((g) => g.lr));
        lastLr.push(last.getLastLr());
        momenta.push(opt.paramGroups.map((g) => momentumOf(c, g)));
      }
      lrs.forEach((v, i) => assertClose(v, c.lrs[i], `${c.name}: lr after step ${i}`));
      lastLr.forEach((v, i) => assertClose(v, c.lastLr[i], `${c.name}: getLastLr() after step ${i}`));
      if (c.momenta) momenta.forEach((v, i) => assertClose(v, (c.momenta as number[][])[i], `${c.name}: momentum after step ${i}`));
    });
  }
});

describe('schedulers: stateDict round trips', () => {
  for (const c of fx.cases) {
    test(`${c.name}: saved after 20 steps and loaded into fresh objects, continues as PyTorch`, () => {
      const opt = makeOptimizer(c);
      const scheds = build(c, opt);
      for (let i = 0; i < 20; i++) stepAll(c, opt, scheds, i);
      const optState = opt.stateDict();
      const states = scheds.map((s) => s.stateDict());
      // a plain-data snapshot: stepping on does not change it
      const frozen = JSON.stringify(states);
      stepAll(c, opt, scheds, 20);
      assert.equal(JSON.stringify(states), frozen);

      const opt2 = makeOptimizer(c);
      const scheds2 = build(c, opt2);
      opt2.loadStateDict(optState);
      scheds2.forEach((s, i) => s.loadStateDict(states[i]));
      for (let i = 20; i < fx.steps; i++) {
        stepAll(c, opt2, scheds2, i);
        assertClose(opt2.paramGroups.map((g) => g.lr), c.lrs[i + 1], `${c.name}: resumed lr after step ${i + 1}`);
      }
    });
  }

  test('a state dict of another scheduler is refused, listing the differences', () => {
    const opt = new optim.SGD([new Parameter(zeros([2]))], { lr: 0.1 });
    const step = new optim.StepLR(opt, 5);
    const cos = new optim.CosineAnnealingLR(opt, 10);
    const before = step.stateDict();
    assert.throws(() => step.loadStateDict(cos.stateDict()), (e: unknown) => {
      assert.ok(e instanceof ValueError);
      assert.match((e as Error).message, /^StepLR\.loadStateDict: the state dict does not fit this StepLR: missing keys stepSize, gamma; unexpected keys TMax, etaMin$/);
      return true;
    });
    assert.deepEqual(step.stateDict(), before);
    assert.throws(() => step.loadStateDict({ ...before, gamma: 'x' }), isErr(/^StepLR\.loadStateDict: .*: gamma should be a number, got "x"$/));
    assert.throws(() => step.loadStateDict({ ...before, baseLrs: [1, 2] }), isErr(/baseLrs has 2 entries, expected 1$/));
    assert.throws(() => step.loadStateDict(null as never), isErr(/^StepLR\.loadStateDict: expected an object from stateDict\(\), got null$/));
    const plateau = new optim.ReduceLROnPlateau(opt);
    assert.throws(() => plateau.loadStateDict(step.stateDict()), isErr(/^ReduceLROnPlateau\.loadStateDict: .*missing keys mode, factor/));
    const chained = new optim.ChainedScheduler([new optim.ExponentialLR(opt, 0.9)]);
    assert.throws(() => chained.loadStateDict({ ...chained.stateDict(), schedulers: [] }), isErr(/^ChainedScheduler\.loadStateDict: the state dict does not fit this ChainedScheduler: expected 1 nested scheduler states, got \[\]/));
  });
});

function isErr(re: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${String(e)}`);
    assert.match((e as Error).message, re);
    return true;
  };
}

describe('schedulers: behaviour beyond the fixtures', () => {
  const sgd = (momentum = 0) => new optim.SGD([new Parameter(zeros([2]))], { lr: 0.1, momentum });

  test('the first scheduler records initialLr; later ones start from it', () => {
    const opt = sgd();
    new optim.LinearLR(opt, { startFactor: 0.5 });
    assert.equal(opt.paramGroups[0].initialLr, 0.1);
    assert.equal(opt.paramGroups[0].lr, 0.05);
    const exp = new optim.ExponentialLR(opt, 0.9);
    assert.deepEqual(exp.baseLrs, [0.1]);
  });

  test('resuming (lastEpoch >= 0) needs initialLr in every group', () => {
    assert.throws(() => new optim.StepLR(sgd(), 3, { lastEpoch: 4 }), isErr(/^StepLR: resuming with lastEpoch 4 needs initialLr in every param group; param group 0 has none$/));
    const opt = sgd();
    opt.paramGroups[0].initialLr = 1;
    const s = new optim.StepLR(opt, 3, { lastEpoch: 4, gamma: 0.5 });
    assert.equal(s.lastEpoch, 5);
    s.step(7);
    assert.deepEqual(s.getLastLr(), [0.25]);
  });

  test('step(epoch) jumps using the closed form', () => {
    const opt = sgd();
    const s = new optim.MultiStepLR(opt, [2, 4, 4], { gamma: 0.5 });
    s.step(5);
    assertClose(s.getLastLr(), [0.1 * 0.5 ** 3], 'MultiStepLR at 5');
    const cos = new optim.CosineAnnealingLR(sgd(), 10, { etaMin: 0.01 });
    cos.step(5);
    assertClose(cos.getLastLr(), [0.01 + (0.09 * (1 + Math.cos(Math.PI / 2))) / 2], 'cosine at 5');
    assert.throws(() => cos.step(-1), isErr(/^CosineAnnealingLR: epoch must be a number >= 0, got -1$/));
  });

  test('ReduceLROnPlateau takes one-element tensors and refuses other metrics', () => {
    const opt = sgd();
    const s = new optim.ReduceLROnPlateau(opt, { patience: 0 });
    s.step(tensor(1.0));
    s.step(tensor([2.0]));
    assert.deepEqual(s.getLastLr(), [0.1 * 0.1]);
    assert.equal(s.best, 1);
    assert.throws(() => s.step('0.5' as never), isErr(/^ReduceLROnPlateau: step: metric must be a number or a one-element tensor, got "0\.5"$/));
  });

  test('CyclicLR leaves optimizers without momentum alone by default, and refuses to cycle it', () => {
    const adam = new optim.Adam([new Parameter(zeros([2]))]);
    const s = new optim.CyclicLR(adam, { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 2 });
    assert.equal(s.cycleMomentum, false);
    s.step();
    assertClose(s.getLastLr(), [0.0055], 'CyclicLR on Adam');
    assert.equal('momentum' in adam.paramGroups[0], false);
    assert.throws(() => new optim.CyclicLR(adam, { baseLr: 0.001, maxLr: 0.01, cycleMomentum: true }), isErr(/^CyclicLR: cycleMomentum needs an optimizer with a momentum hyper-parameter/));
    const withSgd = new optim.CyclicLR(sgd(0.9), { baseLr: 0.001, maxLr: 0.01 });
    assert.equal(withSgd.cycleMomentum, true);
  });

  test('CyclicLR with a custom scale function', () => {
    const opt = sgd();
    const s = new optim.CyclicLR(opt, { baseLr: 0, maxLr: 1, stepSizeUp: 2, scaleFn: (x) => 1 / x, scaleMode: 'cycle', cycleMomentum: false });
    const lrs = [s.getLastLr()[0]];
    for (let i = 0; i < 6; i++) {
      s.step();
      lrs.push(s.getLastLr()[0]);
    }
    assertClose(lrs, [0, 0.5, 1, 0.5, 0, 0.25, 0.5], 'custom scale');
    assert.equal('scaleFn' in s.stateDict(), false);
  });

  test('OneCycleLR refuses to step past totalSteps', () => {
    const s = new optim.OneCycleLR(sgd(0.9), { maxLr: 1, totalSteps: 3 });
    s.step();
    s.step();
    s.step();
    assert.throws(() => s.step(), isErr(/^OneCycleLR: tried to step 5 times, but totalSteps is 3$/));
    const e = new optim.OneCycleLR(sgd(0.9), { maxLr: 1, epochs: 2, stepsPerEpoch: 5 });
    assert.equal(e.totalSteps, 10);
  });

  test('SequentialLR restarts the next scheduler at its milestone', () => {
    const opt = sgd();
    const a = new optim.ConstantLR(opt, { factor: 0.5, totalIters: 10 });
    const b = new optim.ExponentialLR(opt, 0.5);
    const s = new optim.SequentialLR(opt, [a, b], [2]);
    const lrs = [s.getLastLr()[0]];
    for (let i = 0; i < 4; i++) {
      s.step();
      lrs.push(s.getLastLr()[0]);
    }
    assertClose(lrs, [0.05, 0.05, 0.1, 0.05, 0.025], 'ConstantLR then ExponentialLR');
  });

  test('InverseTimeDecay and NaturalExpDecay follow their closed forms and compose', () => {
    const opt = sgd();
    const inv = new optim.InverseTimeDecay(opt, { decaySteps: 2, decayRate: 1 });
    for (let t = 1; t <= 6; t++) {
      inv.step();
      assertClose(inv.getLastLr(), [0.1 / (1 + t / 2)], `inverse time at ${t}`);
    }
    const opt2 = sgd();
    const nat = new optim.NaturalExpDecay(opt2, { decaySteps: 1, decayRate: 0.5 });
    const step = new optim.StepLR(opt2, 2, { gamma: 0.1 });
    for (let t = 1; t <= 4; t++) {
      nat.step();
      step.step();
      assertClose(step.getLastLr(), [0.1 * Math.exp(-0.5 * t) * 0.1 ** Math.floor(t / 2)], `composed at ${t}`);
    }
  });
});

describe('schedulers: bad arguments name the scheduler and the value', () => {
  const sgd = () => new optim.SGD([new Parameter(zeros([2]))], { lr: 0.1, momentum: 0.9 });
  const other = () => new optim.SGD([new Parameter(zeros([2]))], { lr: 0.1 });
  const cases: [string, () => unknown, RegExp][] = [
    ['not an optimizer', () => new optim.StepLR({} as never, 3), /^StepLR: optimizer must be an Optimizer, got an object$/],
    ['StepLR stepSize 0', () => new optim.StepLR(sgd(), 0), /^StepLR: stepSize must be an integer >= 1, got 0$/],
    ['StepLR fractional stepSize', () => new optim.StepLR(sgd(), 2.5), /^StepLR: stepSize must be an integer >= 1, got 2\.5$/],
    ['StepLR unknown option', () => new optim.StepLR(sgd(), 2, { step_size: 3 } as never), /^StepLR: unknown option 'step_size' \(known: gamma, lastEpoch\)$/],
    ['MultiStepLR negative milestone', () => new optim.MultiStepLR(sgd(), [3, -1]), /^MultiStepLR: milestones\[1\] must be an integer >= 0, got -1$/],
    ['ConstantLR factor 0', () => new optim.ConstantLR(sgd(), { factor: 0 }), /^ConstantLR: factor must be in \(0, 1\], got 0$/],
    ['LinearLR startFactor > 1', () => new optim.LinearLR(sgd(), { startFactor: 1.5 }), /^LinearLR: startFactor must be in \(0, 1\], got 1\.5$/],
    ['LinearLR endFactor < 0', () => new optim.LinearLR(sgd(), { endFactor: -0.5 }), /^LinearLR: endFactor must be in \[0, 1\], got -0\.5$/],
    ['LinearLR totalIters 0', () => new optim.LinearLR(sgd(), { totalIters: 0 }), /^LinearLR: totalIters must be an integer >= 1, got 0$/],
    ['ExponentialLR NaN gamma', () => new optim.ExponentialLR(sgd(), NaN), /^ExponentialLR: gamma must be a number, got NaN$/],
    ['LambdaLR wrong count', () => new optim.LambdaLR(sgd(), [() => 1, () => 1]), /^LambdaLR: expected 1 lrLambdas \(one per param group\), got 2$/],
    ['LambdaLR not a function', () => new optim.LambdaLR(sgd(), 0.5 as never), /^LambdaLR: lrLambda must be a function or one function per param group, got 0\.5$/],
    ['LambdaLR returning a string', () => new optim.LambdaLR(sgd(), () => 'x' as never), /^LambdaLR: lrLambda\(0\) must return a number, got "x"$/],
    ['CosineAnnealingLR TMax 0', () => new optim.CosineAnnealingLR(sgd(), 0), /^CosineAnnealingLR: TMax must be a number > 0, got 0$/],
    ['warm restarts T0 0', () => new optim.CosineAnnealingWarmRestarts(sgd(), 0), /^CosineAnnealingWarmRestarts: T0 must be an integer >= 1, got 0$/],
    ['warm restarts TMult 1.5', () => new optim.CosineAnnealingWarmRestarts(sgd(), 5, { TMult: 1.5 }), /^CosineAnnealingWarmRestarts: TMult must be an integer >= 1, got 1\.5$/],
    ['CyclicLR mode', () => new optim.CyclicLR(sgd(), { baseLr: 0.1, maxLr: 1, mode: 'sine' as never }), /^CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got "sine"$/],
    ['CyclicLR missing maxLr', () => new optim.CyclicLR(sgd(), { baseLr: 0.1 } as never), /^CyclicLR: maxLr is required/],
    ['CyclicLR per-group count', () => new optim.CyclicLR(sgd(), { baseLr: [0.1, 0.2], maxLr: 1 }), /^CyclicLR: expected 1 values for baseLr \(one per param group\), got 2$/],
    ['OneCycleLR no length', () => new optim.OneCycleLR(sgd(), { maxLr: 1 }), /^OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch$/],
    ['OneCycleLR anneal strategy', () => new optim.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 5, annealStrategy: 'exp' as never }), /^OneCycleLR: annealStrategy must be one of 'cos', 'linear', got "exp"$/],
    ['OneCycleLR without momentum', () => new optim.OneCycleLR(new optim.Adagrad([new Parameter(zeros([1]))]), { maxLr: 1, totalSteps: 5, cycleMomentum: true }), /^OneCycleLR: cycleMomentum needs an optimizer with momentum or betas/],
    ['InverseTimeDecay decaySteps 0', () => new optim.InverseTimeDecay(sgd(), { decaySteps: 0, decayRate: 1 }), /^InverseTimeDecay: decaySteps must be a number > 0, got 0$/],
    ['NaturalExpDecay missing decayRate', () => new optim.NaturalExpDecay(sgd(), { decaySteps: 3 } as never), /^NaturalExpDecay: decayRate is required/],
    ['ReduceLROnPlateau factor 1', () => new optim.ReduceLROnPlateau(sgd(), { factor: 1 }), /^ReduceLROnPlateau: factor must be in \[0, 1\), got 1$/],
    ['ReduceLROnPlateau mode', () => new optim.ReduceLROnPlateau(sgd(), { mode: 'avg' as never }), /^ReduceLROnPlateau: mode must be one of 'min', 'max', got "avg"$/],
    ['ReduceLROnPlateau thresholdMode', () => new optim.ReduceLROnPlateau(sgd(), { thresholdMode: 'pct' as never }), /^ReduceLROnPlateau: thresholdMode must be one of 'rel', 'abs', got "pct"$/],
    ['ReduceLROnPlateau minLr count', () => new optim.ReduceLROnPlateau(sgd(), { minLr: [0, 0] }), /^ReduceLROnPlateau: expected 1 values for minLr \(one per param group\), got 2$/],
    ['ReduceLROnPlateau negative patience', () => new optim.ReduceLROnPlateau(sgd(), { patience: -1 }), /^ReduceLROnPlateau: patience must be an integer >= 0, got -1$/],
    ['ChainedScheduler empty', () => new optim.ChainedScheduler([]), /^ChainedScheduler: schedulers must be a non-empty list of LRSchedulers, got \[\]$/],
    ['ChainedScheduler two optimizers', () => new optim.ChainedScheduler([new optim.StepLR(sgd(), 2), new optim.StepLR(other(), 2)]), /^ChainedScheduler: all schedulers must belong to the same optimizer, but schedulers\[1\] belongs to another$/],
    ['SequentialLR milestone count', () => {
      const o = sgd();
      return new optim.SequentialLR(o, [new optim.StepLR(o, 2), new optim.StepLR(o, 3)], [2, 4]);
    }, /^SequentialLR: expected 1 milestones \(one fewer than the 2 schedulers\), got \[2, 4\]$/],
    ['SequentialLR another optimizer', () => {
      const o = sgd();
      return new optim.SequentialLR(o, [new optim.StepLR(o, 2), new optim.StepLR(other(), 3)], [2]);
    }, /^SequentialLR: all schedulers must belong to the same optimizer, but schedulers\[1\] belongs to another$/],
    ['SequentialLR decreasing milestones', () => {
      const o = sgd();
      return new optim.SequentialLR(o, [new optim.StepLR(o, 2), new optim.StepLR(o, 3), new optim.StepLR(o, 4)], [5, 3]);
    }, /^SequentialLR: milestones must increase, got \[5, 3\]$/],
  ];
  for (const [name, fn, re] of cases) test(name, () => assert.throws(fn, isErr(re)));
});
