/**
 * The CIFAR-10 / CIFAR-100 binary format (cs.toronto.edu/~kriz/cifar.html): fixed-size records of label
 * byte(s) followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
 * @module
 */
import { DataError, ValueError } from '../errors.js';

/** Parsed CIFAR records: CHW uint8 pixels and labels. */
export interface CifarData {
  /** Number of images. */
  count: number;
  /** Pixels, count x 3 x 32 x 32 bytes. */
  images: Uint8Array;
  /** The fine label of each image (0..9 for CIFAR-10, 0..99 for CIFAR-100). */
  labels: Uint8Array;
  /** CIFAR-100's coarse (superclass) labels, 0..19; null for CIFAR-10. */
  coarseLabels: Uint8Array | null;
}

const PIXELS = 3 * 32 * 32;

/** Parses one CIFAR binary file; `variant` picks the record layout, `source` names the file in errors. */
export function parseCifar(bytes: Uint8Array, variant: 'cifar10' | 'cifar100', source = 'CIFAR data'): CifarData {
  if (variant !== 'cifar10' && variant !== 'cifar100') throw new ValueError(`parseCifar: variant must be 'cifar10' or 'cifar100', got ${JSON.stringify(variant)}`);
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const record = labelBytes + PIXELS;
  if (bytes.length === 0) throw new DataError(`${source}: the file is empty`);
  if (bytes.length % record !== 0) {
    throw new DataError(`${source}: ${bytes.length} bytes is not a whole number of ${variant} records of ${record} bytes (truncated or not ${variant}?)`);
  }
  const count = bytes.length / record;
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const coarse = variant === 'cifar100' ? new Uint8Array(count) : null;
  const maxLabel = variant === 'cifar10' ? 9 : 99;
  for (let i = 0; i < count; i++) {
    const at = i * record;
    if (coarse) {
      coarse[i] = bytes[at];
      if (coarse[i] > 19) throw new DataError(`${source}: record ${i} has coarse label ${coarse[i]}, expected 0..19`);
    }
    const label = bytes[at + labelBytes - 1];
    if (label > maxLabel) throw new DataError(`${source}: record ${i} has label ${label}, expected 0..${maxLabel}`);
    labels[i] = label;
    images.set(bytes.subarray(at + labelBytes, at + record), i * PIXELS);
  }
  return { count, images, labels, coarseLabels: coarse };
}
