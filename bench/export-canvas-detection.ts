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
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  out: { type: 'string', default: '/tmp/canvas-detection' }, train: { type: 'string', default: '800' },
  test: { type: 'string', default: '1000' },
});
const out = a.out;
mkdirSync(out, { recursive: true });
for (const split of ['train', 'test'] as const) {
  const ds = canvasDetection({ train: split === 'train', numImages: Number(a[split]) });
  const px = ds.images.toTypedArray() as Float32Array;
  writeFileSync(join(out, `images_${split}.f32`), new Uint8Array(px.buffer, px.byteOffset, px.byteLength));
  writeFileSync(join(out, `targets_${split}.json`), JSON.stringify(ds.boxes.map((boxes, i) => ({ boxes, labels: ds.labels[i] }))));
  console.log(`${split}: ${ds.length} canvases [${ds.images.shape.join(', ')}] -> ${out}`);
}
