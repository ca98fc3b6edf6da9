/**
 * `shendu visualize <run> <image> --layer NAME[,NAME...]`: what a trained CNN sees in one image (chapter 7.2). Writes
 * the feature maps of each requested layer, the first conv layer's filters, the class saliency map and a Grad-CAM
 * heat map over the image as PNGs; without --layer it lists the layers with their output shapes.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import { ShenduError } from '../errors.js';
import { Conv2d } from '../nn/conv.js';
import type { Module } from '../nn/module.js';
import { softmax } from '../ops/activation.js';
import { stack } from '../ops/movement.js';
import { DEFAULT_MAX_PIXELS } from '../node/datasets/image-header.js';
import { saveImageGrid, savePicture, type SavedPicture } from '../node/pictures.js';
import type { Tensor } from '../tensor/tensor.js';
import { featureMaps, findLayer, layerShapes, type LayerShape } from '../viz/feature-maps.js';
import { colorize, overlayHeatmap } from '../viz/heatmap.js';
import { gradCam, saliency } from '../viz/saliency.js';
import { featureMapGrid, filters, tileGridSpec } from '../viz/tiles.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';
import { openRun, requireClassifier, runImage } from '../node/recipe.js';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** A layer whose output is a feature map [1, C, h, w] with more than one position (what Grad-CAM can weigh). */
function spatial(s: LayerShape): boolean {
  return s.shape.length === 4 && s.shape[2] * s.shape[3] > 1;
}

/** The layers asked for by --layer, checked against the model (a usage error lists the names). */
function requestedLayers(model: Module, spec: string, shapes: readonly LayerShape[]): LayerShape[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`shendu visualize: --layer needs layer names separated by commas, got '${spec}'`);
  return names.map((name) => {
    try {
      findLayer('visualize', model, name);
    } catch (e) {
      if (e instanceof ShenduError) throw new UsageError(`shendu ${e.message} (run without --layer to list them with their shapes)`);
      throw e;
    }
    const s = shapes.find((r) => r.name === name);
    if (!s) throw new UsageError(`shendu visualize: layer '${name}' does not run in the model's forward pass; pick another (run without --layer to list them)`);
    if (s.shape.length !== 4) {
      throw new UsageError(`shendu visualize: layer '${name}' (${s.type}) gives ${fmt(s.shape)}, not a feature map [1, C, H, W]; pick a conv-like layer (run without --layer to list them with their shapes)`);
    }
    return s;
  });
}

/** Prints the layers a user can pick, with their output shapes. */
function listLayers(modelName: string, shapes: readonly LayerShape[]): void {
  const width = Math.max(...shapes.map((s) => s.name.length));
  const typeWidth = Math.max(...shapes.map((s) => s.type.length));
  console.log(`layers of ${modelName} in the order they run, with their outputs for this image (* feature maps that can be drawn):`);
  for (const s of shapes) console.log(`  ${s.shape.length === 4 ? '*' : ' '} ${s.name.padEnd(width)}  ${s.type.padEnd(typeWidth)}  ${fmt(s.shape)}`);
  const example = shapes.filter(spatial).slice(0, 2).map((s) => s.name).join(',');
  console.log(`pick layers with --layer NAME[,NAME...]${example ? `, e.g. --layer ${example}` : ''}; Grad-CAM uses the last one given`);
}

