/**
 * LSTM, GRU, RNN and their cells against PyTorch: the fixture (tools/make_recurrent_fixtures.py) holds torch's
 * state dict, an input, an optional initial state, the outputs, and the gradients of sum_k sum(out_k * w_k)
 * w.r.t. input, initial state and every parameter. Plus gradcheck, repeated and higher-order backward passes,
 * initialization, dropout between layers, and the typed errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  DTypeError, ShapeError, Tensor, ValueError, enableGrad, getBackend, grad, gradcheck, listBackends, manualSeed, nn, noGrad, randn, setBackend, tensor, zeros, type DType,
} from '../../src/index.js';
import { assertTensorClose, makeInput, type EncTensor } from '../helpers/check-op.js';

interface RecurrentCase {
  name: string;
  cls: 'LSTM' | 'GRU' | 'RNN' | 'LSTMCell' | 'GRUCell' | 'RNNCell';
  args: unknown[];
  state: Record<string, EncTensor>;
  stateKeys: string[];
  input: EncTensor;
  initialState: EncTensor[] | null;
  outputs: EncTensor[];
  gradOutputs: EncTensor[];
  inputGrad: EncTensor;
  stateGrads: EncTensor[];
  paramGrads: Record<string, EncTensor>;
}

type AnyRecurrent = nn.Module & { forward(x: Tensor, state?: unknown): unknown };

const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/nn/recurrent.json', import.meta.url), 'utf8')).cases as RecurrentCase[];
const registry = nn as unknown as Record<string, new (...args: unknown[]) => AnyRecurrent>;

/** Calls the layer as its class does and returns the outputs flat, in the fixture's order. */
function call(layer: AnyRecurrent, cls: RecurrentCase['cls'], x: Tensor, states: Tensor[]): Tensor[] {
  const st = states.length === 0 ? undefined : cls === 'LSTM' || cls === 'LSTMCell' ? states : states[0];
  const r = layer.forward(x, st);
  if (cls === 'LSTM') {
    const [o, [h, c]] = r as [Tensor, [Tensor, Tensor]];
    return [o, h, c];
  }
  if (cls === 'GRU' || cls === 'RNN') return [...(r as [Tensor, Tensor])];
  if (cls === 'LSTMCell') return [...(r as [Tensor, Tensor])];
  return [r as Tensor];
}

function checkCase(c: RecurrentCase, dtype: DType, layout: 'contiguous' | 'strided'): void {
  const tag = `${dtype}/${layout}`;
  const [rtol, atol, gtol] = dtype === 'float64' ? [1e-9, 1e-10, 1e-9] : [1e-4, 1e-5, 1e-4];
  const layer = new registry[c.cls](...c.args).to(dtype);
  assert.deepEqual(Object.keys(layer.stateDict()), c.stateKeys, 'state dict keys, in torch order');
  const state: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.state)) state[k] = makeInput(v, dtype, 'contiguous', false);
  layer.loadStateDict(state);
  const x = makeInput(c.input, dtype, layout, true);
  const states = (c.initialState ?? []).map((s) => makeInput(s, dtype, layout, true));
  const outs = call(layer, c.cls, x, states);
  assert.equal(outs.length, c.outputs.length, 'number of outputs');
  outs.forEach((o, i) => assertTensorClose(o, c.outputs[i], dtype, rtol, atol, `${tag} output ${i}`));
  const named = layer.namedParameters();
  const wrt = [x, ...states, ...named.map((e) => e[1])];
  const gs = grad(outs, wrt, c.gradOutputs.map((g) => makeInput(g, dtype, 'contiguous', false)));
  let k = 0;
  assertTensorClose(gs[k++], c.inputGrad, dtype, rtol * 10, gtol, `${tag} input grad`);
  c.stateGrads.forEach((g, i) => assertTensorClose(gs[k++], g, dtype, rtol * 10, gtol, `${tag} grad of initial state ${i}`));
  for (const [name] of named) assertTensorClose(gs[k++], c.paramGrads[name], dtype, rtol * 10, gtol, `${tag} grad of ${name}`);
}

