/**
 * R-CNN, Fast R-CNN and an SPP-net head trained on the same selective-search proposals of a subset of the canvas
 * detection set's training split (real MNIST digits on 96x96 canvases), scored by held-out VOC mAP@0.5 (all-point)
 * on the first canvases of its test split, with their train and test times side by side: the course's point is
 * that each step of the family is faster. The three share the conv stack (3 convs 16, 32, 64, stride 4) and the fc
 * head (256, 256, softmax + class-specific boxes); R-CNN runs the convs on every warped 28x28 proposal crop, Fast
 * R-CNN once per image and pools each proposal from the feature map (RoI pooling 7x7; SPP: levels 1, 2, 4).
 * Proposals are computed once per canvas for all three (both papers precompute them) and timed apart.
 * Times are CPU seconds of this process on one thread (the machine is shared; wall seconds are printed too).
 *
 * Measured 2026-12-03 on the shared 2-core machine (load ~17), `--train 200 --test 40 --epochs 8 --lr 0.002` (Adam,
 * batches of 2 images x 64 RoIs, 25% positives), docs/pictures/rcnn-family.json and .png:
 *   proposals (selective search 'fast', shared): 146 ms/image CPU, 466 per test image;
 *   R-CNN      train 172.9 s, test 300 ms/image, held-out mAP@0.5 0.743
 *   Fast R-CNN train  80.4 s, test 105 ms/image, held-out mAP@0.5 0.593
 *   SPP head   train  63.3 s, test  71 ms/image, held-out mAP@0.5 0.523
 * (3 epochs at lr 0.001: 79 / 32 / 27 s, 382 / 113 / 82 ms, mAP 0.31 / 0.26 / 0.12.) Fast R-CNN trains 2.2x and
 * tests 2.9x faster than R-CNN with the same convs and head, SPP a little faster still (a smaller fc6); with the
 * test proposals counted (158 ms/image), a test image costs 458 / 263 / 229 ms. None has converged (losses still falling at epoch 8):
 * R-CNN's higher mAP here comes with 2.2x the compute per epoch, and the mAPs are not the methods' final accuracy.
 *
 * Run: npm run build && nice -n 5 node dist/examples/rcnn-family.js [--train 300] [--test 100] [--epochs 6] [--lr 0.001]
 *   [--models rcnn,fastrcnn,sppnet] [--proposals /tmp/rcnn-proposals.json] [--out docs/rcnn-family.json]
 *   [--png docs/pictures/rcnn-family.png]
 * `--proposals FILE` saves the proposals with their timing after the search and reuses them if FILE exists.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import '../src/index.js'; // installs the Tensor methods (backward, item, ...)
import { noGrad } from '../src/autograd/grad-mode.js';
import { setNumThreads } from '../src/backend/wasm/index.js';
import { DataLoader } from '../src/data/dataloader.js';
import { FastRCNN } from '../src/models/detection/fast-rcnn.js';
import { ProposalCache } from '../src/models/detection/proposals.js';
import { RCNN } from '../src/models/detection/rcnn.js';
import type { RegionDetector } from '../src/models/detection/region-detector.js';
import { VocScorer } from '../src/models/detection/voc-scorer.js';
import { canvasDetection } from '../src/node/datasets/canvas-detection.js';
import { svgToPng } from '../src/node/pictures.js';
import { stack } from '../src/ops/movement.js';
import { Adam } from '../src/optim/adam.js';
import { tensor } from '../src/tensor/creation.js';
import { Generator, manualSeed } from '../src/tensor/random.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { fitTask } from '../src/train/loop.js';
import { type Detection, DetectionTask, type DetectionTarget, collateDetection } from '../src/train/tasks/detection.js';
import { imageGridSpec } from '../src/viz/images.js';
import { renderSvg } from '../src/viz/render.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  train: { type: 'string', default: '300' }, test: { type: 'string', default: '100' }, epochs: { type: 'string', default: '6' },
  lr: { type: 'string', default: '0.001' }, models: { type: 'string', default: 'rcnn,fastrcnn,sppnet' },
  proposals: { type: 'string' }, out: { type: 'string' }, png: { type: 'string' }, 'proposals-only': { type: 'boolean', default: false },
});
const nTrain = Number(a.train);
const nTest = Number(a.test);
const epochs = Number(a.epochs);
const lr = Number(a.lr);
const names = String(a.models).split(',');
setNumThreads(1);

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU and wall seconds of `f`. */
function timed<T>(f: () => T): { value: T; cpu: number; wall: number } {
  const c = cpuSeconds();
  const w = performance.now();
  const value = f();
  return { value, cpu: cpuSeconds() - c, wall: (performance.now() - w) / 1000 };
}

