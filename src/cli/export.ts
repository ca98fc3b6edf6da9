/**
 * `shendu export <run> --format onnx`: writes the run's model as `<run>/model.onnx` (opset 17, batch size free):
 * an image classifier from its normalized input [N, C, S, S], a language model from symbols [N, --seq-len], a
 * VAE's decoder from latents [N, latentDim], a GAN's generator from latents [N, latentDim] (a CGAN's also from
 * class labels [N]).
 * @module
 */
import { dirname, join } from 'node:path';
import { ValueError } from '../errors.js';
import type { Traceable } from '../jit/trace.js';
import type { VaeBase } from '../models/generative/vae.js';
import { exportModel } from '../node/onnx.js';
import { applyPrep, openRun, type RunInfo } from '../node/recipe.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';

/** The example input and what to trace for a run's task. */
function exampleOf(info: RunInfo, model: Traceable, seqLen: number, file: string): { inputs: Tensor[]; forward?: (z: Tensor) => Tensor; what: string } {
  const task = info.task ?? 'classification';
  if (task === 'language-model') return { inputs: [zeros([1, seqLen], { dtype: 'int32' })], what: `symbols [N, ${seqLen}] -> logits` };
  if (task === 'vae') {
    const vae = model as unknown as VaeBase;
    return { inputs: [zeros([1, vae.latentDim])], forward: (z) => vae.decode(z), what: `the decoder: latents [N, ${vae.latentDim}] -> images` };
  }
  if (task === 'gan' || task === 'cgan') {
    const latent = (model as unknown as { latentDim: number }).latentDim;
    const z = zeros([1, latent]);
    return task === 'gan'
      ? { inputs: [z], what: `the generator: latents [N, ${latent}] -> images` }
      : { inputs: [z, zeros([1], { dtype: 'int32' })], what: `the generator: latents [N, ${latent}] and class labels [N] (int32) -> images` };
  }
  if (task === 'classification') {
    const channels = info.modelOptions.inChannels ?? 1;
    const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
    const x = applyPrep(zeros([1, channels, size, size]), info.prep);
    return { inputs: [x], what: `normalized images [N, ${x.shape.slice(1).join(', ')}] -> class logits` };
  }
  throw new ValueError(`export: ${file} holds a ${task} model (${info.model}); export writes classifiers, language models, VAE decoders and GAN generators`);
}

/** `shendu export`. */
export const exportCommand: Command = {
  spec: {
    name: 'export',
    summary: 'write a trained run as an ONNX file (<run>/model.onnx) for ONNX Runtime and other engines',
    positionals: [{ name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' }],
    options: {
      format: { type: 'string', default: 'onnx', choices: ['onnx'], help: 'file format', metavar: 'FORMAT' },
      out: { type: 'string', help: 'the file to write (default <run>/model.onnx)', metavar: 'FILE' },
      'seq-len': { type: 'int', default: 32, help: 'language models: symbols per input row in the exported graph', metavar: 'N' },
    },
  },
  run(args) {
    const seqLen = args.options['seq-len'] as number;
    if (seqLen < 1) throw new UsageError(`shendu export: --seq-len must be at least 1, got ${seqLen}`);
    const { model, info, file } = openRun('export', args.positionals['run-or-checkpoint'] as string);
    const m = model as unknown as Traceable;
    const ex = exampleOf(info, m, seqLen, file);
    const out = (args.options.out as string | undefined) ?? join(dirname(file), 'model.onnx');
    const bytes = exportModel(m, ex.inputs, out, { dynamicAxes: true, forward: ex.forward as ((...xs: Tensor[]) => unknown) | undefined, graphName: info.model });
    console.log(`${out}: ${info.model} as ONNX (opset 17, ${bytes} bytes), ${ex.what}, any batch size N`);
    return 0;
  },
};
