/**
 * Adamax, NAdam, RAdam, ASGD, Rprop, SparseAdam and LBFGS against PyTorch 1.13's trajectories
 * (test/fixtures/optim/optimizers_extra.json, float64): every setting for 20 steps on the shared problem,
 * state-dict round trips, float32 runs, SparseAdam on an embedding whose steps touch few rows, LBFGS on
 * the Rosenbrock function and a least-squares fit with and without the strong-Wolfe line search, and the
 * typed errors of bad options.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Tensor, ValueError, add, embedding, matmul, mul, square, sub, sum, tensor, div } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';
import { OptProblem, assertClose, flatValues, loadFixture, type Problem } from './fixtures.js';

/** float64 on both sides: agreement to rounding, far tighter than the shared RTOL. */
const RTOL = 1e-10;

interface ExtraCase {
  name: string;
  optimizer: 'Adamax' | 'NAdam' | 'RAdam' | 'ASGD' | 'Rprop' | 'SparseAdam' | 'Adam';
  options: Record<string, unknown>;
  groups?: [Record<string, unknown>, Record<string, unknown>] | null;
  negate?: boolean;
  trajectory: number[][];
}
interface LbfgsCase {
  name: string;
  problem: 'rosenbrock' | 'leastSquares';
  options: optim.LBFGSOptions;
  steps: { params: number[]; loss: number; funcEvals: number; nIter: number }[];
}
interface ExtraFixture {
  steps: number;
  problem: Problem;
  cases: ExtraCase[];
  embedding: { weight: number[]; target: number[]; shape: number[]; indices: number[][]; cases: ExtraCase[] };
  lbfgs: { A: number[]; y: number[]; cases: LbfgsCase[] };
}

const fx = loadFixture<ExtraFixture>('optimizers_extra');

function make(c: ExtraCase, params: Tensor[]): optim.Optimizer {
  const input = c.groups ? [{ params: [params[0]], ...c.groups[0] }, { params: params.slice(1), ...c.groups[1] }] : params;
  const o = c.options as never;
  const inp = input as never;
  switch (c.optimizer) {
    case 'Adamax': return new optim.Adamax(inp, o);
    case 'NAdam': return new optim.NAdam(inp, o);
    case 'RAdam': return new optim.RAdam(inp, o);
    case 'ASGD': return new optim.ASGD(inp, o);
    case 'Rprop': return new optim.Rprop(inp, o);
    case 'SparseAdam': return new optim.SparseAdam(inp, o);
    case 'Adam': return new optim.Adam(inp, o);
  }
}

function run(c: ExtraCase, prob: OptProblem, params: Tensor[], opt: optim.Optimizer, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let t = from; t < to; t++) {
    opt.zeroGrad();
    prob.loss(params, t, c.negate ?? false).backward();
    opt.step();
    out.push(flatValues(params));
  }
  return out;
}

test('the fixture covers every new optimizer', () => {
  assert.deepEqual([...new Set(fx.cases.map((c) => c.optimizer))].sort(), ['ASGD', 'Adamax', 'NAdam', 'RAdam', 'Rprop', 'SparseAdam']);
});

for (const c of fx.cases) {
  describe(c.name, () => {
    test('the PyTorch trajectory', () => {
      const prob = new OptProblem(fx.problem);
      const params = prob.params();
      const traj = run(c, prob, params, make(c, params), 0, fx.steps);
      traj.forEach((vals, t) => assertClose(vals, c.trajectory[t], `${c.name}, step ${t + 1}`, RTOL));
    });
    test('stateDict after 10 steps, loaded into a fresh optimizer, continues as uninterrupted', () => {
      const prob = new OptProblem(fx.problem);
      const params = prob.params();
      const opt = make(c, params);
      run(c, prob, params, opt, 0, 10);
      const params2 = prob.params(flatValues(params));
      const opt2 = make(c, params2);
      opt2.loadStateDict(opt.stateDict());
      const rest = run(c, prob, params2, opt2, 10, fx.steps);
      const restOriginal = run(c, prob, params, opt, 10, fx.steps);
      rest.forEach((vals, i) => {
        assertClose(vals, c.trajectory[10 + i], `${c.name}, resumed step ${11 + i}`, RTOL);
        assertClose(vals, restOriginal[i], `${c.name}, resumed vs uninterrupted step ${11 + i}`, 0, 0);
      });
    });
    if (!c.groups) {
      test('float32 parameters and state stay float32', () => {
        const prob = new OptProblem(fx.problem, 'float32');
        const params = prob.params();
        const opt = make(c, params);
        const traj = run(c, prob, params, opt, 0, fx.steps);
        for (const p of params) assert.equal(p.dtype, 'float32');
        for (const st of opt.state.values()) for (const [k, v] of Object.entries(st)) if (v instanceof Tensor) assert.equal(v.dtype, 'float32', `state ${k}`);
        // Rprop's sign() decisions and steps are exact in float32 too, the others accumulate ~6e-8 per operation
        traj.forEach((vals, t) => assertClose(vals, c.trajectory[t], `${c.name} (float32), step ${t + 1}`, 1e-4, 1e-6));
      });
    }
  });
}

