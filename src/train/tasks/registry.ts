/**
 * The task registry: tasks by the name a zoo model's metadata gives (`task: 'classification'`), so the CLI, search
 * and the server build the right training step for a model without hard-coding a loss. Later model families
 * (sequence, generative, detection) add their tasks here.
 * @module
 */
import { ValueError, assertNever } from '../../errors.js';
import type { Layer } from '../../nn/module.js';
import { mseLoss } from '../../nn/loss.js';
import type { Task } from '../task.js';
import { ClassificationTask, SupervisedTask, type ClassificationTaskOptions } from './supervised.js';
// issue 14: GANs
import { GanTask, type GanModel, type GanTaskOptions } from './gan.js';

/** The options each registered task takes. */
export interface TaskOptionsMap {
  /** Cross-entropy on logits [N, C] and class indices [N]; accuracy. */
  classification: ClassificationTaskOptions;
  /** Mean squared error on outputs and targets of the same shape; mean absolute error. */
  regression: ClassificationTaskOptions;
  // issue 14: GANs (the model is a GanModel: models/generative's GAN and CGAN)
  /** Adversarial training of a GAN's generator and discriminator; images in [-1, 1]. */
  gan: GanTaskOptions;
  /** The same for a conditional GAN on [image, label] batches. */
  cgan: GanTaskOptions;
}

/** A registered task name. */
export type TaskName = keyof TaskOptionsMap;

/** The registered task names. */
export const TASK_NAMES: readonly TaskName[] = ['classification', 'regression', 'gan', 'cgan'];

/** Builds the task called `name` around `model` (a ValueError lists the names for an unknown one). */
export function createTask<K extends TaskName>(name: K, model: Layer, opts: TaskOptionsMap[K]): Task {
  if (!(TASK_NAMES as readonly string[]).includes(name)) throw new ValueError(`createTask: unknown task '${String(name)}'; valid choices: ${TASK_NAMES.join(', ')}`);
  const n = name as TaskName;
  switch (n) {
    case 'classification': return new ClassificationTask(model, opts as ClassificationTaskOptions);
    case 'regression': {
      const o = opts as ClassificationTaskOptions;
      return new SupervisedTask(model, { ...o, loss: o.loss ?? mseLoss, metrics: o.metrics ?? ['mae'], kind: 'regression' });
    }
    case 'gan':
    case 'cgan': return new GanTask(model as unknown as GanModel, opts as GanTaskOptions);
    default: return assertNever(n, 'task');
  }
}
