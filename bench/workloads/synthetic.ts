/**
 * Synthetic CIFAR-sized images for throughput workloads (no CIFAR ships in a package, and the values do not
 * change how long a step takes): pixels from an integer hash of their index, so every runner, PyTorch included
 * (bench/torch_train.py repeats the hash), trains on the very same batches without a file to share.
 * @module
 */

/** Distinct batches the synthetic set cycles through. */
export const SYNTHETIC_BATCHES = 8;

/** A 32-bit integer hash (the "lowbias" finalizer: xor-shift, multiply, twice), as an unsigned integer. */
export function hash32(u: number): number {
  let h = u >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Batch `k` (mod SYNTHETIC_BATCHES) of `batch` images of `pixels` values each: x [batch * pixels] float32 in
 * [0, 1], value j of the batch being hash32(base + j) / 2^32 with base = (k mod SYNTHETIC_BATCHES) * batch *
 * pixels; y [batch] int32, label of image b being (k * batch + b) mod `classes`.
 */
export function syntheticBatch(k: number, batch: number, pixels: number, classes: number): { x: Float32Array; y: Int32Array } {
  const base = (k % SYNTHETIC_BATCHES) * batch * pixels;
  const x = new Float32Array(batch * pixels);
  for (let j = 0; j < x.length; j++) x[j] = hash32(base + j) / 2 ** 32;
  const y = new Int32Array(batch);
  for (let b = 0; b < batch; b++) y[b] = ((k % SYNTHETIC_BATCHES) * batch + b) % classes;
  return { x, y };
}
