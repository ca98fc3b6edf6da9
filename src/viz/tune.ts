/**
 * Pictures of a hyper-parameter search (Optuna's plot_optimization_history, plot_intermediate_values and
 * plot_slice): the objective value of every trial with the best so far, each trial's intermediate values by step
 * (pruned trials stop early, in their own colour), and the value against each parameter.
 * @module
 */
import { ValueError } from '../errors.js';
import { seriesColors } from './lines.js';
import type { VegaLiteSpec } from './render.js';

/** What the tune charts read of a trial (a `tune.FrozenTrial` is one). */
export interface TunePlotTrial {
  /** Trial number in its study. */
  readonly number: number;
  /** 'complete', 'pruned', 'fail' or 'running'. */
  readonly state: string;
  /** Final value (a pruned trial's last intermediate value), or null. */
  readonly value: number | null;
  /** Parameters by name. */
  readonly params: Readonly<Record<string, number | string | boolean | null>>;
  /** How each parameter was drawn; a float or int drawn with `log` gets a log axis. */
  readonly distributions?: Readonly<Record<string, { readonly kind: string; readonly log?: boolean }>>;
  /** Intermediate values by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
}

/** Options of the tune charts. */
export interface TunePlotOptions {
  /** Whether larger values are better ('maximize') or smaller (default 'minimize'). */
  direction?: 'minimize' | 'maximize';
  /** Axis title of the objective (default 'objective value'). */
  objectiveName?: string;
  /** Axis title of the intermediate values' steps (default 'step'; 'epoch' when trials report once per epoch). */
  stepName?: string;
  /** Values are multiplied by this before drawing, e.g. 100 for accuracy in percent (default 1). */
  valueScale?: number;
  /** Chart title (none by default). */
  title?: string;
  /** Plot area width in pixels (default 420; each slice panel 220). */
  width?: number;
  /** Plot area height in pixels (default 260; slice panels 200). */
  height?: number;
}

const STATE_COLORS: Record<string, string> = { complete: seriesColors[0], pruned: seriesColors[1], fail: seriesColors[9], running: seriesColors[3] };
const STATES = ['complete', 'pruned', 'fail', 'running'] as const;
const BEST = 'best so far';

/** An axis of whole numbers: every value labelled when there are few (Vega would otherwise repeat rounded labels). */
function integerAxis(values: readonly number[]): Record<string, unknown> {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct.length <= 12 ? { values: distinct, format: 'd' } : { tickMinStep: 1, format: 'd' };
}

/**
 * Checks what every tune picture takes: a non-empty array of trials and the shared options (valueScale, direction,
 * width, height); returns the value scale, whether larger is better and the objective's axis title.
 */
export function checkTunePlot(fn: string, trials: readonly unknown[], opts: TunePlotOptions): { scale: number; maximize: boolean; name: string } {
  if (!Array.isArray(trials)) throw new ValueError(`${fn}: trials must be an array of trials, got ${trials === null ? 'null' : typeof trials}`);
  if (trials.length === 0) throw new ValueError(`${fn}: no trials to draw (the study is empty)`);
  const scale = opts.valueScale ?? 1;
  if (!Number.isFinite(scale) || scale === 0) throw new ValueError(`${fn}: valueScale must be a finite non-zero number, got ${scale}`);
  const dir = opts.direction ?? 'minimize';
  if (dir !== 'minimize' && dir !== 'maximize') throw new ValueError(`${fn}: direction must be 'minimize' or 'maximize', got ${JSON.stringify(dir)}`);
  for (const s of ['width', 'height'] as const) {
    const v = opts[s];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ValueError(`${fn}: ${s} must be a positive number, got ${v}`);
  }
  return { scale, maximize: dir === 'maximize', name: opts.objectiveName ?? 'objective value' };
}

function stateScale(present: readonly string[], extra: readonly [string, string][] = []): Record<string, unknown> {
  const states = STATES.filter((s) => present.includes(s));
  return { domain: [...states, ...extra.map(([n]) => n)], range: [...states.map((s) => STATE_COLORS[s]), ...extra.map(([, c]) => c)] };
}

function top(spec: Record<string, unknown>, title: string | undefined): VegaLiteSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', ...(title !== undefined ? { title } : {}), ...spec } as unknown as VegaLiteSpec;
}

/**
 * Optimization history: each finished trial's value against its number (complete and pruned trials in their
 * colours) and a step line of the best complete value so far. ValueError for no trials or bad options.
 */
