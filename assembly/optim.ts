/**
 * Fused float32 optimizer updates, in place over n elements, four lanes at a time: the same arithmetic as
 * src/backend/cpu/optim.ts (and PyTorch's float32 updates), without a temporary per step.
 */

import { load4, store4 } from './simd';

/**
 * Adam: g' = sign*g + wd*p; m = b1*m + (1-b1)*g'; v = b2*v + (1-b2)*g'^2; p -= stepSize * m / (sqrt(v)/bc2Sqrt + eps).
 */
export function adamF32(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, stepSize: f32, bc2Sqrt: f32, eps: f32, weightDecay: f32, sign: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const a1 = f32x4.splat(1 - beta1);
  const a2 = f32x4.splat(1 - beta2);
  const lr = f32x4.splat(stepSize);
  const bc = f32x4.splat(bc2Sqrt);
  const ep = f32x4.splat(eps);
  const wd = f32x4.splat(weightDecay);
  const sg = f32x4.splat(sign);
  for (let i = 0; i < n; i += 4) {
    const k = min(4, n - i);
    const o = <usize>i << 2;
    const pv = load4(p + o, k);
    let gv = f32x4.mul(sg, load4(g + o, k));
    if (weightDecay != 0) gv = f32x4.add(gv, f32x4.mul(wd, pv));
    const mv = f32x4.add(f32x4.mul(load4(m + o, k), b1), f32x4.mul(a1, gv));
    const vv = f32x4.add(f32x4.mul(load4(v + o, k), b2), f32x4.mul(a2, f32x4.mul(gv, gv)));
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc), ep);
    store4(m + o, mv, k);
    store4(v + o, vv, k);
    store4(p + o, f32x4.sub(pv, f32x4.mul(lr, f32x4.div(mv, denom))), k);
  }
}

/**
 * SGD: d = sign*g + wd*p; with momentum, buf = first ? d : momentum*buf + keep*d and d = nesterov ? d +
 * momentum*buf : buf (buf = 0: no momentum); p -= lr * d.
 */
export function sgdF32(
  p: usize, g: usize, buf: usize, n: i32,
  lr: f32, momentum: f32, keep: f32, weightDecay: f32, sign: f32, nesterov: i32, first: i32,
): void {
  const lrv = f32x4.splat(lr);
  const mo = f32x4.splat(momentum);
  const kp = f32x4.splat(keep);
  const wd = f32x4.splat(weightDecay);
  const sg = f32x4.splat(sign);
  for (let i = 0; i < n; i += 4) {
    const k = min(4, n - i);
    const o = <usize>i << 2;
    const pv = load4(p + o, k);
    let d = f32x4.mul(sg, load4(g + o, k));
    if (weightDecay != 0) d = f32x4.add(d, f32x4.mul(wd, pv));
    if (buf != 0) {
      const b = first ? d : f32x4.add(f32x4.mul(load4(buf + o, k), mo), f32x4.mul(kp, d));
      store4(buf + o, b, k);
      d = nesterov ? f32x4.add(d, f32x4.mul(mo, b)) : b;
    }
    store4(p + o, f32x4.sub(pv, f32x4.mul(lrv, d)), k);
  }
}
