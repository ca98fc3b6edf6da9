/**
 * The strong-Wolfe line search of LBFGS on host vectors (Float64Array): bracketing, then zooming with cubic
 * interpolation — a line-for-line port of PyTorch 1.13's `_strong_wolfe` and `_cubic_interpolate`
 * (after Nocedal & Wright, Algorithms 3.5/3.6, and minFunc), so the trial steps are PyTorch's.
 * @module
 */

/** The dot product of two host vectors. */
export function dotHost(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** max |a_i| (0 for an empty vector). */
export function absMaxHost(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to `bounds`
 * (default: between x1 and x2); the midpoint of the bounds when the cubic has no minimum.
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** The objective along the search direction: loss and flat gradient at x + t·d (parameters restored after). */
export type DirectionalObjective = (t: number) => { loss: number; grad: Float64Array };

/** What the line search found: the loss and gradient at the accepted step `t`, and how many evaluations it took. */
export interface LineSearchResult {
  /** The loss at the accepted step. */
  loss: number;
  /** The flat gradient at the accepted step. */
  grad: Float64Array;
  /** The accepted step length. */
  t: number;
  /** Loss evaluations the search made. */
  evals: number;
}

/**
 * Strong-Wolfe line search from loss `f`, gradient `g` and directional derivative `gtd` along `d`, first
 * trying step `t`: sufficient decrease (c1) and curvature (c2) conditions, at most `maxLs` evaluations
 * beyond the first, and a bracket narrower than `toleranceChange` (scaled by max|d|) ends the search.
 */
export function strongWolfe(
  obj: DirectionalObjective, t: number, d: Float64Array, f: number, g: Float64Array, gtd: number,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): LineSearchResult {
  const dNorm = absMaxHost(d);
  let { loss: fNew, grad: gNew } = obj(t);
  let evals = 1;
  let gtdNew = dotHost(gNew, d);
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bf: number[] = [];
  let bg: Float64Array[] = [];
  let bgtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bf, bg, bgtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bf, bg] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bf, bg, bgtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ loss: fNew, grad: gNew } = obj(t));
    evals++;
    gtdNew = dotHost(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) [bracket, bf, bg] = [[0, t], [f, fNew], [g, gNew]];

  // zoom: shrink the bracket until a point satisfies the conditions
  let insufProgress = false;
  let [low, high] = bf[0] <= bf[bf.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1]);
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // too close to a boundary: after one such step, or at the boundary itself, move 10% inside
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    ({ loss: fNew, grad: gNew } = obj(t));
    evals++;
    gtdNew = dotHost(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bf[low]) {
      bracket[high] = t;
      bf[high] = fNew;
      bg[high] = gNew;
      bgtd[high] = gtdNew;
      [low, high] = bf[0] <= bf[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
        bracket[high] = bracket[low];
        bf[high] = bf[low];
        bg[high] = bg[low];
        bgtd[high] = bgtd[low];
      }
      bracket[low] = t;
      bf[low] = fNew;
      bg[low] = gNew;
      bgtd[low] = gtdNew;
    }
  }
  return { loss: bf[low], grad: bg[low], t: bracket[low], evals };
}
