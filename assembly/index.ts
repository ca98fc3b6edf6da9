/**
 * The kernels of shendu's `wasm` backend, compiled by `npm run build` (tools/build-wasm.mjs) into a module
 * that imports one shared memory. Kernels take byte addresses into that memory; the TypeScript side copies
 * operands in and results out (src/backend/wasm).
 */
export { sgemmBatched, sgemmScratchBytes } from './gemm';
export { dgemmAccumulate, dgemmScratchBytes } from './dgemm';
export { tridiagonalReduce } from './dsytrd';
export { bidiagonalReduce } from './dgebrd';
export { jacobiSweep } from './jacobi';
export { luFactor, luScratchBytes } from './dgetrf';
export { im2col, col2im, maxPool2d } from './window';
export { unaryF32, binaryF32 } from './elementwise';
export { reduceF32, argReduceF32 } from './reduce';
export { lstmCellF32, lstmCellBackwardF32 } from './recurrent';
export { conv2dF32, conv2dBackwardInputF32, conv2dBackwardWeightF32, convWorkBytes, sumChunksF32 } from './conv';
export { adamF32, sgdF32 } from './optim';
export { roiAlignF32, roiAlignBackwardF32, roiPoolF32, nchwToNhwcF32, nhwcF64ToNchwF32 } from './roi';
// issue 18 (conv helper): fused batch normalization
export { batchNormF32, batchNormBackwardF32, leakyReluBackwardF32 } from './norm';
// issue 18 (h-rnn): whole-sequence LSTM and GRU layers
export { lstmSequenceF32, lstmSequenceBackwardF32, gruSequenceF32, gruSequenceBackwardF32, recurrentSequenceWorkBytes,
  recurrentSequenceScratchBytes } from './recurrent-seq';
// issue 18 (transformer): softmax over the last dim and its gradient, one kernel each
export { softmaxRowsF32, softmaxBackwardRowsF32 } from './softmax';
// word2vec: one job of skip-gram or CBOW negative-sampling training, generator and tables in the kernel memory
export { word2vecJobF32 } from './word2vec';
// issue 18 (transformer): dropout's keep mask
export { bernoulliMaskF32 } from './random';
// issue 18 (transformer): scaled dot-product attention, one kernel each way
export { attentionF32, attentionBackwardF32, attentionWorkBytes } from './attention';
// issue 18 (transformer): dropout by hashing, one pass each way
export { dropoutF32 } from './dropout';
// issue 18 (transformer): layer normalization over rows, one kernel each way
export { layerNormF32, layerNormBackwardF32 } from './layer-norm';
export { bceF32, bceBackwardF32 } from './bce';
