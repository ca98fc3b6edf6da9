/**
 * `models`: the model zoo.
 * @module
 */
export { logisticRegression, mlp, lenet5, type ImageClassifierOptions, type MlpOptions, type LeNetOptions, type ActivationName } from './classic-nets.js';
export {
  createModel, modelEntry, modelNames, isModelName,
  type ModelEntry, type ModelOptions, type ModelOptionsMap, type ModelName, type Normalization,
} from './registry.js';
export { loadRun } from './run.js';
export * from './vision/index.js';
// issue 12: fine-tuning a zoo model for other classes
export { replaceHead, type ReplaceHeadOptions } from './head.js';
// issue 14: auto-encoders and VAEs
// issue 14: U-Net and the sequence auto-encoder
// issue 14: GANs
export * from './generative/index.js';
// issue 13: text classification and POS tagging
export { TextClassifier, tokenLengths, TEXT_ENCODERS, type TextClassifierOptions, type TextEncoderName } from './sequence/text-classifier.js';
export { POSTagger, wordShape, wordSuffix, WORD_SHAPES, type POSTaggerOptions } from './sequence/pos-tagger.js';
// issue 13: CRNN (CTC reader of digit strings)
export { CRNN, type CrnnOptions } from './sequence/crnn.js';
export { G2P, type G2POptions, type AttentionKind } from './sequence/g2p.js';
export { G2PTransformer, sinusoidalPositions, type G2PTransformerOptions, type PositionKind } from './sequence/g2p-transformer.js'; // issue 13 (h-g2p)
// issue 13: image captioning
export { Captioner, type CaptionerOptions, type CaptionResult } from './sequence/captioner.js';
// issue 15: detectors
export * from './detection/index.js';
// issue 17: the CNN a neural architecture search found
export { nasCnn, nasCnnOptions, type NasCnnOptions } from './nascnn.js';
