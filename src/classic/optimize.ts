/**
 * Smooth unconstrained minimization on host vectors for the classic estimators: L-BFGS with a strong-Wolfe
 * line search (Nocedal & Wright, algorithms 7.4, 3.5 and 3.6), damped Newton with a backtracking line
 * search, and plain gradient descent. Each stops when the largest gradient entry is at most `gtol`.
 * @module
 */

/** f(x), writing the gradient into `grad` (same length as x). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** The outcome of a minimization. */
export interface MinimizeResult {
  /** The last iterate. */
  x: Float64Array;
  /** f at x. */
  f: number;
  /** Iterations taken. */
  nIter: number;
  /** True when the gradient (or relative decrease) test was met before maxIter. */
  converged: boolean;
  /** f at the start and after each iteration. */
  history: number[];
}

/** Stopping options shared by the minimizers. */
export interface MinimizeOptions {
  /** Most iterations. */
  maxIter: number;
  /** Stop when max |grad| <= gtol. */
  gtol: number;
  /** Stop when the relative decrease (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol (default 64 eps, as sklearn gives scipy). */
  ftol?: number;
}

function maxAbs(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) {
    const v = Math.abs(g[i]);
    if (!(v <= m)) m = v;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Minimizer of the cubic interpolating f and f' at two points, or NaN. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - 3 * ((fa - fb) / (a - b));
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}

interface LinePoint {
  t: number;
  f: number;
  g: number; // directional derivative
  grad: Float64Array;
  x: Float64Array;
}

/** A step along p satisfying the strong Wolfe conditions, or null when none was found within maxLs tries. */
function wolfeSearch(fun: Objective, x: Float64Array, f0: number, g0: number, p: Float64Array, t0: number, maxLs: number): LinePoint | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  // near the optimum f changes by less than its rounding error: allow that much, so the curvature
  // condition (on the gradient, still accurate there) decides
  const noise = 8 * Number.EPSILON * Math.abs(f0);
  let evals = 0;
  const at = (t: number): LinePoint => {
    evals++;
    const xt = new Float64Array(n);
    for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
    const grad = new Float64Array(n);
    const f = fun(xt, grad);
    return { t, f, g: dot(grad, p), grad, x: xt };
  };
  const zoom = (lo: LinePoint, hi: LinePoint): LinePoint | null => {
    while (evals < maxLs) {
      let t = cubicMin(lo.t, lo.f, lo.g, hi.t, hi.f, hi.g);
      const a = Math.min(lo.t, hi.t);
      const b = Math.max(lo.t, hi.t);
      const margin = 0.1 * (b - a);
      if (!(t > a + margin && t < b - margin)) t = (lo.t + hi.t) / 2;
      if (b - a < 1e-16 * Math.max(1, b)) return lo.t > 0 ? lo : null;
      const cur = at(t);
      if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * t * g0 + noise || cur.f > lo.f + noise) {
        hi = cur;
      } else {
        if (Math.abs(cur.g) <= -c2 * g0) return cur;
        if (cur.g * (hi.t - lo.t) >= 0) hi = lo;
        lo = cur;
      }
    }
    return lo.t > 0 && lo.f <= f0 + c1 * lo.t * g0 + noise ? lo : null;
  };
  let prev: LinePoint = { t: 0, f: f0, g: g0, grad: new Float64Array(0), x };
  let t = t0;
  for (let i = 0; evals < maxLs; i++) {
    const cur = at(t);
    if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * t * g0 + noise || (i > 0 && cur.f > prev.f + noise)) return zoom(prev, cur);
    if (Math.abs(cur.g) <= -c2 * g0) return cur;
    if (cur.g >= 0) return zoom(cur, prev);
    prev = cur;
    t *= 2;
  }
  return null;
}

/**
 * L-BFGS from x0 keeping the last `memory` (default 10) correction pairs. Stops on max |grad| <= gtol, on a
 * relative decrease <= ftol, when the line search fails (at a point no better can be found), or at maxIter.
 */
export function lbfgs(fun: Objective, x0: Float64Array, opts: MinimizeOptions & { memory?: number; maxLs?: number }): MinimizeResult {
  const n = x0.length;
  const m = opts.memory ?? 10;
  const ftol = opts.ftol ?? 64 * Number.EPSILON;
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let f = fun(x, g);
  const history = [f];
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  let it = 0;
  let converged = maxAbs(g) <= opts.gtol;
  while (!converged && it < opts.maxIter) {
    // two-loop recursion: p = -H g
    const q = Float64Array.from(g);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], q);
      for (let i = 0; i < n; i++) q[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length > 0 ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1;
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], q);
      for (let i = 0; i < n; i++) q[i] += S[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) q[i] = -q[i];
    let gp = dot(g, q);
    if (!(gp < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) q[i] = -g[i];
      gp = dot(g, q);
    }
    const t0 = S.length === 0 ? Math.min(1, 1 / Math.max(maxAbs(g), 1e-300)) : 1;
    const step = wolfeSearch(fun, x, f, gp, q, t0, opts.maxLs ?? 50);
    it++;
    if (!step) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = step.x[i] - x[i];
      y[i] = step.grad[i] - g[i];
    }
    const sy = dot(s, y);
    const fOld = f;
    x = step.x;
    g = step.grad;
    f = step.f;
    history.push(f);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    if (maxAbs(g) <= opts.gtol || (fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) converged = true;
  }
  return { x, f, nIter: it, converged, history };
}

