/**
 * The segmentation recipe of `shendu train unet --dataset mnist`: each labelled image becomes an (image, mask)
 * pair whose mask labels the image's foreground pixels (largest channel above 0.5) with the class + 1 and the rest
 * with 0 (data/segmentation.ts), pixels stay in [0, 1], per-pixel cross-entropy with mean IoU (the best checkpoint
 * by validation mean IoU), the task's picture of image / true mask / predicted mask each epoch, and a test report
 * of mean IoU and pixel accuracy. Image augmentation is refused: it would move the images away from their masks.
 * @module
 */
import { segmentationMask } from '../../data/segmentation.js';
import { stack } from '../../ops/movement.js';
import { createOptimizer, createScheduler } from '../../optim/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { evaluateTask } from '../../train/loop.js';
import { createTask } from '../../train/tasks/registry.js';
import type { LabeledDataset } from '../datasets/image-dataset.js';
import { BatchLoader } from '../recipe.js';
import { identityNorm } from './generative.js';
import type { TaskRecipe, TrainSetup } from './types.js';

/** A labelled image dataset whose batches are [images [B, C, H, W], masks [B, H, W] int32] (see the module doc). */
export function withMasks(data: LabeledDataset): LabeledDataset {
  return {
    name: `${data.name} (masks)`, inputShape: data.inputShape, classes: ['background', ...data.classes], numClasses: data.numClasses + 1,
    get length() {
      return data.length;
    },
    inputs: () => data.inputs(),
    targets: () => data.targets(),
    get: (i: number) => data.get(i),
    batch(indices: ArrayLike<number>): [Tensor, Tensor] {
      const [x, y] = data.batch(indices);
      const labels = y.toTypedArray();
      return [x, stack(Array.from({ length: x.shape[0] }, (_, i) => segmentationMask(x.select(0, i), labels[i])), 0)];
    },
  };
}

/** The segmentation recipe. */
export const segmentationRecipe: TaskRecipe = {
  normalization: identityNorm,
  defaultLr: () => undefined,
  monitor: (hasValidation) => (hasValidation ? 'val_mean_iou' : 'mean_iou'),
  dataset: withMasks,
  augments: false,
  buildTask(s: TrainSetup) {
    const optimizer = createOptimizer(s.optimizer, s.model.parameters().filter((p) => p.requiresGrad), { lr: s.lr, weightDecay: s.weightDecay || undefined });
    const scheduler = createScheduler(s.scheduler, optimizer, { epochs: s.epochs, stepsPerEpoch: s.stepsPerEpoch }) ?? undefined;
    return createTask('segmentation', s.model, { optimizer, scheduler });
  },
  async report({ task, test, info, count }) {
    const logs = evaluateTask(task, new BatchLoader(withMasks(test), 250, info.norm, { limit: count, prep: info.prep }));
    return {
      metrics: { testMeanIoU: logs.mean_iou, testPixelAccuracy: logs.pixel_accuracy, testLoss: logs.loss },
      line: `test mean IoU ${logs.mean_iou.toFixed(4)}, pixel accuracy ${(100 * logs.pixel_accuracy).toFixed(2)}% on ${Math.min(count, test.length)} images`,
    };
  },
};
