/**
 * The fused attention primitive (autograd/attention-fused.ts; `Kernels.attention`, `attentionBackward`) on every
 * backend: its output and gradients against the composite op given the same dropout factors (bit for bit: each
 * step is the kernel the composite runs), its dropout draws, thread-count independence, and gradients by finite
 * differences, first and second order. The composite itself is checked against PyTorch in test/nn/attention.test.ts.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, Generator, enableGrad, getBackend, getNumThreads, grad, gradcheck, manualSeed, nn, randn, setBackend, setNumThreads, softmax, tensor, type Tensor } from '../../src/index.js';
import { dropDraw, dropFactors } from '../../src/backend/cpu/drop-hash.js';
import { assertClose, onEachBackend } from '../helpers/backends.js';

/** Same values bit for bit (NaN where the other is NaN). */
function assertSame(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, what);
  const [x, y] = [a.toTypedArray(), b.toTypedArray()];
  for (let i = 0; i < x.length; i++) {
    if (!(Object.is(x[i], y[i]) || (x[i] === 0 && y[i] === 0))) assert.fail(`${what}: element ${i} is ${x[i]}, expected ${y[i]}`);
  }
}

/** The seed words scaledDotProductAttention draws from a generator made with `seed`. */
function seedsOf(seed: number): [number, number] {
  const g = new Generator(seed);
  return [g.nextUint32() >>> 0, g.nextUint32() >>> 0];
}

interface Case { lead: number[]; L: number; S: number; D: number; Dv: number; mask: 'none' | 'shared' | 'per-batch' | 'causal'; p: number }

/** Fused and composite attention (the composite with the fused kernel's dropout factors): outputs and gradients. */
function bothWays(c: Case, dtype: 'float32' | 'float64') {
  const B = c.lead.reduce((a, b) => a * b, 1);
  const q = randn([...c.lead, c.L, c.D], { dtype }).requiresGrad_();
  const k = randn([...c.lead, c.S, c.D], { dtype }).requiresGrad_();
  const v = randn([...c.lead, c.S, c.Dv], { dtype }).requiresGrad_();
  const g = randn([...c.lead, c.L, c.Dv], { dtype });
  let mask: Tensor | undefined;
  if (c.mask === 'shared') mask = randn([c.L, c.S], { dtype });
  if (c.mask === 'per-batch') {
    // a few -inf entries (masked pairs) among finite ones
    const data = Array.from(randn([B * c.L * c.S]).toTypedArray(), (x) => (x > 1 ? -Infinity : x));
    mask = tensor(data, { shape: [...c.lead, c.L, c.S], dtype });
  }
  if (c.mask === 'causal') mask = nn.generateSquareSubsequentMask(c.L, { dtype });
  const seed = 11;
  const fused = F.scaledDotProductAttention(q, k, v, { attnMask: mask, dropoutP: c.p, generator: new Generator(seed) });
  const [fq, fk, fv] = grad(fused.mul(g).sum(), [q, k, v]);
  const scale = 1 / Math.sqrt(c.D);
  const [seedLo, seedHi] = seedsOf(seed);
  const spec = { scale, threshold: c.p > 0 ? Math.round(c.p * 2 ** 32) : 0, keepScale: c.p > 0 ? 1 / (1 - c.p) : 1, seedLo, seedHi };
  const factors = dropFactors(spec, B, c.L * c.S, dtype === 'float32' ? new Float32Array(B * c.L * c.S) : new Float64Array(B * c.L * c.S));
  let scores = q.mul(scale).matmul(k.transpose(-2, -1));
  if (mask) scores = scores.add(mask);
  let w = softmax(scores, -1);
  if (c.p > 0) w = w.mul(tensor(Array.from(factors), { shape: [...c.lead, c.L, c.S], dtype }));
  const composite = w.matmul(v);
  const [cq, ck, cv] = grad(composite.mul(g).sum(), [q, k, v]);
  return { fused, composite, grads: [[fq, cq], [fk, ck], [fv, cv]] as const, factors };
}

