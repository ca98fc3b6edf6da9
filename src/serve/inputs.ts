/**
 * Request bodies of `POST /v1/predict` to model inputs: a JSON tensor checked against the model's input shape
 * (every entry a finite number), or a PNG/JPEG image prepared as in training. Bad bodies raise the typed errors
 * of src/errors.ts, which the server maps to 4xx answers (DataError 400, ShapeError and ValueError 422).
 * @module
 */
import { DataError, ShapeError, ValueError } from '../errors.js';
import { runImageBytes } from '../node/run-image.js';
import type { RunInfo } from '../node/recipe.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** The image media types the server decodes, with the signature their bytes start with. */
export const IMAGE_TYPES: Record<string, { name: string; magic: readonly number[] }> = {
  'image/png': { name: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  'image/jpeg': { name: 'JPEG', magic: [0xff, 0xd8, 0xff] },
};

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

/**
 * The tensor [n, ...sampleShape] a JSON body `{"inputs": ...}` holds: one sample (nested arrays of
 * `sampleShape`) or a batch of n (nested arrays of [n, ...sampleShape], 1 <= n <= maxBatch). The values go to the
 * model as they are (already normalized, as the model's own forward takes them).
 */
export function jsonInputs(body: unknown, sampleShape: readonly number[], maxBatch: number): Tensor {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValueError(`predict: a JSON body must be an object {"inputs": [...]}, got ${describe(body)}`);
  }
  const extra = Object.keys(body).filter((k) => k !== 'inputs');
  if (extra.length > 0) throw new ValueError(`predict: unknown field ${JSON.stringify(extra[0])} in the JSON body; it takes only "inputs"`);
  const inputs = (body as { inputs?: unknown }).inputs;
  if (inputs === undefined) throw new ValueError('predict: the JSON body has no "inputs" (a tensor of the model\'s input shape, one sample or a batch)');
  // depth of the nesting along the first entries decides between one sample and a batch
  let depth = 0;
  for (let v: unknown = inputs; Array.isArray(v) && depth <= sampleShape.length + 1; v = v[0]) depth++;
  const expect = `[${sampleShape.join(', ')}] (one sample) or [N, ${sampleShape.join(', ')}] (a batch)`;
  if (depth !== sampleShape.length && depth !== sampleShape.length + 1) {
    throw new ShapeError(`predict: "inputs" must be nested arrays of shape ${expect}, got ${depth === 0 ? describe(inputs) : `${depth} levels of nesting`}`);
  }
  const batched = depth === sampleShape.length + 1;
  const n = batched ? (inputs as unknown[]).length : 1;
  if (n < 1 || n > maxBatch) throw new ShapeError(`predict: a request holds 1 to ${maxBatch} samples (the server's --max-batch), got ${n}`);
  const shape = batched ? [n, ...sampleShape] : [...sampleShape];
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let at = 0;
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new ValueError(`predict: inputs${path} must be a number, got ${describe(v)}`);
      if (!Number.isFinite(v)) throw new ValueError(`predict: inputs${path} must be finite, got ${v}`);
      out[at++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(`predict: inputs${path} must be an array of ${shape[dim]} (inputs of shape ${expect}), got ${describe(v)}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, `${path}[${i}]`);
  };
  walk(inputs, 0, '');
  return tensor(out, { shape: batched ? shape : [1, ...shape] });
}

/**
 * The normalized batch [1, C, H, W] of an image body whose Content-Type is `type` (image/png or image/jpeg):
 * the bytes must carry that format's signature; they are decoded (refused above `maxPixels`), resized and
 * prepared as the run's training images were (`runImageBytes`).
 */
export function imageInput(info: RunInfo, type: string, bytes: Uint8Array, opts: { maxPixels: number; invert: boolean }): Tensor {
  const kind = IMAGE_TYPES[type];
  if (!kind) throw new ValueError(`predict: cannot decode media type ${type}; images are ${Object.keys(IMAGE_TYPES).join(' or ')}`);
  if (bytes.length === 0) throw new DataError(`predict: the ${kind.name} body is empty`);
  if (bytes.length < kind.magic.length || !kind.magic.every((b, i) => bytes[i] === b)) {
    throw new DataError(`predict: the body is not a ${kind.name} image (Content-Type ${type}) — its first bytes are not the ${kind.name} signature`);
  }
  return runImageBytes(info, bytes, `predict: the ${kind.name} body`, opts).input;
}

/** Checks that a model output row holds finite numbers (a model whose weights diverged gives NaN). */
export function checkFinite(rows: readonly Float32Array[], model: string): void {
  for (const r of rows) {
    if (!r.every(Number.isFinite)) throw new DataError(`predict: the model (${model}) gives non-finite outputs (NaN or infinity): its weights are damaged or come from a run that diverged`);
  }
}

