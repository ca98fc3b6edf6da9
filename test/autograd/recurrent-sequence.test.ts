/**
 * The whole-sequence LSTM/GRU op (src/autograd/recurrent-sequence.ts) and its kernels: the wasm kernels
 * (assembly/recurrent-seq.ts) against the cpu reference at odd sizes, in both layouts and directions, with and
 * without biases and initial states; wasm results bit-identical for 1 and 2 threads; the cpu kernels against
 * the op's step-by-step composite in float64; finite-difference gradcheck; gradients of gradients.
 * (nn.LSTM and nn.GRU, which run on this op, are checked against PyTorch in test/nn/recurrent.test.ts.)
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recurrentSequence, sequenceComposite } from '../../src/autograd/recurrent-sequence.js';
import { getBackend, grad, gradcheck, manualSeed, randn, setBackend, setNumThreads, tensor, type DType, type Tensor } from '../../src/index.js';

type Mode = 'lstm' | 'gru';

interface Case {
  mode: Mode;
  T: number;
  N: number;
  I: number;
  H: number;
  reverse: boolean;
  batchFirst: boolean;
  bias: boolean;
  state: boolean;
}

const CASES: Case[] = [
  { mode: 'lstm', T: 3, N: 5, I: 5, H: 7, reverse: false, batchFirst: false, bias: true, state: true },
  { mode: 'lstm', T: 4, N: 7, I: 4, H: 6, reverse: true, batchFirst: true, bias: false, state: false },
  { mode: 'lstm', T: 1, N: 2, I: 3, H: 9, reverse: false, batchFirst: true, bias: true, state: true },
  { mode: 'lstm', T: 5, N: 3, I: 3, H: 5, reverse: true, batchFirst: false, bias: true, state: false },
  { mode: 'gru', T: 3, N: 5, I: 5, H: 7, reverse: false, batchFirst: false, bias: true, state: true },
  { mode: 'gru', T: 4, N: 7, I: 4, H: 6, reverse: true, batchFirst: true, bias: false, state: false },
  { mode: 'gru', T: 1, N: 2, I: 3, H: 9, reverse: true, batchFirst: false, bias: true, state: false },
  { mode: 'gru', T: 5, N: 3, I: 3, H: 5, reverse: false, batchFirst: true, bias: true, state: true },
];

const name = (c: Case) => `${c.mode} T${c.T} N${c.N} I${c.I} H${c.H}${c.reverse ? ' reverse' : ''}${c.batchFirst ? ' batch-first' : ''}${c.bias ? ' bias' : ''}${c.state ? ' state' : ''}`;

/** The op's inputs for a case as plain arrays (drawn once, on the cpu backend) with their shapes; null where absent. */
function draw(c: Case): { data: (number[] | null)[]; shapes: number[][]; weight: number[]; yShape: number[] } {
  const known = drawn.get(c);
  if (known) return known;
  const G = c.mode === 'lstm' ? 4 : 3;
  const [A, B] = c.batchFirst ? [c.N, c.T] : [c.T, c.N];
  const shapes = [[A, B, c.I], [G * c.H, c.I], [G * c.H], [G * c.H, c.H], [c.N, c.H], [c.N, c.H], [c.H]];
  const present = [true, true, c.bias, true, c.state, c.state && c.mode === 'lstm', c.bias && c.mode === 'gru'];
  const prev = getBackend().name;
  setBackend('cpu');
  manualSeed(7);
  const data = shapes.map((s, k) => (present[k] ? Array.from(randn(s).toTypedArray(), (v) => v * 0.8) : null));
  const yShape = c.mode === 'lstm' ? [2, A, B, c.H] : [A, B, c.H];
  const weight = Array.from(randn(yShape).toTypedArray());
  setBackend(prev);
  drawn.set(c, { data, shapes, weight, yShape });
  return drawn.get(c)!;
}

/** Each case's inputs, drawn once (the same seed gives the same values every time). */
const drawn = new Map<Case, ReturnType<typeof draw>>();

/** Runs the op on `backend` in `dtype`: y and the gradients of sum(y * weight) w.r.t. every present input. */
function run(c: Case, backend: string, dtype: DType, op = recurrentSequence): { y: Float64Array; grads: (Float64Array | null)[] } {
  const { data, shapes, weight, yShape } = draw(c);
  const prev = getBackend().name;
  setBackend(backend);
  try {
    const ins = data.map((d, k) => (d ? tensor(d, { shape: shapes[k], dtype }).requiresGrad_() : null));
    const [x, wih, bias, whh, h0, c0, bhn] = ins;
    const y = op(c.mode, x!, wih!, bias, whh!, h0, c0, bhn, c.reverse, c.batchFirst);
    y.mul(tensor(weight, { shape: yShape, dtype })).sum().backward();
    return { y: Float64Array.from(y.toTypedArray()), grads: ins.map((t) => (t ? Float64Array.from(t.grad!.toTypedArray()) : null)) };
  } finally {
    setBackend(prev);
  }
}

function assertClose(got: Float64Array, want: Float64Array, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * (scale + 1), `${label}[${i}]: got ${got[i]}, expected ${want[i]}`);
  }
}

