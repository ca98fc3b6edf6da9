/**
 * A pool of float32 arrays that nothing references any more, handed out again for new results of the same length.
 *
 * Why: fresh memory is expensive. A new typed array of a few megabytes costs page faults on every 4 KiB page the
 * first time it is written — measured on the 2-core VMs this project runs on, 11-15 ms for a new 4 MiB array
 * against 0.26 ms to rewrite an old one — and the garbage collector frees dead arrays only now and then, so a
 * training loop keeps paying for fresh pages. Training loops are synchronous, so finalization callbacks never run
 * during them; the pool therefore takes only arrays whose death is certain without the collector: the autograd
 * engine recycles a gradient it made and consumed itself, and a vjp's temporaries (see src/autograd/engine.ts). Users never see the pool
 * and never call anything (design convention 5: backends may pool memory invisibly).
 *
 * Arrays are matched by exact length (a training step asks for the same shapes every time); a pooled array's
 * contents are arbitrary. The pool keeps at most MAX_POOLED_BYTES, beyond which recycled arrays are left to the
 * collector, and ignores arrays below MIN_POOLED_LENGTH (small arrays are cheap to make).
 * @module
 */

/** Arrays shorter than this are not pooled (4 KiB: below a page, fresh ones cost little). */
export const MIN_POOLED_LENGTH = 1024;
/** Most bytes the pool holds. */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;

const free = new Map<number, Float32Array[]>();
let pooledBytes = 0;
/** Counters for diagnostics (bench/profile-rnn.ts): arrays served from the pool, and bytes made fresh. */
const stats = { reused: 0, freshBytes: 0 };
/**
 * Every array this module made (by object: a subarray over the same memory, such as a kernel's dense view of its
 * operand, is another object and not in it). Only these are ever recycled.
 */
const made = new WeakSet<Float32Array>();
/** The arrays in `free` now: one given back twice is taken once (two results must never share an array). */
const pooled = new WeakSet<Float32Array>();

/** True when `a` was made by this module (zerosFloat32/scratchFloat32), so the pool may take it back. */
export function isPoolArray(a: unknown): a is Float32Array {
  return a instanceof Float32Array && made.has(a);
}

/**
 * Gives `a` back for reuse (an array this module made; others are left to the collector). The caller guarantees
 * that nothing else references `a` or its buffer (no view, no storage, no user).
 */
export function recycleFloat32(a: Float32Array): void {
  const n = a.length;
  if (!made.has(a) || pooled.has(a) || n < MIN_POOLED_LENGTH || pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  pooled.add(a);
  const list = free.get(n);
  if (list) list.push(a);
  else free.set(n, [a]);
  pooledBytes += a.byteLength;
}

/** A pooled array of exactly `length` floats (contents arbitrary), or null when there is none. */
export function takeFloat32(length: number): Float32Array | null {
  if (length < MIN_POOLED_LENGTH) return null;
  const list = free.get(length);
  const a = list?.pop();
  if (!a) return null;
  pooled.delete(a);
  pooledBytes -= a.byteLength;
  stats.reused++;
  return a;
}

/** A float32 array of `length` zeros: a pooled one cleared, or a new one. */
export function zerosFloat32(length: number): Float32Array {
  const a = takeFloat32(length);
  return a ? a.fill(0) : fresh(length);
}

/** A float32 array of `length` floats whose contents the caller overwrites: a pooled one, or a new one. */
export function scratchFloat32(length: number): Float32Array {
  return takeFloat32(length) ?? fresh(length);
}

function fresh(length: number): Float32Array {
  stats.freshBytes += 4 * length;
  const a = new Float32Array(length);
  if (length >= MIN_POOLED_LENGTH) made.add(a);
  return a;
}

/** Arrays served from the pool and float32 bytes made fresh by zerosFloat32/scratchFloat32 so far. */
export function float32PoolStats(): { reused: number; freshBytes: number } {
  return { ...stats };
}

/** Bytes the pool holds now (for tests and diagnostics). */
export function pooledFloat32Bytes(): number {
  return pooledBytes;
}

/** Empties the pool (for tests). */
export function clearFloat32Pool(): void {
  for (const list of free.values()) for (const a of list) pooled.delete(a);
  free.clear();
  pooledBytes = 0;
}
