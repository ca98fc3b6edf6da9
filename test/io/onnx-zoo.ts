/**
 * The models the ONNX tests export, built from a seed so their files are byte-identical run to run: the test
 * compares them to ONNX Runtime, and tools/export_onnx_zoo.mjs writes the same files for the ONNX checker
 * (tools/check_onnx_exports.py), whose verdict and each file's SHA-256 are in test/fixtures/onnx_checker.json.
 */
import {
  adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, cat, div, elu, flatten, gelu, leakyRelu, logSoftmax, manualSeed, matmul, maxPool2d, models, nn, pad,
  permute, rand, randint, randn, reshape, sigmoid, softmax, softplus, sub, tanh, transpose, type Tensor,
} from '../../src/index.js';
import { CharLM } from '../../src/models/sequence/charlm.js';
import { attentionCase, ATTENTION_NAMES } from './onnx-zoo-attention.js';
import type { ExportOptions } from '../../src/io/onnx/export.js';
import type { Traceable } from '../../src/jit/trace.js';

/** One model to export: the module, its example inputs and export options. */
export interface ZooCase {
  /** File stem and test name. */
  name: string;
  /** The model, in eval mode. */
  model: Traceable;
  /** Example inputs (batch 2). */
  inputs: Tensor[];
  /** Export options (dynamicAxes and, for decoders, the forward to trace). */
  opts: ExportOptions;
  /** Inputs with another batch size (3), to check the dynamic batch. */
  other: Tensor[];
}

/** Gives batch-norm layers running statistics away from 0 and 1, so the export of eval-mode BN is really tested. */
function randomStats(m: nn.Module): void {
  const state = m.stateDict();
  const changed: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(state)) {
    if (k.endsWith('running_mean')) changed[k] = randn(v.shape).mul(0.1);
    else if (k.endsWith('running_var')) changed[k] = rand(v.shape).add(0.5);
  }
  m.loadStateDict({ ...state, ...changed });
}

/**
 * A net that runs every op the exporter converts with the options that change its ONNX form: 'same' and
 * dilated, strided and grouped convolutions, transposed ones with outputPadding, groups and dilation, 1-D ones,
 * reflect / replicate / constant padding, pooling with ceilMode and count_include_pad off, adaptive pools,
 * LayerNorm, both GELUs, softplus with beta, embeddings, permute/transpose, matmul, linear on 3-D input.
 */
export class OpsNet extends nn.Module {
  a = new nn.Conv2d(3, 4, 3, { padding: 'same', dilation: 2 });
  b = new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2 });
  t = new nn.ConvTranspose2d(6, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: 1 });
  t2 = new nn.ConvTranspose2d(4, 3, 2, { stride: 1, dilation: 2 });
  c1 = new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 });
  ct1 = new nn.ConvTranspose1d(5, 2, 4, { stride: 2, padding: 1 });
  ln = new nn.LayerNorm(10);
  emb = new nn.Embedding(7, 10);
  lin = new nn.Linear(10, 6);
  bn = new nn.BatchNorm2d(3);
  /** Fixed tokens (a tensor the forward pass reads that is no parameter: a constant of the graph). */
  tokens = randint(0, 7, [1, 4]);

  /** x [N, 3, 8, 8] -> [N, 6]. */
  forward(x: Tensor): Tensor {
    let h = gelu(this.a.forward(x));
    h = leakyRelu(this.b.forward(h), 0.2);
    h = elu(this.t.forward(h), 0.7);
    h = this.bn.forward(sigmoid(this.t2.forward(h)));
    h = avgPool2d(pad(h, [1, 1, 2, 0], { mode: 'reflect' }), 3, { stride: 2, ceilMode: true, countIncludePad: false });
    h = maxPool2d(pad(h, [1, 0, 0, 1], { mode: 'replicate' }), 2, { stride: 1, padding: 1, ceilMode: false });
    const pooled = cat([flatten(adaptiveMaxPool2d(h, 2), 1), flatten(adaptiveAvgPool2d(h, 1), 1), flatten(pad(adaptiveAvgPool2d(h, [2, 1]), [0, 1], { value: 0.5 }), 1)], 1);
    const seq = this.ct1.forward(tanh(this.c1.forward(reshape(x, [x.shape[0], 3, 64]))));
    const tokens = this.emb.forward(this.tokens.expand([1, -1]));
    let z = this.ln.forward(cat([pooled.narrow(1, 0, 8), seq.narrow(1, 0, 1).narrow(2, 0, 2).flatten(1)], 1));
    z = softplus(gelu(z, { approximate: 'tanh' }), { beta: 2 });
    const att = softmax(matmul(z.unsqueeze(1), transpose(tokens, 1, 2)), -1);
    const mixed = sub(this.lin.forward(permute(z.unsqueeze(2).expand([x.shape[0], 10, 1]), [0, 2, 1])).squeeze(1), div(att.squeeze(1).sum(1, true), 3));
    return logSoftmax(mixed, 1);
  }
}