describe('SparseAdam on an embedding: only the rows looked up move', () => {
  const e = fx.embedding;
  for (const c of e.cases) {
    test(c.name, () => {
      const E = new Parameter(tensor(e.weight, { dtype: 'float64', shape: e.shape }));
      const T = tensor(e.target, { dtype: 'float64', shape: e.shape });
      const opt = make(c, [E]);
      e.indices.forEach((idx, t) => {
        opt.zeroGrad();
        const i = tensor(idx, { dtype: 'int32' });
        sum(square(sub(embedding(i, E), embedding(i, T)))).backward();
        const before = Array.from(E.toTypedArray());
        opt.step();
        const after = Array.from(E.toTypedArray());
        assertClose(after, c.trajectory[t], `${c.name}, step ${t + 1}`, RTOL);
        if (c.optimizer === 'SparseAdam') {
          for (let r = 0; r < e.shape[0]; r++) {
            if (idx.includes(r)) continue;
            for (let k = 0; k < e.shape[1]; k++) assert.equal(after[r * e.shape[1] + k], before[r * e.shape[1] + k], `row ${r} untouched at step ${t + 1}`);
          }
        }
      });
    });
  }
});

/**
 * Rosenbrock's valley (condition number ~2500) amplifies the last-bit differences between PyTorch's BLAS
 * dot products and ours over LBFGS's many iterations to ~1e-10 relative; least squares stays at ~1e-15.
 */
const LBFGS_RTOL = 1e-8;

