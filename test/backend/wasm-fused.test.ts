/**
 * Issue 18's fused paths on the wasm backend: batch normalization with batch statistics as one kernel each way,
 * the transposed convolution run as the convolution kernels, the leaky ReLU's gradient in one pass, and
 * elementwise maps split over threads: wasm against
 * the cpu reference (the fused conv2d against unfold + matmul, bit for bit) on odd sizes and the options each takes, results bit-identical on 1 and 2 threads, and double backward
 * (createGraph) through the fused primitives.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  F, Tensor, enableGrad, grad, gradcheck, manualSeed, randn, setNumThreads, tensor, wasmBackendInfo,
} from '../../src/index.js';
import { onBackend, to, assertClose } from '../helpers/backends.js';

/** Runs a training-mode batch norm and its backward on `backend`: [y, running mean, running var, dx, dweight?, dbias?]. */
function batchNormStep(backend: string, x: Tensor, affine: boolean, r: Tensor): Tensor[] {
  const C = x.shape[1];
  return onBackend(backend, () => {
    const xi = to(x, backend).requiresGrad_();
    const w = affine ? to(randnLike([C], 3), backend).requiresGrad_() : null;
    const b = affine ? to(randnLike([C], 4), backend).requiresGrad_() : null;
    const rm = tensor(new Array(C).fill(0.5));
    const rv = tensor(new Array(C).fill(2));
    const y = F.batchNorm(xi, rm, rv, { weight: w, bias: b, training: true, momentum: 0.2 });
    y.mul(to(r, backend)).sum().backward();
    return [y, rm, rv, xi.grad!, ...(w && b ? [w.grad!, b.grad!] : [])];
  });
}

function randnLike(shape: number[], seed: number): Tensor {
  manualSeed(seed);
  return onBackend('cpu', () => randn(shape).mul(0.5).add(1));
}

const loaded = wasmBackendInfo().loaded;

describe('fused batch norm and transposed convolution on wasm', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('batch norm (batch statistics) matches cpu: value, running statistics, gradients; odd sizes, 2-D to 5-D, 1 and 2 threads', () => {
    const shapes = [[7, 5], [5, 3, 7], [5, 7, 3, 5], [16, 12, 33, 17], [2, 3, 2, 3, 5]];
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [k, shape] of shapes.entries()) {
        manualSeed(k);
        const x = onBackend('cpu', () => randn(shape).mul(3).add(2));
        const r = onBackend('cpu', () => randn(shape));
        for (const affine of [true, false]) {
          const want = batchNormStep('cpu', x, affine, r);
          const got = batchNormStep('wasm', x, affine, r);
          const names = ['output', 'running mean', 'running var', 'dx', 'dweight', 'dbias'];
          got.forEach((t, i) => assertClose(t, want[i], 2e-5, `${shape} affine=${affine} ${threads}t ${names[i]}`));
        }
      }
    }
    setNumThreads(2);
  });

  test('transposed convolution matches cpu in value and gradient: stride, padding, output padding, dilation, bias; 1 and 2 threads', () => {
    const cases = [
      { x: [4, 6, 5, 7], w: [6, 3, 4, 4], stride: 2, padding: 1, outputPadding: 0, dilation: 1 },
      { x: [3, 5, 6, 4], w: [5, 4, 3, 2], stride: 3, padding: 2, outputPadding: 1, dilation: 1 },
      { x: [2, 3, 7, 7], w: [3, 2, 3, 3], stride: 1, padding: 0, outputPadding: 0, dilation: 2 },
      { x: [9, 16, 7, 7], w: [16, 8, 4, 4], stride: 2, padding: 1, outputPadding: 1, dilation: 1 },
    ];
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [k, c] of cases.entries()) {
        manualSeed(100 + k);
        const [x, w, bias] = onBackend('cpu', () => [randn(c.x), randn(c.w), randn([c.w[1]])]);
        const run = (backend: string) => onBackend(backend, () => {
          const [xi, wi, bi] = [x, w, bias].map((t) => to(t, backend).requiresGrad_());
          const y = F.convTranspose2d(xi, wi, bi, { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, dilation: c.dilation });
          y.mul(y).sum().backward();
          return [y, xi.grad!, wi.grad!, bi.grad!];
        });
        const want = run('cpu');
        run('wasm').forEach((t, i) => assertClose(t, want[i], 1e-5, `case ${k} ${threads}t ${['output', 'dx', 'dweight', 'dbias'][i]}`));
      }
    }
    setNumThreads(2);
  });

  test('results do not depend on the thread count: a ResNet-sized batch norm and a DCGAN-sized transposed convolution, forward and backward', () => {
    manualSeed(7);
    const x = randn([64, 16, 32, 32]);
    const z = randn([64, 64, 7, 7]);
    const w = randn([64, 32, 4, 4]);
    const run = (threads: number) => {
      setNumThreads(threads);
      const xi = x.detach().requiresGrad_();
      const zi = z.detach().requiresGrad_();
      const wi = w.detach().requiresGrad_();
      const y = F.batchNorm(xi, null, null, { training: true });
      const t = F.convTranspose2d(zi, wi, null, { stride: 2, padding: 1 });
      y.square().sum().add(t.square().sum()).backward();
      return [y, t, xi.grad!, zi.grad!, wi.grad!].map((v) => Array.from(v.toTypedArray()));
    };
    const one = run(1);
    for (let k = 0; k < 2; k++) assert.deepEqual(run(2), one);
    setNumThreads(2);
  });
});