const CASES: Case[] = [
  { lead: [2, 3], L: 7, S: 9, D: 5, Dv: 3, mask: 'shared', p: 0.3 },
  { lead: [6], L: 5, S: 6, D: 4, Dv: 2, mask: 'none', p: 0 },
  { lead: [2, 2], L: 6, S: 6, D: 3, Dv: 5, mask: 'per-batch', p: 0.5 },
  { lead: [2, 4], L: 64, S: 64, D: 16, Dv: 16, mask: 'causal', p: 0.1 },
];

describe('fused attention', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    onEachBackend(`${dtype}: output and gradients are the composite op's with the same dropout factors, bit for bit`, () => {
      manualSeed(3);
      for (const c of CASES) {
        const r = bothWays(c, dtype);
        const label = `${c.lead}x${c.L}x${c.S} mask ${c.mask} p ${c.p}`;
        assertSame(r.fused, r.composite, `${label} output`);
        r.grads.forEach(([f, comp], i) => assertSame(f, comp, `${label} gradient ${'qkv'[i]}`));
      }
    });
  }

  onEachBackend('a fully masked row gives NaN, as the composite op does', () => {
    const q = randn([1, 3, 4]);
    const mask = tensor([[0, 0], [-Infinity, -Infinity], [0, -Infinity]]);
    const out = F.scaledDotProductAttention(q, randn([1, 2, 4]), randn([1, 2, 3]), { attnMask: mask });
    const rows = out.toArray() as number[][][];
    assert.ok(rows[0][1].every(Number.isNaN));
    assert.ok(rows[0][0].concat(rows[0][2]).every(Number.isFinite));
  });

  test('wasm: the same bits on one thread and on two (batches split over threads)', () => {
    const prev = getBackend().name;
    const threads = getNumThreads();
    setBackend('wasm');
    try {
      manualSeed(4);
      const q = randn([4, 8, 64, 16]).requiresGrad_();
      const k = randn([4, 8, 48, 16]).requiresGrad_();
      const v = randn([4, 8, 48, 8]).requiresGrad_();
      const g = randn([4, 8, 64, 8]);
      const mask = randn([64, 48]);
      const run = (t: number) => {
        setNumThreads(t);
        const y = F.scaledDotProductAttention(q, k, v, { attnMask: mask, dropoutP: 0.2, generator: new Generator(9) });
        return [y, ...grad(y.mul(g).sum(), [q, k, v])];
      };
      const one = run(1);
      const two = run(2);
      one.forEach((t, i) => assertSame(two[i], t, `result ${i}`));
    } finally {
      setNumThreads(threads);
      setBackend(prev);
    }
  });

  test('dropout draws: the keep rate is 1 - p, kept weights are scaled by 1 / (1 - p), and the seed decides them', () => {
    const n = 1 << 18;
    for (const p of [0.1, 0.5, 0.9]) {
      const spec = { scale: 1, threshold: Math.round(p * 2 ** 32), keepScale: 1 / (1 - p), seedLo: 12345, seedHi: 678 };
      const f = dropFactors(spec, 4, 256 * 256, new Float64Array(n));
      const kept = f.filter((x) => x !== 0);
      const sd = Math.sqrt(n * p * (1 - p));
      assert.ok(Math.abs(kept.length - n * (1 - p)) < 5 * sd, `p ${p}: ${kept.length} of ${n} kept`);
      assert.ok(kept.every((x) => x === 1 / (1 - p)));
    }
    // neighbouring indices, batches and seeds draw differently
    const draws = new Set<number>();
    for (let b = 0; b < 4; b++) for (let i = 0; i < 256; i++) draws.add(dropDraw(1, 2, b, i));
    for (let s = 0; s < 256; s++) draws.add(dropDraw(s + 3, 2, 0, 0));
    assert.ok(draws.size >= 1280 - 1);
  });

  onEachBackend('the generator: the same seed gives the same output, two draws per call move it on', () => {
    manualSeed(5);
    const [q, k, v] = [randn([2, 5, 4]), randn([2, 6, 4]), randn([2, 6, 3])];
    const a = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.4, generator: new Generator(1) });
    const b = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.4, generator: new Generator(1) });
    assertSame(a, b, 'same seed');
    const gen = new Generator(1);
    F.scaledDotProductAttention(q, k, v, { dropoutP: 0.4, generator: gen });
    const after = new Generator(1);
    after.nextUint32();
    after.nextUint32();
    assert.equal(gen.nextUint32(), after.nextUint32());
    const c = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.4, generator: new Generator(2) });
    assert.ok(!c.allclose(a));
  });

  onEachBackend('gradients by finite differences, first and second order (createGraph), with dropout and a mask', () => {
    manualSeed(6);
    const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_();
    const [q, k, v] = [f64([2, 3, 4]), f64([2, 5, 4]), f64([2, 5, 3])];
    const mask = randn([3, 5], { dtype: 'float64' });
    const attend = (a: Tensor, b: Tensor, c: Tensor) => F.scaledDotProductAttention(a, b, c, { attnMask: mask, dropoutP: 0.3, generator: new Generator(7) });
    gradcheck(attend, [q, k, v]);
    const leaf = (t: Tensor) => (t.requiresGrad ? t : t.detach().requiresGrad_());
    gradcheck((q0, k0, v0) => enableGrad(() => {
      const [qi, ki, vi] = [leaf(q0), leaf(k0), leaf(v0)];
      const [gq, gk, gv] = grad(attend(qi, ki, vi).square().sum(), [qi, ki, vi], undefined, { createGraph: true });
      return gq.square().sum().add(gk.sum()).add(gv.mul(gv).sum());
    }), [q, k, v]);
  });

  onEachBackend('nn.MultiheadAttention without weights (the fused path) gives the output it gives with them', () => {
    manualSeed(8);
    const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true, dropout: 0.1 }).eval();
    const x = randn([3, 5, 8]);
    const mask = nn.generateSquareSubsequentMask(5);
    const [withWeights, weights] = mha.forward(x, x, x, { attnMask: mask });
    const [fused, none] = mha.forward(x, x, x, { attnMask: mask, needWeights: false });
    assert.equal(none, null);
    assert.ok(weights !== null);
    assertSame(fused, withWeights, 'eval output');
  });

  onEachBackend('nn.MultiheadAttention reads the heads where the projections leave them: batch first, sequence first, unbatched, cross attention, masks; output and gradients as with weights', () => {
    const cases = [
      { batchFirst: true, q: [3, 5, 8], kv: [3, 5, 8], self: true, masks: true },
      { batchFirst: false, q: [5, 3, 8], kv: [5, 3, 8], self: true, masks: true },
      { batchFirst: true, q: [2, 4, 8], kv: [2, 6, 8], self: false, masks: false },
      { batchFirst: false, q: [4, 8], kv: [6, 8], self: false, masks: false },
    ];
    for (const [i, c] of cases.entries()) {
      manualSeed(20 + i);
      const mha = new nn.MultiheadAttention(8, 2, { batchFirst: c.batchFirst });
      const q = randn(c.q);
      const kv = c.self ? q : randn(c.kv);
      const batched = c.q.length === 3;
      const L = c.q[batched && c.batchFirst ? 1 : 0];
      const S = c.kv[batched && c.batchFirst ? 1 : 0];
      const N = batched ? c.q[c.batchFirst ? 0 : 1] : 1;
      const opts = c.masks
        ? { attnMask: nn.generateSquareSubsequentMask(L), keyPaddingMask: tensor(Array.from({ length: N }, (_, n) => Array.from({ length: S }, (_, s) => s === S - 1 && n === 0))) }
        : {};
      const run = (needWeights: boolean): Tensor[] => {
        const qi = q.detach().requiresGrad_();
        const kvi = c.self ? qi : kv.detach().requiresGrad_();
        const [out] = mha.forward(qi, kvi, kvi, { ...opts, needWeights });
        out.mul(out).sum().backward();
        const grads = [qi.grad!, ...(c.self ? [] : [kvi.grad!]), ...mha.parameters().map((p) => p.grad!)];
        mha.zeroGrad();
        return [out, ...grads];
      };
      const fused = run(false);
      const composite = run(true);
      assertSame(fused[0], composite[0], `case ${i}: output`);
      for (let j = 1; j < fused.length; j++) assertClose(fused[j], composite[j], 1e-5, `case ${i}: gradient ${j}`);
    }
  });
});
