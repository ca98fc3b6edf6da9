/**
 * Grapheme-to-phoneme conversion with an attentional encoder-decoder (chapter 9's seq2seq): letters -> embedding ->
 * bidirectional GRU over the packed word (padding never enters a state) -> a GRU decoder that attends to the
 * letters at every step, with Luong's "general" attention and input feeding (Luong, Pham & Manning, 2015) or
 * Bahdanau's additive attention (Bahdanau, Cho & Bengio, 2015). Trained with teacher forcing (a ratio below 1 feeds
 * back the model's own argmax); decoded greedily or by beam search.
 * @module
 */
import { isGradEnabled, noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import { GRUCell } from '../../nn/recurrent-cells.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { GRU } from '../../nn/recurrent.js';
import { packPaddedSequence, padPackedSequence } from '../../nn/rnn-pack.js';
import { logSoftmax, softmax, tanh } from '../../ops/activation.js';
import { indexSelect, maskedFill } from '../../ops/indexing.js';
import { bmm } from '../../ops/matmul.js';
import { sharedMatmul } from '../../ops/shared-matmul.js';
import { cat, reshape, squeeze, stack, unsqueeze, permute } from '../../ops/movement.js';
import { argmax } from '../../ops/reduce.js';
import { add } from '../../ops/elementwise.js';
import { tensor, zerosLike } from '../../tensor/creation.js';
import { defaultGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { beamSearch } from './beam.js';

/** The attention of a G2P decoder. */
export type AttentionKind = 'luong' | 'bahdanau';

/** Options of G2P. */
export interface G2POptions {
  /** Letter symbols including padding 0 (default 28: pad, apostrophe, A-Z). */
  numLetters?: number;
  /** Phoneme symbols including pad 0, <bos> 1, <eos> 2 (default 42: 39 stressless ARPAbet phonemes). */
  numClasses?: number;
  /** Embedding size of letters and phonemes (default 64). */
  embedDim?: number;
  /** Hidden units per encoder direction; the decoder has twice as many (default 128). */
  hiddenSize?: number;
  /** 'luong' (general score, input feeding; default) or 'bahdanau' (additive score before the step). */
  attention?: AttentionKind;
  /** Most phonemes decoded per word (default 32). */
  maxLength?: number;
  /** Beam width of `decode` (default 1: greedy). */
  beamWidth?: number;
}

const BOS = 1;
const EOS = 2;

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`g2p: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * The encoded words: memory [B, Ls, 2H], its keys [B, Ls, D], the padding mask [B, Ls] and the first decoder state;
 * in training, the products every decoder step takes with the keys (q [B, 1, D] -> scores [B, 1, Ls]) and the memory
 * (w [B, 1, Ls] -> context [B, 1, 2H]) as shared products, whose keys and memory gradients are taken once for all steps.
 */
interface Encoded {
  memory: Tensor;
  keys: Tensor;
  pad: Tensor;
  state: Tensor;
  scores?: (q: Tensor) => Tensor;
  context?: (w: Tensor) => Tensor;
}

/** Decoder state between steps: the GRU state [B, D] and (Luong) the attentional vector fed to the next step. */
interface DecoderState {
  h: Tensor;
  feed: Tensor;
}

/**
 * The G2P encoder-decoder: `forward(source [B, Ls], sourceLengths, targetIn [B, Lt])` gives next-phoneme logits
 * [B, Lt, numClasses]; `decode` gives phoneme ids per word (up to <eos>); `attend` also returns the attention weights.
 */
export class G2P extends Module {
  /** Letter embedding (padding 0). */
  readonly srcEmbed: Embedding;
  /** Bidirectional GRU encoder (batch first). */
  readonly encoder: GRU;
  /** Encoder final states [fwd; bwd] -> first decoder state. */
  readonly bridge: Linear;
  /** Phoneme embedding. */
  readonly tgtEmbed: Embedding;
  /** Memory -> keys (Luong: W_a of the general score; Bahdanau: W_1). */
  readonly keyProj: Linear;
  /** Bahdanau's W_2 (decoder state -> key space); null with Luong's score, which has no such layer. */
  readonly queryProj: Linear | null;
  /** Bahdanau's scoring vector v; null with Luong's score. */
  readonly score: Linear | null;
  /** The decoder cell. */
  readonly cell: GRUCell;
  /** [context; state] -> attentional vector (tanh). */
  readonly combine: Linear;
  /** Attentional vector -> phoneme logits. */
  readonly out: Linear;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<G2POptions>;

  /** Builds the model. */
  constructor(opts: G2POptions = {}) {
    super();
    const numLetters = positive('numLetters', opts.numLetters ?? 28);
    const numClasses = positive('numClasses', opts.numClasses ?? 42);
    if (numClasses < 4) throw new ValueError(`g2p: option numClasses must count pad, <bos>, <eos> and at least one phoneme (>= 4), got ${numClasses}`);
    const embedDim = positive('embedDim', opts.embedDim ?? 64);
    const hiddenSize = positive('hiddenSize', opts.hiddenSize ?? 128);
    const attention = opts.attention ?? 'luong';
    if (attention !== 'luong' && attention !== 'bahdanau') throw new ValueError(`g2p: option attention must be 'luong' or 'bahdanau', got '${String(attention)}'`);
    const maxLength = positive('maxLength', opts.maxLength ?? 32);
    const beamWidth = positive('beamWidth', opts.beamWidth ?? 1);
    this.options = { numLetters, numClasses, embedDim, hiddenSize, attention, maxLength, beamWidth };
    const H2 = 2 * hiddenSize;
    this.srcEmbed = new Embedding(numLetters, embedDim, { paddingIdx: 0 });
    this.encoder = new GRU(embedDim, hiddenSize, { bidirectional: true, batchFirst: true });
    this.bridge = new Linear(H2, H2);
    this.tgtEmbed = new Embedding(numClasses, embedDim);
    this.keyProj = new Linear(H2, H2, { bias: false });
    this.queryProj = attention === 'bahdanau' ? new Linear(H2, H2, { bias: false }) : null;
    this.score = attention === 'bahdanau' ? new Linear(H2, 1, { bias: false }) : null;
    // Luong feeds the previous attentional vector, Bahdanau the current context: both 2H wide
    this.cell = new GRUCell(embedDim + H2, H2);
    this.combine = new Linear(2 * H2, H2, { bias: false });
    this.out = new Linear(H2, numClasses);
  }

  /** Encodes a padded batch of words. */
  private encode(source: Tensor, lengths: readonly number[]): Encoded {
    const { numLetters } = this.options;
    if (source.ndim !== 2 || source.dtype !== 'int32') throw new ValueError(`g2p: source must be letter ids [B, Ls] int32, got shape [${source.shape.join(', ')}] ${source.dtype}`);
    const [B, Ls] = source.shape;
    if (!Array.isArray(lengths) || lengths.length !== B || lengths.some((l) => !Number.isInteger(l) || l < 1 || l > Ls)) {
      throw new ValueError(`g2p: sourceLengths must be ${B} integers in [1, ${Ls}], got ${Array.isArray(lengths) ? `[${lengths.join(', ')}]` : typeof lengths}`);
    }
    const ids = source.toTypedArray();
    for (const v of ids) if (v < 0 || v >= numLetters) throw new ValueError(`g2p: source ids must be in [0, ${numLetters}), got ${v}`);
    const packed = packPaddedSequence(this.srcEmbed.forward(source), lengths, { batchFirst: true, enforceSorted: false });
    const [out, hN] = this.encoder.forwardPacked(packed, null);
    const [memory] = padPackedSequence(out, { batchFirst: true, totalLength: Ls });
    // h_n is [2, B, H]: the last forward state and the first backward state of each word
    const last = reshape(permute(hN, [1, 0, 2]), [B, 2 * this.options.hiddenSize]);
    const padMask = new Uint8Array(B * Ls);
    lengths.forEach((l, b) => padMask.fill(1, b * Ls + l, (b + 1) * Ls));
    const keys = this.keyProj.forward(memory);
    const shared = isGradEnabled() ? { scores: sharedMatmul(permute(keys, [0, 2, 1])), context: sharedMatmul(memory) } : {};
    return { memory, keys, pad: tensor(padMask, { shape: [B, Ls], dtype: 'bool' }), state: tanh(this.bridge.forward(last)), ...shared };
  }

  /** Attention weights [B, Ls] of `query` [B, D] over the memory, padding excluded. */
  private weights(enc: Encoded, query: Tensor): Tensor {
    let scores: Tensor;
    if (this.queryProj === null || this.score === null) {
      scores = enc.scores ? squeeze(enc.scores(unsqueeze(query, 1)), 1) : squeeze(bmm(enc.keys, unsqueeze(query, 2)), 2);
    } else {
      const e = tanh(add(enc.keys, unsqueeze(this.queryProj.forward(query), 1)));
      scores = squeeze(this.score.forward(e), 2);
    }
    return softmax(maskedFill(scores, enc.pad, -1e9), 1);
  }

  /** One decoder step from previous phonemes `prev` [B] up to the attentional vector: attention [B, Ls], the next state. */
  private advance(enc: Encoded, prev: Tensor, st: DecoderState): { attn: Tensor; next: DecoderState } {
    const emb = this.tgtEmbed.forward(prev);
    const context = (w: Tensor): Tensor => squeeze(enc.context ? enc.context(unsqueeze(w, 1)) : bmm(unsqueeze(w, 1), enc.memory), 1);
    if (this.options.attention === 'luong') {
      const h = this.cell.forward(cat([emb, st.feed], 1), st.h);
      const attn = this.weights(enc, h);
      const feed = tanh(this.combine.forward(cat([context(attn), h], 1)));
      return { attn, next: { h, feed } };
    }
    const attn = this.weights(enc, st.h);
    const ctx = context(attn);
    const h = this.cell.forward(cat([emb, ctx], 1), st.h);
    const feed = tanh(this.combine.forward(cat([ctx, h], 1)));
    return { attn, next: { h, feed } };
  }

  /** One decoder step from previous phonemes `prev` [B]: logits [B, V], attention [B, Ls], the next state. */
  private step(enc: Encoded, prev: Tensor, st: DecoderState): { logits: Tensor; attn: Tensor; next: DecoderState } {
    const r = this.advance(enc, prev, st);
    return { logits: this.out.forward(r.next.feed), attn: r.attn, next: r.next };
  }

  /**
   * One decoder step on encoded words, the unit a deployed decoder loops over (an exported decoder is this method
   * traced): previous phonemes `prev` [B] (int32), decoder state `h` [B, D] and attentional vector `feed` [B, D]
   * (zeros at the first step; Bahdanau's step does not read it), encoder outputs `memory` [B, Ls, 2H], their keys
   * `keyProj(memory)` [B, Ls, D] and the padding mask `pad` [B, Ls] (bool, true = padding) -> [logits
   * [B, numClasses], attention weights [B, Ls], next h [B, D], next feed [B, D]], D = 2H.
   */
  decoderStep(prev: Tensor, h: Tensor, feed: Tensor, memory: Tensor, keys: Tensor, pad: Tensor): [Tensor, Tensor, Tensor, Tensor] {
    const r = this.step({ memory, keys, pad, state: h }, prev, { h, feed });
    return [r.logits, r.attn, r.next.h, r.next.feed];
  }

  private start(enc: Encoded): DecoderState {
    return { h: enc.state, feed: zerosLike(enc.state) };
  }

  /**
   * Next-phoneme logits [B, Lt, numClasses] for decoder inputs `targetIn` [B, Lt] (<bos> first). With
   * `teacherForcing` < 1 each step after the first feeds back the model's previous argmax with probability 1 - ratio.
   */
  forward(source: Tensor, sourceLengths: readonly number[], targetIn: Tensor, opts: { teacherForcing?: number } = {}): Tensor {
    const ratio = opts.teacherForcing ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new ValueError(`g2p: teacherForcing must be in [0, 1], got ${String(ratio)}`);
    if (targetIn.ndim !== 2 || targetIn.dtype !== 'int32' || targetIn.shape[0] !== source.shape[0]) {
      throw new ValueError(`g2p: targetIn must be phoneme ids [B, Lt] int32 with B = ${source.shape[0]}, got shape [${targetIn.shape.join(', ')}] ${targetIn.dtype}`);
    }
    const enc = this.encode(source, sourceLengths);
    const [B, Lt] = targetIn.shape;
    const tin = targetIn.toTypedArray();
    let st = this.start(enc);
    const at = (t: number) => tensor(Int32Array.from({ length: B }, (_, b) => tin[b * Lt + t]), { shape: [B], dtype: 'int32' });
    if (ratio >= 1) {
      // every input is known up front: the loop runs the recurrence, one projection then covers all steps
      const feeds: Tensor[] = [];
      for (let t = 0; t < Lt; t++) {
        st = this.advance(enc, at(t), st).next;
        feeds.push(st.feed);
      }
      return this.out.forward(stack(feeds, 1));
    }
    const logits: Tensor[] = [];
    let prev = at(0);
    for (let t = 0; t < Lt; t++) {
      if (t > 0) {
        const forced = defaultGenerator.random() < ratio;
        prev = forced ? at(t) : argmax(logits[t - 1].detach(), 1);
      }
      const r = this.step(enc, prev, st);
      logits.push(r.logits);
      st = r.next;
    }
    return stack(logits, 1);
  }

  /** Greedy (beamWidth 1) or beam-search phoneme ids per word, up to and without <eos>. */
  decode(source: Tensor, sourceLengths: readonly number[]): number[][] {
    return this.attend(source, sourceLengths).map((r) => r.ids);
  }

  /** Decoded phoneme ids with the attention weights of each output step over the word's letters ([steps][letters]). */
  attend(source: Tensor, sourceLengths: readonly number[]): { ids: number[]; attention: number[][] }[] {
    return noGrad(() => (this.options.beamWidth > 1 ? this.beam(source, sourceLengths) : this.greedy(source, sourceLengths)));
  }

  private greedy(source: Tensor, lengths: readonly number[]): { ids: number[]; attention: number[][] }[] {
    const enc = this.encode(source, lengths);
    const [B, Ls] = source.shape;
    const res = lengths.map(() => ({ ids: [] as number[], attention: [] as number[][], done: false }));
    let prev = tensor(new Int32Array(B).fill(BOS), { shape: [B], dtype: 'int32' });
    let st = this.start(enc);
    for (let t = 0; t < this.options.maxLength && res.some((r) => !r.done); t++) {
      const r = this.step(enc, prev, st);
      st = r.next;
      prev = argmax(r.logits, 1);
      const ids = prev.toTypedArray();
      const w = r.attn.toTypedArray();
      res.forEach((x, b) => {
        if (x.done) return;
        if (ids[b] === EOS) x.done = true;
        else {
          x.ids.push(ids[b]);
          x.attention.push(Array.from(w.subarray(b * Ls, b * Ls + lengths[b])));
        }
      });
    }
    return res.map(({ ids, attention }) => ({ ids, attention }));
  }

  /** Beam search per word (see beamSearch): its K beams run as one batch, attention kept over the word's letters. */
  private beam(source: Tensor, lengths: readonly number[]): { ids: number[]; attention: number[][] }[] {
    const K = this.options.beamWidth;
    const [B, Ls] = source.shape;
    const src = source.toTypedArray();
    const out: { ids: number[]; attention: number[][] }[] = [];
    for (let b = 0; b < B; b++) {
      const row = Int32Array.from({ length: K * Ls }, (_, i) => src[b * Ls + (i % Ls)]);
      const enc = this.encode(tensor(row, { shape: [K, Ls], dtype: 'int32' }), new Array<number>(K).fill(lengths[b]));
      let st = this.start(enc);
      let after: DecoderState | undefined;
      out.push(beamSearch({
        beamWidth: K, vocabSize: this.options.numClasses, maxLength: this.options.maxLength, eos: EOS,
        attentionStride: Ls, attentionWidth: lengths[b],
        next: (rows, from) => {
          // row k of the decoder state continues hypothesis k
          if (after) {
            const f = tensor(from, { shape: [K], dtype: 'int32' });
            st = { h: indexSelect(after.h, 0, f), feed: indexSelect(after.feed, 0, f) };
          }
          const r = this.step(enc, tensor(Int32Array.from(rows, (ids) => ids.at(-1) ?? BOS), { shape: [K], dtype: 'int32' }), st);
          after = r.next;
          return { logProbs: logSoftmax(r.logits, 1).toTypedArray(), attention: r.attn.toTypedArray() };
        },
      }));
    }
    return out;
  }
}