describe('elementwise kernels split over threads', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('unary and binary maps (dense, scalar, per-channel and row broadcasts, either side) match cpu and are bit-identical on 1 and 2 threads', async () => {
    // workers start in the background at the first split kernel; wait until one is ready so the split really runs
    setNumThreads(2);
    F.relu(randn([1 << 18]));
    for (let i = 0; i < 200 && wasmBackendInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(wasmBackendInfo().workersReady, 1);
    manualSeed(9);
    const shape = [3, 7, 97, 67];
    const [a, d, ch, row] = onBackend('cpu', () => [randn(shape), randn(shape), randn([1, 7, 1, 1]), randn([67])]);
    const run = (backend: string) => onBackend(backend, () => {
      const [x, y, c, r] = [a, d, ch, row].map((t) => to(t, backend));
      return [x.relu(), x.exp(), x.tanh(), x.abs().log(), x.add(y), x.mul(c), c.sub(x), x.div(r), x.mul(2.5), F.relu(x).sub(y.maximum(x))];
    });
    setNumThreads(1);
    const one = run('wasm');
    setNumThreads(2);
    const two = run('wasm');
    const cpu = run('cpu');
    one.forEach((t, i) => {
      assert.deepEqual(Array.from(two[i].toTypedArray()), Array.from(t.toTypedArray()), `result ${i}: 1 vs 2 threads`);
      assertClose(t, cpu[i], 1e-6, `result ${i} vs cpu`);
    });
  });
});

describe('the natural log in SIMD', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('within 1 ulp of the correctly rounded log over 60 decades, subnormals included; 0, negatives, inf and NaN as Math.log', () => {
    const specials = [0, -0, -1, -1e-30, Infinity, -Infinity, NaN, 1, 1.4e-45, 1e-40, 1.17549435e-38, 3.4e38, 0.70710677, 0.7071068];
    const xs = new Float32Array(specials.length + 4000);
    xs.set(specials);
    manualSeed(2);
    const u = randn([4000]).toTypedArray();
    for (let i = 0; i < 4000; i++) xs[specials.length + i] = Math.exp(u[i] * 25);
    const got = tensor(Array.from(xs)).log().toTypedArray();
    const want = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) want[i] = Math.log(xs[i]);
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(want[i])) {
        assert.ok(Object.is(got[i], want[i]), `log(${xs[i]}): ${got[i]}, expected ${want[i]}`);
        continue;
      }
      const ulp = Math.max(Math.abs(want[i]) * 2 ** -23, 2 ** -149);
      assert.ok(Math.abs(got[i] - want[i]) <= ulp, `log(${xs[i]}): ${got[i]}, expected ${want[i]}`);
    }
  });
});

