/**
 * The captioning data sets of chapter 9, with fixed held-out splits:
 *
 * - `canvasCaptions`: canvases of 2-4 real MNIST digits and Fashion-MNIST clothes with captions in a fixed grammar
 *   ('a seven left of a boot'; data/caption-canvas.ts). The training canvases use only the training splits' images
 *   (seed CAPTION_CANVAS_SEEDS.train), the held-out canvases only the test splits' (seed CAPTION_CANVAS_SEEDS.test),
 *   so no held-out canvas holds an image seen in training.
 * - `emojiCaptions`: Google's emoji images (npm `emoji-datasource-google`, 1,911 with images) captioned by their
 *   Unicode names, lower-cased and split into words ('GRINNING FACE WITH SMILING EYES' -> grinning face with
 *   smiling eyes); the emoji loader's fixed split (every 5th emoji of each category held out: 1,533 / 378).
 *
 * Both build the word table from the training captions (text.Vocab: specials `<pad>`, `<bos>`, `<eos>`, `<unk>`,
 * then words by descending count, ties alphabetical); held-out words outside it read as `<unk>` in decoder inputs and
 * as CAPTION_OOV in the references scored, so they never match.
 * @module
 */
import { CAPTION_SPECIALS, CaptionData } from '../../data/captions.js';
import { type CaptionCanvases, type CaptionCanvasOptions, DIGIT_NOUNS, FASHION_NOUNS, composeCaptionCanvases } from '../../data/caption-canvas.js';
import { ValueError } from '../../errors.js';
import { tokenizeWords } from '../../text/tokenize.js';
import { Vocab } from '../../text/vocab.js';
import type { DataDirOptions } from './data-dir.js';
import { type EmojiInfo, emoji } from './emoji.js';
import { fashionMnist } from './fashion-mnist.js';
import { mnist } from './mnist.js';

/** The composition seeds of the two canvas splits. */
export const CAPTION_CANVAS_SEEDS = { train: 13, test: 1013 } as const;

/** A captioning training set and its held-out set (sharing the training word table). */
export interface CaptionSplits {
  /** The training images and captions. */
  train: CaptionData;
  /** The held-out images and captions. */
  test: CaptionData;
}

/** Options of canvasCaptions: sizes of the two splits, the canvas layout, and where MNIST / Fashion-MNIST are read from. */
export interface CanvasCaptionOptions extends Omit<CaptionCanvasOptions, 'count' | 'seed'>, DataDirOptions {
  /** Training canvases (default 4000). */
  trainCount?: number;
  /** Held-out canvases (default 500). */
  testCount?: number;
}

/** Captioned canvases of MNIST and Fashion-MNIST items: the two splits plus their compositions (what is where). */
export function canvasCaptions(opts: CanvasCaptionOptions = {}): CaptionSplits & { trainCanvases: CaptionCanvases; testCanvases: CaptionCanvases } {
  const { trainCount = 4000, testCount = 500, dataDir, ...layout } = opts;
  const compose = (train: boolean, count: number): CaptionCanvases => {
    const digits = mnist({ train, dataDir });
    const clothes = fashionMnist({ train, dataDir });
    return composeCaptionCanvases([
      { pixels: digits.rawPixels, labels: digits.rawLabels, size: 28, nouns: DIGIT_NOUNS },
      { pixels: clothes.rawPixels, labels: clothes.rawLabels, size: 28, nouns: FASHION_NOUNS },
    ], { ...layout, count, seed: CAPTION_CANVAS_SEEDS[train ? 'train' : 'test'] });
  };
  const trainCanvases = compose(true, trainCount);
  const testCanvases = compose(false, testCount);
  const words = Vocab.build(trainCanvases.captions, { specials: CAPTION_SPECIALS, unkToken: '<unk>' }).tokens;
  const shape = [1, trainCanvases.size, trainCanvases.size] as const;
  return {
    train: new CaptionData(trainCanvases.pixels, shape, trainCanvases.captions, words),
    test: new CaptionData(testCanvases.pixels, shape, testCanvases.captions, words),
    trainCanvases,
    testCanvases,
  };
}

/** Options of emojiCaptions. */
export interface EmojiCaptionOptions {
  /** Image side in pixels (default 32; the PNGs are 64, resized with antialiasing). */
  size?: number;
  /** Words seen fewer times in the training names are `<unk>` (default 1: every training word is in the table). */
  minCount?: number;
  /** The emoji-datasource-google directory (default: the installed package). */
  root?: string;
}

/** The words of an emoji's Unicode name: lower-cased, punctuation dropped ('KEYCAP: *' -> ['keycap']). */
export function emojiNameWords(name: string): string[] {
  return tokenizeWords(name, { lower: true });
}

/** The emoji images ([3, size, size] RGB over white) captioned by their names; `info` says which emoji each is. */
export function emojiCaptions(opts: EmojiCaptionOptions = {}): CaptionSplits & { trainInfo: readonly EmojiInfo[]; testInfo: readonly EmojiInfo[] } {
  const size = opts.size ?? 32;
  const minCount = opts.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1) throw new ValueError(`emojiCaptions: minCount must be a positive integer, got ${String(minCount)}`);
  const load = (train: boolean) => {
    const ds = emoji({ train, size, root: opts.root });
    const pixels = Float32Array.from(ds.rawPixels, (v) => v / 255);
    return { ds, pixels, captions: ds.emoji.map((e) => emojiNameWords(e.name)) };
  };
  const tr = load(true);
  const te = load(false);
  const words = Vocab.build(tr.captions, { specials: CAPTION_SPECIALS, unkToken: '<unk>', minCount }).tokens;
  const shape = [3, size, size] as const;
  return {
    train: new CaptionData(tr.pixels, shape, tr.captions, words),
    test: new CaptionData(te.pixels, shape, te.captions, words),
    trainInfo: tr.ds.emoji,
    testInfo: te.ds.emoji,
  };
}
