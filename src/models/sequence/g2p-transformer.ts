/**
 * Grapheme-to-phoneme conversion with a small Transformer (Vaswani et al., 2017), the attention-only twin of the
 * recurrent `G2P`: letters and phonemes are embedded (scaled by sqrt(dModel)) plus sinusoidal or learned positions,
 * an nn.TransformerEncoder reads the word with its padding masked out of every key, and an nn.TransformerDecoder
 * predicts the next phoneme under a causal mask, attending to the letters. Training is teacher-forced in one parallel
 * pass (a ratio below 1 uses two-pass scheduled sampling: Mihaylova & Martins, 2019); decoding is greedy or beam
 * search, re-running the decoder on the growing prefix.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import { Dropout } from '../../nn/dropout.js';
import { Embedding } from '../../nn/embedding.js';
import { xavierUniform_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/normalization.js';
import { TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer, generateSquareSubsequentMask } from '../../nn/transformer.js';
import { logSoftmax } from '../../ops/activation.js';
import { add, mul } from '../../ops/elementwise.js';
import { narrow, reshape } from '../../ops/movement.js';
import { argmax } from '../../ops/reduce.js';
import { tensor } from '../../tensor/creation.js';
import { defaultGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';
import { beamSearch } from './beam.js';

/** How a G2PTransformer tells positions apart. */
export type PositionKind = 'sinusoidal' | 'learned';

/** Options of G2PTransformer. */
export interface G2PTransformerOptions {
  /** Letter symbols including padding 0 (default 28: pad, apostrophe, A-Z). */
  numLetters?: number;
  /** Phoneme symbols including pad 0, <bos> 1, <eos> 2 (default 42: 39 stressless ARPAbet phonemes). */
  numClasses?: number;
  /** Model width (default 64). */
  dModel?: number;
  /** Attention heads; must divide dModel (default 4). */
  nhead?: number;
  /** Encoder layers (default 2). */
  numEncoderLayers?: number;
  /** Decoder layers (default 2). */
  numDecoderLayers?: number;
  /** Hidden size of each feed-forward block (default 256). */
  dimFeedforward?: number;
  /** Dropout on the embeddings and inside every layer (default 0.1). */
  dropout?: number;
  /** 'sinusoidal' (fixed, any length; default) or 'learned' (srcPos, tgtPos tables of maxPositions rows). */
  positions?: PositionKind;
  /** Longest source or decoder input the learned position tables cover (default 64). */
  maxPositions?: number;
  /** Pre-norm layers (default false: post-norm, as nn.Transformer). */
  normFirst?: boolean;
  /** Most phonemes decoded per word (default 32). */
  maxLength?: number;
  /** Beam width of `decode` (default 1: greedy). */
  beamWidth?: number;
}

const BOS = 1;
const EOS = 2;
const PAD = 0;

/** The sinusoidal table [L, d]: sin(pos / 10000^(2i/d)) in even columns, cos in odd ones (float64 math, float32 values). */
export function sinusoidalPositions(length: number, dModel: number): Tensor {
  const pe = new Float32Array(length * dModel);
  for (let pos = 0; pos < length; pos++) {
    for (let i = 0; i < dModel; i += 2) {
      const angle = pos * Math.exp(-i * (Math.log(10000) / dModel));
      pe[pos * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) pe[pos * dModel + i + 1] = Math.cos(angle);
    }
  }
  return tensor(pe, { shape: [length, dModel] });
}

/** Bool [B, L] mask, true where `ids` [B, L] holds the padding id. */
function padMaskOf(ids: Tensor): Tensor {
  const v = ids.toTypedArray();
  return tensor(Uint8Array.from(v, (x) => (x === PAD ? 1 : 0)), { shape: [...ids.shape], dtype: 'bool' });
}

/**
 * The Transformer G2P: `forward(source [B, Ls], sourceLengths, targetIn [B, Lt])` gives next-phoneme logits
 * [B, Lt, numClasses]; `decode` gives phoneme ids per word (up to <eos>). Parameter names are those of the
 * equivalent PyTorch module: srcEmbed, tgtEmbed, srcPos/tgtPos (learned positions), encoder.layers.k.* and
 * encoder.norm, decoder.layers.k.* and decoder.norm (nn.TransformerEncoder/Decoder, batch first), out.
 */
