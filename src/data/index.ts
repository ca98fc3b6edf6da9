/**
 * `data`: datasets, samplers, the DataLoader and the byte-level file formats (in-memory, browser-safe).
 * @module
 */
export { TensorDataset, Subset, ConcatDataset, randomSplit, isMapDataset, type Dataset, type IterableDataset } from './dataset.js';
export { SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, randomPermutation, indexBatches, type Sampler } from './sampler.js';
export { DataLoader, defaultCollate, type DataLoaderOptions } from './dataloader.js';
export { parseIdx, type IdxData } from './idx.js';
export { parseCifar, type CifarData } from './cifar.js';
export { parseCsv, numericColumns, type CsvTable } from './csv.js';
// issue 14: segmentation masks from labelled images
export { SegmentationMasks, segmentationMask, FOREGROUND_THRESHOLD, type SegmentationMaskOptions, type LabelledImage } from './segmentation.js';
export { slidingWindows, windowStarts, foldWindows, type WindowOptions } from './windows.js';
// issue 13: digit strips (CRNN + CTC data)
export { DigitStrips, type DigitSource, type DigitStripOptions, type StripBatch } from './digit-strips.js';
// issue 13: grapheme-to-phoneme pairs (CMUdict's format, padded seq2seq batches)
export { G2PData, parseCmudict, G2P_PAD, G2P_BOS, G2P_EOS, type Pronunciation, type CmudictOptions, type G2PBatch } from './g2p.js';
// issue 13: captioned images and captioned canvases of MNIST / Fashion-MNIST items
export { CaptionData, CAPTION_SPECIALS, CAPTION_PAD, CAPTION_BOS, CAPTION_EOS, CAPTION_UNK, CAPTION_OOV, type CaptionBatch } from './captions.js';
export { resizeBytes } from './resize-bytes.js';
export { composeCaptionCanvases, article, DIGIT_NOUNS, FASHION_NOUNS, type CaptionItemSource, type CaptionCanvasOptions, type CaptionCanvases, type PlacedItem } from './caption-canvas.js';
