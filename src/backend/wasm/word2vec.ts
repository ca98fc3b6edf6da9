/**
 * The wasm backend's word2vec epoch runner (see src/backend/host-word2vec.ts): copies the vectors, the tables
 * and the corpus into the kernel arena once per epoch, trains every job there with assembly/word2vec.ts (one call
 * a job, on the calling thread), and copies the vectors and the generator's state back. The caller's arrays stay
 * ordinary arrays of its own — nothing outlives the epoch in the kernel memory, so neither a later kernel
 * (which resets the arena) nor the memory growing can touch them, and a callback between epochs may run kernels.
 * @module
 */
import type { Word2VecEpochKernel, Word2VecEpochState } from '../host-word2vec.js';
import { ArenaFullError, type WasmRuntime } from './runtime.js';

/** The epoch's places in the arena, or null when they do not fit the kernel memory. */
function allocate(rt: WasmRuntime, s: Word2VecEpochState) {
  const V = s.cumTable.length;
  const n = V * s.size;
  const perPair = (s.negative + 1) * 4;
  rt.reset();
  try {
    return {
      syn0: rt.alloc(n * 4), syn1: rt.alloc(n * 4), cum: rt.alloc(V * 4), guide: rt.alloc(s.guide.length * 4), sampleInt: rt.alloc(V * 4),
      sigmoid: rt.alloc(s.sigmoid.length * 4), work: rt.alloc(s.size * 4), neu1: rt.alloc(s.size * 4), rows: rt.alloc(perPair),
      gains: rt.alloc(perPair), ptrs: rt.alloc(perPair), kept: rt.alloc(Math.max(s.longest, 1) * 4),
      words: rt.alloc(Math.max(s.words.length, 1) * 4), starts: rt.alloc(s.starts.length * 4), rng: rt.alloc(8),
    };
  } catch (e) {
    if (e instanceof ArenaFullError) return null;
    throw e;
  }
}

/** The word2vec epoch runner of `rt`'s kernel module. */
export function wasmWord2Vec(rt: WasmRuntime): Word2VecEpochKernel {
  return (s, jobs) => {
    const p = allocate(rt, s);
    if (!p) return null;
    const V = s.cumTable.length;
    const n = V * s.size;
    // the views are taken after the last allocation, which may have grown the memory
    const { f32, i32 } = rt;
    f32.set(s.syn0.subarray(0, n), p.syn0 >> 2);
    f32.set(s.syn1neg.subarray(0, n), p.syn1 >> 2);
    new Uint32Array(rt.memory.buffer, p.cum, V).set(s.cumTable);
    i32.set(s.guide, p.guide >> 2);
    new Uint32Array(rt.memory.buffer, p.sampleInt, V).set(s.sampleInt);
    f32.set(s.sigmoid, p.sigmoid >> 2);
    i32.set(s.words, p.words >> 2);
    i32.set(s.starts, p.starts >> 2);
    // the 48-bit state hi * 2^24 + lo as a little-endian u64
    i32[p.rng >> 2] = ((s.rng.hi % 256) * 2 ** 24 + s.rng.lo) | 0;
    i32[(p.rng >> 2) + 1] = Math.floor(s.rng.hi / 256);
    const k = rt.exports;
    let kept = 0;
    for (const job of jobs) {
      kept += k.word2vecJobF32(p.syn0, p.syn1, s.size, s.window, s.negative, p.cum, V, p.guide, p.sampleInt, s.sample ? 1 : 0,
        p.sigmoid, p.work, p.neu1, p.rows, p.gains, p.ptrs, p.kept, p.words, p.starts, job.first, job.last, job.alpha, s.sg ? 1 : 0,
        s.cbowMean ? 1 : 0, p.rng);
    }
    const low = i32[p.rng >> 2] >>> 0;
    s.rng.hi = (i32[(p.rng >> 2) + 1] >>> 0) * 256 + (low >>> 24);
    s.rng.lo = low & 0xffffff;
    s.syn0.set(f32.subarray(p.syn0 >> 2, (p.syn0 >> 2) + n));
    s.syn1neg.set(f32.subarray(p.syn1 >> 2, (p.syn1 >> 2) + n));
    return kept;
  };
}
