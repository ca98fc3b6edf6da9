/**
 * Pictures of a generative model's latent space (the course's chapter 10): a 2-D latent scatter coloured by class,
 * and the latent codes of two standard pictures that a decoder turns into images — straight-line interpolations
 * between pairs of codes, and traversals that sweep one latent dimension at a time with the others fixed (how a
 * beta-VAE's disentangled factors are shown, Higgins et al. 2017). Decode the codes with the model and draw them
 * with `imageGridPng` or `imageGridSpec`, one row per pair or per dimension.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { seriesColors } from './lines.js';
import type { VegaLiteSpec } from './render.js';

/** Options of `latentScatterSpec`. */
export interface LatentScatterOptions {
  /** Class names, index = label (default the label numbers). */
  classes?: readonly string[];
  /** Chart title (none by default). */
  title?: string;
  /** x-axis title (default 'z1'). */
  xTitle?: string;
  /** y-axis title (default 'z2'). */
  yTitle?: string;
  /** Width and height of the square plot area in pixels (default 400). */
  size?: number;
  /** Dot area in square pixels (default 8). */
  pointSize?: number;
  /** Dot opacity (default 0.6). */
  opacity?: number;
}

function checkCodes(fn: string, name: string, t: unknown, ndim: number): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${fn}: ${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.ndim !== ndim || t.shape.some((s) => s < 1)) {
    throw new ShapeError(`${fn}: ${name} must be ${ndim === 1 ? 'one code [D]' : 'codes [N, D]'} with no empty dimension, got shape ${fmtShape(t.shape)}`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new ValueError(`${fn}: ${name} must be float32 or float64 codes, got dtype ${t.dtype}`);
  return t;
}

function checkSteps(fn: string, steps: unknown, min: number): number {
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < min) throw new ValueError(`${fn}: steps must be an integer >= ${min}, got ${String(steps)}`);
  return steps;
}

/**
 * A scatter plot of 2-D latent codes `points` [N, 2] (e.g. a VAE's posterior means of test images), each dot
 * coloured by its class `labels[i]` (integers in [0, 10): Vega's tableau10 colours, one legend entry per class
 * present). Throws ShapeError when points is not [N, 2] or labels has another length, ValueError for a label that
 * is not an integer in [0, 10) or a class without a name.
 */
export function latentScatterSpec(points: Tensor, labels: ArrayLike<number>, opts: LatentScatterOptions = {}): VegaLiteSpec {
  const fn = 'latentScatterSpec';
  const p = checkCodes(fn, 'points', points, 2);
  if (p.shape[1] !== 2) throw new ShapeError(`${fn}: points must be 2-D codes [N, 2], got shape ${fmtShape(p.shape)}; project longer codes to 2-D first (e.g. PCA)`);
  const n = p.shape[0];
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new ValueError(`${fn}: labels must be an array of class indices, got ${labels === null ? 'null' : typeof labels}`);
  if (labels.length !== n) throw new ShapeError(`${fn}: ${labels.length} labels for ${n} points; give one per point`);
  const k = seriesColors.length;
  const used = new Set<number>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new ValueError(`${fn}: labels must be class indices in [0, ${k - 1}] (one colour each), got ${c} at index ${i}`);
    used.add(c);
  }
  const classes = opts.classes;
  const name = (c: number): string => {
    if (classes === undefined) return String(c);
    if (classes[c] === undefined) throw new ValueError(`${fn}: class ${c} has no name (classes has ${classes.length})`);
    return classes[c];
  };
  const present = [...used].sort((a, b) => a - b);
  const domain = present.map(name);
  const xy = p.toTypedArray();
  const rows = Array.from({ length: n }, (_, i) => ({ x: Number(xy[2 * i]), y: Number(xy[2 * i + 1]), label: name(labels[i]) }));
  const size = opts.size ?? 400;
  if (!(size > 0)) throw new ValueError(`${fn}: size must be a positive number, got ${size}`);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: size,
    height: size,
    data: { values: rows },
    mark: { type: 'circle', size: opts.pointSize ?? 8, opacity: opts.opacity ?? 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'z1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'z2', scale: { zero: false } },
      color: {
        field: 'label', type: 'nominal', title: 'class',
        scale: { domain, range: present.map((c) => seriesColors[c]) },
        legend: { orient: 'right', symbolOpacity: 1, symbolSize: 80, labelFontSize: 12 },
      },
    },
  } as unknown as VegaLiteSpec;
}