const train = canvasDetection({ numImages: nTrain });
const test = canvasDetection({ train: false, numImages: nTest });
const trainImages = stack(Array.from({ length: nTrain }, (_, i) => train.get(i)[0]));
const testImages = stack(Array.from({ length: nTest }, (_, i) => test.get(i)[0]));
console.log(`canvas set: ${nTrain} training canvases (${train.boxes.flat().length} objects), ${nTest} test canvases (${test.boxes.flat().length} objects), 96x96, ${train.classes.length} classes`);

// ---- proposals, shared by all detectors ----
interface ProposalTiming { images: number; cpu: number; wall: number }
const cache = new ProposalCache({ mode: 'fast' });
let proposalTimes: { train: ProposalTiming; test: ProposalTiming };
if (a.proposals && existsSync(a.proposals)) {
  const saved = JSON.parse(readFileSync(a.proposals, 'utf8')) as { times: typeof proposalTimes; boxes: Record<string, number[]> };
  cache.load(saved.boxes);
  proposalTimes = saved.times;
  console.log(`proposals loaded from ${a.proposals} (${cache.size} images; timed when they were made)`);
}
const tr = timed(() => cache.precompute(trainImages));
const te = timed(() => cache.precompute(testImages));
if (cache.searched > 0 || proposalTimes! === undefined) {
  proposalTimes = { train: { images: nTrain, cpu: tr.cpu, wall: tr.wall }, test: { images: nTest, cpu: te.cpu, wall: te.wall } };
  if (a.proposals) writeFileSync(a.proposals, JSON.stringify({ times: proposalTimes, boxes: cache.toJSON() }));
}
const perImage = (t: ProposalTiming) => t.cpu / t.images;
const meanProposals = Array.from({ length: nTest }, (_, i) => cache.get(testImages.select(0, i)).length / 4).reduce((s, v) => s + v, 0) / nTest;
console.log(`selective search (fast): ${perImage(proposalTimes.train).toFixed(3)} s/image on the training canvases, ${perImage(proposalTimes.test).toFixed(3)} s/image on the test canvases, ${meanProposals.toFixed(0)} proposals per test image`);
if (a['proposals-only']) process.exit(0);

// ---- train and score each detector ----
interface Result { model: string; parameters: number; trainCpu: number; trainWall: number; epochs: number; finalLoss: number; testCpuPerImage: number; testWallPerImage: number; map: number }
const results: Result[] = [];
const shown: Record<string, Detection[]> = {};
const build = (name: string): RegionDetector => {
  const o = { proposals: cache, classes: train.classes, samplingSeed: 0 };
  if (name === 'rcnn') return new RCNN(o);
  if (name === 'fastrcnn') return new FastRCNN(o);
  if (name === 'sppnet') return new FastRCNN({ ...o, pooling: 'spp' });
  throw new Error(`unknown model ${name}; choose among rcnn, fastrcnn, sppnet`);
};
for (const name of names) {
  manualSeed(0);
  const model = build(name);
  const optimizer = new Adam(model.parameters(), { lr });
  const task = new DetectionTask(model, { optimizer });
  const trainLoader = new DataLoader(train, { batchSize: 2, shuffle: true, collate: collateDetection, generator: new Generator(0) });
  let finalLoss = NaN;
  const fit = timed(() => fitTask(task, {
    trainLoader, epochs,
    callbacks: [{
      onEpochEnd: (epoch: number, logs: Record<string, number>) => {
        finalLoss = logs.loss;
        console.log(`${name} epoch ${epoch}: loss ${logs.loss.toFixed(4)} (classifier ${logs.loss_classifier.toFixed(4)}, box ${logs.loss_box_reg.toFixed(4)})`);
      },
    }],
  }));
  model.eval();
  const scorer = new VocScorer(train.classes.length);
  const dets: Detection[] = [];
  const targets: DetectionTarget[] = [];
  const run = timed(() => noGrad(() => {
    for (let i = 0; i < nTest; i++) dets.push(model.detect(testImages.narrow(0, i, 1))[0]);
  }));
  for (let i = 0; i < nTest; i++) targets.push(test.get(i)[1]);
  scorer.add(dets, targets);
  const map = scorer.compute().map;
  shown[name] = dets.slice(0, 4);
  const r: Result = {
    model: name, parameters: model.parameters().reduce((s, p) => s + p.numel(), 0), trainCpu: fit.cpu, trainWall: fit.wall, epochs, finalLoss,
    testCpuPerImage: run.cpu / nTest, testWallPerImage: run.wall / nTest, map,
  };
  results.push(r);
  console.log(`${name}: train ${r.trainCpu.toFixed(1)} s CPU (${r.trainWall.toFixed(1)} s wall), test ${(1000 * r.testCpuPerImage).toFixed(0)} ms/image CPU, held-out mAP@0.5 ${map.toFixed(4)}`);
}

