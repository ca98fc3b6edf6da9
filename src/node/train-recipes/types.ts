/**
 * How `shendu train` trains each kind of task on an image data set: the input
 * normalization, the task with its optimizers and schedulers, the value that picks the best checkpoint and the final
 * test report. One recipe per task name (index.ts); the CLI only parses options and wires these together.
 * @module
 */
import type { Layer } from '../../nn/module.js';
import type { Task } from '../../train/task.js';
import type { LabeledDataset } from '../datasets/image-dataset.js';
import type { RunInfo } from '../recipe.js';

/** Per-channel normalization of pixels in [0, 1]: (x - mean) / std. */
export interface PixelNorm {
  /** Per-channel means. */
  mean: number[];
  /** Per-channel standard deviations. */
  std: number[];
}

/** What a recipe builds its task from: the model and the command line's optimization options. */
export interface TrainSetup {
  /** The model to train (built from the zoo, perhaps fine-tuned). */
  model: Layer;
  /** Optimizer name (a name of optim/registry.ts). */
  optimizer: string;
  /** Learning rate. */
  lr: number;
  /** Weight decay (0: the optimizer's default). */
  weightDecay: number;
  /** Scheduler name (a name of optim/registry.ts, or 'none'). */
  scheduler: string;
  /** Epochs of the run. */
  epochs: number;
  /** Batches per training epoch. */
  stepsPerEpoch: number;
  /** The run's seed (tasks derive their own generators from it). */
  seed: number;
  /** The run's metadata (classes, input size). */
  info: RunInfo;
}

/** The final evaluation of a run on the test split. */
export interface TestReport {
  /** The numbers for summary.json (e.g. `testAccuracy`, `testLoss`). */
  metrics: Record<string, number>;
  /** One line for the console, e.g. 'test accuracy 99.10% on 10000 images'. */
  line: string;
}

/** How one task trains on an image data set from the command line. */
export interface TaskRecipe {
  /** The input normalization for `dataset` (the classifier's data-set statistics; generative models their range). */
  normalization(dataset: string): PixelNorm;
  /** The learning rate when the command line gives none, or undefined for the optimizer registry's default. */
  defaultLr(optimizer: string): number | undefined;
  /** The epoch log value that picks best.safetensors (e.g. 'val_accuracy'), given whether there is validation. */
  monitor(hasValidation: boolean): string;
  /** Builds the task with its optimizers and schedulers. */
  buildTask(setup: TrainSetup): Task;
  /** Turns the labelled images into what the task trains on (e.g. image/mask pairs); absent: as they are. */
  dataset?(data: LabeledDataset): LabeledDataset;
  /** True when the task keeps its learning rate constant (no --scheduler). */
  constantLr?: boolean;
  /** Whether image augmentation (flips, crops, affine) may be used; false where targets are images too. Default true. */
  augments?: boolean;
  /** Evaluates the trained model on the first `count` test images and writes its pictures into `out`. */
  report(r: ReportInput): Promise<TestReport>;
}

/** What a recipe's test report reads. */
export interface ReportInput {
  /** The trained model. */
  model: Layer;
  /** The task it was trained with (its evalStep evaluates test batches). */
  task: Task;
  /** The test split. */
  test: LabeledDataset;
  /** The run's metadata (normalization, input preparation, classes). */
  info: RunInfo;
  /** The run directory. */
  out: string;
  /** Test images to use (the first ones). */
  count: number;
}
