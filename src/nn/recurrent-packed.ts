/**
 * LSTM, GRU and RNN over a PackedSequence, with PyTorch's results: padding never enters a state. Forward in time,
 * a sequence's final state is its state at its own last step; backwards in time, a sequence joins (from its initial
 * state) at its own last step. The final states come back in the caller's batch order (unsortedIndices), the output
 * as a PackedSequence.
 * LSTM and GRU layers run as whole-sequence ops (one kernel call per layer and direction, each way): the packed rows
 * are gathered onto a time-major grid with every sequence starting at step 0 (reversed within its own length for
 * the backward direction), so the positions past a sequence's end come after all of its steps and never reach an
 * output or a final state that is read back; their gradient is zero. Plain RNN layers run step by step, at step t
 * only the batchSizes[t] sequences still running.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { dropout } from '../ops/dropout.js';
import { indexSelect } from '../ops/indexing.js';
import { cat, stack } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import { recurrentSequence } from '../autograd/recurrent-sequence.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkDType, foldBiases, project, rnnStep, sharedProduct, splitViews } from './recurrent-cells.js';
import type { RNNBase } from './recurrent.js';
import { PackedSequence } from './rnn-pack.js';

/** Checks an initial state of a packed run ([D*numLayers, N, H], caller's order) and returns it in sorted order. */
function packedState(m: RNNBase, s: unknown, what: string, x: PackedSequence): Tensor {
  const name = m.constructor.name;
  const t = checkTensor(name, s, what);
  const n = x.batchSizeList()[0];
  const want = [m.numDirections * m.numLayers, n, m.hiddenSize];
  if (t.ndim !== 3 || t.shape.some((v, d) => v !== want[d])) {
    throw new ShapeError(`${name}: ${what} must have shape ${fmtShape(want)} (numLayers * numDirections, N, hiddenSize) for a packed batch of ${n} sequences, got ${fmtShape(t.shape)}`);
  }
  checkDType(name, t, m.weight_ih_l0, what);
  return x.sortedIndices ? indexSelect(t, 1, x.sortedIndices) : t;
}

/** Runs one plain RNN layer-direction step by step over packed rows xg (already projected); returns its output rows and final states. */
function rnnDirection(m: RNNBase, k: number, xg: Tensor, bs: readonly number[], reverse: boolean, h0: Tensor | null): { out: Tensor; h: Tensor } {
  const H = m.hiddenSize;
  const T = bs.length;
  const offsets = [0];
  for (const b of bs) offsets.push(offsets[offsets.length - 1] + b);
  const xs = splitViews(xg, 0, bs.map((b, t) => [offsets[t], b] as const));
  const recurrent = sharedProduct(m.allWeights[k][1]);
  const step = (x: Tensor, h: Tensor | null): Tensor => rnnStep(x, h, recurrent, m.mode === 'RNN_RELU');
  const outs = new Array<Tensor>(T);
  if (!reverse) {
    let h = h0;
    const done: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const b = bs[t];
      if (h !== null && h.shape[0] > b) {
        // the sequences b.. ended at step t - 1: their states are final
        const [keep, ended] = splitViews(h, 0, [[0, b], [b, h.shape[0] - b]]);
        done.push(ended);
        h = keep;
      }
      h = step(xs[t], h);
      outs[t] = h;
    }
    done.push(h as Tensor);
    return { out: cat(outs, 0), h: done.length === 1 ? done[0] : cat(done.reverse(), 0) };
  }
  // backwards in time the batch grows: sequence rows [cur, b) start at step t from their initial state
  const growth: [number, number][] = [];
  for (let t = T - 1, cur = 0; t >= 0; cur = bs[t], t--) if (bs[t] > cur) growth.push([cur, bs[t] - cur]);
  const initH = h0 ? splitViews(h0, 0, growth) : null;
  let h: Tensor | null = null;
  let g = 0;
  for (let t = T - 1; t >= 0; t--) {
    const cur = h === null ? 0 : h.shape[0];
    if (bs[t] > cur) {
      const hNew = initH ? initH[g] : null;
      h = h === null ? hNew : cat([h, hNew ?? P.filled([bs[t] - cur, H], 0, xg.dtype, xg.device)], 0);
      g++;
    }
    h = step(xs[t], h);
    outs[t] = h;
  }
  return { out: cat(outs, 0), h: h as Tensor };
}

/** Int32 index tensor. */
function ids(a: Int32Array): Tensor {
  return tensor(a, { shape: [a.length], dtype: 'int32' });
}

/**
 * Row indices between the packed rows of batch sizes `bs` and a [T, N] time-major grid (sequences in sorted order):
 * `grid[d]` picks the packed row of grid cell (s, j), step s of sequence j in direction d (d = 1: counted from the
 * sequence's end); cells past the sequence's end pick its first row (any finite row would do: see the module doc).
 * `back[d]` picks, for each packed row, its grid cell; `last` the grid cell of each sequence's final state.
 */
