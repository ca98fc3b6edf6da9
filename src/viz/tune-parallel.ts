/**
 * Parallel coordinates of a hyper-parameter search (Optuna's plot_parallel_coordinate): one vertical axis for the
 * objective and one per parameter, one polyline per complete trial through its values, coloured by its objective
 * value. Each axis spans the values the trials took; a parameter drawn with `log` gets a log axis (ticks at powers
 * of ten), a categorical one its choices evenly spaced. Positions are computed here, so every axis has its own
 * scale; Vega-Lite only draws lines, axis rules and tick labels.
 * @module
 */
import { ValueError } from '../errors.js';
import type { VegaLiteSpec } from './render.js';
import { checkTunePlot, type TunePlotOptions, type TunePlotTrial } from './tune.js';

/** A trial as the parallel-coordinates chart reads it: a `TunePlotTrial` whose categorical distributions may list their choices (a `tune.FrozenTrial` is one). */
export interface ParallelCoordinateTrial extends Omit<TunePlotTrial, 'distributions'> {
  /** How each parameter was drawn: `log` gives a log axis; a categorical's `choices` fix the order of its axis. */
  readonly distributions?: Readonly<Record<string, { readonly kind: string; readonly log?: boolean; readonly choices?: readonly unknown[] }>>;
}

/** Options of `parallelCoordinateSpec`. */
export interface ParallelCoordinateOptions extends TunePlotOptions {
  /** The parameter axes, in order (default: every parameter of the complete trials, sorted by name). */
  params?: readonly string[];
}

interface Axis {
  name: string;
  pos: (v: unknown) => number;
  ticks: { pos: number; label: string }[];
}

/** A short label: three significant digits, exponent form for very small or large magnitudes. */
function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

