/**
 * `train`: the training loop (fit, evaluate, predict), metrics, callbacks (early stopping, checkpoints,
 * loggers, progress), checkpoints with exact resume, and the FileStore interface they write through.
 * Browser-safe; the Node file store is `NodeFileStore` in `shendu/node`.
 * @module
 */
export { fit, evaluate, predict, TrainingError, type FitOptions, type EvaluateOptions, type PredictOptions, type LossFn, type MetricSpec } from './fit.js';
export { fitTask, evaluateTask, type LoopOptions } from './loop.js';
export { TaskBase, defaultInterval, type Task, type StepContext, type StepResult, type TaskPicture, type ScheduleSpec, type SchedulerInterval } from './task.js';
export { SupervisedTask, ClassificationTask, type SupervisedTaskOptions, type ClassificationTaskOptions } from './tasks/supervised.js';
export { createTask, TASK_NAMES, type TaskName, type TaskOptionsMap } from './tasks/registry.js';
export { PictureSaver, type PictureSaverOptions } from './picture-saver.js';
export { checkLabels, type CheckLabelsOptions } from './labels.js';
export {
  accuracy, topKAccuracy, confusionMatrix, precisionRecallF1, classificationReport, mse, mae, perplexity, ConfusionMatrix,
  type ClassificationOptions, type ConfusionOptions, type ClassificationReport, type PerplexityOptions,
} from './metrics.js';
export {
  createMetric, METRIC_NAMES, Accuracy, TopKAccuracy, PrecisionRecallF1, MeanError, Perplexity, type Metric,
} from './streaming-metrics.js';
export {
  EarlyStopping, CSVLogger, JSONLinesLogger, LRLogger, LambdaCallback,
  type EarlyStoppingOptions, type CSVLoggerOptions, type JSONLinesLoggerOptions, type LRLoggerOptions, type LRRecord,
} from './callbacks.js';
export { ModelCheckpoint, saveCheckpoint, loadCheckpoint, loadWeights, restoreRun, runMetadata, checkpointFiles, type RunMetadata, type ModelCheckpointOptions, type SaveCheckpointOptions } from './checkpoint.js';
export { ProgressBar, formatNumber, formatClock, formatBar, type ProgressSink, type ProgressBarOptions } from './progress.js';
export { MemoryFileStore, checkFileName, type FileStore } from './store.js';
export type { Callback, FitContext, EpochLogs, BatchLogs, History, TrainingState, Checkpoint, Scheduler } from './types.js';
// issue 14: the auto-encoder and VAE tasks
export { ReconstructionTask, type ReconstructionTaskOptions, type ReconstructionModel, type ReconstructionLoss } from './tasks/reconstruction.js';
export { VaeTask, type VaeTaskOptions, type VaeModel } from './tasks/vae.js';
export type { DrawGrid, GenerativePictureOptions } from './tasks/generative-common.js';
// issue 14: ROC curves and AUC, segmentation metrics and the segmentation task
export { rocCurve, rocAuc, RocAuc, type RocCurve, type RocCurveOptions, type NumberData } from './roc.js';
export { jaccardIndex, meanIoU, iouFromConfusion, MeanIoU, type IoUOptions, type IoUScores } from './iou.js';
export { SegmentationTask, type SegmentationTaskOptions, type SegmentationModel } from './tasks/segmentation.js';
export { segmentationPng, maskColor, MASK_COLORS, type SegmentationPngOptions } from './tasks/segmentation-picture.js';
// issue 14: GANs (the task, and the synchronous PNG pictures tasks draw)
export { GanTask, type GanModel, type GanTaskOptions } from './tasks/gan.js';
export { imageGridRaster, lineChartRaster, type RasterGridOptions, type RasterSeries, type RasterChartOptions } from './raster.js';
// issue 13: token tagging (POS)
export { TaggingTask, checkTagging, taggingHits, type TaggingTaskOptions } from './tasks/tagging.js';
// issue 13: CTC task and sequence metrics (edit distance, CER/PER)
export { editDistance, SequenceScores, type LabelSequence } from './edit-distance.js';
export { CtcTask, type CtcModel, type CtcBatch, type CtcTaskOptions } from './tasks/ctc.js';
export { DetectionTask, collateDetection, type DetectionModel, type DetectionBatch, type DetectionTarget, type Detection, type DetectionScorer, type DetectionTaskOptions } from './tasks/detection.js';
export { Seq2SeqTask, type Seq2SeqModel, type Seq2SeqBatch, type Seq2SeqTaskOptions } from './tasks/seq2seq.js';
// issue 13: image captioning
export { CaptionTask, type CaptionModel, type CaptionTaskBatch, type CaptionScorer, type CaptionTaskOptions } from './tasks/captioning.js';
