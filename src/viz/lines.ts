/**
 * Line charts: a generic one (named series of (x, y) points: learning-rate curves, regularization paths) and
 * the training curves of a fit (loss and each metric against epoch, train and validation in two colours).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { VegaLiteSpec } from './render.js';

/**
 * The colours series take, in order (Vega's "tableau10"): blue, orange, red, teal, green, yellow, purple,
 * pink, brown, grey. In training curves the train line is the first, the validation line the second.
 */
export const seriesColors: readonly string[] = Object.freeze([
  '#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac',
]);

/** One named series of a line chart: `x[i]`, `y[i]` pairs (same length); non-finite points are left out. */
export interface LineSeries {
  /** Legend entry of this series. */
  name: string;
  /** x coordinates. */
  x: ArrayLike<number>;
  /** y coordinates, one per x. */
  y: ArrayLike<number>;
}

/** Options of `lineChartSpec`. */
export interface LineChartOptions {
  /** Chart title (none by default). */
  title?: string;
  /** x-axis title (default 'x'). */
  xTitle?: string;
  /** y-axis title (default 'y'). */
  yTitle?: string;
  /** x scale (default 'linear'); 'log' leaves out points with x <= 0. */
  xScale?: 'linear' | 'log';
  /** y scale (default 'linear'); 'log' leaves out points with y <= 0. */
  yScale?: 'linear' | 'log';
  /** Plot area width in pixels (default 360). */
  width?: number;
  /** Plot area height in pixels (default 240). */
  height?: number;
  /** Mark each point with a dot (default: when no series has more than 50 points). */
  points?: boolean;
  /** Ticks of the x axis at whole numbers only, printed without decimals (epochs, steps; default false). */
  integerX?: boolean;
  /** Line colours, one per series (default `seriesColors`). */
  colors?: readonly string[];
}

interface Row {
  x: number;
  y: number;
  series: string;
}

function checkSize(fn: string, name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new ValueError(`${fn}: ${name} must be a positive number, got ${v}`);
  return v;
}

function seriesRows(fn: string, series: readonly LineSeries[], xLog: boolean, yLog: boolean): Row[] {
  const rows: Row[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new ShapeError(`${fn}: series '${s.name}' has ${s.x.length} x values but ${s.y.length} y values`);
    }
    for (let i = 0; i < s.x.length; i++) {
      const x = Number(s.x[i]);
      const y = Number(s.y[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || (xLog && x <= 0) || (yLog && y <= 0)) continue;
      rows.push({ x, y, series: s.name });
    }
  }
  return rows;
}

function checkSeriesNames(fn: string, names: readonly string[], colors: readonly string[]): void {
  if (names.length === 0) throw new ValueError(`${fn}: no series given`);
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string') throw new ValueError(`${fn}: series names must be strings, got ${typeof n}`);
    if (seen.has(n)) throw new ValueError(`${fn}: series name '${n}' is used twice`);
    seen.add(n);
  }
  if (colors.length < names.length) throw new ValueError(`${fn}: ${names.length} series but only ${colors.length} colours`);
}

/**
 * An x axis with ticks at whole numbers only: each integer of the data's range when there are at most 25 (Vega-Lite's
 * `tickMinStep` alone still puts ticks between them over a short range, and 'd' then prints 1.5 as 2), else a
 * minimum step of 1.
 */
function integerAxis(rows: readonly Row[]): Record<string, unknown> {
  const xs = rows.map((r) => r.x);
  const lo = Math.ceil(Math.min(...xs));
  const hi = Math.floor(Math.max(...xs));
  if (rows.length > 0 && hi - lo < 25) return { values: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i), format: 'd' };
  return { tickMinStep: 1, format: 'd' };
}

/** One line panel (a Vega-Lite unit spec) over rows {x, y, series}. */
function linePanel(rows: Row[], o: {
  xTitle: string; yTitle: string; xScale: 'linear' | 'log'; yScale: 'linear' | 'log'; width: number; height: number;
  points: boolean; domain: readonly string[]; range: readonly string[]; integerX?: boolean; title?: string;
}): Record<string, unknown> {
  return {
    ...(o.title !== undefined ? { title: o.title } : {}),
    width: o.width,
    height: o.height,
    data: { values: rows },
    mark: { type: 'line', point: o.points, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'x', type: 'quantitative', title: o.xTitle,
        scale: o.xScale === 'log' ? { type: 'log' } : { type: 'linear', zero: false },
        axis: o.integerX ? integerAxis(rows) : {},
      },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: o.yScale === 'log' ? { type: 'log' } : { type: 'linear', zero: false } },
      color: {
        field: 'series', type: 'nominal', title: null,
        scale: { domain: [...o.domain], range: [...o.range] },
        legend: { orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 3, labelFontSize: 12 },
      },
      order: { field: 'x', type: 'quantitative' },
      tooltip: [{ field: 'series', type: 'nominal' }, { field: 'x', type: 'quantitative' }, { field: 'y', type: 'quantitative' }],
    },
  };
}

/**
 * A line chart of named series against a shared x axis, each series its own colour with a legend entry.
 * Throws ShapeError when a series' x and y differ in length, ValueError for no series or a repeated name.
 */
