/**
 * Proposal recall of selective search on the held-out split of the MNIST canvas detection set: the fraction of
 * ground-truth boxes that some proposal among the first 100 / 500 / 2000 covers at IoU >= 0.5 and >= 0.7
 * (Uijlings et al.'s measure, their table 5 reports it for PASCAL VOC). Writes docs/pictures/selective-search.png:
 * one test canvas, enlarged 4x, with its ground truth (green) and its top 10 proposals (red).
 * Measured on the shared 2-core machine (load ~15), first N test canvases, seeds = image index:
 *   fast (8 strategies), 100 images, 324 objects, 534 proposals/image, 712 ms/image:
 *     recall@0.5 = 0.948 / 0.994 / 0.994 and recall@0.7 = 0.778 / 0.917 / 0.926 at 100 / 500 / 2000 proposals;
 *   single (1 strategy), 100 images, 78 proposals/image, 119 ms/image: recall@0.5 0.957, recall@0.7 0.790 (all proposals);
 *   quality (80 strategies), 25 images, 76 objects, 881 proposals/image, 4.7 s/image:
 *     recall@0.5 = 0.947 / 0.987 / 1.000 and recall@0.7 = 0.776 / 0.934 / 0.934.
 * Run: npm run build && nice -n 5 node dist/examples/selective-search-recall.js [--images 100] [--mode fast|single|quality]
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, vision, viz } from '../src/index.js';
import { canvasDetection } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  images: { type: 'string', default: '100' }, mode: { type: 'string', default: 'fast' },
  out: { type: 'string', default: join('docs', 'pictures') }, show: { type: 'string', default: '0' },
});
const nImages = Number(a.images);
const mode = a.mode as vision.SelectiveSearchMode;
const outDir = a.out;
const shown = Number(a.show);

const test = canvasDetection({ train: false, numImages: nImages });
const nObjects = test.boxes.reduce((a, b) => a + b.length, 0);
console.log(`canvas test split: ${nImages} images of 96x96, ${nObjects} objects; selective search mode '${mode}'`);
const t0 = performance.now();
const proposals = [];
for (let i = 0; i < test.length; i++) proposals.push(vision.selectiveSearch(test.get(i)[0], { mode, seed: i }));
const secs = (performance.now() - t0) / 1000;
const mean = proposals.reduce((a, p) => a + p.length, 0) / proposals.length;
console.log(`${secs.toFixed(1)} s (${((1000 * secs) / nImages).toFixed(0)} ms per image), ${mean.toFixed(0)} proposals per image on average`);
console.log('proposals | recall@0.5 | recall@0.7');
for (const k of [100, 500, 2000]) {
  const r5 = vision.proposalRecall(proposals, test.boxes, 0.5, k);
  const r7 = vision.proposalRecall(proposals, test.boxes, 0.7, k);
  console.log(`${String(k).padStart(9)} | ${r5.toFixed(3).padStart(10)} | ${r7.toFixed(3).padStart(10)}`);
}

/** The canvas as RGB, enlarged `s` times, with 1-px outlines (in enlarged pixels) of `boxes` in `colour`. */
function drawn(i: number, s: number, sets: { boxes: readonly vision.BoxArray[]; colour: [number, number, number] }[]) {
  const [img] = test.get(i);
  const [c, h, w] = img.shape;
  const src = img.toTypedArray();
  const H = h * s;
  const W = w * s;
  const out = new Float32Array(3 * H * W);
  for (let k = 0; k < 3; k++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[k * H * W + y * W + x] = src[(c === 3 ? k : 0) * h * w + Math.floor(y / s) * w + Math.floor(x / s)];
  const put = (x: number, y: number, col: readonly number[]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    for (let k = 0; k < 3; k++) out[k * H * W + y * W + x] = col[k];
  };
  for (const { boxes, colour } of sets) {
    for (const [x1, y1, x2, y2] of boxes) {
      const X1 = x1 * s;
      const Y1 = y1 * s;
      const X2 = x2 * s - 1;
      const Y2 = y2 * s - 1;
      for (let x = X1; x <= X2; x++) for (const y of [Y1, Y2]) put(x, y, colour);
      for (let y = Y1; y <= Y2; y++) for (const x of [X1, X2]) put(x, y, colour);
    }
  }
  return tensor(out, { shape: [1, 3, H, W] });
}
const pic = drawn(shown, 4, [
  { boxes: proposals[shown].slice(0, 10), colour: [1, 0.15, 0.15] },
  { boxes: test.boxes[shown], colour: [0.1, 1, 0.2] },
]);
const path = join(outDir, 'selective-search.png');
writeFileSync(path, viz.imageGridPng(pic, { nrow: 1, padding: 0 }));
console.log(`wrote ${path}: test image ${shown} (labels ${test.labels[shown].map((l) => test.classes[l]).join(', ')}), ground truth green, top 10 proposals red`);
