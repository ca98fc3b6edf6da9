/**
 * Object-detection building blocks (issue 15): box operations, segmentation and region proposals, detection data.
 * @module
 */
// selective search and detection data (h-selsearch)
export { felzenszwalb, felzenszwalbPlanar, gaussianSmoothPlanar, type FelzenszwalbOptions, type Segmentation } from './felzenszwalb.js';
export { boxArrayArea, boxArrayIou, checkBoxArrays, proposalRecall, type BoxArray } from './box-array.js';
export { composeCanvasDetection, type CanvasDetection, type CanvasDetectionOptions, type CanvasItemSource } from './canvas-detection.js';
export {
  selectiveSearch, selectiveSearchStrategies, strategyRegions, PAPER_IMAGE_AREA,
  type SelectiveSearchMode, type SelectiveSearchOptions, type SelectiveSearchStrategy,
} from './selective-search.js';
export { COLOUR_SPACES, convertColourSpace, colourSpaceChannels, type SelectiveSearchColourSpace } from './colour-spaces.js';
export { hierarchicalGrouping, regionSimilarity, type SimilarityMeasure } from './hierarchical-grouping.js';
export { regionFeatures, adjacentPairs, COLOUR_BINS, TEXTURE_BINS, ORIENTATIONS, type Region } from './region-features.js';
export {
  hflipWithBoxes, randomHorizontalFlipWithBoxes, scaleWithBoxes, randomScaleWithBoxes, randomIoUCrop, colorJitterWithBoxes, composeBoxTransforms,
  type BoxTarget, type BoxTransform, type RandomIoUCropOptions,
} from './box-transforms.js';
