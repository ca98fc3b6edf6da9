/**
 * Claim (chapter 5.2): the receptive field of a unit grows linearly with the depth of a stack of 3x3 convolutions,
 * multiplicatively with stride, and exponentially when the dilation doubles at every layer. For six stacks of depth
 * 1..8 (plain 3x3; stride 2 in the first layer only; stride 2 at every layer; dilation 2; dilation 4; dilation 1, 2,
 * 4, ... doubling) the receptive
 * field is computed analytically (r_l = r_{l-1} + (k - 1) d_l j_{l-1}, j_l = j_{l-1} s_l) and measured: the width of
 * the nonzero footprint of the gradient of the central output unit with respect to the input (autograd through
 * unpadded convolutions with all-ones kernels, so no two paths cancel).
 * Run: npm run build && node dist/examples/course/receptive-field.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, ones, type Tensor } from '../../src/index.js';
import { saveLineChart, savePicture } from '../../src/node/index.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

interface Layer { stride: number; dilation: number }
interface Stack { name: string; layers(depth: number): Layer[] }

const STACKS: Stack[] = [
  { name: 'plain 3x3', layers: (n) => Array.from({ length: n }, () => ({ stride: 1, dilation: 1 })) },
  { name: 'stride 2 first', layers: (n) => Array.from({ length: n }, (_, l) => ({ stride: l === 0 ? 2 : 1, dilation: 1 })) },
  { name: 'stride 2', layers: (n) => Array.from({ length: n }, () => ({ stride: 2, dilation: 1 })) },
  { name: 'dilation 2', layers: (n) => Array.from({ length: n }, () => ({ stride: 1, dilation: 2 })) },
  { name: 'dilation 4', layers: (n) => Array.from({ length: n }, () => ({ stride: 1, dilation: 4 })) },
  { name: 'dilation 1,2,4,...', layers: (n) => Array.from({ length: n }, (_, l) => ({ stride: 1, dilation: 2 ** l })) },
];
const K = 3;

/** Receptive field (in input pixels) and jump (input pixels between adjacent output units) of a stack. */
function analytic(layers: readonly Layer[]): { rf: number; jump: number } {
  let rf = 1;
  let jump = 1;
  for (const { stride, dilation } of layers) {
    rf += (K - 1) * dilation * jump;
    jump *= stride;
  }
  return { rf, jump };
}

/**
 * The gradient of the central output unit w.r.t. an input of side `rf + 2 jump` (so the output is 3x3 and its
 * centre exists), returned as a [side, side] array, with the side.
 */
function footprint(layers: readonly Layer[]): { grad: Float32Array | Float64Array; side: number } {
  const { rf, jump } = analytic(layers);
  const side = rf + 2 * jump;
  const x = ones([1, 1, side, side]);
  x.requiresGrad = true;
  const w = ones([1, 1, K, K]);
  let h: Tensor = x;
  for (const { stride, dilation } of layers) h = F.conv2d(h, w, null, { stride, dilation });
  const c = Math.floor(h.shape[2] / 2);
  h.narrow(2, c, 1).narrow(3, c, 1).sum().backward();
  return { grad: x.grad!.toTypedArray() as Float32Array, side };
}

/** Width and height of the bounding box of the nonzero entries, and their count. */
function extent(grad: ArrayLike<number>, side: number): { width: number; height: number; nonzero: number } {
  let r0 = side, r1 = -1, c0 = side, c1 = -1, nonzero = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (grad[r * side + c] === 0) continue;
      nonzero++;
      r0 = Math.min(r0, r); r1 = Math.max(r1, r); c0 = Math.min(c0, c); c1 = Math.max(c1, c);
    }
  }
  return { width: c1 - c0 + 1, height: r1 - r0 + 1, nonzero };
}