// ---- report ----
const pad = (s: string, n: number) => s.padEnd(n);
const lines = [
  `proposals (selective search 'fast', shared): ${(1000 * perImage(proposalTimes.train)).toFixed(0)} ms/image CPU (${nTrain} training canvases: ${proposalTimes.train.cpu.toFixed(1)} s), ${(1000 * perImage(proposalTimes.test)).toFixed(0)} ms/image on the test canvases, ${meanProposals.toFixed(0)} per image`,
  `${pad('model', 10)}| ${pad('params', 8)}| ${pad(`train (${epochs} ep.)`, 15)}| ${pad('test / image', 13)}| mAP@0.5`,
  ...results.map((r) => `${pad(r.model, 10)}| ${pad(String(r.parameters), 8)}| ${pad(`${r.trainCpu.toFixed(1)} s`, 15)}| ${pad(`${(1000 * r.testCpuPerImage).toFixed(0)} ms`, 13)}| ${r.map.toFixed(4)}`),
  '(CPU seconds, one thread; test time per image excludes the proposals; mAP all-point on the held-out canvases)',
];
console.log(lines.join('\n'));
if (a.out) {
  writeFileSync(a.out, JSON.stringify({
    framework: 'shendu', task: 'detection', dataset: 'canvas-detection (mnist)', train: nTrain, test: nTest, epochs, batch: 2, roisPerImage: 64, lr,
    proposals: { mode: 'fast', meanPerTestImage: meanProposals, ...proposalTimes }, results, table: lines,
  }, null, 2) + '\n');
  console.log(`wrote ${a.out}`);
}

/** The canvas as RGB with its ground truth (green) and the detections scoring >= 0.5 (red) outlined. */
function drawn(image: Tensor, gt: readonly (readonly number[])[], det: Detection): Tensor {
  const [, h, w] = image.shape;
  const src = image.toTypedArray();
  const out = new Float32Array(3 * h * w);
  for (let k = 0; k < 3; k++) out.set(src.subarray(0, h * w), k * h * w);
  const put = (x: number, y: number, col: readonly number[]) => {
    if (x >= 0 && y >= 0 && x < w && y < h) for (let k = 0; k < 3; k++) out[k * h * w + y * w + x] = col[k];
  };
  const outline = (b: readonly number[], col: readonly number[]) => {
    const [x1, y1, x2, y2] = [Math.round(b[0]), Math.round(b[1]), Math.round(b[2]) - 1, Math.round(b[3]) - 1];
    for (let x = x1; x <= x2; x++) { put(x, y1, col); put(x, y2, col); }
    for (let y = y1; y <= y2; y++) { put(x1, y, col); put(x2, y, col); }
  };
  gt.forEach((b) => outline(b, [0.1, 0.9, 0.2]));
  const bs = det.boxes.toTypedArray();
  const ss = det.scores.toTypedArray();
  for (let i = 0; i < ss.length; i++) if (ss[i] >= 0.5) outline(Array.from(bs.subarray(4 * i, 4 * i + 4)), [1, 0.2, 0.2]);
  return tensor(out, { shape: [3, h, w] });
}
if (a.png && results.length > 0) {
  const pics: Tensor[] = [];
  const captions: string[] = [];
  for (const name of names) {
    shown[name].forEach((d, i) => {
      pics.push(drawn(test.get(i)[0], test.boxes[i], d));
      const ls = d.labels.toTypedArray();
      const ss = d.scores.toTypedArray();
      const found = Array.from(ls).filter((_, j) => ss[j] >= 0.5).map((l) => test.classes[l]).join(' ');
      captions.push(`${name}: ${found || '-'}\ntrue: ${test.labels[i].map((l) => test.classes[l]).join(' ')}`);
    });
  }
  writeFileSync(a.png, svgToPng(await renderSvg(imageGridSpec(stack(pics), captions, { nrow: 4, scale: 2 }))));
  console.log(`wrote ${a.png}: 4 test canvases per row, one row per model; ground truth green, detections with score >= 0.5 red`);
}
