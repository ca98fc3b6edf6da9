/**
 * `shendu predict <checkpoint> <image ...>`: the top-3 classes with probabilities for each PNG or JPEG image,
 * converted to the model's channels and size.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { softmax } from '../ops/activation.js';
import { cat } from '../ops/movement.js';
import { DataError } from '../errors.js';
import { DEFAULT_MAX_PIXELS } from '../node/datasets/image-header.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';
import { openRun, requireClassifier, runImage } from '../node/recipe.js';

/** `shendu predict`. */
export const predictCommand: Command = {
  spec: {
    name: 'predict',
    summary: 'classify PNG/JPEG images with a trained run or checkpoint: top-3 classes with probabilities',
    positionals: [
      { name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' },
      { name: 'image', help: 'PNG or JPEG files', variadic: true },
    ],
    options: {
      invert: { type: 'flag', help: 'invert gray levels first (for dark digits on a light background; MNIST digits are light on dark)' },
      'max-pixels': { type: 'int', default: DEFAULT_MAX_PIXELS, help: 'refuse larger images (width x height) before decoding them', metavar: 'N' },
    },
  },
  run(args) {
    const { model, info, file } = openRun('predict', args.positionals['run-or-checkpoint'] as string);
    requireClassifier('predict', info, file);
    const maxPixels = args.options['max-pixels'] as number;
    if (maxPixels < 1) throw new UsageError(`shendu predict: --max-pixels must be at least 1, got ${maxPixels}`);
    const files = args.positionals.image as string[];
    const inputs = files.map((f) => runImage(info, f, { maxPixels, invert: args.options.invert as boolean | undefined }).input);
    const probs = noGrad(() => softmax(model.forward(cat(inputs, 0)), 1));
    const flat = probs.toTypedArray();
    const bad = flat.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new DataError(`predict: the model gives non-finite outputs (NaN or infinity) for ${files[Math.floor(bad / probs.shape[1])]}: the weights in ${file} are damaged or come from a run that diverged`);
    }
    files.forEach((f, i) => {
      const p = Array.from(probs.select(0, i).toTypedArray());
      const top = p.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
      console.log(`${f}: ${top.map(([v, k]) => `${info.classes[k] ?? k} ${(100 * v).toFixed(1)}%`).join(', ')}`);
    });
    return 0;
  },
};
