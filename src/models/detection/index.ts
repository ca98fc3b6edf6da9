/**
 * Detectors (R-CNN family, YOLO) and what they share: each implements train's DetectionModel (named losses in
 * training, per-image detections otherwise) and scores with VocScorer.
 * @module
 */
export { VocScorer, vocScorer, type VocScorerOptions } from './voc-scorer.js';
// issue 15: YOLO v1
export { YOLOv1, type YoloOptions } from './yolo.js';
export { yoloV1Encode, yoloV1Loss, yoloV1Decode, type YoloGrid, type YoloLossOptions, type YoloDecodeOptions } from './yolo-grid.js';
// issue 15: Faster R-CNN
export * from './faster-rcnn/index.js';
