/**
 * The models the ONNX tests export, built from a seed so their files are byte-identical run to run: the test
 * compares them to ONNX Runtime, and tools/export_onnx_zoo.mjs writes the same files for the ONNX checker
 * (tools/check_onnx_exports.py), whose verdict and each file's SHA-256 are in test/fixtures/onnx_checker.json.
 */
import { manualSeed, models, nn, rand, randint, randn, type Tensor } from '../../src/index.js';
import { CharLM } from '../../src/models/sequence/charlm.js';
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
    default: throw new Error(`onnx-zoo: no case '${name}'`);
  }
}

/** The cases the checker fixture covers (all of them). */
export const ZOO_NAMES = ['lenet5', 'mlp', 'resnet20', 'resnet18', 'charlm_lstm', 'charlm_gru', 'charlm_rnn', 'vae_decoder', 'convvae_decoder'] as const;
