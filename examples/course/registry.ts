/**
 * The course experiments, in the order of the course's chapters; `run.ts` and the tests run them from here.
 * @module
 */
import type { Experiment } from './experiment.js';
import { experiment as xor } from './xor.js';
import { experiment as zeroInit } from './zero-init.js';
import { experiment as normalization } from './normalization.js';
import { experiment as schedules } from './schedules.js';
import { experiment as universalApproximation } from './universal-approximation.js';
import { experiment as initScale } from './init-scale.js';
import { experiment as vanishingGradients } from './vanishing-gradients.js';
import { experiment as receptiveField } from './receptive-field.js';
import { experiment as cnnVsFc } from './cnn-vs-fc.js';
import { experiment as ridgeLasso } from './ridge-lasso.js';
import { experiment as classificationLosses } from './classification-losses.js';
import { experiment as optimizers } from './optimizers.js';
import { experiment as elm } from './elm.js';
import { experiment as regularization } from './regularization.js';
import { experiment as batchNorm } from './batch-norm.js';

/** Every registered experiment. */
export const EXPERIMENTS: readonly Experiment[] = [
  xor,
  ridgeLasso,
  normalization,
  zeroInit,
  initScale,
  vanishingGradients,
  classificationLosses,
  optimizers,
  schedules,
  batchNorm,
  regularization,
  universalApproximation,
  elm,
  cnnVsFc,
  receptiveField,
];
