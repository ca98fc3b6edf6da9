/**
 * Anchor boxes as torchvision.models.detection.anchor_utils.AnchorGenerator: per feature-map level, one set of
 * "cell anchors" (every aspect ratio times every size, centred on 0 and rounded as torchvision rounds them, in
 * float32) shifted to every cell of that level's grid, the stride being image size // grid size.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { fromHost } from '../autograd/primitives.js';
import { Module } from '../nn/module.js';
import { checkTensor } from '../ops/util.js';
import { cat, clone } from '../ops/movement.js';
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of `AnchorGenerator` (torchvision's arguments, camelCased). */
export interface AnchorGeneratorOptions {
  /**
   * Anchor sizes (square-root areas, pixels) per feature-map level, e.g. [[32], [64], [128]] for an FPN or
   * [[128, 256, 512]] (the default) for one map; a flat list [32, 64] means one size per level, as torchvision.
   */
  sizes?: readonly (number | readonly number[])[];
  /**
   * Height/width ratios per level (default [[0.5, 1, 2]]); a flat list is used for every level, as torchvision.
   */
  aspectRatios?: readonly number[] | readonly (readonly number[])[];
}

/** What `forward` takes as images: a padded batch [N, C, H, W], or torchvision's ImageList (its tensors and sizes). */
export type AnchorImages = Tensor | { tensors: Tensor; imageSizes: readonly (readonly [number, number])[] };

/** Rounds half to even, as torch.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checkPositiveList(name: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw new ValueError(`AnchorGenerator: ${name} must be a non-empty list of positive numbers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/**
 * Generates the anchors of every image of a batch for a list of feature maps (torchvision's AnchorGenerator):
 * per image, a [sum over levels of Hl * Wl * A_l, 4] tensor of xyxy boxes, levels in order, cells row-major, and
 * within a cell the aspect ratios (outer) times the sizes (inner).
 */
export class AnchorGenerator extends Module {
  /** Sizes per level. */
  readonly sizes: readonly (readonly number[])[];
  /** Aspect ratios (height / width) per level. */
  readonly aspectRatios: readonly (readonly number[])[];
  /** Zero-centred anchors per level as flat float32-rounded xyxy rows (A_l * 4 numbers). */
  readonly cellAnchors: readonly Float64Array[];

  /** Creates the generator from sizes and aspect ratios per level (defaults: one level, sizes 128/256/512, ratios 0.5/1/2). */
  constructor(opts: AnchorGeneratorOptions = {}) {
    super();
    const rawSizes = opts.sizes ?? [[128, 256, 512]];
    if (!Array.isArray(rawSizes) || rawSizes.length === 0) throw new ValueError(`AnchorGenerator: sizes must be a non-empty list, got ${JSON.stringify(rawSizes)}`);
    const sizes = Array.isArray(rawSizes[0]) ? rawSizes.map((s, i) => checkPositiveList(`sizes[${i}]`, s)) : checkPositiveList('sizes', rawSizes).map((s) => [s]);
    const rawRatios = opts.aspectRatios ?? [[0.5, 1, 2]];
    if (!Array.isArray(rawRatios) || rawRatios.length === 0) throw new ValueError(`AnchorGenerator: aspectRatios must be a non-empty list, got ${JSON.stringify(rawRatios)}`);
    const ratios = Array.isArray(rawRatios[0])
      ? (rawRatios as readonly (readonly number[])[]).map((r, i) => checkPositiveList(`aspectRatios[${i}]`, r))
      : sizes.map(() => checkPositiveList('aspectRatios', rawRatios));
    if (ratios.length !== sizes.length) {
      throw new ValueError(`AnchorGenerator: sizes has ${sizes.length} levels but aspectRatios has ${ratios.length}`);
    }
    this.sizes = sizes;
    this.aspectRatios = ratios;
    this.cellAnchors = sizes.map((s, i) => AnchorGenerator.generateAnchors(s, ratios[i]));
  }

