/**
 * Running test code on a chosen backend and comparing backends' results: shared by the backend, RoI, NMS and CTC
 * tests that check the wasm kernels against the cpu reference.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBackend, listBackends, setBackend, tensor, type Tensor } from '../../src/index.js';

/** Runs `f` with backend `name` selected, then restores the previous backend. */
export function onBackend<T>(name: string, f: () => T): T {
  const prev = getBackend().name;
  setBackend(name);
  try {
    return f();
  } finally {
    setBackend(prev);
  }
}

/** One test per backend, named `<backend>: <name>`, running `body` with that backend selected. */
export function onEachBackend(name: string, body: () => void): void {
  for (const backend of listBackends()) test(`${backend}: ${name}`, () => onBackend(backend, body));
}

/** Copies a tensor onto a backend, keeping its values (and making it contiguous). */
export function to(t: Tensor, backend: string): Tensor {
  return onBackend(backend, () => tensor(t.toArray() as number[], { dtype: t.dtype }));
}

/** Same shape, and every element within rtol · (max |want| + 1) of `want`. */
export function assertClose(got: Tensor, want: Tensor, rtol: number, label: string): void {
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const g = got.toTypedArray();
  const w = want.toTypedArray();
  let scale = 0;
  for (let i = 0; i < w.length; i++) scale = Math.max(scale, Math.abs(w[i]));
  for (let i = 0; i < w.length; i++) {
    assert.ok(Math.abs(g[i] - w[i]) <= rtol * (scale + 1), `${label}: element ${i}: got ${g[i]}, expected ${w[i]}`);
  }
}
