/**
 * The reference `cpu` backend: every primitive in plain TypeScript over typed arrays (float32, float64, int32,
 * bool). Its kernel table is checked complete by the compiler.
 * @module
 */
import type { Backend } from '../types.js';
import { binary, unary, where } from './elementwise.js';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing.js';
import { matmul } from './matmul.js';
import { addInto, copy, copyInto, fill, fromData, read } from './movement.js';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './conv.js';
import { adamUpdate, sgdUpdate } from './optim.js';
import { reduce, scan } from './reduce.js';
import { argsort } from './sort.js';
import { lstmCell, lstmCellBackward } from './recurrent.js';
import { col2im, im2col, maxPool2d, maxPool2dBackward } from './window.js';
import { roiAlign, roiAlignBackward, roiPool } from './roi.js';
import { batchNormTrain, batchNormTrainBackward, leakyReluBackward } from './norm.js';
import { recurrentSequence, recurrentSequenceBackward } from './recurrent-seq.js'; // issue 18 (h-rnn)
import { softmaxLastDim, softmaxLastDimBackward } from './softmax.js';
import { layerNormRows, layerNormRowsBackward } from './layer-norm.js';
import { binaryCrossEntropy, binaryCrossEntropyBackward } from './bce.js';
import { bernoulliMask } from './random.js';
import { attention, attentionBackward } from './attention.js';
import { dropoutScale } from './drop-hash.js';

/** The plain-TypeScript reference backend. */
export const cpuBackend: Backend = {
  name: 'cpu',
  fill, fromData, read, copy, copyInto, addInto,
  unary, binary, where,
  reduce, scan, argsort,
  matmul,
  gather, scatterAdd, indexSelect, indexAdd,
  im2col, col2im, maxPool2d, maxPool2dBackward,
  conv2d, conv2dBackwardInput, conv2dBackwardWeight,
  lstmCell, lstmCellBackward,
  adamUpdate, sgdUpdate,
  roiAlign, roiAlignBackward, roiPool,
  batchNormTrain, batchNormTrainBackward, leakyReluBackward,
  recurrentSequence, recurrentSequenceBackward, // issue 18 (h-rnn)
  softmaxLastDim, softmaxLastDimBackward,
  layerNormRows, layerNormRowsBackward,
  binaryCrossEntropy, binaryCrossEntropyBackward,
  bernoulliMask,
  attention, attentionBackward, dropoutScale,
};