export function lineChartSpec(series: readonly LineSeries[], opts: LineChartOptions = {}): VegaLiteSpec {
  const fn = 'lineChartSpec';
  if (!Array.isArray(series)) throw new ValueError(`${fn}: series must be an array of {name, x, y}, got ${typeof series}`);
  const colors = opts.colors ?? seriesColors;
  const names = series.map((s) => s.name);
  checkSeriesNames(fn, names, colors);
  const xScale = opts.xScale ?? 'linear';
  const yScale = opts.yScale ?? 'linear';
  const rows = seriesRows(fn, series, xScale === 'log', yScale === 'log');
  const longest = Math.max(...series.map((s) => s.x.length));
  const panel = linePanel(rows, {
    xTitle: opts.xTitle ?? 'x', yTitle: opts.yTitle ?? 'y', xScale, yScale,
    width: checkSize(fn, 'width', opts.width, 360), height: checkSize(fn, 'height', opts.height, 240),
    points: opts.points ?? longest <= 50, domain: names, range: colors.slice(0, names.length), title: opts.title,
    integerX: opts.integerX,
  });
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', ...panel } as unknown as VegaLiteSpec;
}

/**
 * One epoch of a training history: `epoch` (1-based; the record's position + 1 when absent), `loss`, and any
 * metrics (`accuracy`, …), each optionally with its validation twin `valLoss`, `valAccuracy` (or Keras-style
 * `val_loss`, `val_accuracy`). Missing or non-finite values leave a gap.
 */
export interface HistoryRecord {
  /** Epoch number. */
  epoch?: number;
  /** Training loss, validation loss and metric values by name; entries that are not numbers are ignored. */
  [key: string]: unknown;
}

/** Options of `trainingCurvesSpec`. */
export interface TrainingCurvesOptions {
  /**
   * Metrics to plot, one panel each after the loss panel. Default: every numeric key of the history other than
   * `epoch`, `loss`, the validation keys and bookkeeping keys (`lr`, `learningRate`, `time`, `seconds`,
   * `epochTime`, `samplesPerSecond`, `step`).
   */
  metrics?: readonly string[];
  /** Chart title (none by default). */
  title?: string;
  /** Width of each panel in pixels (default 300). */
  width?: number;
  /** Height of each panel in pixels (default 220). */
  height?: number;
}

const BOOKKEEPING = new Set(['epoch', 'loss', 'lr', 'learningrate', 'time', 'seconds', 'epochtime', 'samplespersecond', 'step', 'steps']);

function valKeyOf(history: readonly HistoryRecord[], key: string): string | undefined {
  const camel = `val${key[0].toUpperCase()}${key.slice(1)}`;
  const snake = `val_${key}`;
  if (history.some((r) => r[camel] !== undefined)) return camel;
  if (history.some((r) => r[snake] !== undefined)) return snake;
  return undefined;
}

function isValKey(k: string): boolean {
  return /^val_/.test(k) || /^val[A-Z0-9]/.test(k);
}

/** The labels train and validation lines carry in the legend of `trainingCurvesSpec`. */
export const splitNames = Object.freeze({ train: 'train', validation: 'validation' } as const);

/**
 * Training curves: a loss panel (train `loss`, validation `valLoss`) then one panel per metric (train and
 * validation), each against epoch; train and validation are two colours (`seriesColors[0]`, `[1]`) named in a
 * shared legend. Throws ValueError for an empty history, an unknown metric, or nothing to plot.
 */
export function trainingCurvesSpec(history: readonly HistoryRecord[], opts: TrainingCurvesOptions = {}): VegaLiteSpec {
  const fn = 'trainingCurvesSpec';
  if (!Array.isArray(history)) throw new ValueError(`${fn}: history must be an array of per-epoch records, got ${typeof history}`);
  if (history.length === 0) throw new ValueError(`${fn}: history is empty (no epoch records)`);
  const keys = new Set<string>();
  history.forEach((r, i) => {
    if (r === null || typeof r !== 'object') throw new ValueError(`${fn}: history[${i}] is not a record, got ${r === null ? 'null' : typeof r}`);
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') keys.add(k);
  });
  let metrics: string[];
  if (opts.metrics !== undefined) {
    metrics = [...opts.metrics];
    for (const m of metrics) {
      if (!keys.has(m) && valKeyOf(history, m) === undefined) {
        throw new ValueError(`${fn}: metric '${m}' is not in the history; its keys are ${[...keys].join(', ')}`);
      }
    }
  } else {
    metrics = [...keys].filter((k) => !BOOKKEEPING.has(k.toLowerCase()) && !isValKey(k));
  }
  const quantities = (keys.has('loss') || valKeyOf(history, 'loss') !== undefined ? ['loss'] : []).concat(metrics.filter((m) => m !== 'loss'));
  if (quantities.length === 0) {
    throw new ValueError(`${fn}: nothing to plot: the history has no 'loss' and no metric; its keys are ${[...keys].join(', ') || '(none)'}`);
  }
  const width = checkSize(fn, 'width', opts.width, 300);
  const height = checkSize(fn, 'height', opts.height, 220);
  const domain = [splitNames.train, splitNames.validation];
  const panels = quantities.map((q) => {
    const vk = valKeyOf(history, q);
    const rows: Row[] = [];
    history.forEach((r, i) => {
      const epoch = typeof r.epoch === 'number' ? r.epoch : i + 1;
      const tv = r[q];
      if (typeof tv === 'number' && Number.isFinite(tv)) rows.push({ x: epoch, y: tv, series: splitNames.train });
      const vv = vk === undefined ? undefined : r[vk];
      if (typeof vv === 'number' && Number.isFinite(vv)) rows.push({ x: epoch, y: vv, series: splitNames.validation });
    });
    return linePanel(rows, {
      xTitle: 'epoch', yTitle: q, xScale: 'linear', yScale: 'linear', width, height,
      points: history.length <= 50, domain, range: seriesColors.slice(0, 2), integerX: true,
    });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    hconcat: panels,
    spacing: 36,
    resolve: { scale: { color: 'shared' } },
  } as unknown as VegaLiteSpec;
}
