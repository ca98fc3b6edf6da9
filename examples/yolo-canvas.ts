/**
 * YOLO v1 on the MNIST canvas detection set (issue 15): 96x96 canvases with 2-5 real MNIST digits (scales 0.8-2,
 * some overlap, clutter fragments), the zoo's `yolo` (6x6 grid, 2 boxes per cell) trained through the detection
 * task (fitTask + DetectionTask + vocScorer); held-out VOC mAP@0.5 (all-point) on canvases made only from MNIST's
 * test digits. Leaves a run directory that `shendu detect` restores, and a PNG of detections on held-out canvases.
 * bench/torch_yolo_canvas.py is the PyTorch twin: it reads the canvases this script writes (--data-dir).
 * `--head v2` trains the zoo's `yolov2` instead (the same backbone with v2's conv anchor head: 5 k-means anchors per
 * cell, sigmoid offsets, exp sizes, objectness, softmax classes; bench/torch_yolo_canvas.py --head v2 is its twin).
 *
 *   node dist/examples/yolo-canvas.js [--train 2000] [--test 1000] [--epochs 6] [--batch 32] [--lr 0.001] [--head v1|v2]
 *        [--out bench/results/yolo-shendu.json] [--run runs/yolo-canvas] [--png yolo-canvas.png] [--data-dir /tmp/yolo-data]
 *
 * Recipe: the first --train training canvases and the first --test test canvases; seed 0 (init, shuffling); Adam,
 * lr decayed by cosine to 0 over all steps; no augmentation.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '../src/index.js'; // installs the Tensor methods
import { noGrad } from '../src/autograd/grad-mode.js';
import { DataLoader } from '../src/data/dataloader.js';
import { vocScorer } from '../src/models/detection/voc-scorer.js';
import { YOLOv1 } from '../src/models/detection/yolo.js';
import { YOLOv2 } from '../src/models/detection/yolov2.js';
import { canvasDetection } from '../src/node/datasets/canvas-detection.js';
import { NodeFileStore } from '../src/node/files.js';
import { stack } from '../src/ops/movement.js';
import { Adam } from '../src/optim/adam.js';
import { setNumThreads } from '../src/backend/wasm/index.js';
import { CosineAnnealingLR } from '../src/optim/schedulers/cosine.js';
import { Generator, manualSeed } from '../src/tensor/random.js';
import { saveCheckpoint } from '../src/train/checkpoint.js';
import { evaluateTask, fitTask } from '../src/train/loop.js';
import { DetectionTask, collateDetection } from '../src/train/tasks/detection.js';
import type { Tensor } from '../src/tensor/tensor.js';
import type { CanvasDetection } from '../src/vision/canvas-detection.js';
import { drawBoxesImage } from '../src/viz/boxes.js';
import { imageGridPng } from '../src/viz/images.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  train: { type: 'string', default: '2000' }, test: { type: 'string', default: '1000' }, epochs: { type: 'string', default: '6' },
  batch: { type: 'string', default: '32' }, lr: { type: 'string', default: '0.001' }, out: { type: 'string' }, png: { type: 'string' },
  run: { type: 'string' }, 'data-dir': { type: 'string' }, head: { type: 'string', default: 'v1' },
});
const [nTrain, nTest, epochs, batch, lr] = [a.train, a.test, a.epochs, a.batch, a.lr].map(Number);
if (a.head !== 'v1' && a.head !== 'v2') throw new Error(`yolo-canvas: --head must be v1 or v2, got ${a.head}`);
const modelName = a.head === 'v2' ? 'yolov2' : 'yolo';
setNumThreads(1); // the machine is shared; one kernel thread

const t0 = performance.now();
const train = canvasDetection({ train: true, numImages: nTrain });
const test = canvasDetection({ train: false, numImages: nTest });
console.log(`canvases: ${train.length} training (MNIST train digits), ${test.length} held-out (MNIST test digits), 96x96, made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** The canvases as raw little-endian float32 pixels plus a JSON of boxes and labels, for the PyTorch twin. */
function writeCanvases(dir: string, name: string, s: CanvasDetection): void {
  const px = s.images.contiguous().toTypedArray() as Float32Array;
  writeFileSync(join(dir, `${name}.f32`), new Uint8Array(px.buffer, px.byteOffset, px.byteLength));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ shape: s.images.shape, boxes: s.boxes, labels: s.labels, classes: s.classes }));
}
if (a['data-dir']) {
  mkdirSync(a['data-dir'], { recursive: true });
  writeCanvases(a['data-dir'], 'train', train);
  writeCanvases(a['data-dir'], 'test', test);
}