describe('recurrent layers match PyTorch (outputs, input/state/parameter gradients)', () => {
  for (const backend of listBackends()) {
    for (const c of cases) {
      test(`${backend}: ${c.name}`, () => {
        const prev = getBackend().name;
        setBackend(backend);
        try {
          checkCase(c, 'float64', 'contiguous');
          checkCase(c, 'float32', 'contiguous');
          checkCase(c, 'float64', 'strided');
        } finally {
          setBackend(prev);
        }
      });
    }
  }
});

const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_();

/** gradcheck of `layer` w.r.t. the input, the initial states and the named parameter (swapped in as an argument). */
function gradcheckLayer(layer: AnyRecurrent, cls: RecurrentCase['cls'], xShape: number[], stateShapes: number[][], param: string): void {
  const rec = layer as unknown as Record<string, Tensor>;
  const saved = rec[param];
  const p = saved.detach().clone().requiresGrad_();
  const inputs = [f64(xShape), ...stateShapes.map(f64), p];
  try {
    gradcheck((...a: Tensor[]) => {
      rec[param] = a[a.length - 1];
      return call(layer, cls, a[0], a.slice(1, -1));
    }, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
  } finally {
    rec[param] = saved;
  }
}

describe('recurrent gradcheck (float64, finite differences)', () => {
  test('LSTM: 2 layers, bidirectional, given state', () => {
    manualSeed(1);
    const lstm = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true }).double();
    gradcheckLayer(lstm, 'LSTM', [3, 2, 2], [[4, 2, 2], [4, 2, 2]], 'weight_hh_l1_reverse');
    gradcheckLayer(lstm, 'LSTM', [3, 2, 2], [], 'bias_ih_l0');
  });
  test('GRU: batchFirst, given state, and zero state', () => {
    manualSeed(2);
    const gru = new nn.GRU(2, 3, { batchFirst: true, numLayers: 2 }).double();
    gradcheckLayer(gru, 'GRU', [2, 3, 2], [[2, 2, 3]], 'bias_hh_l0');
    gradcheckLayer(gru, 'GRU', [2, 3, 2], [], 'weight_hh_l1');
  });
  test('RNN: tanh and relu, unbatched', () => {
    manualSeed(3);
    gradcheckLayer(new nn.RNN(2, 3).double(), 'RNN', [4, 2], [[1, 3]], 'weight_hh_l0');
    gradcheckLayer(new nn.RNN(2, 3, { nonlinearity: 'relu', bidirectional: true }).double(), 'RNN', [3, 2, 2], [[2, 2, 3]], 'weight_ih_l0_reverse');
  });
  test('cells', () => {
    manualSeed(4);
    gradcheckLayer(new nn.LSTMCell(2, 3).double(), 'LSTMCell', [2, 2], [[2, 3], [2, 3]], 'weight_hh');
    gradcheckLayer(new nn.GRUCell(2, 3).double(), 'GRUCell', [2, 2], [[2, 3]], 'bias_hh');
    gradcheckLayer(new nn.RNNCell(2, 3).double(), 'RNNCell', [2], [], 'weight_ih');
  });
});