/** The zoo cases by name; `resnet18` is the heaviest (11.7M parameters). */
export function zooCase(name: string): ZooCase {
  manualSeed(1234);
  const img = (n: number, c: number, s: number) => rand([n, c, s, s]);
  const dyn = { dynamicAxes: true };
  switch (name) {
    case 'lenet5': {
      const model = models.createModel('lenet5') as Traceable;
      return { name, model: model.eval(), inputs: [img(2, 1, 28)], opts: dyn, other: [img(3, 1, 28)] };
    }
    case 'mlp': {
      const model = models.createModel('mlp') as Traceable;
      return { name, model: model.eval(), inputs: [img(2, 1, 28)], opts: dyn, other: [img(3, 1, 28)] };
    }
    case 'resnet20': case 'resnet18': {
      const model = models.createModel(name, { numClasses: 10 }) as Traceable;
      randomStats(model);
      const s = name === 'resnet20' ? 32 : 64;
      return { name, model: model.eval(), inputs: [img(2, 3, s)], opts: dyn, other: [img(3, 3, s)] };
    }
    case 'charlm_lstm': case 'charlm_gru': case 'charlm_rnn': {
      const cell = name.slice(7) as 'lstm' | 'gru' | 'rnn';
      const model = new CharLM({ vocabSize: 30, cell, embedDim: 12, hiddenSize: 24, numLayers: 2, dropout: 0.2 });
      return { name, model: model.eval(), inputs: [randint(0, 30, [2, 9])], opts: dyn, other: [randint(0, 30, [3, 9])] };
    }
    case 'vae_decoder': {
      const vae = models.createModel('vae', { latentDim: 8 }) as models.VAE;
      return { name, model: vae.eval(), inputs: [randn([2, 8])], opts: { ...dyn, forward: (z) => vae.decode(z) }, other: [randn([3, 8])] };
    }
    case 'convvae_decoder': {
      const vae = models.createModel('convvae', { latentDim: 8 }) as models.ConvVAE;
      return { name, model: vae.eval(), inputs: [randn([2, 8])], opts: { ...dyn, forward: (z) => vae.decode(z) }, other: [randn([3, 8])] };
    }
    case 'convae': {
      const model = models.createModel('convae') as Traceable;
      return { name, model: model.eval(), inputs: [img(2, 1, 28)], opts: dyn, other: [img(3, 1, 28)] };
    }
    case 'ops_mix': {
      const model = new OpsNet();
      randomStats(model);
      return { name, model: model.eval(), inputs: [rand([2, 3, 8, 8])], opts: dyn, other: [rand([3, 3, 8, 8])] };
    }
    default: {
      const c = attentionCase(name);
      if (c === null) throw new Error(`onnx-zoo: no case '${name}'`);
      return c;
    }
  }
}

/** The cases the checker fixture covers (all of them). */
export const ZOO_NAMES = ['lenet5', 'mlp', 'resnet20', 'resnet18', 'charlm_lstm', 'charlm_gru', 'charlm_rnn', 'vae_decoder', 'convvae_decoder', 'ops_mix', 'convae', ...ATTENTION_NAMES] as const;
