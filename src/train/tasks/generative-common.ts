/**
 * What the reconstruction and VAE tasks share: the task's own generator (noise, reparameterization, a fixed
 * latent batch) saved in checkpoints, the fixed batch of images whose reconstructions are drawn every epoch, and
 * the picture of inputs next to reconstructions. Tasks sit below `viz`, so the PNG encoder is passed in
 * (`drawGrid: viz.imageGridPng`); without one a task draws nothing.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { cat, clone, narrow, reshape } from '../../ops/movement.js';
import { detach } from '../../autograd/primitives.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';

/** Encodes images [N, C, H, W] (values in [0, 1]) as a PNG grid with `nrow` images per row (`viz.imageGridPng`). */
export type DrawGrid = (images: Tensor, opts: { nrow: number }) => Uint8Array;

/** Options of the generative tasks' pictures and randomness. */
export interface GenerativePictureOptions {
  /** The task's generator (noise, sampling); default `new Generator(seed)`. Its state is checkpointed. */
  generator?: Generator;
  /** Seed of the task's generator when none is given (default 0). */
  seed?: number;
  /** PNG grid encoder for the per-epoch pictures (pass `viz.imageGridPng`); none: no pictures. */
  drawGrid?: DrawGrid;
  /** Images whose reconstructions are drawn each epoch (default: the first validation batch's, else training's). */
  pictureInputs?: Tensor;
  /** How many images of the fixed batch are drawn (default 16; 8 per row, each row of inputs above its reconstructions). */
  pictureCount?: number;
}

/** The checked generator of a task's options. */
export function taskGenerator(op: string, o: GenerativePictureOptions): Generator {
  if (o.generator !== undefined) {
    if (!(o.generator instanceof Generator)) throw new ValueError(`${op}: generator must be a Generator, got ${describe(o.generator)}`);
    return o.generator;
  }
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValueError(`${op}: seed must be a safe integer, got ${String(seed)}`);
  return new Generator(seed);
}

/** A positive-integer option. */
export function countOption(op: string, name: string, v: unknown, dflt: number): number {
  const n = v ?? dflt;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return n;
}

/** `x` as images [N, C, H, W]: 4-D as is, [N, D] with D a square as grey D = S*S images; else a ShapeError. */
export function asImages(op: string, x: Tensor): Tensor {
  if (x.ndim === 4) return x;
  if (x.ndim === 2) {
    const s = Math.round(Math.sqrt(x.shape[1]));
    if (s * s === x.shape[1]) return reshape(x, [x.shape[0], 1, s, s]);
  }
  throw new ShapeError(`${op}: pictures need images [N, C, H, W] or square grey images [N, S*S], got shape ${fmtShape(x.shape)}`);
}

/**
 * The fixed batch of pictured images: given, or the first `count` images of the first validation batch (else of
 * the first training batch until a validation batch comes). Kept in the task state so a resumed run draws the
 * same images.
 */
export class FixedBatch {
  private fixed: Tensor | null;
  private fallback: Tensor | null = null;

  constructor(readonly op: string, readonly count: number, given: Tensor | undefined) {
    if (given !== undefined && !(given instanceof Tensor)) throw new ValueError(`${op}: pictureInputs must be a Tensor, got ${describe(given)}`);
    this.fixed = given === undefined ? null : detach(clone(narrow(given, 0, 0, Math.min(count, given.shape[0]))));
  }

  private take(x: Tensor): Tensor {
    return detach(clone(narrow(x, 0, 0, Math.min(this.count, x.shape[0]))));
  }

  /** Notes a training batch (used until a validation batch is seen). */
  seeTrain(x: Tensor): void {
    if (this.fixed === null && this.fallback === null) this.fallback = this.take(x);
  }

  /** Notes a validation batch (the first one becomes the fixed batch). */
  seeVal(x: Tensor): void {
    if (this.fixed === null) this.fixed = this.take(x);
  }

  /** The images to draw, or null before any batch. */
  get images(): Tensor | null {
    return this.fixed ?? this.fallback;
  }

  /** State for checkpoints. */
  stateDict(): Record<string, unknown> {
    return this.fixed !== null ? { fixed: this.fixed } : this.fallback !== null ? { fallback: this.fallback } : {};
  }

  /** Restores `stateDict()`. */
  loadStateDict(s: Record<string, unknown>): void {
    const f = s?.fixed;
    const b = s?.fallback;
    if (f !== undefined && !(f instanceof Tensor)) throw new ValueError(`${this.op}: the checkpoint's picture batch must be a tensor, got ${describe(f)}`);
    if (b !== undefined && !(b instanceof Tensor)) throw new ValueError(`${this.op}: the checkpoint's picture batch must be a tensor, got ${describe(b)}`);
    this.fixed = (f as Tensor | undefined) ?? null;
    this.fallback = (b as Tensor | undefined) ?? null;
  }
}

/**
 * Inputs next to their reconstructions, as pytorch/examples' VAE draws them: rows of `nrow` (8, or fewer for a
 * smaller batch) inputs, each followed by the row of their reconstructions; a last incomplete row is left out.
 */
export function comparisonImages(op: string, inputs: Tensor, recon: Tensor): { images: Tensor; nrow: number } {
  const x = asImages(op, inputs);
  const r = reshape(recon, x.shape);
  const n = x.shape[0];
  const nrow = Math.min(8, n);
  const rows: Tensor[] = [];
  for (let i = 0; i + nrow <= n; i += nrow) rows.push(narrow(x, 0, i, nrow), narrow(r, 0, i, nrow));
  return { images: cat(rows, 0), nrow };
}

/** Checks a generator state from a checkpoint and restores it. */
export function restoreGenerator(op: string, g: Generator, state: unknown): void {
  if (!Array.isArray(state)) throw new ValueError(`${op}: the checkpoint's task generator state must be an array, got ${describe(state)}`);
  g.setState(state as number[]);
}
