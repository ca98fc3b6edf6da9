/**
 * An image captioner after "Show, Attend and Tell" (Xu, Ba, Kiros, Cho, Courville, Salakhutdinov, Zemel & Bengio,
 * ICML 2015), soft attention, sized for small images: a conv encoder (3x3 conv + batch norm + ReLU + 2x2 max pool
 * per stage) turns an image [C, H, W] into a grid of P = (H / 2^S) (W / 2^S) feature vectors a_i; an LSTM decoder
 * starts from h_0 = tanh(W_h mean_i a_i), c_0 = tanh(W_c mean_i a_i) and at each step t attends over the grid with
 * Bahdanau's additive score e_ti = v^T tanh(W_a a_i + U_a h_{t-1}), alpha_t = softmax(e_t), context z_t = sum_i
 * alpha_ti a_i, then steps the LSTM on [E y_{t-1}; z_t] and reads the next word's logits from [h_t; z_t]. (The paper's
 * gating scalar beta and its doubly stochastic attention penalty are left out; its deep output layer is this one
 * linear layer.) Trained with teacher forcing; decoded greedily or by beam search, returning the attention weights
 * of every produced word.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { MaxPool2d } from '../../nn/pooling.js';
import { LSTMCell } from '../../nn/recurrent-cells.js';
import { logSoftmax, softmax, tanh } from '../../ops/activation.js';
import { add } from '../../ops/elementwise.js';
import { indexSelect } from '../../ops/indexing.js';
import { bmm } from '../../ops/matmul.js';
import { cat, permute, reshape, squeeze, stack, unsqueeze } from '../../ops/movement.js';
import { argmax, mean } from '../../ops/reduce.js';
import { tensor } from '../../tensor/creation.js';
import { defaultGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';
import { beamSearch } from './beam.js';

/** Options of Captioner. */
export interface CaptionerOptions {
  /** Words including <pad> 0, <bos> 1, <eos> 2, <unk> 3 (default 32). */
  vocabSize?: number;
  /** Image channels (default 1). */
  inChannels?: number;
  /** Output channels of the encoder's stages, each halving the grid (default [16, 32, 64]: a 64x64 image gives 8x8 = 64 vectors of 64). */
  channels?: readonly number[];
  /** Word embedding size (default 32). */
  embedDim?: number;
  /** LSTM hidden units (default 128). */
  hiddenSize?: number;
  /** Size of the additive attention's hidden layer (default 64). */
  attentionDim?: number;
  /** Most words decoded per image (default 16). */
  maxLength?: number;
  /** Beam width of `decode` / `caption` (default 1: greedy). */
  beamWidth?: number;
}

const BOS = 1;
const EOS = 2;

/** The encoded images: the feature grid [B, P, D], its attention keys W_a a [B, P, A]. */
interface Encoded {
  feats: Tensor;
  keys: Tensor;
}

/** A decoded caption: word ids (without <eos>) and, per word, the attention weights over the P grid cells. */
export interface CaptionResult {
  /** The word ids. */
  ids: number[];
  /** attention[t][i]: the weight of grid cell i (row-major over the H/2^S x W/2^S grid) when word t was produced. */
  attention: number[][];
}

/**
 * The captioner: `forward(images [B, C, H, W], targetIn [B, L])` gives next-word logits [B, L, vocabSize];
 * `decode(images)` the word ids per image; `caption(images)` also the attention weights.
 * Parameter names: `encoder.0.weight` ..., `initH`, `initC`, `embed`, `featProj`, `queryProj`, `score`, `cell`, `out`.
 */
export class Captioner extends Module {
  /** The conv encoder: images -> feature maps [B, D, h, w]. */
  readonly encoder: Sequential;
  /** Mean feature -> h_0. */
  readonly initH: Linear;
  /** Mean feature -> c_0. */
  readonly initC: Linear;
  /** Word embedding. */
  readonly embed: Embedding;
  /** W_a: features -> attention space. */
  readonly featProj: Linear;
  /** U_a: decoder state -> attention space. */
  readonly queryProj: Linear;
  /** v: attention space -> score. */
  readonly score: Linear;
  /** The decoder cell, input [embedding; context]. */
  readonly cell: LSTMCell;
  /** [h; context] -> word logits. */
  readonly out: Linear;
  /** The feature size D (the last stage's channels). */
  readonly featureDim: number;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<CaptionerOptions>;