/**
 * Damped Newton: solves H p = -g with `solveNewton` (which returns null when H cannot be used), then
 * backtracks (Armijo) from step 1; falls back to a gradient step when the Newton step fails.
 */
export function newton(
  fun: Objective, x0: Float64Array, solveNewton: (x: Float64Array, g: Float64Array) => Float64Array | null, opts: MinimizeOptions,
): MinimizeResult {
  const n = x0.length;
  const ftol = opts.ftol ?? 64 * Number.EPSILON;
  let x: Float64Array = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fun(x, g);
  const history = [f];
  let it = 0;
  let converged = maxAbs(g) <= opts.gtol;
  const gNew = new Float64Array(n);
  while (!converged && it < opts.maxIter) {
    let p = solveNewton(x, g);
    let gp = p ? dot(g, p) : 0;
    if (!p || !(gp < 0)) {
      p = g.map((v) => -v);
      gp = dot(g, p);
    }
    let t = 1;
    let accepted: Float64Array | null = null;
    let fNew = f;
    for (let ls = 0; ls < 60; ls++) {
      const xt = new Float64Array(n);
      for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
      fNew = fun(xt, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * t * gp) {
        accepted = xt;
        break;
      }
      t *= 0.5;
    }
    it++;
    if (!accepted) break;
    const fOld = f;
    x = accepted;
    f = fNew;
    g.set(gNew);
    history.push(f);
    // no measurable decrease left counts as converged: rounding keeps the gradient from shrinking further
    converged = maxAbs(g) <= opts.gtol || (fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol;
  }
  return { x, f, nIter: it, converged, history };
}

/** Gradient descent x -= lr grad f(x) with a fixed step; stops on max |grad| <= gtol or at maxIter. */
export function gradientDescent(fun: Objective, x0: Float64Array, opts: MinimizeOptions & { lr: number }): MinimizeResult {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fun(x, g);
  const history = [f];
  let it = 0;
  let converged = maxAbs(g) <= opts.gtol;
  while (!converged && it < opts.maxIter) {
    for (let i = 0; i < n; i++) x[i] -= opts.lr * g[i];
    f = fun(x, g);
    it++;
    history.push(f);
    if (!Number.isFinite(f)) break;
    converged = maxAbs(g) <= opts.gtol;
  }
  return { x, f, nIter: it, converged, history };
}

/**
 * Accelerated proximal gradient (FISTA, Beck & Teboulle 2009) for f(x) + l1 ||x[0:nPenalized]||_1 with smooth
 * f: a backtracking step that may grow again by 1.5x per iteration, and O'Donoghue & Candès' restart of the
 * momentum whenever it points uphill, which gives linear convergence on strongly convex problems. Stops when
 * the largest entry of the gradient mapping (x - prox(x - t grad f(x))) / t is at most gtol. `history` holds
 * the full objective, penalty included.
 */
export function proximalGradient(fun: Objective, x0: Float64Array, opts: MinimizeOptions & { l1: number; nPenalized: number; step0: number }): MinimizeResult {
  const n = x0.length;
  const { l1, nPenalized } = opts;
  const penalty = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < nPenalized; i++) s += Math.abs(v[i]);
    return l1 * s;
  };
  let x = Float64Array.from(x0);
  let y = Float64Array.from(x0);
  const gy = new Float64Array(n);
  const gNew = new Float64Array(n);
  let fy = fun(y, gy);
  const history = [fy + penalty(x)];
  let momentum = 1;
  let t = opts.step0;
  let it = 0;
  let converged = false;
  let f = history[0];
  while (it < opts.maxIter) {
    t *= 1.5;
    let xNew = new Float64Array(n);
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) {
        const v = y[i] - t * gy[i];
        const thr = i < nPenalized ? t * l1 : 0;
        xNew[i] = v > thr ? v - thr : v < -thr ? v + thr : 0;
      }
      const fx = fun(xNew, gNew);
      let lin = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const dlt = xNew[i] - y[i];
        lin += gy[i] * dlt;
        sq += dlt * dlt;
      }
      if (Number.isFinite(fx) && fx <= fy + lin + sq / (2 * t) + 8 * Number.EPSILON * Math.abs(fy)) {
        f = fx + penalty(xNew);
        break;
      }
      t *= 0.5;
      if (ls === 59) xNew = Float64Array.from(y);
    }
    it++;
    // gradient mapping at y, the stationarity measure of the composite problem
    let gm = 0;
    for (let i = 0; i < n; i++) gm = Math.max(gm, Math.abs(y[i] - xNew[i]) / t);
    history.push(f);
    if (gm <= opts.gtol) {
      x = xNew;
      converged = true;
      break;
    }
    let uphill = 0;
    for (let i = 0; i < n; i++) uphill += (y[i] - xNew[i]) * (xNew[i] - x[i]);
    const next = uphill > 0 ? 1 : (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
    const beta = uphill > 0 ? 0 : (momentum - 1) / next;
    momentum = next;
    for (let i = 0; i < n; i++) y[i] = xNew[i] + beta * (xNew[i] - x[i]);
    x = xNew;
    fy = fun(y, gy);
  }
  return { x, f: history[history.length - 1], nIter: it, converged, history };
}