const INPUTS = ['x', 'wih', 'bias', 'whh', 'h0', 'c0', 'bhn'];

describe('recurrentSequence: wasm kernels against the cpu reference (float32)', () => {
  for (const c of CASES) {
    test(name(c), () => {
      const want = run(c, 'cpu', 'float32');
      const got = run(c, 'wasm', 'float32');
      assertClose(got.y, want.y, 2e-6, 'y');
      want.grads.forEach((w, k) => {
        assert.equal(got.grads[k] === null, w === null, `${INPUTS[k]}: presence`);
        if (w) assertClose(got.grads[k]!, w, 1e-5, `d${INPUTS[k]}`);
      });
    });
  }
});

/**
 * Layers whose recurrent products span several GEMM blocks with W_hh packed once per sequence: H = 65 gives the
 * backward's K = 4H = 260 (two k blocks) and a ragged last column panel; LSTM H = 520 gives 4H = 2080 columns (two
 * column blocks forward) and nine k blocks backward.
 */
const BLOCKED: Case[] = [
  { mode: 'lstm', T: 2, N: 3, I: 2, H: 65, reverse: false, batchFirst: true, bias: true, state: true },
  { mode: 'gru', T: 2, N: 3, I: 2, H: 65, reverse: true, batchFirst: false, bias: true, state: true },
  { mode: 'lstm', T: 2, N: 2, I: 2, H: 520, reverse: true, batchFirst: false, bias: true, state: false },
];

describe('recurrentSequence: wasm against cpu where the recurrent products span several GEMM blocks (float32)', () => {
  for (const c of BLOCKED) {
    test(name(c), () => {
      const want = run(c, 'cpu', 'float32');
      setNumThreads(1);
      const got = run(c, 'wasm', 'float32');
      setNumThreads(2);
      assertClose(got.y, want.y, 2e-6, 'y');
      want.grads.forEach((w, k) => w && assertClose(got.grads[k]!, w, 1e-5, `d${INPUTS[k]}`));
      // the thread count's identity on the small cases (the large one's million weights make each run slow)
      if (c.H > 100) return;
      const two = run(c, 'wasm', 'float32');
      assert.deepEqual(two.y, got.y);
      assert.deepEqual(two.grads, got.grads);
    });
  }
});

describe('recurrentSequence: wasm results do not depend on the thread count', () => {
  for (const c of CASES.filter((_, i) => i % 2 === 0)) {
    test(name(c), () => {
      setNumThreads(1);
      const one = run(c, 'wasm', 'float32');
      setNumThreads(2);
      const two = run(c, 'wasm', 'float32');
      assert.deepEqual(two.y, one.y);
      assert.deepEqual(two.grads, one.grads);
    });
  }
});

describe('recurrentSequence: the kernels against the step-by-step composite (float64)', () => {
  for (const c of CASES) {
    test(name(c), () => {
      const want = run(c, 'cpu', 'float64', sequenceComposite);
      for (const backend of ['cpu', 'wasm']) {
        const got = run(c, backend, 'float64');
        assertClose(got.y, want.y, 1e-12, `${backend} y`);
        want.grads.forEach((w, k) => w && assertClose(got.grads[k]!, w, 1e-12, `${backend} d${INPUTS[k]}`));
      }
    });
  }
});

describe('recurrentSequence: gradcheck (float64, finite differences)', () => {
  for (const c of [CASES[0], CASES[1], CASES[4], CASES[7]].map((k) => ({ ...k, T: 3, N: 2, I: 2, H: 3 }))) {
    test(name(c), () => {
      const { data, shapes } = draw(c);
      const ins = data.map((d, k) => (d ? tensor(d, { shape: shapes[k], dtype: 'float64' }).requiresGrad_() : null));
      const present = ins.filter((t): t is Tensor => t !== null);
      gradcheck((...args: Tensor[]) => {
        let k = 0;
        const full = ins.map((t) => (t ? args[k++] : null));
        return recurrentSequence(c.mode, full[0]!, full[1]!, full[2], full[3]!, full[4], full[5], full[6], c.reverse, c.batchFirst);
      }, present, { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
    });
  }
});

describe('recurrentSequence: gradients of gradients', () => {
  for (const mode of ['lstm', 'gru'] as const) {
    test(`${mode}: createGraph matches the composite's second derivative`, () => {
      const c: Case = { mode, T: 3, N: 2, I: 2, H: 3, reverse: true, batchFirst: true, bias: true, state: true };
      const { data, shapes } = draw(c);
      const secondOf = (op: typeof recurrentSequence) => {
        const ins = data.map((d, k) => (d ? tensor(d, { shape: shapes[k], dtype: 'float64' }).requiresGrad_() : null));
        const y = op(mode, ins[0]!, ins[1]!, ins[2], ins[3]!, ins[4], ins[5], ins[6], c.reverse, c.batchFirst);
        const [dw] = grad(y.square().sum(), [ins[3]!], undefined, { createGraph: true });
        return Float64Array.from(grad(dw.square().sum(), [ins[0]!])[0].toTypedArray());
      };
      assertClose(secondOf(recurrentSequence), secondOf(sequenceComposite), 1e-12, 'd/dx |dL/dwhh|^2');
    });
  }
});
