/**
 * The deterministic weights of the zoo parity fixtures (tools/make_zoo_fixtures.py): every state-dict entry is a
 * formula of its key and element index (a murmur3-style mix in uint32 arithmetic), so torchvision's model and
 * ours get bit-identical float32 weights without any weight file.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { models, nn, tensor, type Tensor } from '../../src/index.js';

/** One model's fixture. */
export interface ZooCase {
  name: string; model: string; options: Record<string, unknown>; params: number; keysHash: string; keys: number;
  inputSize: number; logits: number[];
}

/** The fixture file. */
export const zoo = JSON.parse(readFileSync(new URL('../../../test/fixtures/models/zoo.json', import.meta.url), 'utf8')) as {
  cases: ZooCase[]; multAdds224: Record<string, number>;
};

function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(key)) h = Math.imul(h ^ c, 16777619) >>> 0;
  return h;
}

/** The murmur3-style mix of index i and a key's hash: a uint32 whose value / 2^32 is the fixtures' u[i]. */
function mix(i: number, seed: number): number {
  let x = (Math.imul(i, 0x9e3779b1) + seed) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** u[i] in [0, 1) for `key`, as the Python script's uniform01. */
export function uniform01(key: string, n: number): Float64Array {
  const seed = fnv1a(key);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mix(i, seed) / 4294967296;
  return out;
}

/** The value of state-dict entry `key` of `shape`, as float32: a * u[i] + b, rounded once as numpy's cast does. */
export function formula(key: string, shape: readonly number[]): Float32Array {
  const n = shape.reduce((p, q) => p * q, 1);
  const seed = fnv1a(key);
  const out = new Float32Array(n);
  // (2u - 1) * scale, 0.5 + u, ... evaluated in float64 exactly as the script writes them
  let f: (u: number) => number;
  if (shape.length >= 2) {
    const b = Math.sqrt(6 / (n / shape[0]));
    f = (u) => (2 * u - 1) * b;
  } else if (key.endsWith('running_var')) f = (u) => 0.5 + u;
  else if (key.endsWith('running_mean')) f = (u) => (2 * u - 1) * 0.1;
  else if (key.endsWith('weight')) f = (u) => 0.8 + 0.4 * u;
  else f = (u) => (2 * u - 1) * 0.1;
  for (let i = 0; i < n; i++) out[i] = f(mix(i, seed) / 4294967296);
  return out;
}

/** A torchvision-style state dict for `model`'s keys, filled by the formula (num_batches_tracked kept as is). */
export function formulaState(model: nn.Module): nn.StateDict {
  const state: nn.StateDict = {};
  for (const [k, t] of Object.entries(model.stateDict())) {
    state[k] = k.endsWith('num_batches_tracked') ? t : tensor(formula(k, t.shape), { shape: [...t.shape], dtype: 'float32' });
  }
  return state;
}

/** sha256 of the sorted `key:shape` lines, as the Python script hashes torchvision's state dict. */
export function keysHash(model: nn.Module): string {
  const lines = Object.entries(model.stateDict()).map(([k, t]) => `${k}:${t.shape.join('x')}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The fixtures' input [1, 3, size, size]. */
export function zooInput(size: number): Tensor {
  return tensor(Float32Array.from(uniform01('input', 3 * size * size), (u) => 2 * u - 1), { shape: [1, 3, size, size], dtype: 'float32' });
}

/** Builds the case's model, loads the formula weights (strictly, through loadStateDict) and returns it in eval mode. */
export function buildCase(c: ZooCase): nn.Layer {
  // every weight is replaced by the formula: drawing the initial ones first would only cost time
  const model = nn.utils.skipInit(() => models.createModel(c.model, c.options));
  model.loadStateDict(formulaState(model));
  return model.eval();
}

/** The largest |a_i - b_i| relative to the largest |b_i|. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

/** The case called `name`. */
export function zooCase(name: string): ZooCase {
  const c = zoo.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no zoo fixture '${name}'`);
  return c;
}