/**
 * Codes on the straight lines between `a` [K, D] and `b` [K, D], `steps` per pair with both ends included:
 * [K * steps, D], row k * steps + j = a[k] + (j / (steps - 1)) (b[k] - a[k]). Decoded with nrow = steps, each row
 * of the grid morphs a[k] into b[k]. Throws ShapeError when a and b differ in shape, ValueError for steps < 2.
 */
export function interpolateLatents(a: Tensor, b: Tensor, steps: number): Tensor {
  const fn = 'interpolateLatents';
  checkCodes(fn, 'a', a, 2);
  checkCodes(fn, 'b', b, 2);
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) throw new ShapeError(`${fn}: a and b must have the same shape [K, D], got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  checkSteps(fn, steps, 2);
  const [k, d] = a.shape;
  const av = a.toTypedArray();
  const bv = b.toTypedArray();
  const out = new Float64Array(k * steps * d);
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < steps; j++) {
      const t = j / (steps - 1);
      for (let i = 0; i < d; i++) out[(p * steps + j) * d + i] = (1 - t) * Number(av[p * d + i]) + t * Number(bv[p * d + i]);
    }
  }
  return tensor(out, { shape: [k * steps, d], dtype: a.dtype });
}

/** Options of `traverseLatents`. */
export interface TraverseLatentsOptions {
  /** The dimensions swept, one row each (default all, 0 to D-1). */
  dims?: readonly number[];
  /** The interval each is swept over (default [-3, 3], three prior standard deviations). */
  range?: readonly [number, number];
  /** Values per row, evenly spaced with both ends included (default 10). */
  steps?: number;
}

/**
 * A latent traversal: row r sweeps dimension `dims[r]` of the code `base` [D] over `range` in `steps` evenly
 * spaced values, every other dimension kept at its value in base. Returns codes [dims.length * steps, D]; decoded
 * with nrow = steps, a disentangled dimension changes one factor of the image along its row. Throws ShapeError
 * for a base that is not [D], ValueError for a dimension out of [0, D), an empty range or steps < 2.
 */
export function traverseLatents(base: Tensor, opts: TraverseLatentsOptions = {}): Tensor {
  const fn = 'traverseLatents';
  checkCodes(fn, 'base', base, 1);
  const d = base.shape[0];
  const dims = opts.dims ?? Array.from({ length: d }, (_, i) => i);
  if (!Array.isArray(dims) || dims.length === 0) throw new ValueError(`${fn}: dims must be a non-empty array of dimensions in [0, ${d - 1}], got ${JSON.stringify(dims)}`);
  dims.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= d) throw new ValueError(`${fn}: dims must be dimensions in [0, ${d - 1}] (the code has ${d}), got ${v} at index ${i}`);
  });
  const [lo, hi] = opts.range ?? [-3, 3];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new ValueError(`${fn}: range must be two finite numbers [low, high] with low < high, got [${lo}, ${hi}]`);
  const steps = checkSteps(fn, opts.steps ?? 10, 2);
  const bv = Array.from(base.toTypedArray(), Number);
  const out = new Float64Array(dims.length * steps * d);
  dims.forEach((dim, r) => {
    for (let j = 0; j < steps; j++) {
      const row = (r * steps + j) * d;
      for (let i = 0; i < d; i++) out[row + i] = bv[i];
      out[row + dim] = lo + ((hi - lo) * j) / (steps - 1);
    }
  });
  return tensor(out, { shape: [dims.length * steps, d], dtype: base.dtype });
}