describe('recurrent backward passes', () => {
  test('repeated backward (retainGraph) accumulates the same gradients; grad() twice agrees', () => {
    manualSeed(5);
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 }).double();
    const x = f64([5, 2, 3]);
    const [out, [h]] = lstm.forward(x);
    const loss = out.sum().add(h.square().sum());
    const g1 = grad(loss, [x, lstm.weight_hh_l0], undefined, { retainGraph: true });
    const g2 = grad(loss, [x, lstm.weight_hh_l0], undefined, { retainGraph: true });
    g1.forEach((g, i) => assert.deepEqual(Array.from(g.toTypedArray()), Array.from(g2[i].toTypedArray())));
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    const twice = Array.from(g1[1].toTypedArray(), (v) => 2 * v);
    Array.from(lstm.weight_hh_l0.grad!.toTypedArray()).forEach((v, i) => assert.ok(Math.abs(v - twice[i]) < 1e-12));
  });

  test('createGraph gives the same gradients, and they are differentiable (gradcheck of the gradient)', () => {
    manualSeed(6);
    const lstm = new nn.LSTM(2, 2).double();
    const gru = new nn.GRU(2, 2, { bidirectional: true }).double();
    const x = f64([3, 1, 2]);
    for (const layer of [lstm, gru]) {
      const loss = (v: Tensor) => (layer.forward(v) as [Tensor, unknown])[0].square().sum();
      const plain = grad(loss(x), [x])[0];
      const graphed = grad(loss(x), [x], undefined, { createGraph: true })[0];
      Array.from(graphed.toTypedArray()).forEach((v, i) => assert.ok(Math.abs(v - plain.toTypedArray()[i]) < 1e-12));
      const gradOf = (v: Tensor) => enableGrad(() => {
        const leaf = v.requiresGrad ? v : v.detach().requiresGrad_(); // gradcheck's perturbed copies do not require grad
        return grad(loss(leaf), [leaf], undefined, { createGraph: true })[0];
      });
      gradcheck(gradOf, [x], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
    }
  });
});

describe('recurrent second-order gradients', () => {
  test('a createGraph input gradient differentiated again by a plain backward reaches W_hh (RNN: shared recurrent product)', () => {
    manualSeed(7);
    const rnn = new nn.RNN(2, 3).double();
    const x = f64([4, 1, 2]);
    const w = rnn.weight_hh_l0;
    const inputGradSum = () => grad(rnn.forward(x)[0].square().sum(), [x], undefined, { createGraph: true })[0].sum();
    const got = grad(inputGradSum(), [w])[0].toTypedArray();
    const eps = 1e-6;
    for (const k of [0, 4, 7]) {
      const e = tensor(Array.from({ length: 9 }, (_, i) => (i === k ? eps : 0)), { dtype: 'float64' }).reshape([3, 3]);
      const shifted = (sign: number) => {
        noGrad(() => w.add_(e.mul(sign)));
        const v = inputGradSum().item();
        noGrad(() => w.sub_(e.mul(sign)));
        return v;
      };
      const fd = (shifted(1) - shifted(-1)) / (2 * eps);
      assert.ok(Math.abs(fd - got[k]) < 1e-6, `element ${k}: finite differences ${fd}, autograd ${got[k]}`);
    }
  });
});