export const experiment: Experiment = {
  name: 'receptive-field',
  chapter: '5.2 Convolutional layers: receptive field',
  claim: 'A unit\'s receptive field grows linearly with the depth of a 3x3 conv stack, multiplicatively with stride, and exponentially with doubling dilation.',
  async run({ quick, outDir }) {
    const maxDepth = quick ? 6 : 8;
    const depths = Array.from({ length: maxDepth }, (_, i) => i + 1);
    const analyticRf: Record<string, number[]> = {};
    const measuredRf: Record<string, number[]> = {};
    const nonzero: Record<string, number[]> = {};
    const shown = 3;
    const panels: { stack: string; u: number; v: number; g: number }[] = [];
    const window = 29;
    let agree = true;
    for (const s of STACKS) {
      analyticRf[s.name] = [];
      measuredRf[s.name] = [];
      nonzero[s.name] = [];
      for (const d of depths) {
        const layers = s.layers(d);
        const { grad, side } = footprint(layers);
        const e = extent(grad, side);
        const a = analytic(layers).rf;
        analyticRf[s.name].push(a);
        measuredRf[s.name].push(e.width);
        nonzero[s.name].push(e.nonzero);
        agree &&= e.width === a && e.height === a;
        if (d === shown) {
          // The footprint around the input pixel under the central output unit, scaled to its own maximum.
          let peak = 0;
          for (let i = 0; i < grad.length; i++) peak = Math.max(peak, grad[i]);
          const centre = Math.floor(side / 2);
          const half = (window - 1) / 2;
          for (let r = -half; r <= half; r++) {
            for (let c = -half; c <= half; c++) {
              const rr = centre + r, cc = centre + c;
              const g = rr >= 0 && rr < side && cc >= 0 && cc < side ? grad[rr * side + cc] / peak : 0;
              panels.push({ stack: s.name, u: c, v: -r, g });
            }
          }
        }
      }
    }
    await saveLineChart(STACKS.map((s) => ({ name: s.name, x: depths, y: measuredRf[s.name] })), join(outDir, 'receptive-field-growth'), {
      title: 'Receptive field vs depth (autograd = analytic; stride 2 = dilation 1,2,4,...)', width: 440, xTitle: 'number of 3x3 conv layers', yTitle: 'receptive field (input pixels)', yScale: 'log',
    });
    await savePicture({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: `Gradient of the central output unit w.r.t. the input, ${shown} conv layers (relative magnitude)`,
      data: { values: panels },
      facet: { field: 'stack', type: 'nominal', title: null, sort: STACKS.map((s) => s.name) },
      columns: 3,
      spec: {
        width: 150, height: 150,
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'u', type: 'ordinal', axis: null },
          y: { field: 'v', type: 'ordinal', axis: null, sort: 'descending' },
          color: { field: 'g', type: 'quantitative', scale: { domain: [0, 1], scheme: 'viridis' }, title: 'd out / d x' },
        },
      },
    }, join(outDir, 'receptive-field-footprints'));

    // Growth per added layer: constant for fixed dilation d (2d), doubling for stride 2 and for doubling dilation.
    const steps = (xs: number[]) => xs.slice(1).map((v, i) => v - xs[i]);
    const constant = (xs: number[], d: number) => steps(xs).every((g) => g === 2 * d);
    const doubling = (xs: number[]) => steps(xs).every((g, i, gs) => i === 0 || g === 2 * gs[i - 1]);
    const m = measuredRf;
    const holds = agree && constant(m['plain 3x3'], 1) && constant(m['dilation 2'], 2) && constant(m['dilation 4'], 4) && constant(m['stride 2 first'], 2)
      && doubling(m['stride 2']) && doubling(m['dilation 1,2,4,...']);
    const last = maxDepth - 1;
    return {
      numbers: { depths, analytic: analyticRf, measured: measuredRf, nonzeroInputs: nonzero, analyticEqualsMeasured: agree },
      figures: [
        { file: 'receptive-field-growth.png', caption: 'Receptive field against depth (log scale): linear growth for fixed dilation (slope 2d) and for one stride-2 layer (slope doubled), exponential for stride 2 at every layer and for doubling dilation (the two coincide).' },
        { file: 'receptive-field-footprints.png', caption: `Nonzero footprint of the central output unit's input gradient after ${shown} layers: dilation leaves holes, stride and doubling dilation widen it fastest.` },
      ],
      holds,
      finding: `Analytic and autograd-measured receptive fields ${agree ? 'agree exactly' : 'DISAGREE'} for all ${STACKS.length} stacks at depths 1-${maxDepth}. At depth ${maxDepth}: plain 3x3 ${m['plain 3x3'][last]} (2L+1), one stride-2 layer first ${m['stride 2 first'][last]} (4L-1: every later layer adds twice as much), dilation 2 ${m['dilation 2'][last]}, dilation 4 ${m['dilation 4'][last]} (linear, 2d per layer), stride 2 at every layer ${m['stride 2'][last]} and doubling dilation ${m['dilation 1,2,4,...'][last]} (2^(L+1)-1, the growth per layer doubling); doubling dilation's footprint has ${nonzero['dilation 1,2,4,...'][last]} of ${m['dilation 1,2,4,...'][last] ** 2} pixels nonzero, dilation 4's ${nonzero['dilation 4'][last]} of ${m['dilation 4'][last] ** 2}.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
