/**
 * The recipes of the generative tasks on image data sets (`shendu train ae|dae|sae|convae|convae_t|vae|convvae`):
 * pixels left in [0, 1] (the reconstruction targets and the Bernoulli decoder's range), Adam by default, the best
 * checkpoint by validation loss, per-epoch pictures drawn by the task (inputs above reconstructions, VAE samples from
 * a fixed latent batch), and a test report of the loss on the test split.
 * @module
 */
import type { Tensor } from '../../tensor/tensor.js';
import { createOptimizer, createScheduler } from '../../optim/registry.js';
import { evaluateTask } from '../../train/loop.js';
import type { Task } from '../../train/task.js';
import { createTask } from '../../train/tasks/registry.js';
import { imageGridPng } from '../../viz/images.js';
import { BatchLoader, NORMALIZATION } from '../recipe.js';
import type { ReportInput, TaskRecipe, TestReport, TrainSetup } from './types.js';

/** [0, 1] pixels as they are, one entry per channel of `dataset` (grey unless known otherwise). */
export function identityNorm(dataset: string): { mean: number[]; std: number[] } {
  const channels = NORMALIZATION[dataset]?.mean.length ?? 1;
  return { mean: Array(channels).fill(0), std: Array(channels).fill(1) };
}

const drawGrid = (images: Tensor, opts: { nrow: number }) => imageGridPng(images, { nrow: opts.nrow, scale: 2 });

function optimizerOf(s: TrainSetup) {
  const optimizer = createOptimizer(s.optimizer, s.model.parameters().filter((p) => p.requiresGrad), { lr: s.lr, weightDecay: s.weightDecay || undefined });
  const scheduler = createScheduler(s.scheduler, optimizer, { epochs: s.epochs, stepsPerEpoch: s.stepsPerEpoch }) ?? undefined;
  return { optimizer, scheduler };
}

/** Loss on the first `count` test images, with the task's own evaluation step. */
async function lossReport({ task, test, info, count }: ReportInput, what: string): Promise<TestReport> {
  const loader = new BatchLoader(test, 500, info.norm, { limit: count, prep: info.prep });
  const logs = evaluateTask(task, loader);
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs)) metrics[`test${k[0].toUpperCase()}${k.slice(1)}`] = v;
  const extra = Object.entries(logs).filter(([k]) => k !== 'loss').map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
  return { metrics, line: `test loss ${logs.loss.toFixed(4)} ${what} on ${Math.min(count, test.length)} images${extra ? ` (${extra})` : ''}` };
}

function generativeRecipe(task: 'reconstruction' | 'vae', what: string): TaskRecipe {
  return {
    normalization: identityNorm,
    defaultLr: () => undefined,
    monitor: (hasValidation) => (hasValidation ? 'val_loss' : 'loss'),
    buildTask(s: TrainSetup): Task {
      return createTask(task, s.model, { ...optimizerOf(s), seed: s.seed, drawGrid });
    },
    report: (r) => lossReport(r, what),
  };
}

/** Auto-encoders: reconstruction loss (MSE or BCE, plus a sparsity penalty where the model has one). */
export const reconstructionRecipe = generativeRecipe('reconstruction', 'per pixel');

/** VAEs: summed BCE + beta * KL per image (the negative evidence lower bound). */
export const vaeRecipe = generativeRecipe('vae', 'per image (negative ELBO)');