describe('the leaky ReLU gradient in one pass', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('equals cpu exactly, 0 and NaN inputs take the slope, bit-identical on 1 and 2 threads; the createGraph path agrees', () => {
    manualSeed(12);
    const x0 = onBackend('cpu', () => randn([5, 7, 61, 73]));
    const xs = x0.toTypedArray();
    xs[0] = 0;
    xs[1] = NaN;
    xs[2] = -0;
    const x = onBackend('cpu', () => tensor(Array.from(xs), { dtype: 'float32' }).reshape(x0.shape));
    const r = onBackend('cpu', () => randn(x0.shape));
    const run = (backend: string, createGraph = false) => onBackend(backend, () => {
      const xi = to(x, backend).requiresGrad_();
      const y = F.leakyRelu(xi, 0.2).mul(to(r, backend)).sum();
      return createGraph ? grad(y, [xi], undefined, { createGraph: true })[0] : grad(y, [xi])[0];
    });
    const want = Array.from(run('cpu').toTypedArray());
    setNumThreads(1);
    const one = Array.from(run('wasm').toTypedArray());
    setNumThreads(2);
    const two = Array.from(run('wasm').toTypedArray());
    assert.deepEqual(one, want);
    assert.deepEqual(two, want);
    assert.deepEqual(Array.from(run('wasm', true).toTypedArray()), want);
    assert.equal(want[1], Math.fround(Math.fround(0.2) * r.toTypedArray()[1]));
  });
});

