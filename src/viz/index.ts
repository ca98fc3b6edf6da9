/**
 * Pictures of models and training, browser-safe: Vega-Lite chart specs (training curves, line charts,
 * confusion matrices, captioned image grids), SVG rendering, and image grids as PNG bytes. Rasterizing SVG
 * to PNG and writing files live in 'shendu/node' (`svgToPng`, `saveTrainingCurves`, …).
 * @module
 */
export { renderSvg, type VegaLiteSpec } from './render.js';
export {
  lineChartSpec, trainingCurvesSpec, seriesColors, splitNames,
  type LineSeries, type LineChartOptions, type HistoryRecord, type TrainingCurvesOptions,
} from './lines.js';
export { confusionMatrixSpec, heatColors, textColors, type ConfusionMatrixOptions } from './confusion.js';
export { imageGridPng, imageGridSpec, type ImageValueOptions, type ImageGridOptions, type ImageGridPngOptions } from './images.js';
// seeing inside a CNN (issue 12, section 4)
export { featureMaps, layerNames, layerShapes, type FeatureMapsOptions, type LayerShape } from './feature-maps.js';
export { featureMapGrid, filters, tileGridSpec, tileGridPng, type TileGrid, type FeatureMapGridOptions, type FiltersOptions, type TileGridDrawOptions } from './tiles.js';
export { saliency, gradCam, type SaliencyOptions, type GradCamOptions } from './saliency.js';
export { colorize, overlayHeatmap, type ColorMap, type ColorizeOptions, type OverlayOptions } from './heatmap.js';
// issue 14: ROC curves and anomaly timelines
export { rocCurveSpec, anomalyTimelineSpec, type RocCurveSeries, type AnomalyTimeline } from './anomaly.js';
// issue 15: detections drawn on images
export { drawBoxes, drawBoxesImage, type DrawBoxesOptions } from './boxes.js';
// issue 17: pictures of a hyper-parameter search
export { optimizationHistorySpec, intermediateValuesSpec, sliceSpec, type TunePlotTrial, type TunePlotOptions } from './tune.js';
// issue 17 (plots): parallel coordinates and parameter importance of a search
export { parallelCoordinateSpec, type ParallelCoordinateTrial, type ParallelCoordinateOptions } from './tune-parallel.js';
export { paramImportanceSpec, type ParamImportanceOptions } from './tune-importance.js';
// issue 14: latent-space pictures (scatter, interpolation, traversal)
export { latentScatterSpec, interpolateLatents, traverseLatents, type LatentScatterOptions, type TraverseLatentsOptions } from './latent.js';
