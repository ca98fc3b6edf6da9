/**
 * The attention cases of the ONNX export zoo (test/io/onnx-zoo.ts): nn.MultiheadAttention with each of its mask
 * kinds (bool and float attnMask, [L, S] and per-head; bool and float keyPaddingMask as a graph input or a fixed
 * one), separate key/value sizes, addBiasKv and addZeroAttn, batch-first, sequence-first and unbatched inputs, both
 * kinds of returned weights; Transformer encoder and decoder layers post- and pre-norm with ReLU and GELU; and a
 * small Transformer encoder classifier (embedding, learned positions, two layers, final norm, mean pooling); one
 * decoder step of the zoo's G2P with each of its attentions (Luong's general, Bahdanau's additive); and the
 * LSTM/GRU/RNN cells unrolled by hand.
 * Called by zooCase after it seeded the generator.
 */
import { manualSeed, mean, nn, rand, randint, randn, tensor, triu, type Tensor } from '../../src/index.js';
import { Parameter } from '../../src/nn/module.js';
import type { Traceable } from '../../src/jit/trace.js';
import { G2P } from '../../src/models/sequence/g2p.js';
import type { ZooCase } from './onnx-zoo.js';

/** A module whose forward takes options besides tensors: exported through `opts.forward`, named by the module. */
const traceable = (m: nn.Module): Traceable => m as unknown as Traceable;

/** A bool [N, S] padding mask (true = padding) with the last `pads[b]` keys of row b masked. */
function padMask(pads: readonly number[], S: number): Tensor {
  const data = pads.flatMap((p) => Array.from({ length: S }, (_, j) => j >= S - p));
  return tensor(data, { shape: [pads.length, S], dtype: 'bool' });
}

/** A bool [L, S] mask with true above the diagonal (may not attend to later positions). */
function causalBool(L: number, S: number): Tensor {
  return triu(tensor(new Array<boolean>(L * S).fill(true), { shape: [L, S], dtype: 'bool' }), 1);
}

/** MHA's biases are zero at init; random ones make the export of the bias adds really tested. */
function randomBiases(m: nn.Module): nn.Module {
  const state = m.stateDict();
  const changed: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(state)) if (/(in_proj_bias|out_proj\.bias|bias_k|bias_v)$/.test(k)) changed[k] = randn(v.shape).mul(0.3);
  m.loadStateDict({ ...state, ...changed });
  return m;
}

/** Tokens -> embedding + learned positions -> Transformer encoder (2 layers, final LayerNorm) -> mean over time -> logits. */
export class TinyTransformer extends nn.Module {
  /** Token embedding. */
  emb = new nn.Embedding(20, 16);
  /** Learned positions [1, 8, 16]. */
  pos = new Parameter(randn([1, 8, 16]).mul(0.1));
  /** The encoder stack. */
  encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true, activation: 'gelu' }), 2, { norm: new nn.LayerNorm(16) });
  /** Classifier head. */
  head = new nn.Linear(16, 5);

  /** tokens [N, 8] int32, padding [N, 8] bool -> logits [N, 5]. */
  forward(tokens: Tensor, padding: Tensor): Tensor {
    const h = this.encoder.forward(this.emb.forward(tokens).add(this.pos), { srcKeyPaddingMask: padding });
    return this.head.forward(mean(h, 1));
  }
}