describe('fused convolution against its unfused form', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('conv2d equals unfold + matmul on wasm to the last bit: ragged rows and columns, several K blocks, strides, padding, dilation, first layers computed directly', () => {
    const cases = [
      { x: [5, 3, 11, 13], w: [7, 3, 3, 2], stride: [2, 1], padding: [1, 0], dilation: [1, 2] },
      { x: [3, 30, 9, 9], w: [13, 30, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
      { x: [4, 6, 14, 14], w: [16, 6, 5, 5], stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
      { x: [2, 16, 32, 32], w: [32, 16, 3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] },
      // first layers, computed straight from the padded image (assembly/conv-direct.ts): channel blocks of four
      // and leftovers, output rows not a multiple of eight, padding wider than the window
      { x: [3, 1, 28, 28], w: [6, 1, 5, 5], stride: [1, 1], padding: [2, 2], dilation: [1, 1] },
      { x: [2, 3, 7, 13], w: [5, 3, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
      { x: [2, 2, 5, 4], w: [3, 2, 4, 2], stride: [1, 1], padding: [0, 2], dilation: [1, 1] },
      { x: [1, 1, 3, 3], w: [9, 1, 2, 2], stride: [1, 1], padding: [2, 2], dilation: [1, 1] },
      // deeper layers computed directly, in the GEMM's k blocks of 256 (a block ending inside a window; three blocks)
      { x: [2, 30, 6, 14], w: [12, 30, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
      { x: [2, 64, 8, 8], w: [8, 64, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    ] as const;
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [k, c] of cases.entries()) {
        manualSeed(200 + k);
        const x = randn([...c.x]);
        const w = randn([...c.w]);
        const opts = { stride: [...c.stride] as [number, number], padding: [...c.padding] as [number, number], dilation: [...c.dilation] as [number, number] };
        const y = F.conv2d(x, w, null, opts);
        const [O, C, kh, kw] = c.w;
        const cols = F.unfold(x, [kh, kw], opts);
        const ref = w.reshape([O, C * kh * kw]).matmul(cols).reshape(y.shape);
        assert.deepEqual(Array.from(y.toTypedArray()), Array.from(ref.toTypedArray()), `case ${k}, ${threads} threads`);
      }
    }
    setNumThreads(2);
  });

  test('images side by side in one product: each image\'s output and input gradient as alone, bit for bit; the gradients against cpu to rounding, the same on 1 and 2 threads', () => {
    // 7x7 maps put 6 images in a product, 5x5 ones 11: batches of 13 and 7 end in a ragged group
    const cases = [
      { x: [13, 8, 14, 14], w: [12, 8, 4, 4], stride: 2, padding: 1 },
      { x: [7, 5, 7, 7], w: [6, 5, 3, 3], stride: 1, padding: 0 },
      // first layers, whose weight gradient is computed straight from the padded image (assembly/conv-direct.ts):
      // a last block of fewer than four channels, an odd window width (a dropped second tap), an even one
      { x: [21, 1, 28, 28], w: [6, 1, 5, 5], stride: 1, padding: 2 },
      { x: [5, 3, 8, 12], w: [5, 3, 3, 3], stride: 1, padding: 1 },
      { x: [3, 2, 6, 7], w: [3, 2, 2, 4], stride: 1, padding: 0 },
    ] as const;
    for (const [k, c] of cases.entries()) {
      manualSeed(300 + k);
      const x = randn([...c.x]);
      const w = randn([...c.w]);
      const opts = { stride: c.stride, padding: c.padding };
      const run = (xs: Tensor): Tensor[] => {
        const xi = xs.detach().requiresGrad_();
        const wi = w.detach().requiresGrad_();
        const y = F.conv2d(xi, wi, null, opts);
        manualSeed(400 + k);
        y.mul(randn(y.shape)).sum().backward();
        return [y, xi.grad!, wi.grad!];
      };
      const byThreads = [1, 2].map((t) => {
        setNumThreads(t);
        return run(x);
      });
      setNumThreads(1);
      const N = c.x[0];
      for (let n = 0; n < N; n++) {
        const xn = x.narrow(0, n, 1);
        const xi = xn.detach().requiresGrad_();
        const wi = w.detach().requiresGrad_();
        const y = F.conv2d(xi, wi, null, opts);
        manualSeed(400 + k);
        const r = randn([N, ...y.shape.slice(1)]).narrow(0, n, 1);
        y.mul(r).sum().backward();
        assert.deepEqual(Array.from(y.toTypedArray()), Array.from(byThreads[0][0].narrow(0, n, 1).toTypedArray()), `case ${k} image ${n}: output`);
        assert.deepEqual(Array.from(xi.grad!.toTypedArray()), Array.from(byThreads[0][1].narrow(0, n, 1).toTypedArray()), `case ${k} image ${n}: input gradient`);
      }
      const [xgrad, wgrad] = onBackend('cpu', () => {
        const xi = to(x, 'cpu').requiresGrad_();
        const wi = to(w, 'cpu').requiresGrad_();
        const y = F.conv2d(xi, wi, null, opts);
        manualSeed(400 + k);
        y.mul(randn(y.shape)).sum().backward();
        return [xi.grad!, wi.grad!];
      });
      // stride-1 cases take the direct input gradient (the flipped weight over the padded output gradient)
      assertClose(byThreads[0][1], xgrad, 1e-5, `case ${k}: input gradient against cpu`);
      assertClose(byThreads[0][2], wgrad, 1e-4, `case ${k}: weight gradient against cpu`);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(Array.from(byThreads[1][i].toTypedArray()), Array.from(byThreads[0][i].toTypedArray()), `case ${k} result ${i}: 1 and 2 threads`);
      }
    }
    setNumThreads(2);
  });
});

/** gradcheck's perturbed copies do not require grad; grad() needs leaves that do. */
const leaf = (v: Tensor) => (v.requiresGrad ? v : v.detach().requiresGrad_());

describe('fused batch norm and transposed convolution: double backward', () => {
  test('batch norm gradients taken with createGraph are differentiable (float64 gradcheck of the gradient)', () => {
    manualSeed(3);
    const x = randn([4, 3, 2, 3], { dtype: 'float64' }).requiresGrad_();
    const w = randn([3], { dtype: 'float64' }).requiresGrad_();
    const b = randn([3], { dtype: 'float64' }).requiresGrad_();
    const r = randn([4, 3, 2, 3], { dtype: 'float64' });
    // gradcheck's finite-difference passes run without recording; enableGrad lets grad() build its graph there too
    assert.ok(gradcheck((x0, w0, b0) => enableGrad(() => {
      const [xi, wi, bi] = [leaf(x0), leaf(w0), leaf(b0)];
      const y = F.batchNorm(xi, null, null, { weight: wi, bias: bi, training: true });
      const [gx, gw, gb] = grad(y.mul(r).square().sum(), [xi, wi, bi], undefined, { createGraph: true });
      return gx.mul(r).sum().add(gw.square().sum()).add(gb.square().sum());
    }), [x, w, b]));
  });

  test('transposed convolution gradients taken with createGraph are differentiable (float64 gradcheck of the gradient)', () => {
    manualSeed(4);
    const x = randn([2, 3, 3, 4], { dtype: 'float64' }).requiresGrad_();
    const w = randn([3, 2, 3, 2], { dtype: 'float64' }).requiresGrad_();
    assert.ok(gradcheck((x0, w0) => enableGrad(() => {
      const [xi, wi] = [leaf(x0), leaf(w0)];
      const y = F.convTranspose2d(xi, wi, null, { stride: 2, padding: 1, outputPadding: 1 });
      const [gx, gw] = grad(y.square().sum(), [xi, wi], undefined, { createGraph: true });
      return gx.sum().add(gw.square().sum());
    }), [x, w]));
  });
});
