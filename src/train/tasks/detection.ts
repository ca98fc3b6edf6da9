/**
 * The detection task: a detector (R-CNN, Fast/Faster R-CNN, YOLO, ...) computes its own named losses from images
 * and box targets in training mode, as torchvision's detection models do (`model(images, targets)` returns a loss
 * dict), and returns per-image detections otherwise. The task sums the losses, steps the optimizer and logs each
 * loss; on validation batches it also runs `detect` and hands detections and targets to a scorer (VOC mAP from
 * `vision`, which this level cannot import, so the model's family supplies it through `scorer`).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import type { Module } from '../../nn/module.js';
import { stack } from '../../ops/movement.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { TaskBase, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';

/** One image's ground truth, torchvision's layout: boxes [K, 4] float32 (x1, y1, x2, y2 in pixels), labels [K] int32. */
export interface DetectionTarget {
  /** Boxes [K, 4] (xyxy, pixel-edge coordinates). */
  boxes: Tensor;
  /** Class indices [K] (0-based object classes; a detector that needs a background class adds its own). */
  labels: Tensor;
}

/** One image's detections: boxes [D, 4] (xyxy), scores [D] and labels [D] int32, best first. */
export interface Detection {
  /** Boxes [D, 4]. */
  boxes: Tensor;
  /** Confidence scores [D]. */
  scores: Tensor;
  /** Class indices [D] (the same numbering as the targets). */
  labels: Tensor;
}

/** A batch of images [N, C, H, W] and one target per image. */
export interface DetectionBatch {
  /** Images [N, C, H, W]. */
  images: Tensor;
  /** N targets. */
  targets: readonly DetectionTarget[];
}

/** What the detection task trains. */
export interface DetectionModel extends Module {
  /** Named scalar losses for a batch (training mode), e.g. {loss_objectness, loss_rpn_box, loss_classifier, loss_box}. */
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor>;
  /** Detections per image (called in eval mode without gradients). */
  detect(images: Tensor): Detection[];
  /** The object class names (the labels index them). */
  readonly classes: readonly string[];
}

/** Accumulates detections against targets over an epoch's validation batches (e.g. VOC mAP). */
export interface DetectionScorer {
  /** Forgets everything added. */
  reset(): void;
  /** Adds a batch's detections and the matching targets (same length). */
  add(detections: readonly Detection[], targets: readonly DetectionTarget[]): void;
  /** The scores by log name (e.g. {map: 0.91}); the loop prefixes `val_`. */
  compute(): Record<string, number>;
}

/** Options of DetectionTask. */
export interface DetectionTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Rescale gradients so their joint 2-norm is at most this before each step. */
  clipGradNorm?: number;
  /** Makes the validation scorer (without one, validation reports the losses only). */
  scorer?: () => DetectionScorer;
}

/** Stacks dataset items [image [C, H, W], target] (all images the same size) into a DetectionBatch. */
export function collateDetection(items: readonly (readonly [Tensor, DetectionTarget])[]): DetectionBatch {
  if (!Array.isArray(items) || items.length === 0) throw new ValueError(`collateDetection: expected a non-empty array of [image, {boxes, labels}] items, got ${describe(items)}`);
  const shape = items[0][0]?.shape;
  items.forEach(([img, t], i) => {
    if (!(img instanceof Tensor) || img.ndim !== 3) throw new ValueError(`collateDetection: item ${i}'s image must be a [C, H, W] tensor, got ${describe(img)}`);
    if (img.shape.join() !== shape.join()) throw new ValueError(`collateDetection: item ${i}'s image is [${img.shape.join(', ')}], item 0's [${shape.join(', ')}]; images of one batch must be one size`);
    checkTarget('collateDetection', t, i);
  });
  return { images: stack(items.map((it) => it[0])), targets: items.map((it) => it[1]) };
}

