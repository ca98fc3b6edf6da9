/**
 * Synthetic detection batches for yolo_train: images from synthetic.ts's hash and YOLO_OBJECTS boxes per image
 * from integer arithmetic on the image's index, so every runner (bench/torch_train.py repeats both) trains on the
 * very same batches; the values do not change how long a step takes.
 * @module
 */
import { SYNTHETIC_BATCHES, syntheticBatch } from './synthetic.js';

/** Boxes per synthetic image. */
export const YOLO_OBJECTS = 3;

/**
 * Batch `k` of `batch` images [batch * size * size] (grey, hash pixels) with, for image i = (k mod
 * SYNTHETIC_BATCHES) * batch + b, boxes j = 0..YOLO_OBJECTS-1: side s = 16 + (5i + 7j) mod 33, x1 = (13i + 29j) mod
 * (size - s), y1 = (17i + 11j) mod (size - s), [x1, y1, x1 + s, y1 + s], label (i + 3j) mod `classes`.
 */
export function syntheticDetectionBatch(k: number, batch: number, size: number, classes: number): { x: Float32Array; boxes: number[][][]; labels: number[][] } {
  const { x } = syntheticBatch(k, batch, size * size, classes);
  const boxes: number[][][] = [];
  const labels: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const i = (k % SYNTHETIC_BATCHES) * batch + b;
    const bx: number[][] = [];
    const lb: number[] = [];
    for (let j = 0; j < YOLO_OBJECTS; j++) {
      const s = 16 + ((5 * i + 7 * j) % 33);
      const x1 = (13 * i + 29 * j) % (size - s);
      const y1 = (17 * i + 11 * j) % (size - s);
      bx.push([x1, y1, x1 + s, y1 + s]);
      lb.push((i + 3 * j) % classes);
    }
    boxes.push(bx);
    labels.push(lb);
  }
  return { x, boxes, labels };
}
