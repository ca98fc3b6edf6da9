/**
 * Detectors (R-CNN family, YOLO) and what they share: each implements train's DetectionModel (named losses in
 * training, per-image detections otherwise) and scores with VocScorer.
 * @module
 */
export { VocScorer, vocScorer, type VocScorerOptions } from './voc-scorer.js';
// issue 15: Faster R-CNN
export * from './faster-rcnn/index.js';
