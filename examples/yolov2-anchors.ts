/**
 * YOLO v2's dimension clusters on the MNIST canvas detection set (issue 15): vision.kmeansAnchors (k-means with the
 * distance 1 - IoU) over the boxes of all training canvases, for k = 1..--max-k, printing the mean IoU of the boxes
 * with their closest anchor (the paper's figure 2) and the anchors for --k. The `yolov2` zoo model's default anchors
 * (models/detection/yolov2.ts, YOLOV2_CANVAS_ANCHORS) are this script's k = 5 line:
 *
 *   node dist/examples/yolov2-anchors.js [--k 5] [--max-k 9] [--seed 0] [--train 5000]
 * @module
 */
import '../src/index.js'; // installs the Tensor methods
import { canvasDetection } from '../src/node/datasets/canvas-detection.js';
import { kmeansAnchors } from '../src/vision/kmeans-anchors.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  k: { type: 'string', default: '5' }, 'max-k': { type: 'string', default: '9' },
  seed: { type: 'string', default: '0' }, train: { type: 'string', default: '5000' },
});
const [k, maxK, seed, nTrain] = [a.k, a['max-k'], a.seed, a.train].map(Number);
const train = canvasDetection({ train: true, numImages: nTrain });
const boxes = train.boxes.flat();
console.log(`${boxes.length} boxes on ${train.length} training canvases (96x96)`);
for (let q = 1; q <= maxK; q++) console.log(`k = ${q}: mean IoU ${kmeansAnchors(boxes, q, { seed }).meanIou.toFixed(4)}`);
const r = kmeansAnchors(boxes, k, { seed });
console.log(`k = ${k}, seed ${seed}: mean IoU ${r.meanIou.toFixed(4)} after ${r.iterations} rounds; anchors [w, h] in pixels:`);
console.log(JSON.stringify(r.anchors.map(([w, h]) => [Number(w.toFixed(2)), Number(h.toFixed(2))])));
