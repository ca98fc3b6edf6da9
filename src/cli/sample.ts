/**
 * `shendu sample <run>`: draws from a trained generative model. For a language model (charlm): text continuing
 * `--prompt`, each symbol drawn from the softmax of the logits at `--temperature`, among the `--top-k` most likely.
 * @module
 */
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
    summary: 'draw from a trained generative run: text from a language model',
    positionals: [{ name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' }],
    options: {
      prompt: { type: 'string', default: 'Call me', help: 'language models: the text to continue', metavar: 'TEXT' },
      length: { type: 'int', default: 300, help: 'language models: characters to draw', metavar: 'N' },
      temperature: { type: 'number', default: 1, help: 'language models: divides the logits (below 1: safer, above 1: wilder)', metavar: 'T' },
      'top-k': { type: 'int', help: 'language models: draw only among the K most likely symbols (default: all)', metavar: 'K' },
      seed: { type: 'int', default: 0, help: 'seed of the draws', metavar: 'N' },
    },
  },
  run(args) {
    const o = args.options;
    const { model, info, file } = openRun('sample', args.positionals['run-or-checkpoint'] as string);
    if (info.task !== 'language-model') throw new ValueError(`sample: ${file} holds a ${info.task ?? 'classification'} model (${info.model}); sample draws from language models`);
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