  /**
   * Zero-centred anchors [A * 4] for `scales` x `aspectRatios`, computed in float32 and rounded half to even as
   * torchvision's generate_anchors: w = size / sqrt(ratio), h = size * sqrt(ratio), box (-w/2, -h/2, w/2, h/2).
   */
  static generateAnchors(scales: readonly number[], aspectRatios: readonly number[]): Float64Array {
    const f = Math.fround;
    const out = new Float64Array(scales.length * aspectRatios.length * 4);
    let k = 0;
    for (const ar of aspectRatios) {
      const hr = f(Math.sqrt(f(ar)));
      const wr = f(1 / hr);
      for (const s of scales) {
        const ws = f(wr * f(s));
        const hs = f(hr * f(s));
        for (const v of [-ws, -hs, ws, hs]) out[k++] = roundHalfEven(f(v / 2));
      }
    }
    return out;
  }

  /** Anchors per grid cell of each level: sizes times aspect ratios. */
  numAnchorsPerLocation(): number[] {
    return this.sizes.map((s, i) => s.length * this.aspectRatios[i].length);
  }

  /**
   * Anchors [Hl * Wl * A_l, 4] of each level for grids `gridSizes` ([H, W] per level) and `strides` ([sy, sx] per
   * level), in `dtype` on backend `device` (torchvision's grid_anchors).
   */
  gridAnchors(gridSizes: readonly (readonly [number, number])[], strides: readonly (readonly [number, number])[], dtype: DType = 'float32', device = 'cpu'): Tensor[] {
    if (gridSizes.length !== strides.length || gridSizes.length !== this.cellAnchors.length) {
      throw new ValueError(
        `AnchorGenerator: got ${gridSizes.length} feature maps and ${strides.length} strides for ${this.cellAnchors.length} levels of sizes/aspectRatios; they must match`,
      );
    }
    return gridSizes.map(([gh, gw], l) => {
      const [sy, sx] = strides[l];
      const base = this.cellAnchors[l];
      const a = base.length / 4;
      const out = new Float64Array(gh * gw * a * 4);
      let k = 0;
      for (let y = 0; y < gh; y++) {
        for (let x = 0; x < gw; x++) {
          const shift = [x * sx, y * sy, x * sx, y * sy];
          for (let j = 0; j < a * 4; j++) out[k++] = shift[j % 4] + base[j];
        }
      }
      return fromHost(out, [gh * gw * a, 4], dtype, device);
    });
  }

  /**
   * The anchors of each image: one [sum over levels of Hl * Wl * A_l, 4] tensor per image of `images`, in the
   * dtype of the first feature map; `featureMaps` [N, C, Hl, Wl] per level, strides image size // Hl and // Wl.
   */
  forward(images: AnchorImages, featureMaps: readonly Tensor[]): Tensor[] {
    const batch = images instanceof Object && 'tensors' in images ? images.tensors : images;
    checkTensor('AnchorGenerator', batch, 'images');
    if (batch.ndim < 2) throw new ShapeError(`AnchorGenerator: images must be [N, C, H, W], got shape ${fmtShape(batch.shape)}`);
    const count = images instanceof Object && 'tensors' in images ? images.imageSizes.length : batch.shape[0];
    if (!Array.isArray(featureMaps) || featureMaps.length === 0) throw new ValueError('AnchorGenerator: featureMaps must be a non-empty list of [N, C, H, W] tensors');
    const [ih, iw] = batch.shape.slice(-2);
    const grids = featureMaps.map((f, i) => {
      checkTensor('AnchorGenerator', f, `featureMaps[${i}]`);
      if (f.ndim < 2) throw new ShapeError(`AnchorGenerator: featureMaps[${i}] must be [N, C, H, W], got shape ${fmtShape(f.shape)}`);
      const [gh, gw] = f.shape.slice(-2);
      if (gh === 0 || gw === 0) throw new ShapeError(`AnchorGenerator: featureMaps[${i}] has an empty grid ${fmtShape(f.shape)}`);
      return [gh, gw] as [number, number];
    });
    const strides = grids.map(([gh, gw]) => [Math.floor(ih / gh), Math.floor(iw / gw)] as [number, number]);
    const levels = this.gridAnchors(grids, strides, featureMaps[0].dtype, featureMaps[0].device);
    // a fresh tensor per image, as torchvision's per-image torch.cat
    return Array.from({ length: count }, () => (levels.length === 1 ? clone(levels[0]) : cat(levels, 0)));
  }

  /** Sizes and aspect ratios. */
  override extraRepr(): string {
    return `sizes=${JSON.stringify(this.sizes)}, aspectRatios=${JSON.stringify(this.aspectRatios)}`;
  }
}
