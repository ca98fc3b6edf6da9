/**
 * VOC evaluation of a detection list: per-class AP (all-point and VOC2007 11-point), mAP, and the
 * precision-recall curves as a PNG. Reads detections and ground truth as JSON arrays
 * ({imageId, label, score, box} and {imageId, label, box, difficult}); without files it evaluates the seeded
 * detections of test/fixtures/vision/voc_ap.json (jittered copies of ground-truth boxes plus background false
 * positives, written by tools/make_vision_fixtures.py, whose APs the tests check against the py-faster-rcnn
 * reference), not the output of a trained detector.
 * Run: npm run build && node dist/examples/voc-pr-curves.js [--detections d.json --ground-truth g.json]
 *      [--iou 0.5] [--out docs/pictures/voc-pr-curves.png]
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vision } from '../src/index.js';
import { savePicture } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  detections: { type: 'string', default: '' }, 'ground-truth': { type: 'string', default: '' },
  iou: { type: 'string', default: '0.5' },
  out: { type: 'string', default: join('docs', 'pictures', 'voc-pr-curves.png') },
});

const fixture = new URL('../../test/fixtures/vision/voc_ap.json', import.meta.url);
const detPath = a.detections;
const gtPath = a['ground-truth'];
const data = detPath && gtPath ? null : JSON.parse(readFileSync(fixture, 'utf8'));
const detections: vision.Detection[] = data ? data.detections : JSON.parse(readFileSync(detPath, 'utf8'));
const groundTruth: vision.GroundTruthBox[] = data ? data.groundTruth : JSON.parse(readFileSync(gtPath, 'utf8'));
const iouThreshold = Number(a.iou);
const out = a.out;

const all = vision.vocEvaluate(detections, groundTruth, { iouThreshold });
const voc07 = vision.vocEvaluate(detections, groundTruth, { iouThreshold, use07Metric: true });
console.log(`${detections.length} detections, ${groundTruth.length} ground-truth boxes (${groundTruth.filter((g) => g.difficult).length} difficult), IoU > ${iouThreshold}`);
all.classes.forEach((c, i) => {
  console.log(`class ${c.label}: ${c.numPositives} objects, ${c.recall.length} detections, AP ${c.ap.toFixed(4)} (all-point), ${voc07.classes[i].ap.toFixed(4)} (11-point)`);
});
console.log(`mAP ${all.mAP.toFixed(4)} (all-point), ${voc07.mAP.toFixed(4)} (VOC2007 11-point)`);
const saved = await savePicture(vision.prCurveSpec(all, { title: `Precision-recall per class, IoU > ${iouThreshold} (mAP ${all.mAP.toFixed(3)})` }), out);
console.log(`wrote ${saved.png}`);