/** The attention case `name`, or null for a name that is not one. */
export function attentionCase(name: string): ZooCase | null {
  const dyn = { dynamicAxes: true };
  const E = 16;
  switch (name) {
    case 'mha_self_masks': {
      // a padding mask as a graph input and a fixed causal bool mask; output and head-averaged weights
      const mha = randomBiases(new nn.MultiheadAttention(E, 4, { batchFirst: true })) as nn.MultiheadAttention;
      const causal = causalBool(5, 5);
      const forward = (x: Tensor, pad: Tensor) => mha.forward(x, x, x, { attnMask: causal, keyPaddingMask: pad });
      return { name, model: traceable(mha.eval()), inputs: [rand([2, 5, E]), padMask([0, 2], 5)], opts: { ...dyn, forward }, other: [rand([3, 5, E]), padMask([1, 0, 3], 5)] };
    }
    case 'mha_cross_kv': {
      // sequence-first cross-attention with kdim/vdim, bias_k/v, a zero key, float per-head and padding masks; per-head weights
      const mha = randomBiases(new nn.MultiheadAttention(E, 2, { kdim: 12, vdim: 10, addBiasKv: true, addZeroAttn: true })) as nn.MultiheadAttention;
      const mask = randn([2 * 2, 4, 6]).mul(0.5);
      const padding = randn([2, 6]).mul(0.5);
      const forward = (q: Tensor, k: Tensor, v: Tensor) => mha.forward(q, k, v, { attnMask: mask, keyPaddingMask: padding, averageAttnWeights: false });
      const inputs = () => [rand([4, 2, E]), rand([6, 2, 12]), rand([6, 2, 10])];
      return { name, model: traceable(mha.eval()), inputs: inputs(), opts: { forward }, other: inputs() };
    }
    case 'mha_unbatched': {
      // unbatched [L, E] inputs, a float [L, S] mask and a fixed bool padding mask [S]
      const mha = randomBiases(new nn.MultiheadAttention(8, 2)) as nn.MultiheadAttention;
      const mask = randn([3, 5]);
      const pad = tensor([false, false, true, false, true], { dtype: 'bool' });
      const forward = (q: Tensor, kv: Tensor) => mha.forward(q, kv, kv, { attnMask: mask, keyPaddingMask: pad });
      return { name, model: traceable(mha.eval()), inputs: [rand([3, 8]), rand([5, 8])], opts: { forward }, other: [rand([3, 8]), rand([5, 8])] };
    }
    case 'encoder_layer_post_relu': {
      const layer = new nn.TransformerEncoderLayer(E, 4, { dimFeedforward: 32, batchFirst: true });
      randomBiases(layer);
      const forward = (x: Tensor, pad: Tensor) => layer.forward(x, { srcKeyPaddingMask: pad });
      return { name, model: traceable(layer.eval()), inputs: [randn([2, 6, E]), padMask([1, 3], 6)], opts: { ...dyn, forward }, other: [randn([3, 6, E]), padMask([0, 2, 5], 6)] };
    }
    case 'encoder_layer_pre_gelu': {
      // sequence-first [T, N, E] (its batch is dim 1: a fixed-shape file), a float causal mask
      const layer = new nn.TransformerEncoderLayer(E, 4, { dimFeedforward: 32, normFirst: true, activation: 'gelu' });
      randomBiases(layer);
      const mask = nn.generateSquareSubsequentMask(6);
      const forward = (x: Tensor) => layer.forward(x, { srcMask: mask });
      return { name, model: traceable(layer.eval()), inputs: [randn([6, 2, E])], opts: { forward }, other: [randn([6, 2, E])] };
    }
    case 'decoder_layer_post_gelu': {
      const layer = new nn.TransformerDecoderLayer(E, 4, { dimFeedforward: 32, batchFirst: true, activation: 'gelu' });
      randomBiases(layer);
      const mask = nn.generateSquareSubsequentMask(4);
      const forward = (tgt: Tensor, mem: Tensor, memPad: Tensor) => layer.forward(tgt, mem, { tgtMask: mask, memoryKeyPaddingMask: memPad });
      return {
        name, model: traceable(layer.eval()), inputs: [randn([2, 4, E]), randn([2, 6, E]), padMask([2, 0], 6)], opts: { ...dyn, forward },
        other: [randn([3, 4, E]), randn([3, 6, E]), padMask([0, 1, 4], 6)],
      };
    }
    case 'decoder_layer_pre_relu': {
      const layer = new nn.TransformerDecoderLayer(E, 2, { dimFeedforward: 24, normFirst: true });
      randomBiases(layer);
      const mask = causalBool(4, 4);
      const forward = (tgt: Tensor, mem: Tensor) => layer.forward(tgt, mem, { tgtMask: mask });
      return { name, model: traceable(layer.eval()), inputs: [randn([4, 2, E]), randn([6, 2, E])], opts: { forward }, other: [randn([4, 2, E]), randn([6, 2, E])] };
    }
    case 'transformer_encoder': {
      manualSeed(99);
      const model = new TinyTransformer();
      randomBiases(model);
      return { name, model: model.eval() as Traceable, inputs: [randint(0, 20, [2, 8]), padMask([0, 3], 8)], opts: dyn, other: [randint(0, 20, [3, 8]), padMask([2, 0, 5], 8)] };
    }
    case 'g2p_luong_step': case 'g2p_bahdanau_step': {
      // one decoder step of the zoo's G2P (GRU cell, Luong's general or Bahdanau's additive attention, masked softmax)
      const g2p = new G2P({ numLetters: 10, numClasses: 9, embedDim: 6, hiddenSize: 5, attention: name === 'g2p_luong_step' ? 'luong' : 'bahdanau' });
      const forward = (prev: Tensor, h: Tensor, feed: Tensor, memory: Tensor, pad: Tensor) => g2p.decoderStep(prev, h, feed, memory, g2p.keyProj.forward(memory), pad);
      const inputs = (B: number, pads: number[]) => [randint(0, 9, [B]), randn([B, 10]), randn([B, 10]), randn([B, 7, 10]), padMask(pads, 7)];
      return { name, model: traceable(g2p.eval()), inputs: inputs(2, [0, 3]), opts: { ...dyn, forward }, other: inputs(3, [2, 6, 0]) };
    }
    case 'rnn_cells': {
      // LSTMCell, GRUCell and RNNCell (ReLU, no bias) unrolled by hand; the first steps start from zero states
      const lstm = new nn.LSTMCell(4, 6);
      const gru = new nn.GRUCell(6, 5);
      const rnn = new nn.RNNCell(5, 3, { nonlinearity: 'relu', bias: false });
      const holder = new nn.ModuleList([lstm, gru, rnn]);
      const forward = (x: Tensor) => {
        let s = lstm.forward(x.select(1, 0));
        let g = gru.forward(s[0]);
        let r = rnn.forward(g);
        for (let t = 1; t < 3; t++) {
          s = lstm.forward(x.select(1, t), s);
          g = gru.forward(s[0], g);
          r = rnn.forward(g, r);
        }
        return [r, s[1]];
      };
      return { name, model: traceable(holder.eval()), inputs: [randn([2, 3, 4])], opts: { ...dyn, forward }, other: [randn([3, 3, 4])] };
    }
    default: return null;
  }
}

/** The attention cases, in the order the checker fixture lists them. */
export const ATTENTION_NAMES = [
  'mha_self_masks', 'mha_cross_kv', 'mha_unbatched', 'encoder_layer_post_relu', 'encoder_layer_pre_gelu', 'decoder_layer_post_gelu', 'decoder_layer_pre_relu', 'transformer_encoder',
  'g2p_luong_step', 'g2p_bahdanau_step', 'rnn_cells',
] as const;