describe('LBFGS: PyTorch iterates on Rosenbrock and least squares', () => {
  const A = tensor(fx.lbfgs.A, { dtype: 'float64', shape: [8, 3] });
  const y = tensor(fx.lbfgs.y, { dtype: 'float64' });
  for (const c of fx.lbfgs.cases) {
    test(c.name, () => {
      const params = c.problem === 'rosenbrock'
        ? [new Parameter(tensor([-1.5, 2.0], { dtype: 'float64' }))]
        : [new Parameter(tensor([0, 0, 0], { dtype: 'float64' })), new Parameter(tensor([0.5], { dtype: 'float64' }))];
      const f = (): Tensor => {
        if (c.problem === 'leastSquares') return div(sum(square(sub(add(matmul(A, params[0]), params[1]), y))), 2);
        const [x0, x1] = [params[0].select(0, 0), params[0].select(0, 1)];
        return add(square(sub(1, x0)), mul(100, square(sub(x1, square(x0)))));
      };
      const opt = new optim.LBFGS(params, c.options);
      const closure = () => {
        opt.zeroGrad();
        const l = f();
        l.backward();
        return l;
      };
      c.steps.forEach((want, k) => {
        const loss = opt.step(closure) as Tensor;
        const st = opt.state.get(params[0])!;
        assert.equal(st.funcEvals, want.funcEvals, `step ${k + 1}: funcEvals`);
        assert.equal(st.nIter, want.nIter, `step ${k + 1}: nIter`);
        assertClose([loss.item()], [want.loss], `step ${k + 1}: loss`, LBFGS_RTOL, 1e-14);
        assertClose(flatValues(params), want.params, `step ${k + 1}: parameters`, LBFGS_RTOL, 1e-12);
      });
    });
  }

  test('float32 parameters: the history stays float32 and the iterates follow float64 PyTorch to float32 accuracy', () => {
    const c = fx.lbfgs.cases.find((k) => k.name === 'LBFGS leastSquares: strong wolfe')!;
    const A32 = A.to('float32');
    const y32 = y.to('float32');
    const params = [new Parameter(tensor([0, 0, 0], { dtype: 'float32' })), new Parameter(tensor([0.5], { dtype: 'float32' }))];
    const opt = new optim.LBFGS(params, c.options);
    const closure = () => {
      opt.zeroGrad();
      const l = div(sum(square(sub(add(matmul(A32, params[0]), params[1]), y32))), 2);
      l.backward();
      return l;
    };
    opt.step(closure);
    for (const p of params) assert.equal(p.dtype, 'float32');
    const st = opt.state.get(params[0])!;
    assert.equal((st.d as Tensor).dtype, 'float32');
    for (const v of st.oldDirs as Tensor[]) assert.equal(v.dtype, 'float32');
    assertClose(flatValues(params), c.steps[0].params, 'float32 step 1', 1e-4, 1e-5);
  });

  test('stateDict round trip: a fresh LBFGS continues with the same iterates', () => {
    const c = fx.lbfgs.cases.find((k) => k.name === 'LBFGS rosenbrock: strong wolfe')!;
    const mk = (v: number[]) => new Parameter(tensor(v, { dtype: 'float64' }));
    const rosen = (p: Tensor) => () => {
      const [x0, x1] = [p.select(0, 0), p.select(0, 1)];
      return add(square(sub(1, x0)), mul(100, square(sub(x1, square(x0)))));
    };
    const closureOf = (opt: optim.Optimizer, p: Tensor) => () => {
      opt.zeroGrad();
      const l = rosen(p)();
      l.backward();
      return l;
    };
    const p = mk([-1.5, 2.0]);
    const opt = new optim.LBFGS([p], c.options);
    opt.step(closureOf(opt, p));
    const sd = opt.stateDict();
    const p2 = mk(Array.from(p.toTypedArray()));
    const opt2 = new optim.LBFGS([p2], c.options);
    opt2.loadStateDict(sd);
    opt2.step(closureOf(opt2, p2));
    assertClose(flatValues([p2]), c.steps[1].params, 'resumed step 2', LBFGS_RTOL, 1e-12);
    assert.equal(opt2.state.get(p2)!.nIter, c.steps[1].nIter);
  });
});

