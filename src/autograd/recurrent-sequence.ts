/**
 * A whole LSTM or GRU layer (one direction) as one differentiable op over the backend's `recurrentSequence`
 * kernel pair: forward and backward each run every time step in one kernel call, instead of a handful of
 * recorded ops per step. Under createGraph its gradient is taken through the same recurrence written with
 * differentiable primitives (`sequenceComposite`), so gradients of gradients still work.
 * @module
 */
import type { SequenceMode } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { grad } from './engine.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import * as P from './primitives.js';

/** Per mode: gate blocks G and saved values per unit. */
const LAYOUT: Record<SequenceMode, { gates: number; saved: number }> = { lstm: { gates: 4, saved: 5 }, gru: { gates: 3, saved: 4 } };

/**
 * Runs a recurrent layer over T steps from the inputs x [T, N, I], their projection xg = x W_ih^T [T, N, G*H]
 * (wih [G*H, I]) plus `bias` [G*H] (b_ih and b_hh, except GRU's b_hn, passed as `bhn` [H]; null: none), W_hh
 * [G*H, H] and the initial states h0 and c0 [N, H] (null: zeros;
 * c0 is LSTM's), backwards in time when `reverse`. Returns y: LSTM [2, T, N, H] (every h_t, then every c_t),
 * GRU [T, N, H] (every h_t), in time order either way. With `batchFirst`, x is [N, T, I] and y [2, N, T, H] or
 * [N, T, H]. Gate order and equations are PyTorch's (LSTM i, f, g, o;
 * GRU r, z, n with n = tanh(x_n + r*(W_hn h + b_hn)) and h' = (1-z)*n + z*h).
 */
export function recurrentSequence(mode: SequenceMode, x: Tensor, wih: Tensor, bias: Tensor | null, whh: Tensor, h0: Tensor | null, c0: Tensor | null,
  bhn: Tensor | null, reverse: boolean, batchFirst = false): Tensor {
  const [A, B] = x.shape;
  const [T, N] = batchFirst ? [B, A] : [A, B];
  const H = whh.shape[1];
  const lstm = mode === 'lstm';
  const c = lstm ? c0 : null;
  const b = lstm ? null : bhn;
  const [ys, ss] = P.backendOf(x).recurrentSequence(mode, x, wih, bias, whh, h0, c, b, reverse, batchFirst);
  const y = new Tensor(ys, lstm ? [2, A, B, H] : [A, B, H]);
  const saved = new Tensor(ss, [T, N, LAYOUT[mode].saved * H]);
  const slots: (Tensor | null)[] = [x, wih, bias, whh, h0, c, b];
  const inputs = slots.filter((t): t is Tensor => t !== null);
  return record(y, 'RecurrentSequenceBackward', inputs, (g) => {
    if (isGradEnabled()) {
      const wanted = inputs.filter((t) => t.requiresGrad);
      const got = grad(sequenceComposite(mode, x, wih, bias, whh, h0, c, b, reverse, batchFirst), wanted, [g], { createGraph: true });
      return inputs.map((t) => (t.requiresGrad ? got[wanted.indexOf(t)] : null));
    }
    const [dx, dwih, dbias, dwhh, dh0, dc0, dbhn] = P.backendOf(g).recurrentSequenceBackward(
      mode, saved, y, x, wih, whh, h0, c, bias !== null, b !== null, g, reverse, batchFirst);
    const grads = [
      new Tensor(dx, x.shape), new Tensor(dwih, wih.shape), dbias && new Tensor(dbias, [wih.shape[0]]), new Tensor(dwhh, whh.shape),
      new Tensor(dh0, [N, H]), dc0 && new Tensor(dc0, [N, H]), dbhn && new Tensor(dbhn, [H]),
    ];
    return grads.filter((_, k) => slots[k] !== null);
  });
}

/** `recurrentSequence` written with differentiable primitives, one step at a time (its gradient under createGraph). */
export function sequenceComposite(mode: SequenceMode, x: Tensor, wih: Tensor, bias: Tensor | null, whh: Tensor, h0: Tensor | null, c0: Tensor | null,
  bhn: Tensor | null, reverse: boolean, batchFirst = false): Tensor {
  const [A, B, I] = x.shape;
  const projected = P.reshape(P.matmul(P.reshape(x, [A * B, I]), P.permute(wih, [1, 0])), [A, B, wih.shape[0]]);
  return stepwise(mode, bias ? P.binary('add', projected, bias) : projected, whh, h0, c0, bhn, reverse, batchFirst);
}

/** The recurrence of `sequenceComposite` from the projected inputs xg (biases included). */
function stepwise(mode: SequenceMode, xg: Tensor, whh: Tensor, h0: Tensor | null, c0: Tensor | null, bhn: Tensor | null, reverse: boolean, batchFirst: boolean): Tensor {
  if (batchFirst) {
    const y = stepwise(mode, P.permute(xg, [1, 0, 2]), whh, h0, c0, bhn, reverse, false);
    return P.permute(y, mode === 'lstm' ? [0, 2, 1, 3] : [1, 0, 2]);
  }
  const [T, N, GH] = xg.shape;
  const H = whh.shape[1];
  const whhT = P.permute(whh, [1, 0]);
  const cols = (x: Tensor, k: number, n = 1) => P.slice(x, [{ start: 0, step: 1, size: N }, { start: k * H, step: 1, size: n * H }]);
  let h = h0 ?? P.filled([N, H], 0, xg.dtype, xg.device);
  let c = c0 ?? P.filled([N, H], 0, xg.dtype, xg.device);
  const hs = new Array<Tensor>(T);
  const cs = new Array<Tensor>(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const x = P.reshape(P.slice(xg, [{ start: t, step: 1, size: 1 }, { start: 0, step: 1, size: N }, { start: 0, step: 1, size: GH }]), [N, GH]);
    const hg = P.matmul(h, whhT);
    if (mode === 'lstm') {
      const out = P.lstmCell(P.binary('add', x, hg), c);
      [h, c] = [cols(out, 0), cols(out, 1)];
    } else {
      const rz = P.unary('sigmoid', P.binary('add', cols(x, 0, 2), cols(hg, 0, 2)));
      const [r, z] = [cols(rz, 0), cols(rz, 1)];
      const hn = bhn ? P.binary('add', cols(hg, 2), bhn) : cols(hg, 2);
      const n = P.unary('tanh', P.binary('add', cols(x, 2), P.binary('mul', r, hn)));
      h = P.binary('add', n, P.binary('mul', z, P.binary('sub', h, n)));
    }
    [hs[t], cs[t]] = [h, c];
  }
  const steps = (xs: Tensor[]) => P.cat(xs.map((v) => P.reshape(v, [1, N, H])), 0);
  return mode === 'lstm' ? P.cat([P.reshape(steps(hs), [1, T, N, H]), P.reshape(steps(cs), [1, T, N, H])], 0) : steps(hs);
}