export function optimizationHistorySpec(trials: readonly TunePlotTrial[], opts: TunePlotOptions = {}): VegaLiteSpec {
  const { scale, maximize, name } = checkTunePlot('optimizationHistorySpec', trials, opts);
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  const points = sorted.filter((t) => t.value !== null && Number.isFinite(t.value)).map((t) => ({ trial: t.number, value: (t.value as number) * scale, series: t.state }));
  const best: { trial: number; value: number; series: string }[] = [];
  let b: number | null = null;
  for (const t of sorted) {
    if (t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && (b === null || (maximize ? t.value > b : t.value < b))) b = t.value;
    if (b !== null) best.push({ trial: t.number, value: b * scale, series: BEST });
  }
  const color = { field: 'series', type: 'nominal', title: null, scale: stateScale(points.map((p) => p.series), best.length ? [[BEST, seriesColors[2]]] : []), legend: { orient: 'right', labelFontSize: 12 } };
  const x = { field: 'trial', type: 'quantitative', title: 'trial', axis: integerAxis(sorted.map((t) => t.number)), scale: { zero: false } };
  const y = { field: 'value', type: 'quantitative', title: name, scale: { zero: false } };
  return top({
    width: opts.width ?? 420, height: opts.height ?? 260,
    layer: [
      { data: { values: best }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding: { x, y, color } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 60, opacity: 0.85 }, encoding: { x, y, color, tooltip: [{ field: 'trial' }, { field: 'value' }, { field: 'series', title: 'state' }] } },
    ],
  }, opts.title);
}

/**
 * Intermediate values: one line per trial of its reported values against step, coloured by the trial's state, so
 * pruned trials are the short orange lines. ValueError when no trial reported anything.
 */
export function intermediateValuesSpec(trials: readonly TunePlotTrial[], opts: TunePlotOptions = {}): VegaLiteSpec {
  const fn = 'intermediateValuesSpec';
  const { scale, name } = checkTunePlot(fn, trials, opts);
  const rows: { trial: number; step: number; value: number; state: string }[] = [];
  for (const t of trials) {
    for (const [step, v] of [...t.intermediateValues].sort((a, b) => a[0] - b[0])) {
      if (Number.isFinite(v)) rows.push({ trial: t.number, step, value: v * scale, state: t.state });
    }
  }
  if (rows.length === 0) throw new ValueError(`${fn}: no trial reported an intermediate value (call trial.report(value, step) in the objective)`);
  return top({
    width: opts.width ?? 420, height: opts.height ?? 260,
    data: { values: rows },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 1.5, opacity: 0.8 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: opts.stepName ?? 'step', axis: integerAxis(rows.map((r) => r.step)), scale: { zero: false } },
      y: { field: 'value', type: 'quantitative', title: name, scale: { zero: false } },
      color: { field: 'state', type: 'nominal', title: 'trial state', scale: stateScale(rows.map((r) => r.state)), legend: { orient: 'right', labelFontSize: 12 } },
      detail: { field: 'trial', type: 'nominal' },
      order: { field: 'step', type: 'quantitative' },
      tooltip: [{ field: 'trial' }, { field: 'step' }, { field: 'value' }, { field: 'state' }],
    },
  }, opts.title);
}

/**
 * Slice plot: one panel per parameter, the complete trials' values against that parameter (a log axis for
 * parameters drawn with `log`, categories for categorical ones), coloured by trial number so the sampler's drift is
 * visible. `params` picks and orders the panels (default: every parameter, sorted). ValueError when no trial is
 * complete or a named parameter was never drawn.
 */
export function sliceSpec(trials: readonly TunePlotTrial[], opts: TunePlotOptions & { params?: readonly string[] } = {}): VegaLiteSpec {
  const fn = 'sliceSpec';
  const { scale, name } = checkTunePlot(fn, trials, opts);
  const done = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  if (done.length === 0) throw new ValueError(`${fn}: no complete trial to draw`);
  const all = [...new Set(done.flatMap((t) => Object.keys(t.params)))].sort();
  const params = opts.params ? [...opts.params] : all;
  for (const p of params) if (!all.includes(p)) throw new ValueError(`${fn}: parameter '${p}' was not drawn by any complete trial; the parameters are ${all.join(', ') || 'none'}`);
  if (params.length === 0) throw new ValueError(`${fn}: the trials have no parameters to slice by`);
  const maxTrial = Math.max(...done.map((t) => t.number));
  const panels = params.map((p) => {
    const rows = done.filter((t) => t.params[p] !== undefined && t.params[p] !== null).map((t) => ({ trial: t.number, x: t.params[p], value: (t.value as number) * scale }));
    const dist = done.find((t) => t.distributions?.[p])?.distributions?.[p];
    const categorical = dist?.kind === 'categorical' || rows.some((r) => typeof r.x !== 'number');
    const xEnc = categorical
      ? { field: 'x', type: 'nominal', title: p, sort: null }
      : { field: 'x', type: 'quantitative', title: p, scale: dist?.log ? { type: 'log' } : { zero: false } };
    return {
      width: opts.width ?? 220, height: opts.height ?? 200,
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 55, opacity: 0.9 },
      encoding: {
        x: xEnc,
        y: { field: 'value', type: 'quantitative', title: name, scale: { zero: false } },
        color: { field: 'trial', type: 'quantitative', title: 'trial', scale: { scheme: 'viridis', domain: [0, Math.max(1, maxTrial)] } },
        tooltip: [{ field: 'trial' }, { field: 'x', title: p }, { field: 'value' }],
      },
    };
  });
  return top({ hconcat: panels, spacing: 24, resolve: { scale: { color: 'shared', y: 'shared' } } }, opts.title);
}