describe('recurrent construction', () => {
  test('parameters: torch names and shapes, U(±1/sqrt(H)), seeded, float32 by default', () => {
    manualSeed(7);
    const a = new nn.LSTM(3, 16, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(a.namedParameters().map(([n, p]) => [n, [...p.shape]]));
    assert.deepEqual(shapes, {
      weight_ih_l0: [64, 3], weight_hh_l0: [64, 16], bias_ih_l0: [64], bias_hh_l0: [64],
      weight_ih_l0_reverse: [64, 3], weight_hh_l0_reverse: [64, 16], bias_ih_l0_reverse: [64], bias_hh_l0_reverse: [64],
      weight_ih_l1: [64, 32], weight_hh_l1: [64, 16], bias_ih_l1: [64], bias_hh_l1: [64],
      weight_ih_l1_reverse: [64, 32], weight_hh_l1_reverse: [64, 16], bias_ih_l1_reverse: [64], bias_hh_l1_reverse: [64],
    });
    assert.equal(a.allWeights.length, 4);
    assert.equal(a.allWeights[3][1], (a as unknown as Record<string, Tensor>).weight_hh_l1_reverse);
    const all = a.parameters().flatMap((p) => Array.from(p.toTypedArray()));
    const b = Math.fround(0.25);
    assert.ok(all.every((v) => v >= -b && v <= b) && Math.min(...all) < -0.24 && Math.max(...all) > 0.24);
    assert.equal(a.weight_ih_l0.dtype, 'float32');
    manualSeed(7);
    const again = new nn.LSTM(3, 16, { numLayers: 2, bidirectional: true });
    assert.deepEqual(Array.from((again as unknown as Record<string, Tensor>).weight_hh_l1.toTypedArray()), Array.from((a as unknown as Record<string, Tensor>).weight_hh_l1.toTypedArray()));
    assert.deepEqual(new nn.GRU(3, 4, { bias: false }).namedParameters().map((e) => e[0]), ['weight_ih_l0', 'weight_hh_l0']);
    assert.deepEqual(new nn.RNNCell(3, 4, { dtype: 'float64' }).namedParameters().map(([n, p]) => `${n}${p.shape}${p.dtype}`),
      ['weight_ih4,3float64', 'weight_hh4,4float64', 'bias_ih4float64', 'bias_hh4float64']);
    assert.equal(new nn.GRUCell(3, 4, { bias: false }).bias_ih, null);
    assert.equal(String(new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true })), 'LSTM(3, 4, numLayers=2, batchFirst=true)');
    assert.equal(String(new nn.RNNCell(3, 4, { nonlinearity: 'relu' })), "RNNCell(3, 4, nonlinearity='relu')");
  });

  test('dropout between layers: active only in training, identity in eval', () => {
    manualSeed(8);
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, dropout: 1 }).double();
    const x = randn([5, 2, 3], { dtype: 'float64' });
    // with p = 1 the second layer reads zeros: it equals a one-layer LSTM with its weights on a zero input
    const top = new nn.LSTM(4, 4).double();
    const sd = lstm.stateDict();
    top.loadStateDict({ weight_ih_l0: sd.weight_ih_l1, weight_hh_l0: sd.weight_hh_l1, bias_ih_l0: sd.bias_ih_l1, bias_hh_l0: sd.bias_hh_l1 });
    const [train] = lstm.forward(x);
    const [expect] = top.forward(zeros([5, 2, 4], { dtype: 'float64' }));
    assert.deepEqual(Array.from(train.toTypedArray()), Array.from(expect.toTypedArray()));
    const plain = new nn.LSTM(3, 4, { numLayers: 2 }).double();
    plain.loadStateDict(lstm.stateDict());
    lstm.eval();
    assert.deepEqual(Array.from(lstm.forward(x)[0].toTypedArray()), Array.from(plain.forward(x)[0].toTypedArray()));
  });

  test('bad options are refused with ValueErrors that name the layer and the value', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new nn.LSTM(0, 4), /LSTM: inputSize must be a positive integer, got 0/],
      [() => new nn.GRU(3, 2.5), /GRU: hiddenSize must be a positive integer, got 2.5/],
      [() => new nn.LSTM(3, 4, { numLayers: 0 }), /LSTM: numLayers must be a positive integer, got 0/],
      [() => new nn.RNN(3, 4, { dropout: 1.5 }), /RNN: dropout must be a number in \[0, 1\], got 1.5/],
      [() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' }), /RNN: nonlinearity must be 'tanh' or 'relu', got "sigmoid"/],
      [() => new nn.RNNCell(3, 4, { nonlinearity: 'gelu' as 'relu' }), /RNNCell: nonlinearity must be 'tanh' or 'relu', got "gelu"/],
      [() => new nn.LSTM(3, 4, { batchFirst: 1 as unknown as boolean }), /LSTM: batchFirst must be a boolean, got 1/],
      [() => new nn.LSTMCell(3, -1), /LSTMCell: hiddenSize must be a positive integer, got -1/],
    ];
    for (const [fn, msg] of bad) assert.throws(fn, (e: Error) => e instanceof ValueError && msg.test(e.message), String(msg));
  });
});