  /** Builds the model. */
  constructor(opts: CaptionerOptions = {}) {
    super();
    const vocabSize = positiveInt('captioner', 'vocabSize', opts.vocabSize, 32);
    if (vocabSize < 5) throw new ValueError(`captioner: option vocabSize must count <pad>, <bos>, <eos>, <unk> and at least one word (>= 5), got ${vocabSize}`);
    const inChannels = positiveInt('captioner', 'inChannels', opts.inChannels, 1);
    const channels = opts.channels ?? [16, 32, 64];
    if (!Array.isArray(channels) || channels.length === 0) throw new ValueError(`captioner: option channels must be a non-empty array of positive integers, got ${JSON.stringify(channels)}`);
    channels.forEach((c, i) => positiveInt('captioner', `channels[${i}]`, c, c));
    const embedDim = positiveInt('captioner', 'embedDim', opts.embedDim, 32);
    const hiddenSize = positiveInt('captioner', 'hiddenSize', opts.hiddenSize, 128);
    const attentionDim = positiveInt('captioner', 'attentionDim', opts.attentionDim, 64);
    const maxLength = positiveInt('captioner', 'maxLength', opts.maxLength, 16);
    const beamWidth = positiveInt('captioner', 'beamWidth', opts.beamWidth, 1);
    this.options = { vocabSize, inChannels, channels: [...channels], embedDim, hiddenSize, attentionDim, maxLength, beamWidth };
    const layers: Layer[] = [];
    let c = inChannels;
    for (const o of channels) {
      layers.push(new Conv2d(c, o, 3, { padding: 1, bias: false }), new BatchNorm2d(o), new ReLU(), new MaxPool2d(2));
      c = o;
    }
    this.encoder = new Sequential(...layers);
    const D = c;
    this.featureDim = D;
    this.initH = new Linear(D, hiddenSize);
    this.initC = new Linear(D, hiddenSize);
    this.embed = new Embedding(vocabSize, embedDim);
    this.featProj = new Linear(D, attentionDim);
    this.queryProj = new Linear(hiddenSize, attentionDim, { bias: false });
    this.score = new Linear(attentionDim, 1, { bias: false });
    this.cell = new LSTMCell(embedDim + D, hiddenSize);
    this.out = new Linear(hiddenSize + D, vocabSize);
  }

  /** The encoder's feature grid [B, P, D] of images [B, C, H, W] (P = grid cells, row-major). */
  features(images: Tensor): Tensor {
    const { inChannels, channels } = this.options;
    const k = 2 ** channels.length;
    if (images.ndim !== 4 || images.shape[1] !== inChannels || images.shape[2] < k || images.shape[3] < k) {
      throw new ValueError(`captioner: images must be [B, ${inChannels}, H, W] with H, W >= ${k}, got shape [${images.shape.join(', ')}]`);
    }
    const f = this.encoder.forward(images);
    const [b, d, h, w] = f.shape;
    return permute(reshape(f, [b, d, h * w]), [0, 2, 1]);
  }

  private prepare(feats: Tensor): Encoded {
    if (feats.ndim !== 3 || feats.shape[2] !== this.featureDim) throw new ValueError(`captioner: features must be [B, P, ${this.featureDim}], got shape [${feats.shape.join(', ')}]`);
    return { feats, keys: this.featProj.forward(feats) };
  }

  private start(enc: Encoded): [Tensor, Tensor] {
    const m = mean(enc.feats, 1);
    return [tanh(this.initH.forward(m)), tanh(this.initC.forward(m))];
  }

  /** One step from previous words `prev` [B]: logits [B, V], attention [B, P], the next state. */
  private step(enc: Encoded, prev: Tensor, state: [Tensor, Tensor]): { logits: Tensor; attn: Tensor; next: [Tensor, Tensor] } {
    const e = tanh(add(enc.keys, unsqueeze(this.queryProj.forward(state[0]), 1)));
    const attn = softmax(squeeze(this.score.forward(e), 2), 1);
    const ctx = squeeze(bmm(unsqueeze(attn, 1), enc.feats), 1);
    const next = this.cell.forward(cat([this.embed.forward(prev), ctx], 1), state);
    return { logits: this.out.forward(cat([next[0], ctx], 1)), attn, next };
  }

  private checkTargets(targetIn: Tensor, b: number): void {
    if (targetIn.ndim !== 2 || targetIn.dtype !== 'int32' || targetIn.shape[0] !== b || targetIn.shape[1] < 1) {
      throw new ValueError(`captioner: targetIn must be word ids [B, L] int32 with B = ${b}, got shape [${targetIn.shape.join(', ')}] ${targetIn.dtype}`);
    }
    const V = this.options.vocabSize;
    for (const v of targetIn.toTypedArray()) if (v < 0 || v >= V) throw new ValueError(`captioner: targetIn ids must be in [0, ${V}), got ${v}`);
  }

