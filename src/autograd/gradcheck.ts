/**
 * `gradcheck`: compares the analytic Jacobian from backward with central finite differences in float64.
 * @module
 */
import { AutogradError, DTypeError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';
import { grad } from './engine.js';
import { backendOf } from './primitives.js';

/** Tolerances and behaviour of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw an AutogradError describing the first mismatch (default true); otherwise return false. */
  raiseException?: boolean;
}

function outputsOf(r: Tensor | readonly Tensor[]): Tensor[] {
  return r instanceof Tensor ? [r] : [...r];
}

function withElement(t: Tensor, i: number, value: number): Tensor {
  const data = t.toTypedArray();
  data[i] = value;
  return new Tensor(backendOf(t).fromData(data, t.dtype), t.shape);
}

/**
 * Checks `fn`'s gradients at `inputs` (float64 tensors; those with requiresGrad are checked) against central
 * differences: |analytic - numeric| <= atol + rtol * |numeric| for every Jacobian entry. Returns true.
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor | readonly Tensor[], inputs: readonly Tensor[], opts: GradcheckOptions = {}): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  const checked = inputs.filter((t) => t.requiresGrad);
  for (const t of checked) {
    if (t.dtype !== 'float64') throw new DTypeError(`gradcheck: inputs that require grad must be float64, got ${t.dtype}`);
  }
  const all = outputsOf(fn(...inputs));
  // outputs that can carry a gradient (float64 ones; integer/bool outputs such as indices are skipped)
  const kept = all.map((o, q) => (o.requiresGrad || o.dtype === 'float64' ? q : -1)).filter((q) => q >= 0);
  const outs = kept.map((q) => all[q]);
  const outSizes = outs.map((o) => o.numel());
  const totalOut = outSizes.reduce((a, b) => a + b, 0);

  // numeric[k][i][j]: d out_j / d input_k[i] (j over all outputs concatenated)
  const numeric = checked.map((t) => {
    const n = t.numel();
    const base = t.toTypedArray();
    const cols: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const eval1 = (v: number) =>
        noGrad(() => {
          const args = inputs.map((x) => (x === t ? withElement(t, i, v) : x));
          const res = outputsOf(fn(...args));
          return concatOutputs(kept.map((q) => res[q]));
        });
      const plus = eval1(base[i] + eps);
      const minus = eval1(base[i] - eps);
      const col = new Float64Array(totalOut);
      for (let j = 0; j < totalOut; j++) col[j] = (plus[j] - minus[j]) / (2 * eps);
      cols.push(col);
    }
    return cols;
  });

  // analytic: one backward per output element
  let j = 0;
  for (let o = 0; o < outs.length; o++) {
    for (let e = 0; e < outSizes[o]; e++, j++) {
      let analytic: Float64Array[];
      if (!outs[o].requiresGrad) {
        analytic = checked.map((t) => new Float64Array(t.numel()));
      } else {
        const seed = new Float64Array(outSizes[o]);
        seed[e] = 1;
        const gOut = new Tensor(backendOf(outs[o]).fromData(seed, outs[o].dtype), outs[o].shape);
        const gs = grad([outs[o]], checked, [gOut], { retainGraph: true });
        analytic = gs.map((g) => Float64Array.from(g.toTypedArray()));
      }
      for (let k = 0; k < checked.length; k++) {
        for (let i = 0; i < analytic[k].length; i++) {
          const a = analytic[k][i];
          const nv = numeric[k][i][j];
          if (!(Math.abs(a - nv) <= atol + rtol * Math.abs(nv))) {
            if (!raise) return false;
            throw new AutogradError(
              `gradcheck: Jacobian mismatch for input ${inputs.indexOf(checked[k])}, element ${i}, output ${o} element ${e}: analytic ${a}, numeric ${nv}`,
            );
          }
        }
      }
    }
  }
  return true;
}

function concatOutputs(outs: readonly Tensor[]): Float64Array {
  const parts = outs.map((o) => o.toTypedArray());
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
