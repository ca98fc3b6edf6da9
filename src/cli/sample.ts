/**
 * `shendu sample <run>`: draws from a trained generative model. For a language model (charlm): text continuing
 * `--prompt`, each symbol drawn from the softmax of the logits at `--temperature`, among the `--top-k` most likely.
 * For an image generator (vae, convvae, gan, cgan): a grid PNG of `--n` samples (a CGAN's of `--class`, or of
 * every class in turn).
 * @module
 */
import { join } from 'node:path';
import { saveImageGridPng } from '../node/pictures.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../errors.js';
import type { CharLM } from '../models/sequence/charlm.js';
import { generate } from '../models/sequence/generate.js';
import { openRun } from '../node/recipe.js';
import type { LanguageRunInfo } from '../node/train-recipes/language-model.js';
import { Generator } from '../tensor/random.js';
import { Vocab } from '../text/vocab.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';

/** `shendu sample`. */
export const sampleCommand: Command = {
  spec: {
    name: 'sample',
    summary: 'draw from a trained generative run: text from a language model, a grid of images from a VAE or GAN',
    positionals: [{ name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' }],
    options: {
      prompt: { type: 'string', default: 'Call me', help: 'language models: the text to continue', metavar: 'TEXT' },
      length: { type: 'int', default: 300, help: 'language models: characters to draw', metavar: 'N' },
      temperature: { type: 'number', default: 1, help: 'language models: divides the logits (below 1: safer, above 1: wilder)', metavar: 'T' },
      'top-k': { type: 'int', help: 'language models: draw only among the K most likely symbols (default: all)', metavar: 'K' },
      seed: { type: 'int', default: 0, help: 'seed of the draws', metavar: 'N' },
      n: { type: 'int', default: 64, help: 'image generators: samples to draw', metavar: 'N' },
      class: { type: 'int', help: 'conditional GANs: the class to draw (default: every class in turn)', metavar: 'K' },
      out: { type: 'string', help: 'image generators: the PNG to write (default <run>/samples-seed<N>.png)', metavar: 'FILE' },
    },
  },
  async run(args) {
    const o = args.options;
    const { model, info, file } = openRun('sample', args.positionals['run-or-checkpoint'] as string);
    const task = info.task ?? 'classification';
    if (task === 'vae' || task === 'gan' || task === 'cgan') return sampleImages(model as unknown as ImageSampler, task, args.options, file);
    if (task !== 'language-model') throw new ValueError(`sample: ${file} holds a ${task} model (${info.model}); sample draws from language models, VAEs and GANs`);
    const run = info as unknown as LanguageRunInfo;
    const length = o.length as number;
    const temperature = o.temperature as number;
    const topK = o['top-k'] as number | undefined;
    if (length < 1) throw new UsageError(`shendu sample: --length must be at least 1, got ${length}`);
    if (!(temperature > 0)) throw new UsageError(`shendu sample: --temperature must be positive, got ${temperature}`);
    if (topK !== undefined && topK < 1) throw new UsageError(`shendu sample: --top-k must be at least 1, got ${topK}`);
    const prompt = o.prompt as string;
    if (prompt.length === 0) throw new UsageError('shendu sample: --prompt must not be empty (the model needs a first character)');
    const vocab = Vocab.fromJSON(run.vocab, `${file} (metadata 'vocab')`);
    const chars = Array.from(prompt);
    const unknown = [...new Set(chars.filter((c) => !vocab.has(c)))];
    if (unknown.length > 0) console.error(`shendu sample: the run never saw ${unknown.map((c) => JSON.stringify(c)).join(', ')}; read as <unk>`);
    const drawn = generate(model as unknown as CharLM, vocab.encode(chars), { length, temperature, topK, generator: new Generator(o.seed as number) });
    console.log(prompt + vocab.decode(drawn).join(''));
    return 0;
  },
};

/** What an image generator of the zoo offers: `sample(n, {generator, labels})` images [n, C, H, W]. */
interface ImageSampler {
  sample(n: number, opts: { generator?: Generator; labels?: number | readonly number[] }): Tensor;
  readonly numClasses?: number;
}

/** Writes a grid of `--n` samples of a VAE or (C)GAN run; returns the exit code. */
async function sampleImages(model: ImageSampler, task: 'vae' | 'gan' | 'cgan', o: Record<string, unknown>, file: string): Promise<number> {
  const n = o.n as number;
  if (n < 1) throw new UsageError(`shendu sample: --n must be at least 1, got ${n}`);
  const cls = o.class as number | undefined;
  if (cls !== undefined && task !== 'cgan') throw new UsageError(`shendu sample: --class is for conditional GANs; ${file} holds a ${task} model`);
  const k = model.numClasses ?? 0;
  if (cls !== undefined && (cls < 0 || cls >= k)) throw new UsageError(`shendu sample: --class must be in 0..${k - 1} (the run's CGAN has ${k} classes), got ${cls}`);
  const images = model.sample(n, { generator: new Generator(o.seed as number), labels: task === 'cgan' ? (cls ?? Array.from({ length: n }, (_, i) => Math.floor(i / Math.ceil(n / k)) % k)) : undefined });
  const inUnitRange = task === 'vae' ? images : images.add(1).div(2);
  const out = (o.out as string | undefined) ?? join(file.replace(/[^/]*$/, ''), `samples-seed${o.seed as number}.png`);
  const saved = await saveImageGridPng(inUnitRange.clamp(0, 1), out, { nrow: task === 'cgan' && cls === undefined ? Math.ceil(n / k) : Math.ceil(Math.sqrt(n)), scale: 2 });
  console.log(`${n} samples${cls !== undefined ? ` of class ${cls}` : task === 'cgan' ? ' (one row per class)' : ''} written to ${saved.png}`);
  return 0;
}
