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
