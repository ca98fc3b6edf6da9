/**
 * The detection recipe of `shendu train yolo --dataset canvas-mnist`: a detection set (loadDetectionDataset) rides
 * the image-dataset plumbing of `shendu train` (BatchLoader, hold-out split, checkpoints) with its boxes packed into
 * one tensor per batch (datasets/detection-images.ts), which the recipe's task unpacks into DetectionTask batches. Pixels stay in [0, 1]; Adam's default rate is 1e-3; the best checkpoint is
 * the one with the highest validation VOC mAP@0.5 (`val_map`); the test report is the all-point mAP on the test
 * split and a picture of detections on its first images (`detections.png`). Image augmentation is refused: it
 * would move the images away from their boxes.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../../autograd/grad-mode.js';
import { VocScorer } from '../../models/detection/voc-scorer.js';
import { stack } from '../../ops/movement.js';
import { createOptimizer, createScheduler } from '../../optim/registry.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { DetectionTask, type DetectionBatch, type DetectionModel } from '../../train/tasks/detection.js';
import type { StepContext, StepResult } from '../../train/task.js';
import { drawBoxesImage } from '../../viz/boxes.js';
import { imageGridPng } from '../../viz/images.js';
import { unpackTargets } from '../datasets/detection-images.js';
import type { LabeledDataset } from '../datasets/image-dataset.js';
import type { TaskRecipe, TrainSetup } from './types.js';

type PackedBatch = readonly [Tensor, Tensor];

function toDetectionBatch(batch: DetectionBatch | PackedBatch): DetectionBatch {
  return Array.isArray(batch) ? { images: batch[0], targets: unpackTargets(batch[1]) } : (batch as DetectionBatch);
}

/** Images per detector forward pass in evaluation (the CLI's validation batches hold 1,000). */
const EVAL_CHUNK = 100;

/** A DetectionTask that also takes `shendu train`'s packed batches [images, packed targets] and evaluates in chunks. */
export class PackedDetectionTask extends DetectionTask {
  /** One training step on a packed or a DetectionBatch. */
  override trainStep(batch: DetectionBatch | PackedBatch, ctx: StepContext): StepResult {
    return super.trainStep(toDetectionBatch(batch), ctx);
  }

  /** Losses and scorer updates, EVAL_CHUNK images at a time; the losses averaged over the images. */
  override evalStep(batch: DetectionBatch | PackedBatch): StepResult {
    const b = toDetectionBatch(batch);
    const n = b.images.shape[0];
    if (n <= EVAL_CHUNK) return super.evalStep(b);
    let loss = 0;
    const logs: Record<string, number> = {};
    for (let at = 0; at < n; at += EVAL_CHUNK) {
      const m = Math.min(EVAL_CHUNK, n - at);
      const r = super.evalStep({ images: b.images.narrow(0, at, m), targets: b.targets.slice(at, at + m) });
      loss += r.loss * m;
      for (const [k, v] of Object.entries(r.logs ?? {})) logs[k] = (logs[k] ?? 0) + v * m;
    }
    return { loss: loss / n, n, logs: Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, v / n])) };
  }
}

/** Detections on the first `count` images of a detection set's loader-free batches, drawn (scores over 0.5) as one grid PNG. */
function detectionsPicture(model: DetectionModel, test: LabeledDataset, count: number, classes: readonly string[]): Uint8Array {
  const idx = Array.from({ length: Math.min(count, test.length) }, (_, i) => i);
  const [images] = test.batch(idx);
  const dets = noGrad(() => model.detect(images));
  const drawn = dets.map((d, i) => {
    const s = d.scores.toTypedArray();
    const keep = Array.from(s, (v, k) => (v > 0.5 ? k : -1)).filter((k) => k >= 0);
    const boxes = keep.length ? stack(keep.map((k) => d.boxes.select(0, k))) : tensor(new Float32Array(0), { shape: [0, 4] });
    const labels = d.labels.toTypedArray();
    return drawBoxesImage(images.select(0, i), boxes, keep.map((k) => labels[k]), keep.map((k) => s[k]), { classes, scale: 3 });
  });
  return imageGridPng(stack(drawn), { nrow: 4, padding: 4, padValue: 1 });
}

/** The detection recipe. */
export const detectionRecipe: TaskRecipe = {
  normalization: () => ({ mean: [0], std: [1] }),
  defaultLr: (optimizer) => (optimizer === 'adam' || optimizer === 'adamw' ? 1e-3 : undefined),
  monitor: (hasValidation) => (hasValidation ? 'val_map' : 'loss'),
  augments: false,
  buildTask(s: TrainSetup) {
    const optimizer = createOptimizer(s.optimizer, s.model.parameters().filter((p) => p.requiresGrad), { lr: s.lr, weightDecay: s.weightDecay || undefined });
    const scheduler = createScheduler(s.scheduler, optimizer, { epochs: s.epochs, stepsPerEpoch: s.stepsPerEpoch }) ?? undefined;
    const numClasses = s.info.classes.length;
    return new PackedDetectionTask(s.model as unknown as DetectionModel, { optimizer, scheduler, schedulerInterval: 'step', scorer: () => new VocScorer(numClasses) });
  },
  async report({ model, test, info, out, count }) {
    const net = model as unknown as DetectionModel;
    const scorer = new VocScorer(info.classes.length);
    const n = Math.min(count, test.length);
    const wasTraining = model.training;
    model.eval();
    try {
      for (let at = 0; at < n; at += EVAL_CHUNK) {
        const [images, packed] = test.batch(Array.from({ length: Math.min(EVAL_CHUNK, n - at) }, (_, i) => at + i));
        scorer.add(noGrad(() => net.detect(images)), unpackTargets(packed));
      }
      writeFileSync(join(out, 'detections.png'), detectionsPicture(net, test, 8, info.classes));
    } finally {
      model.train(wasTraining);
    }
    const map = scorer.compute().map;
    return { metrics: { testMap: map }, line: `test mAP@0.5 (VOC all-point) ${map.toFixed(4)} on ${n} images; detections on the first 8 in ${join(out, 'detections.png')}` };
  },
};
