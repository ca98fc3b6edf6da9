/**
 * The recipe of `shendu train gan|cgan --dataset mnist|fashion-mnist`: pixels scaled to [-1, 1] (the generator's
 * tanh range), one discriminator and one generator step per batch (Adam lr 2e-4, betas 0.5/0.999 as DCGAN unless
 * another optimizer is named, then that optimizer for both networks), a constant learning rate, and per-epoch
 * pictures drawn by the task (samples from a fixed latent batch, one row per class for a CGAN; both losses). The
 * best checkpoint is the lowest held-out d_loss + g_loss, which says little about sample quality: use last.
 * @module
 */
import type { Module } from '../../nn/module.js';
import { createOptimizer } from '../../optim/registry.js';
import { evaluateTask } from '../../train/loop.js';
import { createTask } from '../../train/tasks/registry.js';
import { BatchLoader, NORMALIZATION } from '../recipe.js';
import type { TaskRecipe, TrainSetup } from './types.js';

function ganRecipe(kind: 'gan' | 'cgan'): TaskRecipe {
  return {
    normalization: (dataset) => {
      const c = NORMALIZATION[dataset]?.mean.length ?? 1;
      return { mean: Array(c).fill(0.5), std: Array(c).fill(0.5) };
    },
    defaultLr: (optimizer) => (optimizer === 'adam' ? 2e-4 : undefined),
    monitor: (hasValidation) => (hasValidation ? 'val_loss' : 'loss'),
    constantLr: true,
    buildTask(s: TrainSetup) {
      if (s.optimizer === 'adam' && !s.weightDecay) return createTask(kind, s.model, { lr: s.lr, seed: s.seed });
      const nets = s.model as unknown as { generator: Module; discriminator: Module };
      const make = (m: Module) => createOptimizer(s.optimizer, m.parameters(), { lr: s.lr, weightDecay: s.weightDecay || undefined });
      return createTask(kind, s.model, { generatorOptimizer: make(nets.generator), discriminatorOptimizer: make(nets.discriminator), seed: s.seed });
    },
    async report({ task, test, info, count }) {
      const logs = evaluateTask(task, new BatchLoader(test, 500, info.norm, { limit: count, prep: info.prep }));
      return {
        metrics: { testDLoss: logs.d_loss, testGLoss: logs.g_loss, testDReal: logs.d_real, testDFake: logs.d_fake },
        line: `test: discriminator loss ${logs.d_loss.toFixed(4)}, generator loss ${logs.g_loss.toFixed(4)}, D(x) ${logs.d_real.toFixed(3)}, D(G(z)) ${logs.d_fake.toFixed(3)} on ${Math.min(count, test.length)} images (samples.png shows the samples)`,
      };
    },
  };
}

/** GANs. */
export const unconditionalGanRecipe = ganRecipe('gan');
/** Conditional GANs (labels from the data set). */
export const cganRecipe = ganRecipe('cgan');