const items = (s: CanvasDetection) => Array.from({ length: s.length }, (_, i) => s.get(i));
manualSeed(0);
const model = a.head === 'v2' ? new YOLOv2({ classes: train.classes }) : new YOLOv1({ classes: train.classes });
const optimizer = new Adam(model.parameters(), { lr });
const trainLoader = new DataLoader(items(train), { batchSize: batch, shuffle: true, generator: new Generator(0), collate: collateDetection });
const testLoader = new DataLoader(items(test), { batchSize: 100, collate: collateDetection });
const scheduler = new CosineAnnealingLR(optimizer, epochs * trainLoader.length);
const task = new DetectionTask(model, { optimizer, scheduler, schedulerInterval: 'step', scorer: vocScorer(train.classes.length) });
const params = model.parameters().reduce((s, p) => s + p.numel(), 0);
console.log(`${modelName}: ${params} parameters, ${trainLoader.length} steps per epoch, ${epochs} epochs, Adam lr ${lr} (cosine), batch ${batch}`);

const epochsLog: Record<string, number>[] = [];
const tTrain = performance.now();
fitTask(task, {
  trainLoader, epochs,
  callbacks: [{
    onEpochEnd: (epoch, logs) => {
      epochsLog.push({ epoch, loss: logs.loss, coord: logs.loss_coord, obj: logs.loss_obj, noobj: logs.loss_noobj, cls: logs.loss_class, seconds: logs.time as number });
      console.log(`epoch ${epoch}: loss ${logs.loss.toFixed(4)} (coord ${logs.loss_coord.toFixed(3)}, obj ${logs.loss_obj.toFixed(3)}, noobj ${logs.loss_noobj.toFixed(3)}, class ${logs.loss_class.toFixed(3)}) (${(logs.time as number).toFixed(0)} s)`);
    },
  }],
});
const trainSeconds = (performance.now() - tTrain) / 1000;
const tTest = performance.now();
const final = evaluateTask(task, testLoader);
const testSeconds = (performance.now() - tTest) / 1000;
console.log(`held-out (${test.length} canvases of MNIST test digits): mAP@0.5 (all-point) ${final.map.toFixed(4)}, loss ${final.loss.toFixed(4)}; training ${trainSeconds.toFixed(0)} s, testing ${testSeconds.toFixed(1)} s`);
if (a.out) {
  const result = { framework: 'shendu', model: modelName, parameters: params, train: nTrain, test: nTest, epochs, batch, lr, heldOutMap: final.map, heldOutLoss: final.loss, trainSeconds, testSeconds, epochsLog };
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
}

if (a.run) {
  // a run directory as `shendu train` leaves it, so `shendu detect RUN image.png` restores the model
  const meta = {
    model: modelName, modelOptions: { inChannels: 1, inputSize: 96, numClasses: train.classes.length }, task: 'detection',
    dataset: 'canvas-mnist', classes: [...train.classes], norm: { mean: [0], std: [1] }, imageSize: 96, prep: null,
  };
  mkdirSync(a.run, { recursive: true });
  saveCheckpoint(new NodeFileStore(a.run), 'last', model, { metadata: { shendu: JSON.stringify(meta) } });
  // the first held-out canvases as PNG files, for trying `shendu detect`
  for (let i = 0; i < Math.min(4, test.length); i++) writeFileSync(join(a.run, `held-out-${i}.png`), imageGridPng(test.images.narrow(0, i, 1), { padding: 0 }));
  console.log(`wrote ${join(a.run, 'last.safetensors')} and held-out-0..3.png`);
}

if (a.png) {
  // the first 8 held-out canvases: detections scoring over 0.3, labelled with class and score
  model.eval();
  const idx = Array.from({ length: Math.min(8, test.length) }, (_, i) => i);
  const images = stack(idx.map((i) => test.get(i)[0]));
  const dets = noGrad(() => model.detect(images));
  const drawn: Tensor[] = dets.map((d, i) => {
    const keep = Array.from(d.scores.toTypedArray()).map((s, k) => (s > 0.3 ? k : -1)).filter((k) => k >= 0);
    const pick = (t: Tensor) => (keep.length ? stack(keep.map((k) => t.select(0, k))) : t.narrow(0, 0, 0));
    return drawBoxesImage(images.select(0, i), pick(d.boxes), Array.from(pick(d.labels).toTypedArray()), Array.from(pick(d.scores).toTypedArray()), { classes: train.classes, scale: 3 });
  });
  writeFileSync(a.png, imageGridPng(stack(drawn), { nrow: 4, padding: 4, padValue: 1 }));
  console.log(`wrote ${a.png}`);
}
