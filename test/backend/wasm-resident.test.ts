/**
 * Resident storage (src/backend/wasm/resident.ts): the optimizer kernels move parameters and their state into the
 * kernel memory, other kernels read them in place. Checked: the move keeps identity and values, refuses what it
 * cannot hold, frees and reuses blocks of collected arrays; training gives bit for bit the numbers it gives when
 * nothing is resident; and through the public API a parameter (and the tensor it wraps) really moves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HostStorage } from '../../src/backend/cpu/storage.js';
import type { Backend, SgdUpdate, AdamUpdate, View } from '../../src/backend/types.js';
import { listBackends, manualSeed, nn, optim, randn, setBackend, getBackend, tensor, type Tensor } from '../../src/index.js';

const loaded = listBackends().includes('wasm');

async function runtime() {
  const { loadRuntime } = await import('../../src/backend/wasm/runtime.js');
  return loadRuntime();
}

const viewOf = (storage: HostStorage): View => ({ storage, shape: [storage.length], strides: [1], offset: 0 });

test('a storage moved into the kernel memory keeps its values and identity, and moves once', { skip: !loaded }, async () => {
  const rt = await runtime();
  const { ResidentMemory } = await import('../../src/backend/wasm/resident.js');
  const memory = new ResidentMemory(rt);
  const values = Float32Array.from({ length: 1000 }, (_, i) => i * 0.5 - 7);
  const s = new HostStorage('float32', values.slice(), 'wasm');
  const ptr = memory.adopt(s);
  assert.ok(ptr !== null && ptr % 64 === 0);
  assert.equal(s.data.buffer, rt.memory.buffer);
  assert.equal(s.data.byteOffset, ptr);
  assert.deepEqual(s.data, values);
  assert.equal(memory.addressOf(s.data), ptr);
  assert.equal(memory.adopt(s), ptr);
  assert.equal(memory.bytes, 4032);
  // the kernel memory and the storage are one: a write through either is seen by the other
  s.data[3] = 42;
  assert.equal(rt.f32[(ptr! >> 2) + 3], 42);
});

test('what cannot move stays in host memory, unchanged: other dtypes, past the budget', { skip: !loaded }, async () => {
  const rt = await runtime();
  const { ResidentMemory } = await import('../../src/backend/wasm/resident.js');
  const memory = new ResidentMemory(rt, 4096);
  const ints = new HostStorage('int32', Int32Array.from([1, 2, 3]), 'wasm');
  assert.equal(memory.adopt(ints), null);
  assert.ok(!(ints.data.buffer instanceof SharedArrayBuffer));
  const fits = new HostStorage('float32', new Float32Array(1000).fill(1), 'wasm');
  const over = new HostStorage('float32', new Float32Array(100).fill(2), 'wasm');
  assert.notEqual(memory.adopt(fits), null);
  const before = over.data;
  assert.equal(memory.adopt(over), null);
  assert.equal(over.data, before);
  assert.deepEqual(Array.from(over.data.slice(0, 3)), [2, 2, 2]);
});

test('the block of a collected array is freed and given to the next storage', { skip: !loaded }, async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const rt = await runtime();
  const { ResidentMemory } = await import('../../src/backend/wasm/resident.js');
  const memory = new ResidentMemory(rt);
  const first = (() => {
    const s = new HostStorage('float32', new Float32Array(4096).fill(3), 'wasm');
    return memory.adopt(s);
  })();
  assert.equal(memory.bytes, 4096 * 4);
  // finalization callbacks run after a collection, between tasks
  for (let i = 0; i < 50 && memory.bytes > 0; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(memory.bytes, 0);
  const next = new HostStorage('float32', new Float32Array(1024).fill(4), 'wasm');
  assert.equal(memory.adopt(next), first);
  assert.deepEqual(Array.from(next.data.slice(0, 2)), [4, 4]);
});

test('optimizer steps with resident parameters and state give the numbers they give in host memory, bit for bit', { skip: !loaded }, async () => {
  const rt = await runtime();
  const { ThreadPool } = await import('../../src/backend/wasm/threads.js');
  const { createWasmBackend } = await import('../../src/backend/wasm/kernels.js');
  const pool = new ThreadPool(rt, 1);
  const kept = createWasmBackend(rt, pool);
  const copied = createWasmBackend(rt, pool, { residentBytes: 0 });
  manualSeed(7);
  const init = Array.from({ length: 6 }, () => randn([24, 16]).toTypedArray() as Float32Array);
  const x = randn([5, 16]).toTypedArray() as Float32Array;
  const run = (b: Backend) => {
    const st = init.map((a) => new HostStorage('float32', a.slice(), 'wasm'));
    const [p1, buf, p2, m, v] = st.map(viewOf);
    const w1: View = { storage: st[0], shape: [16, 24], strides: [1, 16], offset: 0 }; // p1 transposed, read in place
    const xv: View = { storage: new HostStorage('float32', x.slice(), 'wasm'), shape: [5, 16], strides: [16, 1], offset: 0 };
    const rowOfBias: View = { storage: st[5], shape: [5, 24], strides: [0, 1], offset: 0 };
    const out: number[][] = [];
    for (let step = 0; step < 3; step++) {
      const sgd: SgdUpdate = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: step === 2, maximize: false, first: step === 0 };
      const adam: AdamUpdate = { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: Math.sqrt(1 - 0.999 ** (step + 1)), eps: 1e-8, weightDecay: 0, maximize: false };
      const y = b.matmul(xv, w1, 'float32');
      const yb = b.binary('add', { storage: y, shape: [5, 24], strides: [24, 1], offset: 0 }, rowOfBias, 'float32');
      const ys = (yb as HostStorage).data;
      const g = new HostStorage('float32', Float32Array.from({ length: 384 }, (_, i) => ys[i % 120] * 0.01), 'wasm');
      b.sgdUpdate(p1, viewOf(g), buf, sgd);
      b.adamUpdate(p2, viewOf(g), m, v, null, adam);
      out.push(Array.from((yb as HostStorage).data));
    }
    return { out, st };
  };
  const a = run(kept);
  const c = run(copied);
  assert.deepEqual(a.out, c.out);
  for (let i = 0; i < 5; i++) assert.deepEqual(Array.from(a.st[i].data), Array.from(c.st[i].data), `storage ${i}`);
  // parameters and their state moved; the input and the one never given to an optimizer did not
  for (const i of [0, 1, 2, 3, 4]) assert.ok(a.st[i].data.buffer instanceof SharedArrayBuffer, `storage ${i} resident`);
  assert.ok(!(a.st[5].data.buffer instanceof SharedArrayBuffer));
  for (const s of c.st) assert.ok(!(s.data.buffer instanceof SharedArrayBuffer));
});

test('through the public API: a trained parameter moves, and the tensor it wraps still shares its memory', { skip: !loaded }, () => {
  const prev = getBackend().name;
  setBackend('wasm');
  try {
    manualSeed(3);
    const fc = new nn.Linear(8, 4);
    const raw = randn([4, 8]);
    fc.weight = new nn.Parameter(raw);
    const opt = new optim.Adam(fc.parameters(), { lr: 0.01 });
    const x = randn([16, 8]);
    const before = Array.from(raw.toTypedArray());
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      fc.forward(x).square().mean().backward();
      opt.step();
    }
    const storage = fc.weight.storage as HostStorage;
    assert.ok(storage.data.buffer instanceof SharedArrayBuffer);
    assert.equal(raw.storage, fc.weight.storage);
    assert.deepEqual(Array.from(raw.toTypedArray()), Array.from(fc.weight.toTypedArray()));
    assert.notDeepEqual(Array.from(raw.toTypedArray()), before);
    // the user can still change it in place, and every reader sees the change
    const w: Tensor = fc.weight;
    w.detach().fill_(0.5);
    const y = fc.forward(tensor([[1, 0, 0, 0, 0, 0, 0, 0]])).sub(fc.bias!);
    assert.deepEqual(Array.from(y.toTypedArray()), [0.5, 0.5, 0.5, 0.5]);
  } finally {
    setBackend(prev);
  }
});
