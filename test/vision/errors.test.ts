/**
 * The bad-input table of src/vision and nn.SpatialPyramidPooling: wrong shapes ([N, 3] boxes, [K, 4] rois),
 * dtype mismatches, NaN and infinite coordinates, batch indices outside the input, inverted ground-truth boxes,
 * non-positive output sizes — each a typed error naming the function, the argument and what was got, on every
 * backend.
 */
import { DTypeError, F, ShapeError, ValueError, nn, tensor, vision, zeros, type DType } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const f64 = (v: number[][] | number[]) => tensor(v, { dtype: 'float64' });
const f32 = (v: number[][] | number[]) => tensor(v, { dtype: 'float32' });
const boxes = () => f64([[0, 0, 2, 2], [1, 1, 3, 3]]);
const scores = () => f64([0.9, 0.8]);
const map = (dtype: DType = 'float64') => zeros([2, 3, 5, 5], { dtype });
const rois = (rows: number[][]) => f64(rows);
const ok = [[0, 0, 0, 2, 2]];
const gt = (box: number[]): vision.GroundTruthBox[] => [{ imageId: 0, label: 1, box: box as [number, number, number, number] }];
const det = (box: number[], score = 0.5): vision.Detection[] => [{ imageId: 0, label: 1, score, box: box as [number, number, number, number] }];