function gridLayout(bs: readonly number[]): { T: number; N: number; grid: [Tensor, Tensor]; back: [Tensor, Tensor]; last: Tensor } {
  const T = bs.length;
  const N = bs[0];
  const offsets = [0];
  for (const b of bs) offsets.push(offsets[offsets.length - 1] + b);
  const len = new Int32Array(N);
  for (const b of bs) for (let j = 0; j < b; j++) len[j]++;
  const grid = [new Int32Array(T * N), new Int32Array(T * N)];
  const back = [new Int32Array(offsets[T]), new Int32Array(offsets[T])];
  for (let s = 0; s < T; s++) {
    for (let j = 0; j < N; j++) {
      grid[0][s * N + j] = s < len[j] ? offsets[s] + j : j;
      grid[1][s * N + j] = s < len[j] ? offsets[len[j] - 1 - s] + j : j;
      if (s < len[j]) {
        back[0][offsets[s] + j] = s * N + j;
        back[1][offsets[s] + j] = (len[j] - 1 - s) * N + j;
      }
    }
  }
  return { T, N, grid: [ids(grid[0]), ids(grid[1])], back: [ids(back[0]), ids(back[1])], last: ids(Int32Array.from(len, (l, j) => (l - 1) * N + j)) };
}

/** One LSTM or GRU layer-direction over packed rows `input` as one whole-sequence op (see the module doc). */
function sequenceDirection(
  m: RNNBase, k: number, input: Tensor, layout: ReturnType<typeof gridLayout>, d: number, h0: Tensor | null, c0: Tensor | null,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  const [wih, whh, bih, bhh] = m.allWeights[k];
  const H = m.hiddenSize;
  const { T, N } = layout;
  const lstm = m.mode === 'LSTM';
  const bias = foldBiases(m.mode, bih ?? null, bhh ?? null, H);
  const x = P.reshape(P.indexSelect(input, 0, layout.grid[d]), [T, N, input.shape[1]]);
  const y = recurrentSequence(lstm ? 'lstm' : 'gru', x, wih, bias.input, whh, h0, c0, bias.hn, false);
  const part = (p: number) => P.reshape(lstm ? P.slice(y, [{ start: p, step: 1, size: 1 }, ...[T, N, H].map((size) => ({ start: 0, step: 1, size }))]) : y, [T * N, H]);
  const hs = part(0);
  return {
    out: P.indexSelect(hs, 0, layout.back[d]),
    h: P.indexSelect(hs, 0, layout.last),
    c: lstm ? P.indexSelect(part(1), 0, layout.last) : null,
  };
}

/** Runs every layer and direction of `m` over the packed batch; returns the packed output and final states (caller's order). */
function runPacked(m: RNNBase, x: PackedSequence, h0: Tensor | null, c0: Tensor | null): { output: PackedSequence; h: Tensor; c: Tensor | null } {
  const name = m.constructor.name;
  const data = x.data;
  if (data.ndim !== 2 || data.shape[1] !== m.inputSize) {
    throw new ShapeError(`${name}: a PackedSequence's data must be 2-D (sum(batchSizes), inputSize = ${m.inputSize}), got shape ${fmtShape(data.shape)}`);
  }
  checkDType(name, data, m.weight_ih_l0, 'input');
  const bs = x.batchSizeList();
  const D = m.numDirections;
  const H = m.hiddenSize;
  const pieces = m.allWeights.map((_, k) => [k, 1] as const);
  const hs: (Tensor | null)[] = h0 ? splitViews(h0, 0, pieces, true) : m.allWeights.map(() => null);
  const cs: (Tensor | null)[] = c0 ? splitViews(c0, 0, pieces, true) : m.allWeights.map(() => null);
  const layout = m.mode === 'LSTM' || m.mode === 'GRU' ? gridLayout(bs) : null;
  let input = data;
  let output = data;
  for (let l = 0; l < m.numLayers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const [wih, , bih, bhh] = m.allWeights[k];
      const plain = (): { out: Tensor; h: Tensor; c: null } => {
        const bias = foldBiases(m.mode, bih ?? null, bhh ?? null, H);
        return { ...rnnDirection(m, k, project(input, wih, bias.input), bs, d === 1, hs[k]), c: null };
      };
      const r = layout ? sequenceDirection(m, k, input, layout, d, hs[k], cs[k]) : plain();
      outs.push(r.out);
      hs[k] = r.h;
      cs[k] = r.c;
    }
    output = D === 1 ? outs[0] : cat(outs, 1);
    input = l < m.numLayers - 1 && m.training && m.dropout > 0 ? dropout(output, m.dropout) : output;
  }
  const unsort = (t: Tensor) => (x.unsortedIndices ? indexSelect(t, 1, x.unsortedIndices) : t);
  return {
    output: x.withData(output),
    h: unsort(stack(hs as Tensor[], 0)),
    c: m.mode === 'LSTM' ? unsort(stack(cs as Tensor[], 0)) : null,
  };
}

/** LSTM over a packed batch: returns [packed output (data [sum(batchSizes), D*H]), [h_n, c_n]]. */
export function lstmPacked(m: RNNBase, x: PackedSequence, state?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]] {
  let h0: Tensor | null = null;
  let c0: Tensor | null = null;
  if (state !== undefined && state !== null) {
    if (!Array.isArray(state) || state.length !== 2) throw new ValueError(`LSTM: state must be a pair [h_0, c_0] of tensors, got ${Array.isArray(state) ? `an array of ${state.length}` : typeof state}`);
    h0 = packedState(m, state[0], 'h_0', x);
    c0 = packedState(m, state[1], 'c_0', x);
  }
  const r = runPacked(m, x, h0, c0);
  return [r.output, [r.h, r.c as Tensor]];
}

/** GRU or RNN over a packed batch: returns [packed output, h_n]. */
export function hiddenPacked(m: RNNBase, x: PackedSequence, h0?: Tensor | null): [PackedSequence, Tensor] {
  const h = h0 === undefined || h0 === null ? null : packedState(m, h0, 'h_0', x);
  const r = runPacked(m, x, h, null);
  return [r.output, r.h];
}
