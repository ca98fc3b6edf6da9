/**
 * Writes the canvas detection set (the first --train training and --test test canvases) for PyTorch twins:
 * <out>/images_{train,test}.f32 (float32 [N, 1, 96, 96], little-endian) and <out>/targets_{train,test}.json
 * ({boxes: [[x1, y1, x2, y2], ...], labels: [...]} per canvas, 0-based labels), so both sides train on the same pixels.
 * Run: npm run build && node dist/bench/export-canvas-detection.js [--train 800] [--test 1000] [--out /tmp/canvas-detection]
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasDetection } from '../src/node/index.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}
const out = arg('out', '/tmp/canvas-detection');
mkdirSync(out, { recursive: true });
for (const split of ['train', 'test'] as const) {
  const ds = canvasDetection({ train: split === 'train', numImages: Number(arg(split, split === 'train' ? '800' : '1000')) });
  const px = ds.images.toTypedArray() as Float32Array;
  writeFileSync(join(out, `images_${split}.f32`), new Uint8Array(px.buffer, px.byteOffset, px.byteLength));
  writeFileSync(join(out, `targets_${split}.json`), JSON.stringify(ds.boxes.map((boxes, i) => ({ boxes, labels: ds.labels[i] }))));
  console.log(`${split}: ${ds.length} canvases [${ds.images.shape.join(', ')}] -> ${out}`);
}
