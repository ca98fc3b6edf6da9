/**
 * Shared pieces of the optim tests: reading test/fixtures/optim/*.json (written by
 * tools/make_optim_fixtures.py), the fixed optimization problem, building optimizers and schedulers from
 * the fixtures' specs, and a relative-tolerance comparison.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor, add, matmul, mean, mul, neg, square, sub, sum, tensor, type DType } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import * as optim from '../../src/optim/index.js';

const root = new URL('../../../', import.meta.url);

/** Reads test/fixtures/optim/<name>.json. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`test/fixtures/optim/${name}.json`, root), 'utf8')) as T;
}

/** Relative tolerance of every fixture comparison (float64 on both sides). */
export const RTOL = 1e-5;

/** Asserts |a − e| ≤ rtol·|e| + atol elementwise; returns the largest relative error seen. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = RTOL, atol = 1e-12): number {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const err = Math.abs(a - e);
    assert.ok(err <= rtol * Math.abs(e) + atol, `${what}[${i}]: got ${a}, expected ${e} (error ${err})`);
    worst = Math.max(worst, err / Math.max(Math.abs(e), 1e-300));
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------------------
// Optimizers
// ---------------------------------------------------------------------------------------------------------

/** The fixed problem of optimizers.json. */
export interface Problem {
  X: number[];
  Y: number[];
  W: number[];
  b: number[];
  c: number[];
  cTarget: number[];
  h: number[];
  cEvery: number;
  shapes: Record<string, number[]>;
}

/** One optimizer case: options in shendu spelling and the parameter values after each step. */
export interface OptCase {
  name: string;
  optimizer: 'SGD' | 'Adagrad' | 'Adadelta' | 'RMSprop' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: [Record<string, unknown>, Record<string, unknown>] | null;
  negate: boolean;
  scheduler?: SchedSpec;
  trajectory: number[][];
}

/** optimizers.json. */
export interface OptFixture {
  steps: number;
  problem: Problem;
  cases: OptCase[];
}

/** The problem's data as tensors, and a fresh copy of its three parameters. */
export class OptProblem {
  readonly X: Tensor;
  readonly Y: Tensor;
  readonly cTarget: Tensor;
  readonly h: Tensor;

  constructor(readonly p: Problem, readonly dtype: DType = 'float64') {
    this.X = this.make(p.X, 'X');
    this.Y = this.make(p.Y, 'Y');
    this.cTarget = this.make(p.cTarget, 'cTarget');
    this.h = this.make(p.h, 'h');
  }

  private make(values: number[], key: string): Tensor {
    return tensor(Float64Array.from(values), { shape: this.p.shapes[key] }).to(this.dtype);
  }

  /** Fresh parameters W [3, 2], b [2], c [2] at their initial values (or at `values`, flattened W‖b‖c). */
  params(values?: number[]): [Parameter, Parameter, Parameter] {
    const v = values ?? [...this.p.W, ...this.p.b, ...this.p.c];
    return [
      new Parameter(this.make(v.slice(0, 6), 'W')),
      new Parameter(this.make(v.slice(6, 8), 'b')),
      new Parameter(this.make(v.slice(8, 10), 'c')),
    ];
  }

  /** mean((XW + b − Y)²), plus Σh(c − cTarget)² on steps t ≡ 0 (mod cEvery); negated when asked. */
  loss([W, b, c]: Tensor[], t: number, negate: boolean): Tensor {
    let l = mean(square(sub(add(matmul(this.X, W), b), this.Y)));
    if (t % this.p.cEvery === 0) l = add(l, sum(mul(this.h, square(sub(c, this.cTarget)))));
    return negate ? neg(l) : l;
  }
}

/** Builds the case's optimizer over [W, b, c] (groups [W] and [b, c] when the case has groups). */
export function makeOptimizer(c: OptCase, params: Tensor[]): optim.Optimizer {
  const input = c.groups ? [{ params: [params[0]], ...c.groups[0] }, { params: [params[1], params[2]], ...c.groups[1] }] : params;
  const o = c.options as never;
  const inp = input as never;
  switch (c.optimizer) {
    case 'SGD': return new optim.SGD(inp, o);
    case 'Adagrad': return new optim.Adagrad(inp, o);
    case 'Adadelta': return new optim.Adadelta(inp, o);
    case 'RMSprop': return new optim.RMSprop(inp, o);
    case 'Adam': return new optim.Adam(inp, o);
    case 'AdamW': return new optim.AdamW(inp, o);
  }
}

/** Flattened W‖b‖c. */
export function flatValues(params: Tensor[]): number[] {
  return params.flatMap((p) => Array.from(p.toTypedArray()));
}

// ---------------------------------------------------------------------------------------------------------
// Schedulers
// ---------------------------------------------------------------------------------------------------------

/** A scheduler in the fixtures: its type, options in shendu spelling, and named lambdas. */
export interface SchedSpec {
  type: string;
  args: Record<string, any>;
  lambdas?: string | string[];
}

/** The lambdas the fixtures name (the same functions as in tools/make_optim_fixtures.py). */
export const LAMBDAS: Record<string, optim.LrLambda> = {
  warmup5: (e) => Math.min(1, (e + 1) / 5),
  pow095: (e) => 0.95 ** e,
  const097: () => 0.97,
  halfEvery10: (e) => 0.5 ** Math.floor(e / 10),
};

function lambdaOf(spec: SchedSpec): optim.LrLambda | optim.LrLambda[] {
  const l = spec.lambdas;
  if (l === undefined) throw new Error(`${spec.type}: the fixture names no lambda`);
  return Array.isArray(l) ? l.map((n) => LAMBDAS[n]) : LAMBDAS[l];
}

/** Builds a scheduler from its fixture spec. */
export function makeScheduler(spec: SchedSpec, opt: optim.Optimizer): optim.LRScheduler | optim.ReduceLROnPlateau {
  const a = spec.args;
  switch (spec.type) {
    case 'StepLR': return new optim.StepLR(opt, a.stepSize, { gamma: a.gamma });
    case 'MultiStepLR': return new optim.MultiStepLR(opt, a.milestones, { gamma: a.gamma });
    case 'ConstantLR': return new optim.ConstantLR(opt, a);
    case 'LinearLR': return new optim.LinearLR(opt, a);
    case 'ExponentialLR': return new optim.ExponentialLR(opt, a.gamma);
    case 'PolynomialLR': return new optim.PolynomialLR(opt, a);
    case 'LambdaLR': return new optim.LambdaLR(opt, lambdaOf(spec));
    case 'MultiplicativeLR': return new optim.MultiplicativeLR(opt, lambdaOf(spec));
    case 'CosineAnnealingLR': return new optim.CosineAnnealingLR(opt, a.TMax, { etaMin: a.etaMin });
    case 'CosineAnnealingWarmRestarts': return new optim.CosineAnnealingWarmRestarts(opt, a.T0, { TMult: a.TMult, etaMin: a.etaMin });
    case 'CyclicLR': return new optim.CyclicLR(opt, a as optim.CyclicLROptions);
    case 'OneCycleLR': return new optim.OneCycleLR(opt, a as optim.OneCycleLROptions);
    case 'InverseTimeDecay': return new optim.InverseTimeDecay(opt, a as optim.TimeDecayOptions);
    case 'NaturalExpDecay': return new optim.NaturalExpDecay(opt, a as optim.TimeDecayOptions);
    case 'ReduceLROnPlateau': return new optim.ReduceLROnPlateau(opt, a);
    default: throw new Error(`unknown scheduler type ${spec.type} in the fixture`);
  }
}
