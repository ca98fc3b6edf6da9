/**
 * nn.utils.rnn (packPaddedSequence, padPackedSequence, padSequence, packSequence) and LSTM/GRU/RNN over a
 * PackedSequence against PyTorch (tools/make_packed_fixtures.py: values, and gradients w.r.t. the padded input,
 * the initial state and every parameter), in float64 and float32; gradcheck through a packed run; equality with
 * running each sequence alone; the typed errors for bad lengths.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, Tensor, ValueError, getBackend, grad, listBackends, setBackend, gradcheck, manualSeed, nn, randn, tensor, type DType } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { assertTensorClose, makeInput, type EncTensor } from '../helpers/check-op.js';

const { packPaddedSequence, padPackedSequence, padSequence, packSequence } = nn.utils.rnn;

interface PackCase {
  name: string;
  input: EncTensor;
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
  paddingValue: number;
  totalLength: number | null;
  data: EncTensor;
  batchSizes: number[];
  sortedIndices: number[] | null;
  unsortedIndices: number[] | null;
  padded: EncTensor;
  paddedLengths: number[];
  gradWeight: EncTensor;
  inputGrad: EncTensor;
}

interface RnnCase {
  name: string;
  cls: 'LSTM' | 'GRU' | 'RNN';
  args: unknown[];
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
  state: Record<string, EncTensor>;
  input: EncTensor;
  initialState: EncTensor[] | null;
  outputs: EncTensor[];
  batchSizes: number[];
  gradOutputs: EncTensor[];
  inputGrad: EncTensor;
  stateGrads: EncTensor[];
  paramGrads: Record<string, EncTensor>;
}

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/nn/packed.json', import.meta.url), 'utf8')) as { pack: PackCase[]; rnn: RnnCase[] };
type Recurrent = nn.LSTM | nn.GRU | nn.RNN;
const layers = { LSTM: nn.LSTM, GRU: nn.GRU, RNN: nn.RNN } as unknown as Record<string, new (...a: unknown[]) => Recurrent>;
const ints = (t: Tensor | null) => (t === null ? null : Array.from(t.toTypedArray()));
const tol = (dtype: DType) => (dtype === 'float64' ? [1e-10, 1e-11] : [1e-5, 1e-5]);

describe('packPaddedSequence / padPackedSequence match PyTorch', () => {
  for (const c of fixture.pack) {
    for (const dtype of ['float64', 'float32'] as const) {
      test(`${c.name} (${dtype})`, () => {
        const [rtol, atol] = tol(dtype);
        const x = makeInput(c.input, dtype, 'contiguous', true);
        const p = packPaddedSequence(x, c.lengths, { batchFirst: c.batchFirst, enforceSorted: c.enforceSorted });
        assertTensorClose(p.data, c.data, dtype, rtol, atol, 'data');
        assert.deepEqual(ints(p.batchSizes), c.batchSizes);
        assert.deepEqual(ints(p.sortedIndices), c.sortedIndices);
        assert.deepEqual(ints(p.unsortedIndices), c.unsortedIndices);
        const [padded, lengths] = padPackedSequence(p, { batchFirst: c.batchFirst, paddingValue: c.paddingValue, totalLength: c.totalLength ?? undefined });
        assertTensorClose(padded, c.padded, dtype, rtol, atol, 'padded');
        assert.deepEqual(ints(lengths), c.paddedLengths);
        const [g] = grad([p.data], [x], [makeInput(c.gradWeight, dtype, 'contiguous', false)]);
        assertTensorClose(g, c.inputGrad, dtype, rtol, atol, 'input grad');
      });
    }
  }

  test('padSequence and packSequence', () => {
    const a = tensor([[1, 2], [3, 4], [5, 6]]);
    const b = tensor([[7, 8]]);
    assert.deepEqual(padSequence([a, b]).toArray(), [[[1, 2], [7, 8]], [[3, 4], [0, 0]], [[5, 6], [0, 0]]]);
    assert.deepEqual(padSequence([b, a], { batchFirst: true, paddingValue: -1 }).toArray(), [[[7, 8], [-1, -1], [-1, -1]], [[1, 2], [3, 4], [5, 6]]]);
    const p = packSequence([b, a], { enforceSorted: false });
    assert.deepEqual(p.data.toArray(), [[1, 2], [7, 8], [3, 4], [5, 6]]);
    assert.deepEqual(ints(p.batchSizes), [2, 1, 1]);
    assert.deepEqual(ints(p.sortedIndices), [1, 0]);
    const [back, lengths] = padPackedSequence(p, { batchFirst: true });
    assert.deepEqual(back.toArray(), padSequence([b, a], { batchFirst: true }).toArray());
    assert.deepEqual(ints(lengths), [1, 3]);
  });
});

function runCase(c: RnnCase, dtype: DType): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-10] : [1e-4, 1e-5];
  const layer = new layers[c.cls](...c.args).to(dtype);
  const state: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.state)) state[k] = makeInput(v, dtype, 'contiguous', false);
  layer.loadStateDict(state);
  const x = makeInput(c.input, dtype, 'contiguous', true);
  const states = (c.initialState ?? []).map((s) => makeInput(s, dtype, 'contiguous', true));
  const packed = packPaddedSequence(x, c.lengths, { batchFirst: c.batchFirst, enforceSorted: c.enforceSorted });
  let outs: Tensor[];
  if (c.cls === 'LSTM') {
    const [o, [h, cc]] = (layer as nn.LSTM).forwardPacked(packed, states.length ? [states[0], states[1]] : null);
    assert.deepEqual(ints(o.batchSizes), c.batchSizes);
    outs = [o.data, h, cc];
  } else {
    const [o, h] = (layer as nn.GRU).forwardPacked(packed, states[0] ?? null);
    outs = [o.data, h];
  }
  outs.forEach((o, i) => assertTensorClose(o, c.outputs[i], dtype, rtol, atol, `${dtype} output ${i}`));
  const named = layer.namedParameters();
  const gs = grad(outs, [x, ...states, ...named.map((e) => e[1])], c.gradOutputs.map((g) => makeInput(g, dtype, 'contiguous', false)));
  let k = 0;
  assertTensorClose(gs[k++], c.inputGrad, dtype, rtol * 10, atol * 10, `${dtype} input grad`);
  c.stateGrads.forEach((g, i) => assertTensorClose(gs[k++], g, dtype, rtol * 10, atol * 10, `${dtype} grad of initial state ${i}`));
  for (const [name] of named) assertTensorClose(gs[k++], c.paramGrads[name], dtype, rtol * 10, atol * 10, `${dtype} grad of ${name}`);
}

describe('LSTM / GRU / RNN over a PackedSequence match PyTorch (outputs, final states, gradients)', () => {
  for (const backend of listBackends()) {
    for (const c of fixture.rnn) {
      test(`${backend}: ${c.name}`, () => {
        const prev = getBackend().name;
        setBackend(backend);
        try {
          runCase(c, 'float64');
          runCase(c, 'float32');
        } finally {
          setBackend(prev);
        }
      });
    }
  }

  test('forward() takes a PackedSequence at run time too, as PyTorch', () => {
    manualSeed(3);
    const gru = new nn.GRU(2, 3);
    const p = packSequence([randn([3, 2]), randn([2, 2])]);
    const [a, ha] = gru.forwardPacked(p);
    const [b, hb] = gru.forward(p as unknown as Tensor) as unknown as [nn.PackedSequence, Tensor];
    assert.ok(b instanceof nn.PackedSequence);
    assert.deepEqual(b.data.toArray(), a.data.toArray());
    assert.deepEqual(hb.toArray(), ha.toArray());
  });

  test('a packed batch gives each sequence the output and final state it has alone (padding skipped)', () => {
    manualSeed(5);
    const lstm = new nn.LSTM(3, 4, { bidirectional: true, numLayers: 2 }).double();
    const seqs = [randn([2, 3], { dtype: 'float64' }), randn([5, 3], { dtype: 'float64' }), randn([3, 3], { dtype: 'float64' })];
    const [out, [h, c]] = lstm.forwardPacked(packSequence(seqs, { enforceSorted: false }));
    const [padded, lengths] = padPackedSequence(out, { batchFirst: true });
    assert.deepEqual(ints(lengths), [2, 5, 3]);
    seqs.forEach((s, n) => {
      const [o1, [h1, c1]] = lstm.forward(s);
      const close = (a: Tensor, b: Tensor, what: string) => Array.from(a.toTypedArray()).forEach((v, i) => assert.ok(Math.abs(v - b.toTypedArray()[i]) < 1e-12, `${what} of sequence ${n}`));
      close(padded.select(0, n).narrow(0, 0, s.shape[0]).contiguous(), o1, 'output');
      close(h.select(1, n).contiguous(), h1, 'h_n');
      close(c.select(1, n).contiguous(), c1, 'c_n');
    });
  });
});

describe('packed gradcheck (float64, finite differences)', () => {
  test('bidirectional GRU and LSTM with initial states, unsorted lengths', () => {
    manualSeed(7);
    const gru = new nn.GRU(2, 2, { bidirectional: true }).double();
    gradcheck((x: Tensor, h0: Tensor) => {
      const [o, h] = gru.forwardPacked(packPaddedSequence(x, [2, 3, 1], { enforceSorted: false }), h0);
      return [o.data, h];
    }, [randn([3, 3, 2], { dtype: 'float64' }).requiresGrad_(), randn([2, 3, 2], { dtype: 'float64' }).requiresGrad_()], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
    const lstm = new nn.LSTM(2, 2, { numLayers: 2 }).double();
    gradcheck((x: Tensor, h0: Tensor, c0: Tensor) => {
      const [o, [h, c]] = lstm.forwardPacked(packPaddedSequence(x, [3, 1], { batchFirst: true }), [h0, c0]);
      return [o.data, h, c];
    }, [randn([2, 3, 2], { dtype: 'float64' }).requiresGrad_(), randn([2, 2, 2], { dtype: 'float64' }).requiresGrad_(), randn([2, 2, 2], { dtype: 'float64' }).requiresGrad_()], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
  });
});

const x3 = () => randn([4, 3, 2]);
checkErrors('nn.utils.rnn', [
  ['unsorted lengths with enforceSorted', () => packPaddedSequence(x3(), [2, 4, 1]), ValueError, /^packPaddedSequence: lengths must be sorted in decreasing order when enforceSorted is true, got lengths\[0\] = 2 < lengths\[1\] = 4/],
  ['a zero length', () => packPaddedSequence(x3(), [4, 0, 0], { enforceSorted: false }), ValueError, /^packPaddedSequence: lengths must all be > 0, got lengths\[1\] = 0/],
  ['a length longer than the sequence', () => packPaddedSequence(x3(), [5, 2, 1]), ValueError, /^packPaddedSequence: lengths\[0\] = 5 is longer than the padded sequence length 4/],
  ['lengths of the wrong count', () => packPaddedSequence(x3(), [4, 2]), ValueError, /^packPaddedSequence: lengths must have one entry per sequence \(batch size 3\), got 2/],
  ['a fractional length', () => packPaddedSequence(x3(), [4, 2.5, 1]), ValueError, /^packPaddedSequence: lengths\[1\] must be an integer, got 2.5/],
  ['float lengths tensor', () => packPaddedSequence(x3(), tensor([4, 2, 1])), ValueError, /^packPaddedSequence: lengths must be a 1-D int32 tensor or an array of integers, got a float32 tensor/],
  ['1-D input', () => packPaddedSequence(randn([4]), [4]), ShapeError, /^packPaddedSequence: input must be at least 2-D/],
  ['totalLength too short', () => padPackedSequence(packPaddedSequence(x3(), [4, 2, 1]), { totalLength: 3 }), ValueError, /^padPackedSequence: totalLength must be an integer >= the longest sequence's length 4, got 3/],
  ['padSequence with mismatched features', () => padSequence([randn([2, 3]), randn([2, 4])]), ShapeError, /^padSequence: every sequence must be \(L_i, 3\) like sequences\[0\], got sequences\[1\] of shape \[2, 4\]/],
  ['packed data of the wrong width', () => new nn.GRU(3, 2).forwardPacked(packPaddedSequence(x3(), [4, 2, 1])), ShapeError, /^GRU: a PackedSequence's data must be 2-D \(sum\(batchSizes\), inputSize = 3\), got shape \[7, 2\]/],
  ['initial state for the wrong batch', () => new nn.RNN(2, 2).forwardPacked(packPaddedSequence(x3(), [4, 2, 1]), randn([1, 2, 2])), ShapeError, /^RNN: h_0 must have shape \[1, 3, 2\]/],
  ['batchSizes increasing', () => new nn.PackedSequence(randn([3, 2]), tensor([1, 2], { dtype: 'int32' })), ValueError, /^PackedSequence: batchSizes must be a non-empty 1-D tensor of positive, non-increasing integers, got \[1,2\]/],
]);
