/**
 * Times roiAlign forward + backward at Faster R-CNN's sizes (512 RoIs x 64 channels pooled 7x7, sampling ratio 2,
 * from a [8, 64, 12, 12] map at scale 1/8) and one Faster R-CNN training step (createModel('fasterrcnn'), Adam, a
 * batch of 8 canvases of the canvas detection set), on one thread by default. Prints the median of each, and each
 * repetition's time, so that a loaded machine's noise shows. Not a test and not part of `npm run bench`.
 * Measured (2026-12-03, one thread, the shared 2-core machine under a load average of about 20; medians of 3 runs
 * of 9 repetitions / 3 steps, alternating with a build of the commit before the kernels): roiAlign forward +
 * backward 1153 ms on the host code, 221 ms with the wasm kernels (of which the kernels themselves take about 18 ms
 * forward and 35 ms backward; most of the rest is allocating and filling the 6.4 MB output); the training step
 * 4585 ms before, 2206 ms after.
 * Run: npm run build && nice -n 5 node dist/bench/roi-align.js [--reps 15] [--steps 5] [--threads 1] [--backend wasm]
 * @module
 */
import { DataLoader, Generator, manualSeed, models, optim, rand, setBackend, setNumThreads, tensor, train, vision, type Tensor } from '../src/index.js';
import { canvasDetection } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  reps: { type: 'string', default: '15' }, steps: { type: 'string', default: '5' },
  backend: { type: 'string', default: 'wasm' }, threads: { type: 'string', default: '1' },
});
const reps = Number(a.reps);
const steps = Number(a.steps);
setBackend(a.backend);
setNumThreads(Number(a.threads));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (xs: number[]) => xs.map((t) => t.toFixed(1)).join(' ');

// roiAlign alone: boxes of 4 to 60 pixels on 96x96 canvases, as the RoI heads see them
const g = new Generator(7);
const x = rand([8, 64, 12, 12], { generator: g });
x.requiresGrad = true;
const rows: number[][] = [];
for (let k = 0; k < 512; k++) {
  const w = 4 + g.random() * 56;
  const h = 4 + g.random() * 56;
  const x1 = g.random() * (96 - w);
  const y1 = g.random() * (96 - h);
  rows.push([k % 8, x1, y1, x1 + w, y1 + h]);
}
const rois = tensor(rows);
const gradOut = rand([512, 64, 7, 7], { generator: g });
const once = (): [number, number] => {
  const t0 = performance.now();
  const y = vision.roiAlign(x, rois, 7, { spatialScale: 1 / 8, samplingRatio: 2 });
  const t1 = performance.now();
  x.grad = null;
  y.backward(gradOut);
  return [t1 - t0, performance.now() - t1];
};
for (let i = 0; i < 3; i++) once();
const fwd: number[] = [];
const bwd: number[] = [];
for (let i = 0; i < reps; i++) {
  const [f, b] = once();
  fwd.push(f);
  bwd.push(b);
}
const both = fwd.map((f, i) => f + bwd[i]);
console.log(`roiAlign [8, 64, 12, 12] x 512 RoIs -> [512, 64, 7, 7], sampling 2: forward ${median(fwd).toFixed(1)} ms, backward ${median(bwd).toFixed(1)} ms, both ${median(both).toFixed(1)} ms (median of ${reps}; each: ${ms(both)})`);

// one Faster R-CNN training step on 8 canvases
manualSeed(0);
const model = models.createModel('fasterrcnn', { samplerSeed: 1 }) as unknown as models.FasterRCNN;
const task = new train.DetectionTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: 0.002 }) });
const data = canvasDetection({ train: true, numImages: 8 });
const items = { length: 8, get: (i: number): [Tensor, train.DetectionTarget] => data.get(i) };
const [batch] = new DataLoader(items, { batchSize: 8, collate: train.collateDetection }) as Iterable<train.DetectionBatch>;
model.train();
const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
task.trainStep(batch, ctx);
const stepTimes: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  task.trainStep(batch, { ...ctx, step: i + 1 });
  stepTimes.push(performance.now() - t0);
}
console.log(`Faster R-CNN training step, batch 8: ${median(stepTimes).toFixed(0)} ms (median of ${steps}; each: ${ms(stepTimes)})`);
