/**
 * The training recipes by task name: `taskRecipe(entry.task)` tells `shendu train` how to train a zoo model of
 * that task on an image data set. A new task brings its recipe here (the switch is exhaustive over the task
 * registry's names).
 * @module
 */
import { ValueError, assertNever } from '../../errors.js';
import type { TaskName } from '../../train/tasks/registry.js';
import { classificationRecipe } from './classification.js';
import { reconstructionRecipe, vaeRecipe } from './generative.js';
import { segmentationRecipe } from './segmentation.js';
import { cganRecipe, unconditionalGanRecipe } from './gan.js';
import { detectionRecipe } from './detection.js';
import type { TaskRecipe } from './types.js';

export type { PixelNorm, ReportInput, TaskRecipe, TestReport, TrainSetup } from './types.js';
export { classificationRecipe } from './classification.js';
export { reconstructionRecipe, vaeRecipe, identityNorm } from './generative.js';
export { segmentationRecipe, withMasks } from './segmentation.js';
export { unconditionalGanRecipe, cganRecipe } from './gan.js';

/** The recipe that trains models of task `name` from the command line. */
export function taskRecipe(name: TaskName): TaskRecipe {
  switch (name) {
    case 'classification': return classificationRecipe;
    case 'regression': throw new ValueError("train: the zoo has no model of the 'regression' task; regression models train through the fit API");
    case 'language-model': throw new ValueError('train: language models train on text (shendu train charlm --dataset moby-dick), not on an image data set');
    case 'reconstruction': return reconstructionRecipe;
    case 'vae': return vaeRecipe;
    case 'segmentation': return segmentationRecipe;
    case 'gan': return unconditionalGanRecipe;
    case 'cgan': return cganRecipe;
    case 'tagging': throw new ValueError('train: taggers train on tagged text (examples/pos-brown.ts), not on an image data set');
    // issue 13: CTC readers train on digit strips (DigitStrips), which the image-data-set recipes do not make
    case 'ctc': throw new ValueError('train: CTC models (crnn) train on digit strips through the API (mnistStrips + CtcTask, examples/crnn-digits.ts), not on an image data set');
    case 'seq2seq': throw new ValueError('train: seq2seq models (g2p, g2p_transformer) train on word/phoneme pairs through the API (cmudict + Seq2SeqTask, examples/g2p-cmudict.ts [--arch transformer]), not on an image data set');
    case 'detection': return detectionRecipe;
    case 'captioning': throw new ValueError('train: captioners train on captioned images through the API (canvasCaptions / emojiCaptions + CaptionTask, examples/captioning.ts), not on a labelled image data set');
    default: return assertNever(name, 'task');
  }
}
