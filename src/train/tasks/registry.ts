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
import { LanguageModelTask, type LanguageModelTaskOptions, type RecurrentLanguageModel } from './language-model.js';
// issue 14: auto-encoders and VAEs
import { ReconstructionTask, type ReconstructionTaskOptions } from './reconstruction.js';
import { VaeTask, type VaeTaskOptions } from './vae.js';
// issue 14: segmentation (U-Net)
import { SegmentationTask, type SegmentationTaskOptions } from './segmentation.js';
// issue 14: GANs
import { GanTask, type GanModel, type GanTaskOptions } from './gan.js';
// issue 13: token tagging (POS)
import { TaggingTask, type TaggingTaskOptions } from './tagging.js';
// issue 13: CTC (CRNN)
import { CtcTask, type CtcModel, type CtcTaskOptions } from './ctc.js';
import { Seq2SeqTask, type Seq2SeqModel, type Seq2SeqTaskOptions } from './seq2seq.js';
// issue 15: detectors
import { DetectionTask, type DetectionModel, type DetectionTaskOptions } from './detection.js';
// issue 13: image captioning
import { CaptionTask, type CaptionModel, type CaptionTaskOptions } from './captioning.js';

/** The options each registered task takes. */
export interface TaskOptionsMap {
  /** Cross-entropy on logits [N, C] and class indices [N]; accuracy. */
  classification: ClassificationTaskOptions;
  /** Mean squared error on outputs and targets of the same shape; mean absolute error. */
  regression: ClassificationTaskOptions;
  /** Next-symbol cross-entropy with truncated BPTT (the model has `step(x, state)`); bits per symbol. */
  'language-model': LanguageModelTaskOptions;
  // issue 14: auto-encoders and VAEs
  /** An auto-encoder reconstructing its (possibly corrupted) input: MSE or BCE, plus the model's penalty. */
  reconstruction: ReconstructionTaskOptions;
  /** A VAE: summed BCE (or Gaussian NLL) + beta * KL, per image. */
  vae: VaeTaskOptions;
  /** Per-pixel cross-entropy on logits [N, K, H, W] and masks [N, H, W]; mean IoU and pixel accuracy. */
  segmentation: SegmentationTaskOptions;
  // issue 14: GANs (the model is a GanModel: models/generative's GAN and CGAN)
  /** Adversarial training of a GAN's generator and discriminator; images in [-1, 1]. */
  gan: GanTaskOptions;
  /** The same for a conditional GAN on [image, label] batches. */
  cgan: GanTaskOptions;
  // issue 13: token tagging
  /** Per-token cross-entropy on logits [N, L, C] and tags [N, L], padding (ignoreIndex) left out; token accuracy. */
  tagging: TaggingTaskOptions;
  // issue 13: CTC (CRNN)
  /** CTC loss of per-frame scores [T, N, C] against unaligned label sequences; sequence accuracy and CER. */
  ctc: CtcTaskOptions;
  /** Encoder-decoder next-token cross-entropy with teacher forcing; decoded sequence accuracy and token error rate. */
  seq2seq: Seq2SeqTaskOptions;
  // issue 15: detectors
  /** A detector's own summed losses (model.losses); validation scores model.detect with the given scorer (VOC mAP). */
  detection: DetectionTaskOptions;
  // issue 13: image captioning
  /** Image-to-words next-word cross-entropy with teacher forcing; decoded exact-match rate, WER and the scorer's values (BLEU). */
  captioning: CaptionTaskOptions;
}

/** A registered task name. */
export type TaskName = keyof TaskOptionsMap;

/** The registered task names. */
export const TASK_NAMES: readonly TaskName[] = ['classification', 'regression', 'language-model', 'reconstruction', 'vae', 'segmentation', 'gan', 'cgan', 'tagging', 'ctc', 'seq2seq', 'detection', 'captioning'];

/** Builds the task called `name` around `model` (a ValueError lists the names for an unknown one). */
export function createTask<K extends TaskName>(name: K, model: Layer, opts: TaskOptionsMap[K]): Task {
  if (!(TASK_NAMES as readonly string[]).includes(name)) throw new ValueError(`createTask: unknown task '${String(name)}'; valid choices: ${TASK_NAMES.join(', ')}`);
  const n = name as TaskName;
  switch (n) {
    case 'classification': return new ClassificationTask(model, opts as ClassificationTaskOptions);
    case 'regression': return regressionTask(model, opts as ClassificationTaskOptions);
    case 'language-model': return new LanguageModelTask(model as unknown as RecurrentLanguageModel, opts as LanguageModelTaskOptions);
    // issue 14: auto-encoders and VAEs
    case 'reconstruction': return new ReconstructionTask(model, opts as ReconstructionTaskOptions);
    case 'vae': return new VaeTask(model, opts as VaeTaskOptions);
    case 'segmentation': return new SegmentationTask(model, opts as SegmentationTaskOptions);
    case 'gan':
    case 'cgan': return new GanTask(model as unknown as GanModel, opts as GanTaskOptions);
    case 'tagging': return new TaggingTask(model, opts as TaggingTaskOptions);
    case 'ctc': return new CtcTask(model as unknown as CtcModel, opts as CtcTaskOptions);
    case 'seq2seq': return new Seq2SeqTask(model as unknown as Seq2SeqModel, opts as Seq2SeqTaskOptions);
    case 'detection': return new DetectionTask(model as unknown as DetectionModel, opts as DetectionTaskOptions);
    case 'captioning': return new CaptionTask(model as unknown as CaptionModel, opts as CaptionTaskOptions);
    default: return assertNever(n, 'task');
  }
}

function regressionTask(model: Layer, opts: ClassificationTaskOptions): Task {
  return new SupervisedTask(model, { ...opts, loss: opts.loss ?? mseLoss, metrics: opts.metrics ?? ['mae'], kind: 'regression' });
}
