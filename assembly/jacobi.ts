/**
 * One sweep of one-sided (Hestenes) Jacobi for the host SVD (src/linalg/host-svd.ts hands its sweeps here when the
 * wasm module is loaded): the same arithmetic in the same order as that TypeScript loop — dot products summed in
 * two interleaved lanes as the TypeScript does, each product rounded before it is added — so the results are bit
 * for bit the same whichever runs. Dot products and rotations run two lanes at a time.
 */

/** Σ x_i y_i over `r` doubles at x and y: even and odd terms in two lanes, then added. */
@inline function dot2(x: usize, y: usize, r: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < r; i += 2) {
    const o = <usize>i << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  const s1 = f64x2.extract_lane(acc, 1);
  if (i < r) {
    const o = <usize>i << 3;
    s0 += load<f64>(x + o) * load<f64>(y + o);
  }
  return s0 + s1;
}

/** (x, y) ← (c x − s y, s x + c y) over `len` doubles. */
@inline function rotate(x: usize, y: usize, len: i32, c: f64, s: f64): void {
  const cv = f64x2.splat(c);
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o);
    const yv = v128.load(y + o);
    v128.store(x + o, f64x2.sub(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
    v128.store(y + o, f64x2.add(f64x2.mul(sv, xv), f64x2.mul(cv, yv)));
  }
  if (i < len) {
    const o = <usize>i << 3;
    const a = load<f64>(x + o);
    const b = load<f64>(y + o);
    store<f64>(x + o, c * a - s * b);
    store<f64>(y + o, s * a + c * b);
  }
}

/**
 * One cyclic sweep over the column pairs of the r x n column-major matrix at g (column j at j*r doubles), rotating
 * each pair that is not orthogonal to `tol`, with the rotations also applied to v (n x n column-major; 0: none).
 * nrm holds the columns' squared norms and is kept exact; columns with nrm <= tiny are left alone. With `gram`
 * (n x n row-major, the sweep's Gram matrix; 0: none) a pair whose columns are both unmarked in `dirty` (n bytes,
 * cleared by the caller) is judged by its entry. Marks the columns it rotates; returns the number of rotations.
 * See jacobi in src/linalg/host-svd.ts.
 */
export function jacobiSweep(r: i32, n: i32, g: usize, nrm: usize, v: usize, gram: usize, dirty: usize, tol: f64, tiny: f64): i32 {
  let rotated = 0;
  for (let p = 0; p < n - 1; p++) {
    const gp = g + (<usize>(p * r) << 3);
    for (let q = p + 1; q < n; q++) {
      const gq = g + (<usize>(q * r) << 3);
      const alpha = load<f64>(nrm + (<usize>p << 3));
      const beta = load<f64>(nrm + (<usize>q << 3));
      if (alpha <= tiny || beta <= tiny) continue;
      const bound = tol * Math.sqrt(alpha * beta);
      if (gram != 0 && load<u8>(dirty + p) == 0 && load<u8>(dirty + q) == 0
        && Math.abs(load<f64>(gram + (<usize>(p * n + q) << 3))) <= bound) continue;
      const gamma = dot2(gp, gq, r);
      if (gamma == 0 || Math.abs(gamma) <= bound) continue;
      rotated++;
      store<u8>(dirty + p, 1);
      store<u8>(dirty + q, 1);
      const zeta = (beta - alpha) / (2 * gamma);
      const t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
      const c = 1 / Math.sqrt(1 + t * t);
      const s = c * t;
      rotate(gp, gq, r, c, s);
      store<f64>(nrm + (<usize>p << 3), dot2(gp, gp, r));
      store<f64>(nrm + (<usize>q << 3), dot2(gq, gq, r));
      if (v != 0) rotate(v + (<usize>(p * n) << 3), v + (<usize>(q * n) << 3), n, c, s);
    }
  }
  return rotated;
}