function niceStep(range: number, count: number): number {
  const raw = range / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function numericAxis(name: string, values: readonly number[], log: boolean, integer: boolean): Axis {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi) return { name, pos: () => 0.5, ticks: [{ pos: 0.5, label: fmt(lo) }] };
  if (log) {
    const [a, b] = [Math.log(lo), Math.log(hi)];
    const pos = (v: unknown): number => (Math.log(v as number) - a) / (b - a);
    const ticks: { pos: number; label: string }[] = [];
    for (let k = Math.ceil(Math.log10(lo) - 1e-9); k <= Math.floor(Math.log10(hi) + 1e-9); k++) ticks.push({ pos: pos(10 ** k), label: fmt(10 ** k) });
    // fewer than two decades inside the range: label its ends instead
    if (ticks.length < 2) return { name, pos, ticks: [{ pos: 0, label: fmt(lo) }, { pos: 1, label: fmt(hi) }] };
    return { name, pos, ticks };
  }
  const pos = (v: unknown): number => ((v as number) - lo) / (hi - lo);
  const step = Math.max(niceStep(hi - lo, 4), integer ? 1 : 0);
  const ticks: { pos: number; label: string }[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push({ pos: Math.min(1, Math.max(0, pos(v))), label: fmt(Number(v.toPrecision(12))) });
  return { name, pos, ticks };
}

function categoricalAxis(name: string, values: readonly unknown[], choices: readonly unknown[] | undefined): Axis {
  const seen = [...new Set(values)];
  // the distribution's order where known, else the order the trials took them
  const order = choices ? choices.filter((c) => seen.includes(c)) : seen;
  const at = (v: unknown): number => (order.length === 1 ? 0.5 : order.indexOf(v) / (order.length - 1));
  return { name, pos: at, ticks: order.map((c) => ({ pos: at(c), label: String(c) })) };
}

/**
 * Parallel coordinates of the complete trials: the objective's axis first, then one per parameter. A trial that
 * lacks a parameter (a conditional one) leaves that axis out of its line. ValueError for no trials, no complete
 * trial, no parameters, a parameter never drawn, or bad options.
 */
export function parallelCoordinateSpec(trials: readonly ParallelCoordinateTrial[], opts: ParallelCoordinateOptions = {}): VegaLiteSpec {
  const fn = 'parallelCoordinateSpec';
  const { scale, maximize, name: objective } = checkTunePlot(fn, trials, opts);
  const done = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  if (done.length === 0) throw new ValueError(`${fn}: no complete trial to draw`);
  const all = [...new Set(done.flatMap((t) => Object.keys(t.params)))].sort();
  const params = opts.params ? [...opts.params] : all;
  for (const p of params) if (!all.includes(p)) throw new ValueError(`${fn}: parameter '${p}' was not drawn by any complete trial; the parameters are ${all.join(', ') || 'none'}`);
  if (params.length === 0) throw new ValueError(`${fn}: the trials have no parameters to draw`);
  const axes: Axis[] = [numericAxis(objective, done.map((t) => (t.value as number) * scale), false, false)];
  for (const p of params) {
    const having = done.filter((t) => t.params[p] !== undefined && t.params[p] !== null);
    const dist = having.find((t) => t.distributions?.[p])?.distributions?.[p];
    const values = having.map((t) => t.params[p]);
    const categorical = dist?.kind === 'categorical' || values.some((v) => typeof v !== 'number');
    axes.push(categorical ? categoricalAxis(p, values, dist?.choices)
      : numericAxis(p, values as number[], Boolean(dist?.log) && (values as number[]).every((v) => v > 0), dist?.kind === 'int'));
  }
  const lines: { trial: number; axis: string; pos: number; value: number }[] = [];
  for (const t of done) {
    const value = (t.value as number) * scale;
    lines.push({ trial: t.number, axis: objective, pos: axes[0].pos(value), value });
    params.forEach((p, k) => {
      const v = t.params[p];
      if (v !== undefined && v !== null) lines.push({ trial: t.number, axis: p, pos: axes[k + 1].pos(v), value });
    });
  }
  const names = axes.map((a) => a.name);
  const x = { field: 'axis', type: 'nominal', sort: names, scale: { type: 'point', padding: 0.25 }, axis: { title: null, orient: 'bottom', labelAngle: 0, labelFontSize: 12, labelFontWeight: 'bold', labelLimit: 300, domain: false, ticks: false, labelPadding: 8 } };
  const y = { field: 'pos', type: 'quantitative', scale: { domain: [0, 1] }, axis: null };
  const ticks = axes.flatMap((a) => a.ticks.map((t) => ({ axis: a.name, pos: t.pos, label: t.label })));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: opts.width ?? Math.max(420, 150 * axes.length), height: opts.height ?? 300, config: { view: { stroke: null } },
    layer: [
      { data: { values: axes.map((a) => ({ axis: a.name, lo: 0, hi: 1 })) }, mark: { type: 'rule', color: '#888', strokeWidth: 1 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
      {
        data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5, opacity: 0.75 },
        encoding: {
          x, y, detail: { field: 'trial', type: 'nominal' },
          color: { field: 'value', type: 'quantitative', title: objective, scale: { scheme: 'viridis', reverse: !maximize }, legend: { orient: 'right', gradientLength: 200, titleLimit: 300 } },
          tooltip: [{ field: 'trial' }, { field: 'value', title: objective }],
        },
      },
      { data: { values: ticks }, mark: { type: 'tick', orient: 'horizontal', size: 7, thickness: 1, color: '#444' }, encoding: { x, y } },
      // a white halo under each label keeps it readable where lines cross it
      { data: { values: ticks }, mark: { type: 'text', align: 'right', baseline: 'middle', dx: -6, fontSize: 10, color: 'white', stroke: 'white', strokeWidth: 3, strokeJoin: 'round' }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: ticks }, mark: { type: 'text', align: 'right', baseline: 'middle', dx: -6, fontSize: 10, color: '#222' }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
  return spec as unknown as VegaLiteSpec;
}
