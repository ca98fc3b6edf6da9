/**
 * Sampling text from a CharLM: the prompt is read once, then each next symbol is drawn from the softmax of the
 * logits divided by a temperature, optionally restricted to the `topK` most likely symbols.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import type { CharLM, CharLMState } from './charlm.js';

/** Options of generate. */
export interface GenerateOptions {
  /** Symbols to draw after the prompt (default 200). */
  length?: number;
  /** Divides the logits before the softmax: below 1 sharper, above 1 flatter (default 1; must be > 0). */
  temperature?: number;
  /** Draw only among the k most likely symbols (default: all). */
  topK?: number;
  /** The random generator (default: the global one). */
  generator?: Generator;
}

/** Draws `length` symbols after `prompt` (symbol ids, at least one); returns only the drawn ids. */
export function generate(model: CharLM, prompt: readonly number[], opts: GenerateOptions = {}): number[] {
  const vocab = model.options.vocabSize;
  const length = opts.length ?? 200;
  const temperature = opts.temperature ?? 1;
  const topK = opts.topK ?? vocab;
  const gen = opts.generator ?? defaultGenerator;
  if (!Number.isInteger(length) || length < 0) throw new ValueError(`generate: length must be a non-negative integer, got ${length}`);
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ValueError(`generate: temperature must be a positive number, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 1) throw new ValueError(`generate: topK must be a positive integer, got ${topK}`);
  if (prompt.length === 0) throw new ValueError('generate: the prompt must hold at least one symbol');
  const bad = prompt.find((s) => !Number.isInteger(s) || s < 0 || s >= vocab);
  if (bad !== undefined) throw new ValueError(`generate: prompt symbols must be integers in [0, ${vocab}), got ${bad}`);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let [logits, state] = model.step(tensor(Int32Array.from(prompt), { shape: [1, prompt.length] }), null) as [ReturnType<CharLM['forward']>, CharLMState];
      let last = lastRow(logits.toTypedArray() as Float32Array, vocab);
      const out: number[] = [];
      for (let i = 0; i < length; i++) {
        const next = drawSymbol(last, temperature, Math.min(topK, vocab), gen);
        out.push(next);
        if (i + 1 === length) break;
        [logits, state] = model.step(tensor(Int32Array.of(next), { shape: [1, 1] }), state);
        last = lastRow(logits.toTypedArray() as Float32Array, vocab);
      }
      return out;
    });
  } finally {
    model.train(wasTraining);
  }
}

function lastRow(values: Float32Array, vocab: number): Float64Array {
  return Float64Array.from(values.subarray(values.length - vocab));
}

/** One draw from softmax(logits / temperature) over the topK largest logits (ties kept in symbol order). */
export function drawSymbol(logits: ArrayLike<number>, temperature: number, topK: number, gen: Generator): number {
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b).slice(0, topK);
  const max = logits[order[0]];
  const weights = order.map((i) => Math.exp((logits[i] - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = gen.random() * total;
  for (let j = 0; j < order.length; j++) {
    u -= weights[j];
    if (u < 0) return order[j];
  }
  return order[order.length - 1];
}
