/**
 * `shendu detect <run> <image> [--out out.png] [--score-threshold 0.5]`: runs a trained detector (a run of a zoo
 * model of the 'detection' task, e.g. yolo) on one PNG or JPEG image, prints each detection (class, score, box in the
 * image's pixels) and writes the image with the boxes drawn and labelled (viz.drawBoxes). The image is brought to the
 * run's input size and channels as in training; the boxes are scaled back to the file's size and drawn on the file's
 * own pixels, enlarged when the image is small so the labels stay legible. No detection above the threshold: the
 * image is written unchanged and the command says so.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import { DataError, ValueError } from '../errors.js';
import { DEFAULT_MAX_PIXELS } from '../node/datasets/image-header.js';
import { loadImage } from '../node/datasets/image-folder.js';
import { openRun, runImage } from '../node/recipe.js';
import { tensor } from '../tensor/creation.js';
import type { DetectionModel } from '../train/tasks/detection.js';
import { drawBoxes } from '../viz/boxes.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';

/** `shendu detect`. */
export const detectCommand: Command = {
  spec: {
    name: 'detect',
    summary: 'detect objects in a PNG/JPEG image with a trained detector run; writes the image with labelled boxes',
    positionals: [
      { name: 'run-or-checkpoint', help: 'a detector run directory (uses last.safetensors) or a .safetensors file' },
      { name: 'image', help: 'a PNG or JPEG file' },
    ],
    options: {
      out: { type: 'string', help: 'where to write the picture (default: <image>-detections.png beside the image)', metavar: 'FILE' },
      'score-threshold': { type: 'number', default: 0.5, help: 'draw and list detections scoring at least X', metavar: 'X' },
      scale: { type: 'int', help: 'enlarge the picture N times (default: so that its longer side is at least 384 pixels)', metavar: 'N' },
      invert: { type: 'flag', help: 'invert gray levels before detecting (for dark objects on a light background)' },
      'max-pixels': { type: 'int', default: DEFAULT_MAX_PIXELS, help: 'refuse larger images (width x height) before decoding them', metavar: 'N' },
    },
  },
  run(args) {
    const o = args.options;
    const threshold = o['score-threshold'] as number;
    if (!Number.isFinite(threshold) || threshold < 0) throw new UsageError(`shendu detect: --score-threshold must be a non-negative number, got ${threshold}`);
    const maxPixels = o['max-pixels'] as number;
    if (maxPixels < 1) throw new UsageError(`shendu detect: --max-pixels must be at least 1, got ${maxPixels}`);
    const scaleOpt = o.scale as number | undefined;
    if (scaleOpt !== undefined && scaleOpt < 1) throw new UsageError(`shendu detect: --scale must be at least 1, got ${scaleOpt}`);
    const { model, info, file } = openRun('detect', args.positionals['run-or-checkpoint'] as string);
    const task = info.task ?? 'classification';
    const net = model as unknown as DetectionModel;
    if (task !== 'detection' || typeof net.detect !== 'function') {
      throw new ValueError(`detect: ${file} holds a ${task} model (${info.model}), not a detector; train one with shendu train fasterrcnn|yolov2|yolo --dataset canvas-mnist${task === 'classification' ? ', or classify images with shendu predict' : ''}`);
    }
    const image = args.positionals.image as string;
    const { input, originalSize } = runImage(info, image, { maxPixels, invert: o.invert as boolean | undefined });
    const [d] = noGrad(() => net.detect(input));
    const scores = Array.from(d.scores.toTypedArray());
    if (scores.some((s) => !Number.isFinite(s))) throw new DataError(`detect: the model gives non-finite scores for ${image}: the weights in ${file} are damaged or come from a run that diverged`);
    const [w0, h0] = originalSize;
    const sx = w0 / input.shape[3];
    const sy = h0 / input.shape[2];
    const b = d.boxes.toTypedArray();
    const labels = d.labels.toTypedArray();
    const keep = scores.map((s, k) => (s >= threshold ? k : -1)).filter((k) => k >= 0);
    const boxes = keep.flatMap((k) => [b[4 * k] * sx, b[4 * k + 1] * sy, b[4 * k + 2] * sx, b[4 * k + 3] * sy]);
    const classes = info.classes;
    const picture = loadImage(image, { channels: info.modelOptions.inChannels === 3 ? 3 : 1, maxPixels });
    const scale = scaleOpt ?? Math.max(1, Math.floor(384 / Math.max(w0, h0)));
    const out = (o.out as string | undefined) ?? join(dirname(image), `${basename(image, extname(image))}-detections.png`);
    writeFileSync(out, drawBoxes(picture, tensor(Float32Array.from(boxes), { shape: [keep.length, 4] }), keep.map((k) => labels[k]), keep.map((k) => scores[k]), { classes, scale, width: Math.max(1, Math.round(scale / 2)), fontSize: Math.max(1, Math.floor(scale / 2)) }));
    if (keep.length === 0) {
      console.log(`${image}: no detections scoring ${threshold} or more (best ${scores.length ? scores[0].toFixed(3) : 'none'}); wrote the image unchanged${scale > 1 ? ` (enlarged ${scale}x)` : ''} to ${out}`);
      return 0;
    }
    console.log(`${image}: ${keep.length} detection${keep.length > 1 ? 's' : ''} scoring ${threshold} or more (${info.model}, ${w0}x${h0} pixels):`);
    keep.forEach((k, n) => {
      const box = boxes.slice(4 * n, 4 * n + 4).map((v) => v.toFixed(1)).join(', ');
      console.log(`  ${classes[labels[k]] ?? labels[k]} ${scores[k].toFixed(3)} [${box}]`);
    });
    console.log(`wrote ${out}`);
    return 0;
  },
};