/** `shendu visualize`. */
export const visualizeCommand: Command = {
  spec: {
    name: 'visualize',
    summary: 'draw feature maps, filters, a saliency map and Grad-CAM of a trained model for one image',
    positionals: [
      { name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' },
      { name: 'image', help: 'a PNG or JPEG file (converted to the model\'s channels and size, as predict does)' },
    ],
    options: {
      layer: { type: 'string', help: 'layers to draw, separated by commas (omit to list them)', metavar: 'NAMES' },
      out: { type: 'string', help: 'folder for the pictures (default: <run>/visualize)', metavar: 'DIR' },
      class: { type: 'int', help: 'class index whose evidence saliency and Grad-CAM show (default: the predicted class)', metavar: 'K' },
      invert: { type: 'flag', help: 'invert gray levels first (for dark digits on a light background)' },
      'max-pixels': { type: 'int', default: DEFAULT_MAX_PIXELS, help: 'refuse larger images (width x height) before decoding them', metavar: 'N' },
    },
  },
  async run(args) {
    const path = args.positionals['run-or-checkpoint'] as string;
    const imageFile = args.positionals.image as string;
    const o = args.options;
    const maxPixels = o['max-pixels'] as number;
    if (maxPixels < 1) throw new UsageError(`shendu visualize: --max-pixels must be at least 1, got ${maxPixels}`);
    const { model, info, file } = openRun('visualize', path);
    requireClassifier('visualize', info, file);
    const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
    const { image, input: x, originalSize: [w, h] } = runImage(info, imageFile, { maxPixels, invert: o.invert as boolean | undefined });
    if (w !== size || h !== size) console.error(`shendu visualize: note: ${imageFile} is ${w}x${h}; resized to the model's ${size}x${size}, as predict does`);
    const shapes = layerShapes(model, x);
    if (o.layer === undefined) {
      listLayers(info.model, shapes);
      return 0;
    }
    const layers = requestedLayers(model, o.layer as string, shapes);
    const probs = noGrad(() => softmax(model.forward(x), 1)).toTypedArray();
    const k = o.class as number | undefined;
    if (k !== undefined && !(k >= 0 && k < probs.length)) throw new UsageError(`shendu visualize: --class must be in 0..${probs.length - 1} (the model has ${probs.length} classes), got ${k}`);
    const out = (o.out as string | undefined) ?? join(existsSync(path) && statSync(path).isDirectory() ? path : dirname(path), 'visualize');
    const written: string[] = [];
    const predicted = probs.indexOf(Math.max(...probs));
    const target = k ?? predicted;
    const className = (c: number) => info.classes[c] ?? String(c);
    console.log(`${imageFile}: predicted ${className(predicted)} (${(100 * probs[predicted]).toFixed(1)}%)${k !== undefined ? `; explaining class ${className(k)}` : ''}`);

    const maps = featureMaps(model, x, { layers: layers.map((l) => l.name) });
    for (const l of layers) {
      const grid = featureMapGrid(maps.get(l.name) as Tensor);
      const shown = grid.captions.length < l.shape[1] ? `, first ${grid.captions.length} channels` : '';
      written.push(...files(await savePicture(tileGridSpec(grid, { title: `${l.name} (${l.type}) ${fmt(l.shape.slice(1))}${shown}` }), join(out, `features-${l.name}`))));
    }

    const firstConv = model.namedModules().find((e): e is [string, Conv2d] => e[1] instanceof Conv2d);
    if (firstConv) {
      const title = `${firstConv[0]} filters ${fmt(firstConv[1].weight.shape)}`;
      written.push(...files(await savePicture(tileGridSpec(filters(firstConv[1]), { title }), join(out, `filters-${firstConv[0]}`))));
    }

    // the image, the map and the overlay about 96 pixels across (x2 in the PNG)
    const scale = Math.min(16, Math.max(1, Math.ceil(96 / size)));
    const sal = saliency(model, x, { classIndex: target });
    written.push(...files(await saveImageGrid(stack([rgb(image), colorize(sal, { colormap: 'hot' }), overlayHeatmap(image, sal, { colormap: 'hot' })], 0),
      ['image', 'saliency', `overlay, class ${className(target)}`], join(out, 'saliency'), { scale, fontSize: 10 })));

    const cam = camLayer(layers, shapes);
    const heat = gradCam(model, x, { layer: cam.name, classIndex: target });
    written.push(...files(await saveImageGrid(stack([rgb(image), colorize(heat), overlayHeatmap(image, heat)], 0),
      ['image', `Grad-CAM of layer ${cam.name}`, `overlay, class ${className(target)}`], join(out, `gradcam-${cam.name}`), { scale, fontSize: 10 })));

    for (const f of written) console.log(f);
    return 0;
  },
};

/** Grad-CAM's layer: the last requested one with a spatial output, else the last such layer of the model. */
function camLayer(layers: readonly LayerShape[], shapes: readonly LayerShape[]): LayerShape {
  const asked = [...layers].reverse().find(spatial);
  if (asked) return asked;
  const last = [...shapes].reverse().find(spatial);
  if (!last) throw new UsageError('shendu visualize: the model has no layer with a spatial output [1, C, h, w] for Grad-CAM');
  console.error(`shendu visualize: note: the layers given have no spatial output; Grad-CAM uses '${last.name}'`);
  return last;
}

/** The files a saver wrote: the PNG, and the SVG beside it when there is one. */
function files(saved: SavedPicture): string[] {
  return saved.svg !== undefined ? [saved.png, saved.svg] : [saved.png];
}

/** An image [C, H, W] in [0, 1] as RGB. */
function rgb(image: Tensor): Tensor {
  return image.shape[0] === 3 ? image : image.expand([3, image.shape[1], image.shape[2]]);
}
