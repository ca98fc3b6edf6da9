/**
 * Object-detection building blocks (issue 15): box operations, segmentation and region proposals, detection data.
 * @module
 */
// selective search and detection data (h-selsearch)
export { felzenszwalb, felzenszwalbPlanar, gaussianSmoothPlanar, type FelzenszwalbOptions, type Segmentation } from './felzenszwalb.js';
