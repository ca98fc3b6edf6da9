/**
 * The 2-D test functions of the optimizers experiment and the paths the optimizers take on them: each function is
 * the mean of N per-example functions (shifted copies), so that GD uses all N, mini-batch a few and SGD one per
 * step, while the other optimizers follow the exact gradient. The gradient is computed in closed form and handed to
 * the library's optimizers through `param.grad`, so a path costs only the optimizer's own arithmetic.
 * @module
 */
import { Generator, nn, tensor, type optim } from '../../src/index.js';
import { savePicture } from '../../src/node/index.js';

/** A 2-D objective as a mean over per-example shifts. */
export interface Objective2d {
  /** Name in titles. */
  name: string;
  /** The full objective at (x, y), minus its minimum (so that 0 is the best). */
  f(x: number, y: number): number;
  /** The gradient of the mean over the examples `batch` (indices into the shifts) at (x, y). */
  grad(x: number, y: number, batch: readonly number[]): [number, number];
  /** Number of per-example functions. */
  n: number;
  /** Where every path starts. */
  start: [number, number];
  /** The drawn box: [xMin, xMax, yMin, yMax]. */
  box: [number, number, number, number];
}

/** `n` draws of N(0, sd²), shifted to mean exactly 0 so that the full objective's minimum stays where it is. */
function centredNoise(n: number, sd: number, g: Generator): number[] {
  const z = Array.from({ length: n }, () => sd * g.normal());
  const m = z.reduce((a, b) => a + b, 0) / n;
  return z.map((v) => v - m);
}

/** f = ½(x² + κy²) averaged over examples whose minimum is shifted by N(0, sd²) in each coordinate. */
export function quadratic(kappa: number, n = 100, seed = 0, sd = 0.05): Objective2d {
  const g = new Generator(seed);
  const cx = centredNoise(n, sd, g);
  const cy = centredNoise(n, sd, g);
  return {
    name: `ill-conditioned quadratic ½(x² + ${kappa}y²)`,
    f: (x, y) => 0.5 * (x * x + kappa * y * y),
    grad: (x, y, b) => {
      let gx = 0; let gy = 0;
      for (const i of b) { gx += x - cx[i]; gy += kappa * (y - cy[i]); }
      return [gx / b.length, gy / b.length];
    },
    n, start: [-4.5, 1.5], box: [-5, 1, -2, 2],
  };
}

/** Rosenbrock (a − x)² + 100(y − x²)² with a = 1 + N(0, 0.3²) per example; the mean has its minimum at (1, 1). */
export function rosenbrock(n = 100, seed = 0): Objective2d {
  const a = centredNoise(n, 0.3, new Generator(seed)).map((v) => 1 + v);
  return {
    name: 'Rosenbrock (1 − x)² + 100(y − x²)²',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y, b) => {
      let ab = 0;
      for (const i of b) ab += a[i];
      ab /= b.length;
      return [-2 * (ab - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
    },
    n, start: [-1.5, 2], box: [-2, 2, -1, 3],
  };
}

/** How an optimizer sees the objective: all examples, a mini-batch of this size, or one example per step. */
export type GradientKind = 'full' | number;

/** Runs `steps` steps of the optimizer made by `make` from the objective's start; returns the visited points. */
export function path(obj: Objective2d, make: (p: nn.Parameter[]) => optim.Optimizer, steps: number, kind: GradientKind, seed = 1): [number, number][] {
  const p = new nn.Parameter(tensor(obj.start, { dtype: 'float64' }));
  const opt = make([p]);
  const g = new Generator(seed);
  const all = Array.from({ length: obj.n }, (_, i) => i);
  const pts: [number, number][] = [[obj.start[0], obj.start[1]]];
  for (let s = 0; s < steps; s++) {
    const [x, y] = pts[pts.length - 1];
    const batch = kind === 'full' ? all : Array.from({ length: kind }, () => g.randint(0, obj.n));
    const [gx, gy] = obj.grad(x, y, batch);
    p.grad = tensor([gx, gy], { dtype: 'float64' });
    opt.step();
    const w = p.toTypedArray();
    // a diverged path stops where it left the finite numbers
    if (!Number.isFinite(w[0]) || !Number.isFinite(w[1])) break;
    pts.push([w[0], w[1]]);
  }
  return pts;
}

/** One small panel per optimizer: the objective in log-scaled grey levels and the path in colour, clipped to the box. */
export async function savePaths(obj: Objective2d, paths: Record<string, [number, number][]>, colors: readonly string[], file: string): Promise<void> {
  const [x0, x1, y0, y1] = obj.box;
  const cells: { u: number; v: number; level: number }[] = [];
  const res = 60;
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const u = x0 + ((x1 - x0) * (j + 0.5)) / res;
      const v = y0 + ((y1 - y0) * (i + 0.5)) / res;
      cells.push({ u, v, level: Math.log10(obj.f(u, v) + 1e-3) });
    }
  }
  const q = 'quantitative' as const;
  const width = 200;
  const panel = (name: string, k: number) => {
    const pts = paths[name];
    const last = pts[pts.length - 1];
    return {
      title: { text: `${name}: f − f* = ${obj.f(last[0], last[1]).toPrecision(2)}`, fontSize: 11 },
      width, height: width * (y1 - y0) / (x1 - x0),
      layer: [
        { data: { values: cells }, mark: { type: 'rect' as const },
          encoding: { x: { field: 'u', type: q, bin: { maxbins: res, extent: [x0, x1] }, title: null, axis: { tickCount: 4, labelFlush: true } },
            y: { field: 'v', type: q, bin: { maxbins: res, extent: [y0, y1] }, title: null, axis: { tickCount: 4 } },
            fill: { field: 'level', type: q, scale: { scheme: 'greys', reverse: true }, legend: null } } },
        { data: { values: pts.map(([u, v], step) => ({ u, v, step })) }, mark: { type: 'line' as const, clip: true, strokeWidth: 1.5, color: colors[k % colors.length] },
          encoding: { x: { field: 'u', type: q, scale: { domain: [x0, x1] } }, y: { field: 'v', type: q, scale: { domain: [y0, y1] } }, order: { field: 'step', type: q } } },
        { data: { values: [{ u: obj.start[0], v: obj.start[1] }, { u: last[0], v: last[1] }].map((p, i) => ({ ...p, end: i === 0 ? 'start' : 'end' })) },
          mark: { type: 'point' as const, filled: true, size: 40, clip: true, color: 'white', stroke: 'black', strokeWidth: 0.8 },
          encoding: { x: { field: 'u', type: q }, y: { field: 'v', type: q }, shape: { field: 'end', type: 'nominal' as const, legend: null } } },
      ],
    };
  };
  await savePicture({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: obj.name,
    columns: 5,
    concat: Object.keys(paths).map(panel),
  }, file);
}