export class G2PTransformer extends Module {
  /** Letter embedding [numLetters, dModel]. */
  readonly srcEmbed: Embedding;
  /** Phoneme embedding [numClasses, dModel]. */
  readonly tgtEmbed: Embedding;
  /** Learned source positions [maxPositions, dModel], or null with sinusoidal positions. */
  readonly srcPos: Embedding | null;
  /** Learned target positions [maxPositions, dModel], or null with sinusoidal positions. */
  readonly tgtPos: Embedding | null;
  /** Dropout on the embedded inputs. */
  readonly dropout: Dropout;
  /** The encoder stack (final LayerNorm in encoder.norm). */
  readonly encoder: TransformerEncoder;
  /** The decoder stack (final LayerNorm in decoder.norm). */
  readonly decoder: TransformerDecoder;
  /** Decoder output -> phoneme logits. */
  readonly out: Linear;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<G2PTransformerOptions>;
  private readonly scale: number;

  /** Builds the model; every matrix is Xavier-uniform initialized (nn.Transformer's rule, applied to the whole model). */
  constructor(opts: G2PTransformerOptions = {}) {
    super();
    const numLetters = positiveInt('g2p_transformer', 'numLetters', opts.numLetters, 28);
    const numClasses = positiveInt('g2p_transformer', 'numClasses', opts.numClasses, 42);
    if (numClasses < 4) throw new ValueError(`g2p_transformer: option numClasses must count pad, <bos>, <eos> and at least one phoneme (>= 4), got ${numClasses}`);
    const dModel = positiveInt('g2p_transformer', 'dModel', opts.dModel, 64);
    const nhead = positiveInt('g2p_transformer', 'nhead', opts.nhead, 4);
    if (dModel % nhead !== 0) throw new ValueError(`g2p_transformer: option dModel (${dModel}) must be divisible by nhead (${nhead})`);
    const numEncoderLayers = positiveInt('g2p_transformer', 'numEncoderLayers', opts.numEncoderLayers, 2);
    const numDecoderLayers = positiveInt('g2p_transformer', 'numDecoderLayers', opts.numDecoderLayers, 2);
    const dimFeedforward = positiveInt('g2p_transformer', 'dimFeedforward', opts.dimFeedforward, 256);
    const dropout = opts.dropout ?? 0.1;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`g2p_transformer: option dropout must be in [0, 1), got ${String(opts.dropout)}`);
    const positions = opts.positions ?? 'sinusoidal';
    if (positions !== 'sinusoidal' && positions !== 'learned') throw new ValueError(`g2p_transformer: option positions must be 'sinusoidal' or 'learned', got '${String(positions)}'`);
    const maxPositions = positiveInt('g2p_transformer', 'maxPositions', opts.maxPositions, 64);
    const normFirst = opts.normFirst ?? false;
    if (typeof normFirst !== 'boolean') throw new ValueError(`g2p_transformer: option normFirst must be a boolean, got ${String(normFirst)}`);
    const maxLength = positiveInt('g2p_transformer', 'maxLength', opts.maxLength, 32);
    if (positions === 'learned' && maxLength + 1 > maxPositions) throw new ValueError(`g2p_transformer: option maxLength (${maxLength}) + 1 must fit in maxPositions (${maxPositions}) with learned positions`);
    const beamWidth = positiveInt('g2p_transformer', 'beamWidth', opts.beamWidth, 1);
    this.options = { numLetters, numClasses, dModel, nhead, numEncoderLayers, numDecoderLayers, dimFeedforward, dropout, positions, maxPositions, normFirst, maxLength, beamWidth };
    this.scale = Math.sqrt(dModel);
    this.srcEmbed = new Embedding(numLetters, dModel);
    this.tgtEmbed = new Embedding(numClasses, dModel);
    this.srcPos = positions === 'learned' ? new Embedding(maxPositions, dModel) : null;
    this.tgtPos = positions === 'learned' ? new Embedding(maxPositions, dModel) : null;
    this.dropout = new Dropout(dropout);
    const layer = { dimFeedforward, dropout, batchFirst: true, normFirst };
    this.encoder = new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layer), numEncoderLayers, { norm: new LayerNorm(dModel) });
    this.decoder = new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layer), numDecoderLayers, { norm: new LayerNorm(dModel) });
    this.out = new Linear(dModel, numClasses);
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /** embed(ids) * sqrt(dModel) + positions, then dropout: [B, L] -> [B, L, dModel]. */
  private embed(ids: Tensor, table: Embedding, pos: Embedding | null, what: string): Tensor {
    const L = ids.shape[1];
    const { dModel, maxPositions } = this.options;
    let p: Tensor;
    if (pos === null) {
      p = sinusoidalPositions(L, dModel);
    } else {
      if (L > maxPositions) throw new ValueError(`g2p_transformer: ${what} has ${L} positions, more than the learned table's maxPositions (${maxPositions})`);
      p = pos.forward(tensor(Int32Array.from({ length: L }, (_, i) => i), { shape: [L], dtype: 'int32' }));
    }
    return this.dropout.forward(add(mul(table.forward(ids), this.scale), p));
  }

  private checkSource(source: Tensor, lengths: readonly number[]): void {
    const { numLetters } = this.options;
    if (source === null || typeof source !== 'object' || source.ndim !== 2 || source.dtype !== 'int32') {
      throw new ValueError(`g2p_transformer: source must be letter ids [B, Ls] int32, got ${source?.shape ? `shape [${source.shape.join(', ')}] ${source.dtype}` : String(source)}`);
    }
    const [B, Ls] = source.shape;
    if (!Array.isArray(lengths) || lengths.length !== B || lengths.some((l) => !Number.isInteger(l) || l < 1 || l > Ls)) {
      throw new ValueError(`g2p_transformer: sourceLengths must be ${B} integers in [1, ${Ls}], got ${Array.isArray(lengths) ? `[${lengths.join(', ')}]` : typeof lengths}`);
    }
    for (const v of source.toTypedArray()) if (v < 0 || v >= numLetters) throw new ValueError(`g2p_transformer: source ids must be in [0, ${numLetters}), got ${v}`);
  }

  /**
   * Encodes a padded batch of words: source [B, Ls] (int32) and each word's length -> memory [B, Ls, dModel] and
   * its key-padding mask [B, Ls] (bool, true past each length: those keys are ignored by every attention).
   */
  encode(source: Tensor, sourceLengths: readonly number[]): { memory: Tensor; memoryKeyPaddingMask: Tensor } {
    this.checkSource(source, sourceLengths);
    const [B, Ls] = source.shape;
    const m = new Uint8Array(B * Ls);
    sourceLengths.forEach((l, b) => m.fill(1, b * Ls + l, (b + 1) * Ls));
    const mask = tensor(m, { shape: [B, Ls], dtype: 'bool' });
    const memory = this.encoder.forward(this.embed(source, this.srcEmbed, this.srcPos, 'source'), { srcKeyPaddingMask: mask });
    return { memory, memoryKeyPaddingMask: mask };
  }

  /**
   * Decodes teacher-forced inputs against encoded words: targetIn [B, Lt] (int32, <bos> first, 0 = padding), memory
   * [B, Ls, dModel] and its padding mask [B, Ls] -> next-phoneme logits [B, Lt, numClasses]. Position t sees inputs
   * 0..t only (causal mask); padded inputs are masked as keys.
   */
  decodeLogits(targetIn: Tensor, memory: Tensor, memoryKeyPaddingMask: Tensor): Tensor {
    const Lt = targetIn.shape[1];
    const y = this.decoder.forward(this.embed(targetIn, this.tgtEmbed, this.tgtPos, 'targetIn'), memory, {
      tgtMask: generateSquareSubsequentMask(Lt),
      tgtKeyPaddingMask: padMaskOf(targetIn),
      memoryKeyPaddingMask,
    });
    return this.out.forward(y);
  }

  /**
   * Next-phoneme logits [B, Lt, numClasses] for source letters [B, Ls] and decoder inputs `targetIn` [B, Lt]
   * (<bos> first). With `teacherForcing` < 1, a first pass without gradients predicts every position, and each
   * step after the first then reads that prediction instead of the true phoneme with probability 1 - ratio
   * (padding stays padding).
   */
  forward(source: Tensor, sourceLengths: readonly number[], targetIn: Tensor, opts: { teacherForcing?: number } = {}): Tensor {
    const ratio = opts.teacherForcing ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new ValueError(`g2p_transformer: teacherForcing must be in [0, 1], got ${String(ratio)}`);
    this.checkSource(source, sourceLengths);
    if (targetIn === null || typeof targetIn !== 'object' || targetIn.ndim !== 2 || targetIn.dtype !== 'int32' || targetIn.shape[0] !== source.shape[0]) {
      throw new ValueError(`g2p_transformer: targetIn must be phoneme ids [B, Lt] int32 with B = ${source.shape[0]}, got ${targetIn?.shape ? `shape [${targetIn.shape.join(', ')}] ${targetIn.dtype}` : String(targetIn)}`);
    }
    const { numClasses } = this.options;
    for (const v of targetIn.toTypedArray()) if (v < 0 || v >= numClasses) throw new ValueError(`g2p_transformer: targetIn ids must be in [0, ${numClasses}), got ${v}`);
    const { memory, memoryKeyPaddingMask } = this.encode(source, sourceLengths);
    if (ratio >= 1) return this.decodeLogits(targetIn, memory, memoryKeyPaddingMask);
    const [B, Lt] = targetIn.shape;
    const guess = noGrad(() => argmax(this.decodeLogits(targetIn, memory.detach(), memoryKeyPaddingMask), 2)).toTypedArray();
    const tin = targetIn.toTypedArray();
    const mixed = Int32Array.from(tin);
    for (let t = 1; t < Lt; t++) {
      if (defaultGenerator.random() < ratio) continue;
      for (let b = 0; b < B; b++) if (tin[b * Lt + t] !== PAD) mixed[b * Lt + t] = guess[b * Lt + t - 1];
    }
    return this.decodeLogits(tensor(mixed, { shape: [B, Lt], dtype: 'int32' }), memory, memoryKeyPaddingMask);
  }

  /** Log-probabilities [N, numClasses] of the phoneme after each prefix `prefix` [N, t] (<bos> first). */
  private nextLogProbs(prefix: Int32Array, n: number, t: number, memory: Tensor, mask: Tensor): Float32Array | Float64Array {
    const logits = this.decodeLogits(tensor(prefix, { shape: [n, t], dtype: 'int32' }), memory, mask);
    const last = reshape(narrow(logits, 1, t - 1, 1), [n, this.options.numClasses]);
    return logSoftmax(last, 1).toTypedArray() as Float32Array | Float64Array;
  }

  /** Greedy (beamWidth 1) or beam-search phoneme ids per word, up to and without <eos>. */
  decode(source: Tensor, sourceLengths: readonly number[]): number[][] {
    return noGrad(() => (this.options.beamWidth > 1 ? this.beam(source, sourceLengths) : this.greedy(source, sourceLengths)));
  }

  private greedy(source: Tensor, lengths: readonly number[]): number[][] {
    const { memory, memoryKeyPaddingMask } = this.encode(source, lengths);
    const B = source.shape[0];
    const V = this.options.numClasses;
    const out = lengths.map(() => [] as number[]);
    const done = new Array<boolean>(B).fill(false);
    let prefix = new Int32Array(B).fill(BOS);
    for (let t = 1; t <= this.options.maxLength && done.some((d) => !d); t++) {
      const lp = this.nextLogProbs(prefix, B, t, memory, memoryKeyPaddingMask);
      const next = new Int32Array(B * (t + 1));
      for (let b = 0; b < B; b++) {
        let best = EOS;
        for (let c = EOS + 1; c < V; c++) if (lp[b * V + c] > lp[b * V + best]) best = c;
        // pad and <bos> are never outputs; a finished word keeps decoding <eos> so the batch stays rectangular
        if (done[b]) best = EOS;
        else if (best === EOS) done[b] = true;
        else out[b].push(best);
        next.set(prefix.subarray(b * t, (b + 1) * t), b * (t + 1));
        next[b * (t + 1) + t] = best;
      }
      prefix = next;
    }
    return out;
  }

  /** Beam search per word (see beamSearch): its K beams run as one batch, each step re-reading the whole prefix. */
  private beam(source: Tensor, lengths: readonly number[]): number[][] {
    const K = this.options.beamWidth;
    const [B, Ls] = source.shape;
    this.checkSource(source, lengths);
    const src = source.toTypedArray();
    const res: number[][] = [];
    for (let b = 0; b < B; b++) {
      const row = Int32Array.from({ length: K * Ls }, (_, i) => src[b * Ls + (i % Ls)]);
      const { memory, memoryKeyPaddingMask } = this.encode(tensor(row, { shape: [K, Ls], dtype: 'int32' }), new Array<number>(K).fill(lengths[b]));
      res.push(beamSearch({
        beamWidth: K, vocabSize: this.options.numClasses, maxLength: this.options.maxLength, eos: EOS,
        next: (rows, _from, t) => {
          const prefix = new Int32Array(K * (t + 1));
          rows.forEach((ids, k) => prefix.set([BOS, ...ids], k * (t + 1)));
          return { logProbs: this.nextLogProbs(prefix, K, t + 1, memory, memoryKeyPaddingMask) };
        },
      }).ids);
    }
    return res;
  }
}