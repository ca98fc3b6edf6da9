/**
 * Captioned images for an image captioner: images with one caption each (a list of words), encoded against a word
 * table whose first four entries are `<pad>` 0, `<bos>` 1, `<eos>` 2 and `<unk>` 3 (words outside the table encode
 * to `<unk>`), and padded batches for teacher forcing: decoder inputs start with `<bos>`, targets end with `<eos>`,
 * padding 0 is ignored by the loss. The references a batch carries for scoring keep the true words: a word outside the
 * table is CAPTION_OOV (-1) there, an id no decoder produces, so a generated `<unk>` never counts as a match.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndex, type Dataset } from './dataset.js';
import { indexBatches } from './sampler.js';

/** The special words every caption word table starts with, in this order (ids 0-3). */
export const CAPTION_SPECIALS: readonly string[] = Object.freeze(['<pad>', '<bos>', '<eos>', '<unk>']);
/** Padding id of caption batches. */
export const CAPTION_PAD = 0;
/** The <bos> id. */
export const CAPTION_BOS = 1;
/** The <eos> id. */
export const CAPTION_EOS = 2;
/** The <unk> id. */
export const CAPTION_UNK = 3;
/** The id of a reference word outside the word table (never produced, so never matched). */
export const CAPTION_OOV = -1;

/** A padded batch of captioned images. */
export interface CaptionBatch {
  /** Images [B, C, H, W] float32. */
  images: Tensor;
  /** Decoder inputs [B, L + 1] int32: <bos> then the caption's ids, padded with 0. */
  targetIn: Tensor;
  /** Decoder targets [B, L + 1] int32: the caption's ids then <eos>, padded with 0. */
  targetOut: Tensor;
  /** Each image's caption ids (no <bos>/<eos>; CAPTION_OOV for words outside the table): the references of the metrics. */
  references: number[][];
}

/**
 * N images [C, H, W] with one caption each: item i is [image [C, H, W] float32, caption ids [L_i] int32]. The word
 * table must start with CAPTION_SPECIALS; a test set takes its training set's table.
 */
export class CaptionData implements Dataset<[Tensor, Tensor]> {
  /** Number of images. */
  readonly length: number;
  /** [C, H, W] of each image. */
  readonly imageShape: readonly [number, number, number];
  /** All images, N x C x H x W float32. */
  readonly pixels: Float32Array;
  /** Each image's caption as words. */
  readonly captions: readonly (readonly string[])[];
  /** The word table, index = id. */
  readonly words: readonly string[];
  /** Each image's caption as ids (words outside the table are <unk>). */
  readonly ids: readonly (readonly number[])[];
  /** Each image's caption as reference ids: as `ids`, but CAPTION_OOV (-1) for words outside the table. */
  readonly referenceIds: readonly (readonly number[])[];
  private readonly wordId: Map<string, number>;

  /** Wraps `pixels` (N x C x H x W) and N captions with the word table `words`. */
  constructor(pixels: Float32Array, imageShape: readonly [number, number, number], captions: readonly (readonly string[])[], words: readonly string[]) {
    const op = 'CaptionData';
    if (!(pixels instanceof Float32Array)) throw new ValueError(`${op}: pixels must be a Float32Array, got ${pixels === null ? 'null' : typeof pixels}`);
    if (!Array.isArray(imageShape) || imageShape.length !== 3 || imageShape.some((d) => !Number.isInteger(d) || d < 1)) throw new ShapeError(`${op}: imageShape must be [C, H, W] positive integers, got ${JSON.stringify(imageShape)}`);
    if (!Array.isArray(captions) || captions.some((c) => !Array.isArray(c) || c.length === 0 || c.some((w) => typeof w !== 'string'))) {
      throw new ValueError(`${op}: captions must be non-empty arrays of words, one per image`);
    }
    const per = imageShape[0] * imageShape[1] * imageShape[2];
    if (pixels.length !== captions.length * per) throw new ShapeError(`${op}: pixels must hold ${captions.length} images of ${fmtShape([...imageShape])} (${captions.length * per} values), got ${pixels.length}`);
    if (!Array.isArray(words) || CAPTION_SPECIALS.some((s, i) => words[i] !== s)) throw new ValueError(`${op}: the word table must start with ${CAPTION_SPECIALS.join(', ')}, got ${JSON.stringify(Array.isArray(words) ? words.slice(0, 4) : words)}`);
    this.wordId = new Map(words.map((w, i) => [w, i]));
    if (this.wordId.size !== words.length) throw new ValueError(`${op}: the word table has duplicate words`);
    this.length = captions.length;
    this.imageShape = [imageShape[0], imageShape[1], imageShape[2]];
    this.pixels = pixels;
    this.captions = captions;
    this.words = words;
    this.ids = captions.map((c) => this.encode(c));
    this.referenceIds = captions.map((c) => c.map((w: string) => this.wordId.get(w) ?? CAPTION_OOV));
  }