function checkTarget(fn: string, t: DetectionTarget, i: number): void {
  if (t === null || typeof t !== 'object' || !(t.boxes instanceof Tensor) || !(t.labels instanceof Tensor)) {
    throw new ValueError(`${fn}: target ${i} must be {boxes [K, 4], labels [K]}, got ${describe(t)}`);
  }
  const k = t.labels.shape[0];
  const boxesOk = (t.boxes.ndim === 2 && t.boxes.shape[1] === 4 && t.boxes.shape[0] === k) || (k === 0 && t.boxes.numel() === 0);
  if (t.labels.ndim !== 1 || !boxesOk) throw new ValueError(`${fn}: target ${i} must have boxes [K, 4] and labels [K], got boxes [${t.boxes.shape.join(', ')}] and labels [${t.labels.shape.join(', ')}]`);
}

/** Trains a DetectionModel on the sum of its losses; validation adds the scorer's values (see the module doc). */
export class DetectionTask extends TaskBase<DetectionBatch> {
  /** 'detection'. */
  readonly kind = 'detection';
  private readonly net: DetectionModel;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly scorer: DetectionScorer | undefined;

  /** Creates the task; `model` must have `losses`, `detect` and `classes`. */
  constructor(model: DetectionModel, opts: DetectionTaskOptions) {
    const m = model as unknown as Record<string, unknown> | null;
    if (m === null || typeof m !== 'object' || typeof m.losses !== 'function' || typeof m.detect !== 'function' || !Array.isArray(m.classes)) {
      throw new ValueError(`DetectionTask: the model must have losses(images, targets), detect(images) and classes (a detector of models/detection), got ${describe(model)}`);
    }
    if (opts === null || typeof opts !== 'object') throw new ValueError(`DetectionTask: options {optimizer, ...} are required, got ${describe(opts)}`);
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`DetectionTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    if (opts.scorer !== undefined && typeof opts.scorer !== 'function') throw new ValueError(`DetectionTask: scorer must be a function returning a DetectionScorer, got ${describe(opts.scorer)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.scorer = opts.scorer?.();
  }

  private lossesOf(batch: DetectionBatch): { total: Tensor; logs: Record<string, number>; n: number } {
    const ok = batch !== null && typeof batch === 'object' && batch.images instanceof Tensor && batch.images.ndim === 4 && Array.isArray(batch.targets);
    if (!ok) throw new ValueError(`DetectionTask: each batch must be {images [N, C, H, W], targets} (see collateDetection), got ${describe(batch)}`);
    const n = batch.images.shape[0];
    if (batch.targets.length !== n) throw new ValueError(`DetectionTask: ${n} images but ${batch.targets.length} targets`);
    batch.targets.forEach((t, i) => checkTarget('DetectionTask', t, i));
    const parts = this.net.losses(batch.images, batch.targets);
    const names = Object.keys(parts);
    if (names.length === 0) throw new ValueError('DetectionTask: the model returned no losses');
    let total: Tensor | undefined;
    const logs: Record<string, number> = {};
    for (const name of names) {
      const l = parts[name];
      if (!(l instanceof Tensor) || l.numel() !== 1) throw new ValueError(`DetectionTask: loss '${name}' must be a scalar tensor, got ${describe(l)}`);
      logs[name] = l.item();
      total = total === undefined ? l : total.add(l);
    }
    return { total: total as Tensor, logs, n };
  }

  /** Sums the model's losses, backward, clipping, one optimizer step; logs each loss. */
  trainStep(batch: DetectionBatch, ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { total, logs, n } = this.lossesOf(batch);
    const value = this.backwardAndStep(total, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    return { loss: value, n, logs };
  }

  /** The batch's losses, then its detections scored against the targets. */
  evalStep(batch: DetectionBatch): StepResult {
    const { total, logs, n } = this.lossesOf(batch);
    if (this.scorer !== undefined) this.scorer.add(noGrad(() => this.net.detect(batch.images)), batch.targets);
    return { loss: total.item(), n, logs };
  }

  /** Clears the phase's metrics (and the scorer for 'val'). */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    if (phase === 'val') this.scorer?.reset();
  }

  /** The scorer's values for 'val' (nothing extra for 'train'). */
  override metricLogs(phase: 'train' | 'val'): Record<string, number> {
    return phase === 'val' && this.scorer !== undefined ? { ...super.metricLogs(phase), ...this.scorer.compute() } : super.metricLogs(phase);
  }
}