checkErrors('vision', [
  ['boxIou [N, 3]', () => vision.boxIou(f64([[0, 0, 1]]), boxes()), ShapeError, /^boxIou: boxes1 must have shape \[N, 4\], got \[1, 3\]/],
  ['boxIou 1-D second', () => vision.boxIou(boxes(), f64([0, 0, 1, 1])), ShapeError, /^boxIou: boxes2 must have shape \[N, 4\], got \[4\]/],
  ['boxIou not a tensor', () => vision.boxIou([[0, 0, 1, 1]] as never, boxes()), ValueError, /^boxIou: boxes1 must be a Tensor, got an array/],
  ['boxIou bool boxes', () => vision.boxIou(tensor([[true, true, true, true]]), boxes()), DTypeError, /^boxIou: boxes1 must be a numeric tensor, got dtype bool/],
  ['generalizedBoxIou [N, 3]', () => vision.generalizedBoxIou(boxes(), f64([[0, 0, 1]])), ShapeError, /^generalizedBoxIou: boxes2 must have shape \[N, 4\], got \[1, 3\]/],
  ['boxArea [N, 5]', () => vision.boxArea(f64([[0, 0, 0, 1, 1]])), ShapeError, /^boxArea: boxes must have shape \[N, 4\], got \[1, 5\]/],
  ['boxConvert unknown format', () => vision.boxConvert(boxes(), 'xyxy', 'yxyx' as never), ValueError, /^boxConvert: outFmt must be one of 'xyxy', 'xywh', 'cxcywh', got "yxyx"/],
  ['boxConvert [N, 3]', () => vision.boxConvert(f64([[0, 0, 1]]), 'xyxy', 'xywh'), ShapeError, /^boxConvert: boxes must have shape \[\.\.\., 4\], got \[1, 3\]/],
  ['clipBoxes size not a pair', () => vision.clipBoxes(boxes(), [10] as never), ValueError, /^clipBoxes: size must be \[height, width\].*got \[10\]/],
  ['clipBoxes negative size', () => vision.clipBoxes(boxes(), [10, -1]), ValueError, /^clipBoxes: size must be \[height, width\].*got \[10,-1\]/],
  ['removeSmallBoxes NaN minSize', () => vision.removeSmallBoxes(boxes(), NaN), ValueError, /^removeSmallBoxes: minSize must be a number, got NaN/],
  ['nms [N, 3] boxes', () => vision.nms(f64([[0, 0, 1], [0, 0, 2]]), scores(), 0.5), ShapeError, /^nms: boxes must have shape \[N, 4\], got \[2, 3\]/],
  ['nms scores 2-D', () => vision.nms(boxes(), f64([[0.9, 0.8]]), 0.5), ShapeError, /^nms: scores must be 1-D \[N\], got shape \[1, 2\]/],
  ['nms N differs', () => vision.nms(boxes(), f64([0.9]), 0.5), ShapeError, /^nms: boxes \[2, 4\] and scores \[1\] differ in N/],
  ['nms dtype mismatch', () => vision.nms(boxes(), f32([0.9, 0.8]), 0.5), DTypeError, /^nms: scores must have the dtype of boxes \(float64\), got float32/],
  ['nms int32 boxes', () => vision.nms(tensor([[0, 0, 1, 1]], { dtype: 'int32' }), tensor([1], { dtype: 'int32' }), 0.5), DTypeError, /^nms: boxes must be float32 or float64, got dtype int32/],
  ['nms NaN box', () => vision.nms(f64([[0, 0, NaN, 1], [0, 0, 1, 1]]), scores(), 0.5), ValueError, /^nms: boxes must not contain NaN, got NaN at flat index 2/],
  ['nms NaN score', () => vision.nms(boxes(), f64([NaN, 0.1]), 0.5), ValueError, /^nms: scores must not contain NaN/],
  ['nms NaN threshold', () => vision.nms(boxes(), scores(), NaN), ValueError, /^nms: iouThreshold must be a number, got NaN/],
  ['batchedNms float idxs', () => vision.batchedNms(boxes(), scores(), f64([0, 1]), 0.5), DTypeError, /^batchedNms: idxs must be an int32 tensor, got dtype float64/],
  ['batchedNms idxs length', () => vision.batchedNms(boxes(), scores(), tensor([0], { dtype: 'int32' }), 0.5), ShapeError, /^batchedNms: idxs must have shape \[2\].*got \[1\]/],
  ['roiAlign 3-D input', () => vision.roiAlign(zeros([3, 5, 5], { dtype: 'float64' }), rois(ok), 2), ShapeError, /^roiAlign: input must be 4-D \(N, C, H, W\), got shape \[3, 5, 5\]/],
  ['roiAlign int input', () => vision.roiAlign(zeros([1, 1, 5, 5], { dtype: 'int32' }), tensor([[0, 0, 0, 2, 2]], { dtype: 'int32' }), 2), DTypeError, /^roiAlign: input must be float32 or float64, got dtype int32/],
  ['roiAlign rois [K, 4]', () => vision.roiAlign(map(), f64([[0, 0, 2, 2]]), 2), ShapeError, /^roiAlign: boxes must have shape \[K, 5\] \(batch index, x1, y1, x2, y2\), got \[1, 4\]/],
  ['roiAlign rois dtype mismatch', () => vision.roiAlign(map('float32'), rois(ok), 2), DTypeError, /^roiAlign: boxes must have the dtype of input \(float32\), got float64/],
  ['roiAlign batch index = N', () => vision.roiAlign(map(), rois([[2, 0, 0, 2, 2]]), 2), ValueError, /^roiAlign: box 0 has batch index 2; it must be an integer in \[0, 1\]/],
  ['roiAlign negative batch index', () => vision.roiAlign(map(), rois([[0, 0, 0, 1, 1], [-1, 0, 0, 2, 2]]), 2), ValueError, /^roiAlign: box 1 has batch index -1/],
  ['roiAlign fractional batch index', () => vision.roiAlign(map(), rois([[0.5, 0, 0, 2, 2]]), 2), ValueError, /^roiAlign: box 0 has batch index 0\.5/],
  ['roiAlign NaN coordinate', () => vision.roiAlign(map(), rois([[0, 0, NaN, 2, 2]]), 2), ValueError, /^roiAlign: box 0 has a non-finite coordinate NaN/],
  ['roiAlign infinite coordinate', () => vision.roiAlign(map(), rois([[0, 0, 0, Infinity, 2]]), 2), ValueError, /^roiAlign: box 0 has a non-finite coordinate Infinity/],
  ['roiAlign outputSize 0', () => vision.roiAlign(map(), rois(ok), 0), ValueError, /^roiAlign: outputSize must be a positive integer or \[height, width\].*got 0/],
  ['roiAlign outputSize [2]', () => vision.roiAlign(map(), rois(ok), [2] as never), ValueError, /^roiAlign: outputSize must be .*got \[2\]/],
  ['roiAlign spatialScale -1', () => vision.roiAlign(map(), rois(ok), 2, { spatialScale: -1 }), ValueError, /^roiAlign: spatialScale must be a positive finite number, got -1/],
  ['roiAlign samplingRatio 1.5', () => vision.roiAlign(map(), rois(ok), 2, { samplingRatio: 1.5 }), ValueError, /^roiAlign: samplingRatio must be an integer, got 1\.5/],
  ['roiAlign box list of [K, 5]', () => vision.roiAlign(map(), [rois(ok)], 2), ShapeError, /^roiAlign: boxes\[0\] must have shape \[Ki, 4\], got \[1, 5\]/],
  ['roiAlign empty box list', () => vision.roiAlign(map(), [], 2), ValueError, /^roiAlign: boxes must be .* got an empty list/],
  ['roiAlign box list longer than batch', () => vision.roiAlign(map(), [boxes(), boxes(), boxes()], 2), ValueError, /^roiAlign: boxes has 3 per-image tensors but input has a batch of 2/],
  ['roiPool batch index out of range', () => vision.roiPool(map(), rois([[5, 0, 0, 2, 2]]), 2), ValueError, /^roiPool: box 0 has batch index 5; it must be an integer in \[0, 1\]/],
  ['roiPool [K, 3] rois', () => vision.roiPool(map(), f64([[0, 1, 2]]), 2), ShapeError, /^roiPool: boxes must have shape \[K, 5\]/],
  ['roiPool outputSize [2, 0]', () => vision.roiPool(map(), rois(ok), [2, 0]), ValueError, /^roiPool: outputSize must be .*got \[2,0\]/],
  ['roiPool dtype mismatch in list', () => vision.roiPool(map(), [f32([[0, 0, 1, 1]])], 2), DTypeError, /^roiPool: boxes\[0\] must have the dtype of input \(float64\), got float32/],
  ['RoIAlign outputSize -1', () => new vision.RoIAlign(-1), ValueError, /^RoIAlign: outputSize must be/],
  ['BoxCoder three weights', () => new vision.BoxCoder([1, 1, 1] as never), ValueError, /^BoxCoder: weights must be four finite non-zero numbers/],
  ['BoxCoder zero weight', () => new vision.BoxCoder([1, 1, 0, 1]), ValueError, /^BoxCoder: weights must be four finite non-zero numbers .*got \[1,1,0,1\]/],
  ['BoxCoder.encode N differs', () => new vision.BoxCoder([1, 1, 1, 1]).encodeSingle(boxes(), f64([[0, 0, 1, 1]])), ShapeError, /^BoxCoder\.encode: referenceBoxes \[2, 4\] and proposals \[1, 4\] differ in N/],
  ['BoxCoder.decode [N, 3] codes', () => new vision.BoxCoder([1, 1, 1, 1]).decodeSingle(f64([[0, 0, 0], [0, 0, 0]]), boxes()), ShapeError, /^BoxCoder\.decode: relCodes must have shape \[2, 4k\].*got \[2, 3\]/],
  ['AnchorGenerator empty sizes', () => new vision.AnchorGenerator({ sizes: [] }), ValueError, /^AnchorGenerator: sizes must be a non-empty list/],
  ['AnchorGenerator negative size', () => new vision.AnchorGenerator({ sizes: [[32, -4]] }), ValueError, /^AnchorGenerator: sizes\[0\] must be a non-empty list of positive numbers, got \[32,-4\]/],
  ['AnchorGenerator levels differ', () => new vision.AnchorGenerator({ sizes: [[32], [64]], aspectRatios: [[1]] }), ValueError, /^AnchorGenerator: sizes has 2 levels but aspectRatios has 1/],
  ['AnchorGenerator maps vs levels', () => new vision.AnchorGenerator().forward(map(), [map(), map()]), ValueError, /^AnchorGenerator: got 2 feature maps and 2 strides for 1 levels/],
  ['AnchorGenerator 1-D feature map', () => new vision.AnchorGenerator().forward(map(), [zeros([4])]), ShapeError, /^AnchorGenerator: featureMaps\[0\] must be \[N, C, H, W\], got shape \[4\]/],
  ['spatialPyramidPool level 0', () => F.spatialPyramidPool(map(), { levels: [2, 0] }), ValueError, /^spatialPyramidPool: levels must be a non-empty list of positive integers, got \[2,0\]/],
  ['spatialPyramidPool 2-D input', () => F.spatialPyramidPool(zeros([5, 5])), ShapeError, /^spatialPyramidPool: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[5, 5\]/],
  ['SpatialPyramidPooling mode min', () => new nn.SpatialPyramidPooling({ mode: 'min' as never }), ValueError, /^SpatialPyramidPooling: mode must be 'max' or 'avg', got "min"/],
  ['vocAp lengths differ', () => vision.vocAp([0.1, 0.2], [1]), ShapeError, /^vocAp: recall has 2 values but precision has 1/],
  ['vocAp NaN', () => vision.vocAp([NaN], [1]), ValueError, /^vocAp: recall and precision must not contain NaN \(index 0\)/],
  ['vocEvaluate ground truth x2 < x1', () => vision.vocEvaluate([], gt([5, 0, 2, 3])), ValueError, /^vocEvaluate: groundTruth\[0\] box must have x2 >= x1 and y2 >= y1, got \[5, 0, 2, 3\]/],
  ['vocEvaluate detection y2 < y1', () => vision.vocEvaluate(det([0, 4, 2, 3]), []), ValueError, /^vocEvaluate: detections\[0\] box must have x2 >= x1 and y2 >= y1/],
  ['vocEvaluate NaN box', () => vision.vocEvaluate(det([0, NaN, 2, 3]), []), ValueError, /^vocEvaluate: detections\[0\] box must be finite, got \[0, NaN, 2, 3\]/],
  ['vocEvaluate NaN score', () => vision.vocEvaluate(det([0, 0, 2, 3], NaN), []), ValueError, /^vocEvaluate: detections\[0\] score must be a number, got NaN/],
  ['vocEvaluate box of 3', () => vision.vocEvaluate([], gt([0, 0, 2])), ValueError, /^vocEvaluate: groundTruth\[0\] box must be \[x1, y1, x2, y2\]/],
  ['vocEvaluate iouThreshold 1.5', () => vision.vocEvaluate([], [], { iouThreshold: 1.5 }), ValueError, /^vocEvaluate: iouThreshold must be in \[0, 1\], got 1\.5/],
  ['VocEvaluator repeated image', () => {
    const ev = new vision.VocEvaluator();
    ev.addImage(1, { boxes: [], scores: [], labels: [] }, { boxes: [], labels: [] });
    ev.addImage(1, { boxes: [], scores: [], labels: [] }, { boxes: [], labels: [] });
  }, ValueError, /^VocEvaluator\.addImage: image 1 was already added/],
  ['VocEvaluator scores length', () => new vision.VocEvaluator().addImage(1, { boxes: boxes(), scores: [0.5], labels: [1, 1] }, { boxes: [], labels: [] }), ShapeError,
    /^VocEvaluator\.addImage: detections\.scores has 1 values for 2 boxes/],
  ['VocEvaluator [K, 3] boxes', () => new vision.VocEvaluator().addImage(1, { boxes: f64([[0, 0, 1]]), scores: [0.5], labels: [1] }, { boxes: [], labels: [] }), ShapeError,
    /^VocEvaluator\.addImage: detections\.boxes must have shape \[K, 4\], got \[1, 3\]/],
  ['VocEvaluator inverted target', () => new vision.VocEvaluator().addImage(1, { boxes: [], scores: [], labels: [] }, { boxes: [[4, 4, 1, 1]], labels: [1] }), ValueError,
    /^vocEvaluate: groundTruth\[0\] box must have x2 >= x1/],
  ['prCurveSpec without ground truth', () => vision.prCurveSpec(vision.vocEvaluate(det([0, 0, 1, 1]), [])), ValueError, /^prCurveSpec: no class of the evaluation has ground truth to draw/],
]);