  /** The ids of `words` (<unk> for words outside the table). */
  encode(words: readonly string[]): number[] {
    return words.map((w) => this.wordId.get(w) ?? CAPTION_UNK);
  }

  /** The words of `ids` up to the first <eos>, without <pad> and <bos>; a ValueError for an id outside the table. */
  decodeIds(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.words.length) throw new ValueError(`CaptionData.decodeIds: ids must be integers in [0, ${this.words.length}), got ${id}`);
      if (id === CAPTION_EOS) break;
      if (id !== CAPTION_PAD && id !== CAPTION_BOS) out.push(this.words[id]);
    }
    return out;
  }

  /** Image i [C, H, W] and its caption ids [L] int32. */
  get(index: number): [Tensor, Tensor] {
    checkIndex('CaptionData', index, this.length);
    const per = this.pixels.length / this.length;
    return [tensor(this.pixels.slice(index * per, (index + 1) * per), { shape: [...this.imageShape] }), tensor(Int32Array.from(this.ids[index]), { shape: [this.ids[index].length], dtype: 'int32' })];
  }

  /** The images at `indices` stacked, with padded decoder inputs and targets (see CaptionBatch). */
  batch(indices: ArrayLike<number>): CaptionBatch {
    const b = indices.length;
    if (b < 1) throw new ShapeError(`CaptionData.batch: indices must not be empty, got ${fmtShape([b])}`);
    const per = this.pixels.length / this.length;
    const img = new Float32Array(b * per);
    const inputs: (readonly number[])[] = [];
    const references: number[][] = [];
    for (let j = 0; j < b; j++) {
      checkIndex('CaptionData.batch', indices[j], this.length);
      img.set(this.pixels.subarray(indices[j] * per, (indices[j] + 1) * per), j * per);
      inputs.push(this.ids[indices[j]]);
      references.push([...this.referenceIds[indices[j]]]);
    }
    const L = Math.max(...inputs.map((r) => r.length)) + 1;
    const tin = new Int32Array(b * L);
    const tout = new Int32Array(b * L);
    inputs.forEach((r, j) => {
      tin[j * L] = CAPTION_BOS;
      tin.set(r, j * L + 1);
      tout.set(r, j * L);
      tout[j * L + r.length] = CAPTION_EOS;
    });
    return {
      images: tensor(img, { shape: [b, ...this.imageShape] }),
      targetIn: tensor(tin, { shape: [b, L], dtype: 'int32' }),
      targetOut: tensor(tout, { shape: [b, L], dtype: 'int32' }),
      references,
    };
  }

  /** Batches of `batchSize` in order, or reshuffled each pass with `generator` (a loader for fitTask). */
  batches(batchSize: number, opts: { generator?: Generator } = {}): Iterable<CaptionBatch> & { readonly length: number } {
    return indexBatches('CaptionData.batches', this.length, batchSize, (idx) => this.batch(idx), opts.generator);
  }
}