describe('bad options and uses are typed errors naming the optimizer', () => {
  const p = () => [new Parameter(tensor([1], { dtype: 'float64' }))];
  const isErr = (re: RegExp) => (e: unknown) => e instanceof ValueError && re.test(e.message);
  const cases: [string, () => unknown, RegExp][] = [
    ['Adamax beta1 = 1', () => new optim.Adamax(p(), { betas: [1, 0.9] }), /^Adamax: betas\[0\] must be in \[0, 1\), got 1$/],
    ['NAdam negative momentumDecay', () => new optim.NAdam(p(), { momentumDecay: -1 }), /^NAdam: momentumDecay must be a number >= 0, got -1$/],
    ['NAdam has no maximize in 1.13', () => new optim.NAdam(p(), { maximize: true } as never), /^NAdam: unknown option 'maximize'/],
    ['RAdam negative weightDecay', () => new optim.RAdam(p(), { weightDecay: -0.1 }), /^RAdam: weightDecay must be a number >= 0, got -0\.1$/],
    ['ASGD negative lr', () => new optim.ASGD(p(), { lr: -1 }), /^ASGD: lr must be a number >= 0, got -1$/],
    ['Rprop etaminus >= 1', () => new optim.Rprop(p(), { etas: [1, 1.2] }), /^Rprop: etas\[0\] must be in \(0, 1\), got 1$/],
    ['Rprop etaplus <= 1', () => new optim.Rprop(p(), { etas: [0.5, 1] }), /^Rprop: etas\[1\] must be a number > 1, got 1$/],
    ['Rprop stepSizes reversed', () => new optim.Rprop(p(), { stepSizes: [1, 0.1] }), /^Rprop: stepSizes\[1\] must be a number >= 1, got 0\.1$/],
    ['SparseAdam lr 0', () => new optim.SparseAdam(p(), { lr: 0 }), /^SparseAdam: lr must be a number > 0, got 0$/],
    ['SparseAdam has no weight decay', () => new optim.SparseAdam(p(), { weightDecay: 0.1 } as never), /^SparseAdam: unknown option 'weightDecay'/],
    ['LBFGS bad line search', () => new optim.LBFGS(p(), { lineSearchFn: 'backtracking' as never }), /^LBFGS: lineSearchFn must be one of 'strong_wolfe', got "backtracking"$/],
    ['LBFGS historySize 0', () => new optim.LBFGS(p(), { historySize: 0 }), /^LBFGS: historySize must be an integer >= 1, got 0$/],
    ['LBFGS two groups', () => new optim.LBFGS([{ params: p() }, { params: p() }]), /^LBFGS: doesn't support per-parameter options/],
    ['LBFGS step without closure', () => new optim.LBFGS(p()).step(), /^LBFGS\.step: needs a closure/],
    ['LBFGS closure returning a vector', () => {
      const w = new Parameter(tensor([1, 2], { dtype: 'float64' }));
      return new optim.LBFGS([w]).step(() => w.mul(2));
    }, /^LBFGS\.step: the closure must return a scalar loss/],
  ];
  for (const [name, fn, re] of cases) test(name, () => assert.throws(fn, isErr(re)));

  test('scalar state (NAdam muProduct, ASGD eta) must be a number in a loaded state dict', () => {
    const w = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const nadam = new optim.NAdam([w]);
    w.grad = tensor([0.5, -1], { dtype: 'float64' });
    nadam.step();
    const sd = nadam.stateDict();
    assert.equal(typeof sd.state[0].muProduct, 'number');
    sd.state[0].muProduct = tensor([1], { dtype: 'float64' });
    assert.throws(() => new optim.NAdam([new Parameter(tensor([1, 2], { dtype: 'float64' }))]).loadStateDict(sd), isErr(/state muProduct of parameter 0 must be a number, got a Tensor of shape \[1\]/));
  });

  test('an LBFGS state dict with a history of the wrong length is refused, naming the key', () => {
    const w = p();
    const opt = new optim.LBFGS(w, { maxIter: 2 });
    opt.step(() => {
      opt.zeroGrad();
      const l = sum(square(w[0]));
      l.backward();
      return l;
    });
    const sd = opt.stateDict();
    sd.state[0].d = tensor([1, 2], { dtype: 'float64' });
    assert.throws(() => new optim.LBFGS(p(), { maxIter: 2 }).loadStateDict(sd), isErr(/state d of parameter 0 must be a 1-D Tensor of 1 elements/));
  });
});

describe('the registry builds the new optimizers by name (as the CLI does)', () => {
  test('adamax, nadam, radam, asgd, rprop', async () => {
    const { OPTIMIZER_NAMES: OPTIMIZERS, DEFAULT_LR, createOptimizer } = await import('../../src/optim/registry.js');
    const makeOptimizer = (name: string, params: Parameter[], lr: number, weightDecay: number) => createOptimizer(name, params, { lr, weightDecay: weightDecay || undefined });
    const want: Record<string, string> = { adamax: 'Adamax', nadam: 'NAdam', radam: 'RAdam', asgd: 'ASGD', rprop: 'Rprop' };
    for (const [name, cls] of Object.entries(want)) {
      assert.ok((OPTIMIZERS as readonly string[]).includes(name), name);
      const opt = makeOptimizer(name, [new Parameter(tensor([1, 2], { dtype: 'float64' }))], DEFAULT_LR[name as keyof typeof DEFAULT_LR], 0);
      assert.equal(opt.constructor.name, cls);
      assert.equal(opt.paramGroups[0].lr, DEFAULT_LR[name as keyof typeof DEFAULT_LR]);
    }
    assert.throws(() => makeOptimizer('rprop', [new Parameter(tensor([1], { dtype: 'float64' }))], 0.01, 0.1), /rprop has no weight decay/);
  });
});