  /**
   * The decoder alone on a feature grid `feats` [B, P, D]: next-word logits [B, L, V] and attention weights
   * [B, L, P] for decoder inputs `targetIn` [B, L] (<bos> first). With `teacherForcing` < 1, each step after the
   * first feeds back the previous argmax with probability 1 - ratio.
   */
  decodeFeatures(feats: Tensor, targetIn: Tensor, opts: { teacherForcing?: number } = {}): { logits: Tensor; attention: Tensor } {
    const ratio = opts.teacherForcing ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new ValueError(`captioner: teacherForcing must be in [0, 1], got ${String(ratio)}`);
    const enc = this.prepare(feats);
    this.checkTargets(targetIn, feats.shape[0]);
    const [B, L] = targetIn.shape;
    const tin = targetIn.toTypedArray();
    const column = (t: number) => tensor(Int32Array.from({ length: B }, (_, b) => tin[b * L + t]), { shape: [B], dtype: 'int32' });
    let state = this.start(enc);
    const logits: Tensor[] = [];
    const attention: Tensor[] = [];
    let prev = column(0);
    for (let t = 0; t < L; t++) {
      if (t > 0) prev = ratio >= 1 || defaultGenerator.random() < ratio ? column(t) : argmax(logits[t - 1].detach(), 1);
      const r = this.step(enc, prev, state);
      logits.push(r.logits);
      attention.push(r.attn);
      state = r.next;
    }
    return { logits: stack(logits, 1), attention: stack(attention, 1) };
  }

  /** Next-word logits [B, L, vocabSize] of images [B, C, H, W] for decoder inputs `targetIn` [B, L] (teacher forcing). */
  forward(images: Tensor, targetIn: Tensor, opts: { teacherForcing?: number } = {}): Tensor {
    return this.decodeFeatures(this.features(images), targetIn, opts).logits;
  }

  /** The word ids of each image's caption (greedy, or beam search when beamWidth > 1), without <eos>. */
  decode(images: Tensor): number[][] {
    return this.caption(images).map((r) => r.ids);
  }

  /** Each image's caption with the attention weights of every word (see CaptionResult). */
  caption(images: Tensor): CaptionResult[] {
    return noGrad(() => {
      const feats = this.features(images);
      return this.options.beamWidth > 1 ? this.beam(feats) : this.greedy(feats);
    });
  }

  private greedy(feats: Tensor): CaptionResult[] {
    const enc = this.prepare(feats);
    const [B, P] = feats.shape;
    const res = Array.from({ length: B }, () => ({ ids: [] as number[], attention: [] as number[][], done: false }));
    let prev = tensor(new Int32Array(B).fill(BOS), { shape: [B], dtype: 'int32' });
    let state = this.start(enc);
    for (let t = 0; t < this.options.maxLength && res.some((r) => !r.done); t++) {
      const r = this.step(enc, prev, state);
      state = r.next;
      prev = argmax(r.logits, 1);
      const ids = prev.toTypedArray();
      const w = r.attn.toTypedArray();
      res.forEach((x, b) => {
        if (x.done) return;
        if (ids[b] === EOS) x.done = true;
        else {
          x.ids.push(ids[b]);
          x.attention.push(Array.from(w.subarray(b * P, (b + 1) * P)));
        }
      });
    }
    return res.map(({ ids, attention }) => ({ ids, attention }));
  }

  /** Beam search per image (see beamSearch): its K beams run as one batch, attention kept over the P grid cells. */
  private beam(feats: Tensor): CaptionResult[] {
    const K = this.options.beamWidth;
    const [B, P] = feats.shape;
    const out: CaptionResult[] = [];
    for (let b = 0; b < B; b++) {
      const enc = this.prepare(indexSelect(feats, 0, tensor(new Int32Array(K).fill(b), { shape: [K], dtype: 'int32' })));
      let state = this.start(enc);
      let after: [Tensor, Tensor] | undefined;
      out.push(beamSearch({
        beamWidth: K, vocabSize: this.options.vocabSize, maxLength: this.options.maxLength, eos: EOS, attentionStride: P,
        next: (rows, from) => {
          // row k of the LSTM state continues hypothesis k
          if (after) {
            const f = tensor(from, { shape: [K], dtype: 'int32' });
            state = [indexSelect(after[0], 0, f), indexSelect(after[1], 0, f)];
          }
          const r = this.step(enc, tensor(Int32Array.from(rows, (ids) => ids.at(-1) ?? BOS), { shape: [K], dtype: 'int32' }), state);
          after = r.next;
          return { logProbs: logSoftmax(r.logits, 1).toTypedArray(), attention: r.attn.toTypedArray() };
        },
      }));
    }
    return out;
  }
}