/**
 * The wasm backend beyond the shared op suite (which runs every op family on it from the PyTorch fixtures):
 * GEMM in every transpose and batch layout, odd sizes around the blocking, window unfolding, the thread pool
 * (1 and 2 threads give the cpu backend's answers), thread-count arguments, and a process using worker
 * threads exiting on its own.
 * @module
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  F, ValueError, getNumThreads, manualSeed, matmul, randn, setNumThreads, tensor,
  wasmBackendInfo,
} from '../../src/index.js';
import { onBackend, to, assertClose } from '../helpers/backends.js';

const loaded = wasmBackendInfo().loaded;

describe('wasm backend', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('is the default backend and reports how it loaded', () => {
    const info = wasmBackendInfo();
    assert.equal(info.error, null);
    assert.equal(tensor([1, 2]).device, 'wasm');
    assert.equal(info.threads, getNumThreads());
  });

  // M = 32 and 9 end in two 4-row panels and a ragged one (a recurrent layer's batch of 32 is 24 + 4 + 4 rows)
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 13, 9], [6, 8, 8], [97, 300, 130], [64, 784, 256], [5, 600, 2100], [32, 40, 24], [9, 11, 17]];
  for (const threads of [1, 2]) {
    for (const [M, K, N] of shapes) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        test(`matmul ${M}x${K} @ ${K}x${N}${ta ? ' (A transposed)' : ''}${tb ? ' (B transposed)' : ''}, ${threads} thread(s)`, () => {
          manualSeed(M * 7 + N);
          const a64 = onBackend('cpu', () => (ta ? randn([K, M], { dtype: 'float64' }).t() : randn([M, K], { dtype: 'float64' })));
          const b64 = onBackend('cpu', () => (tb ? randn([N, K], { dtype: 'float64' }).t() : randn([K, N], { dtype: 'float64' })));
          const want = onBackend('cpu', () => matmul(a64, b64));
          setNumThreads(threads);
          try {
            const a = onBackend('cpu', () => a64.to('float32'));
            const b = onBackend('cpu', () => b64.to('float32'));
            const aw = ta ? to(a.t(), 'wasm').t() : to(a, 'wasm');
            const bw = tb ? to(b.t(), 'wasm').t() : to(b, 'wasm');
            assertClose(matmul(aw, bw), want, 1e-5 * Math.sqrt(K), 'wasm matmul');
          } finally {
            setNumThreads(2);
          }
        });
      }
    }
  }

  test('batched matmul: batch strides, broadcast batches and sliced operands', () => {
    manualSeed(3);
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      const a = onBackend('cpu', () => randn([3, 4, 50, 70], { dtype: 'float64' }));
      const b = onBackend('cpu', () => randn([4, 70, 60], { dtype: 'float64' }));
      const want = onBackend('cpu', () => matmul(a, b));
      assertClose(matmul(to(a, 'wasm'), to(b, 'wasm')), want, 1e-4, 'broadcast batch');
      // a strided slice of a bigger tensor: the kernel must read only the viewed elements
      const big = onBackend('cpu', () => randn([80, 90], { dtype: 'float64' }));
      const sub = onBackend('cpu', () => big.narrow(1, 10, 40));
      const w2 = onBackend('cpu', () => matmul(sub, b.select(0, 0).narrow(0, 0, 40)));
      assertClose(matmul(to(big, 'wasm').narrow(1, 10, 40), to(b, 'wasm').select(0, 0).narrow(0, 0, 40)), w2, 1e-4, 'sliced');
    }
    setNumThreads(2);
  });

  test('sum, max and min over axes that are not consecutive (batch norm\'s [0, 2, 3]) run in wasm and match cpu', () => {
    manualSeed(5);
    const x = onBackend('cpu', () => randn([6, 5, 7, 3]));
    const y = onBackend('cpu', () => randn([3, 4, 5, 6, 2]));
    for (const [t, axes] of [[x, [0, 2, 3]], [x, [0, 2]], [x, [1, 3]], [y, [0, 1, 3, 4]], [y, [0, 2, 4]]] as const) {
      const w = to(t, 'wasm');
      const label = `[${t.shape}] over [${axes}]`;
      assertClose(w.sum([...axes]), onBackend('cpu', () => t.sum([...axes])), 1e-5, `sum ${label}`);
      assertClose(w.amax([...axes]), onBackend('cpu', () => t.amax([...axes])), 0, `amax ${label}`);
      assertClose(w.amin([...axes], true), onBackend('cpu', () => t.amin([...axes], true)), 0, `amin keepdim ${label}`);
      assertClose(w.mean([...axes]), onBackend('cpu', () => t.mean([...axes])), 1e-5, `mean ${label}`);
    }
    // a strided view, and a batch-norm forward and backward on both backends
    const v = to(x, 'wasm').transpose(1, 3);
    assertClose(v.sum([0, 2, 3]), onBackend('cpu', () => x.transpose(1, 3).sum([0, 2, 3])), 1e-5, 'transposed');
    const bn = (b: string) => onBackend(b, () => {
      const inp = to(x, b).requiresGrad_();
      const out = F.batchNorm(inp, null, null, { training: true });
      out.mul(out).sum().backward();
      return [out, inp.grad!] as const;
    });
    const [oc, gc] = bn('cpu');
    const [ow, gw] = bn('wasm');
    assertClose(ow, oc, 1e-5, 'batchNorm forward');
    assertClose(gw, gc, 1e-4, 'batchNorm input gradient');
  });

  test('conv2d through im2col/col2im matches cpu in value and gradient, 1 and 2 threads', () => {
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [stride, padding, dilation] of [[1, 2, 1], [2, 1, 1], [1, 0, 2], [3, 3, 1]]) {
        manualSeed(stride * 10 + padding);
        const x = onBackend('cpu', () => randn([9, 3, 17, 19]));
        const w = onBackend('cpu', () => randn([5, 3, 4, 3]));
        const run = (backend: string) => onBackend(backend, () => {
          const xi = to(x, backend).requiresGrad_();
          const wi = to(w, backend).requiresGrad_();
          const y = F.conv2d(xi, wi, null, { stride, padding, dilation });
          y.mul(y).sum().backward();
          return [y, xi.grad!, wi.grad!];
        });
        const [yc, gxc, gwc] = run('cpu');
        const [yw, gxw, gww] = run('wasm');
        assertClose(yw, yc, 1e-5, 'conv output');
        assertClose(gxw, gxc, 1e-5, 'input gradient');
        assertClose(gww, gwc, 1e-5, 'weight gradient');
      }
    }
    setNumThreads(2);
  });

  test('unfold and fold with stride 2 (the four-lane even/odd paths) give the cpu kernels\' bits, signed zeros included', () => {
    manualSeed(21);
    // rows of 2 * 13 + 1 inputs: runs of up to 13 outputs, so whole vectors and tails both occur; -0 entries
    // must stay -0 where fold adds nothing to them
    const data = Array.from(onBackend('cpu', () => randn([2, 3, 9, 27])).toTypedArray(), (v, i) => (i % 5 === 0 ? -0 : v));
    const x = onBackend('cpu', () => tensor(data, { shape: [2, 3, 9, 27] }));
    for (const [kernel, padding] of [[3, 1], [4, 0], [2, 0]] as const) {
      const cols = (backend: string) => onBackend(backend, () => F.unfold(to(x, backend), kernel, { stride: 2, padding }));
      const [uc, uw] = [cols('cpu'), cols('wasm')];
      assert.deepEqual(uw.toTypedArray(), uc.toTypedArray(), `unfold k${kernel} p${padding}`);
      const back = (backend: string) => onBackend(backend, () => F.fold(to(uc, backend), [9, 27], kernel, { stride: 2, padding }));
      const [fc, fw] = [back('cpu'), back('wasm')];
      const [a, b] = [fw.toTypedArray(), fc.toTypedArray()];
      for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `fold k${kernel} p${padding} element ${i}: ${a[i]} vs ${b[i]}`);
    }
  });

  test('after a split kernel, the worker threads report ready', async () => {
    setNumThreads(2);
    const a = randn([600, 600]);
    matmul(a, a);
    // workers start in the background at the first split kernel; give them a moment to instantiate
    for (let i = 0; i < 200 && wasmBackendInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(wasmBackendInfo().workersReady, 1);
  });

  test('results do not depend on the thread count: a LeNet-sized conv step and a GEMM are bit-identical on 1 and 2 threads', () => {
    manualSeed(11);
    const x = randn([64, 6, 14, 14]);
    const w = randn([16, 6, 5, 5]);
    const a = randn([300, 700]);
    const run = (threads: number) => {
      setNumThreads(threads);
      const xi = to(x, 'wasm').requiresGrad_();
      const wi = to(w, 'wasm').requiresGrad_();
      F.conv2d(xi, wi).square().sum().backward();
      return [xi.grad!, wi.grad!, matmul(a, a.t())].map((t) => Array.from(t.toTypedArray()));
    };
    const one = run(1);
    for (let k = 0; k < 3; k++) assert.deepEqual(run(2), one);
    setNumThreads(2);
  });

  test('setNumThreads takes positive integers only', () => {
    assert.throws(() => setNumThreads(0), ValueError);
    assert.throws(() => setNumThreads(1.5), ValueError);
    setNumThreads(1);
    assert.equal(getNumThreads(), 1);
    setNumThreads(2);
    assert.equal(getNumThreads(), 2);
  });

  test('a process whose kernels ran on worker threads exits by itself', () => {
    const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
    const script = `
      const sd = await import(${JSON.stringify(index)});
      sd.setNumThreads(2);
      const a = sd.randn([512, 512]);
      let y = a;
      for (let i = 0; i < 20; i++) y = sd.matmul(a, y).div(30);
      console.log('done', y.shape.join('x'));`;
    // The timeout only stops a hung child; it is not a speed limit.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.signal, null, 'the process had to be killed: a worker kept it alive');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /done 512x512/);
  });
});

test('where WebAssembly is missing, shendu says so once and runs on cpu', () => {
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const script = `
    const sd = await import(${JSON.stringify(index)});
    console.log(sd.getBackend().name, sd.listBackends().join(','), sd.tensor([1, 2]).add(1).toArray().join(','));`;
  // --jitless turns WebAssembly off, as an engine without it would be; the timeout only stops a hung child
  const r = spawnSync(process.execPath, ['--jitless', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'cpu cpu 2,3');
  const notices = r.stderr.split('\n').filter((l) => l.startsWith('shendu:'));
  assert.deepEqual(notices, ['shendu: the wasm backend could not load (this engine has no WebAssembly); using the cpu backend']);
});

test('a kernel whose operands do not fit the kernel memory runs on the cpu kernels instead', async () => {
  if (!loaded) return;
  const { loadRuntime } = await import('../../src/backend/wasm/runtime.js');
  const { ThreadPool } = await import('../../src/backend/wasm/threads.js');
  const { createWasmBackend } = await import('../../src/backend/wasm/kernels.js');
  // a 20 MiB kernel memory: a 1500 x 1500 product (27 MB of operands) cannot fit, a 100 x 100 one can
  const rt = await loadRuntime({ maxPages: 320 });
  const small = createWasmBackend(rt, new ThreadPool(rt, 1));
  for (const n of [1500, 100]) {
    manualSeed(n);
    const a = randn([n, n]);
    const b = randn([n, n]);
    const want = onBackend('cpu', () => matmul(to(a, 'cpu'), to(b, 'cpu'))).toTypedArray();
    const got = small.read({ storage: small.matmul(a, b, 'float32'), shape: [n, n], strides: [n, 1], offset: 0 });
    let worst = 0;
    for (let i = 0; i < want.length; i += 97) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
    assert.ok(worst < 1e-3, `${n}: worst relative difference ${worst}`);
  }
  // the runtime still serves kernels that fit after a refusal
  const x = randn([64, 64]);
  const y = small.read({ storage: small.unary('relu', x, 'float32', 0, 0), shape: [64, 64], strides: [64, 1], offset: 0 });
  assert.deepEqual(Array.from(y), Array.from(x.toTypedArray()).map((v) => (v > 0 ? v : 0)));
});