describe('recurrent input errors', () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
  const gru = new nn.GRU(3, 4, { bidirectional: true, batchFirst: true });
  const cell = new nn.LSTMCell(3, 4);
  const t = (shape: number[], dtype: DType = 'float32') => zeros(shape, { dtype });
  const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
    ['4-D input', () => lstm.forward(t([2, 3, 4, 3])), ShapeError, /LSTM: input must be 3-D \(L, N, inputSize\) or 2-D \(L, inputSize\) unbatched, got shape \[2, 3, 4, 3\]/],
    ['1-D input', () => gru.forward(t([3])), ShapeError, /GRU: input must be 3-D \(N, L, inputSize\) .*got shape \[3\]/],
    ['wrong features', () => lstm.forward(t([5, 2, 4])), ShapeError, /LSTM: input must have inputSize = 3 features in its last dim, got shape \[5, 2, 4\]/],
    ['empty sequence', () => lstm.forward(t([0, 2, 3])), ShapeError, /LSTM: the sequence length must be at least 1/],
    ['h_0 shape', () => lstm.forward(t([5, 2, 3]), [t([1, 2, 4]), t([2, 2, 4])]), ShapeError, /LSTM: h_0 must have shape \[2, 2, 4\] \(numLayers \* numDirections, N, hiddenSize\), got \[1, 2, 4\]/],
    ['c_0 batch', () => lstm.forward(t([5, 2, 3]), [t([2, 2, 4]), t([2, 3, 4])]), ShapeError, /LSTM: c_0 must have shape \[2, 2, 4\] .*got \[2, 3, 4\]/],
    ['3-D state for unbatched input', () => lstm.forward(t([5, 3]), [t([2, 1, 4]), t([2, 1, 4])]), ShapeError, /LSTM: h_0 must have shape \[2, 4\] \(numLayers \* numDirections, hiddenSize, for unbatched input\), got \[2, 1, 4\]/],
    ['bidirectional batch-first h_0', () => gru.forward(t([2, 5, 3]), t([1, 2, 4])), ShapeError, /GRU: h_0 must have shape \[2, 2, 4\]/],
    ['state not a pair', () => lstm.forward(t([5, 2, 3]), [t([2, 2, 4])] as unknown as [Tensor, Tensor]), ValueError, /LSTM: state must be a pair \[h_0, c_0\] of tensors, got an array of 1/],
    ['state not a tensor', () => gru.forward(t([2, 5, 3]), [1, 2] as unknown as Tensor), ValueError, /GRU: h_0 must be a Tensor, got an array/],
    ['input not a tensor', () => lstm.forward([[1, 2, 3]] as unknown as Tensor), ValueError, /LSTM: input must be a Tensor, got an array/],
    ['dtype mismatch', () => lstm.forward(t([5, 2, 3], 'float64')), DTypeError, /LSTM: input has dtype float64 but the weights are float32/],
    ['integer input', () => lstm.forward(t([5, 2, 3], 'int32')), DTypeError, /LSTM: input must be a floating-point tensor, got dtype int32/],
    ['cell 3-D input', () => cell.forward(t([2, 2, 3])), ShapeError, /LSTMCell: input must be 2-D \(N, inputSize\) or 1-D \(inputSize\), got shape \[2, 2, 3\]/],
    ['cell features', () => cell.forward(t([2, 5])), ShapeError, /LSTMCell: input must have inputSize = 3 features in its last dim, got shape \[2, 5\]/],
    ['cell state shape', () => cell.forward(t([2, 3]), [t([2, 4]), t([3, 4])]), ShapeError, /LSTMCell: c must have shape \[2, 4\] \(N, hiddenSize\), got \[3, 4\]/],
    ['cell unbatched state', () => new nn.GRUCell(3, 4).forward(t([3]), t([1, 4])), ShapeError, /GRUCell: h must have shape \[4\] \(hiddenSize, for unbatched input\), got \[1, 4\]/],
    ['cell state not a pair', () => cell.forward(t([2, 3]), t([2, 4]) as unknown as [Tensor, Tensor]), ValueError, /LSTMCell: state must be a pair \[h, c\] of tensors, got object/],
  ];
  for (const [name, fn, Err, msg] of cases) {
    test(name, () => assert.throws(fn, (e: Error) => e instanceof Err && msg.test(e.message), `${Err.name} ${msg}`));
  }
});
