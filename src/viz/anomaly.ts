/**
 * Pictures of anomaly detection, built on the line charts of lines.ts: the ROC curves of one or more detectors
 * (with the chance diagonal and each curve's AUC in its legend entry), and a timeline of a series above its
 * anomaly score, the threshold and the labelled events (shaded).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { lineChartSpec, seriesColors, type LineSeries } from './lines.js';
import type { VegaLiteSpec } from './render.js';

/** One ROC curve to draw: its points and a name (the legend adds the AUC when given). */
export interface RocCurveSeries {
  /** Legend name. */
  name: string;
  /** False-positive rates, increasing. */
  fpr: ArrayLike<number>;
  /** True-positive rates, one per fpr. */
  tpr: ArrayLike<number>;
  /** Area under the curve, shown as "name (AUC 0.912)". */
  auc?: number;
}

/**
 * ROC curves (true-positive rate against false-positive rate, both 0..1) with the chance diagonal in grey, on a
 * square plot of `size` pixels (default 300).
 */
export function rocCurveSpec(curves: readonly RocCurveSeries[], opts: { title?: string; size?: number } = {}): VegaLiteSpec {
  if (!Array.isArray(curves) || curves.length === 0) throw new ValueError('rocCurveSpec: curves must be a non-empty array of {name, fpr, tpr}');
  const series: LineSeries[] = curves.map((c) => ({ name: c.auc === undefined ? c.name : `${c.name} (AUC ${c.auc.toFixed(3)})`, x: c.fpr, y: c.tpr }));
  series.push({ name: 'chance', x: [0, 1], y: [0, 1] });
  const size = opts.size ?? 300;
  const spec = lineChartSpec(series, {
    title: opts.title, xTitle: 'false-positive rate', yTitle: 'true-positive rate', width: size, height: size, points: false,
    colors: [...seriesColors.slice(0, curves.length), '#bbbbbb'],
  }) as unknown as Record<string, unknown>;
  const enc = spec.encoding as Record<string, Record<string, unknown>>;
  enc.x.scale = { domain: [0, 1] };
  enc.y.scale = { domain: [0, 1] };
  enc.color.legend = { ...(enc.color.legend as object), labelLimit: 400 };
  return spec as unknown as VegaLiteSpec;
}

/** What `anomalyTimelineSpec` draws. */
export interface AnomalyTimeline {
  /** Time of each step (e.g. reading number). */
  x: ArrayLike<number>;
  /** Series drawn in the top panel, each with one y per x. */
  series: readonly { name: string; y: ArrayLike<number> }[];
  /** The anomaly score per step (NaN where there is none), drawn in the bottom panel. */
  score: ArrayLike<number>;
  /** The alarm threshold, a horizontal line in the score panel. */
  threshold?: number;
  /** 1 at labelled anomalous steps: their runs are shaded red in both panels. */
  labels?: ArrayLike<number>;
}

/**
 * Two panels over a shared time axis: the series (top) and the anomaly score with its threshold (bottom), the
 * labelled events shaded. Width `width` pixels (default 720), panel height 160.
 */
export function anomalyTimelineSpec(t: AnomalyTimeline, opts: { title?: string; width?: number; xTitle?: string; yTitle?: string } = {}): VegaLiteSpec {
  const fn = 'anomalyTimelineSpec';
  const n = t?.x?.length;
  if (typeof n !== 'number' || n === 0) throw new ValueError(`${fn}: x must be a non-empty array of times`);
  for (const [name, len] of [['score', t.score?.length], ...t.series.map((s) => [`series '${s.name}'`, s.y.length] as const), ...(t.labels ? [['labels', t.labels.length] as const] : [])] as const) {
    if (len !== n) throw new ShapeError(`${fn}: ${name} has ${len} values but x has ${n}`);
  }
  const width = opts.width ?? 720;
  const xTitle = opts.xTitle ?? 'step';
  const strip = (s: VegaLiteSpec) => {
    const { $schema: _s, background: _b, ...rest } = s as unknown as Record<string, unknown>;
    return rest;
  };
  const top = strip(lineChartSpec(t.series.map((s) => ({ name: s.name, x: t.x, y: s.y })), { xTitle, yTitle: opts.yTitle ?? 'value', width, height: 160, points: false }));
  const scoreSeries: LineSeries[] = [{ name: 'score', x: t.x, y: t.score }];
  if (t.threshold !== undefined) scoreSeries.push({ name: 'threshold', x: [t.x[0], t.x[n - 1]], y: [t.threshold, t.threshold] });
  const bottom = strip(lineChartSpec(scoreSeries, { xTitle, yTitle: 'anomaly score', width, height: 160, points: false, yScale: 'log', colors: ['#333333', '#e45756'] }));
  const events: { x0: number; x1: number }[] = [];
  if (t.labels) {
    for (let i = 0; i < n; i++) {
      if (t.labels[i] === 1 && (i === 0 || t.labels[i - 1] !== 1)) events.push({ x0: Number(t.x[i]), x1: Number(t.x[i]) });
      if (t.labels[i] === 1) events[events.length - 1].x1 = Number(t.x[i]);
    }
  }
  const shade = { data: { values: events }, mark: { type: 'rect', color: '#e45756', opacity: 0.25 }, encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' } } };
  const layered = (panel: Record<string, unknown>) => {
    const { width: _w, height: _h, ...unit } = panel;
    return events.length ? { width, height: 160, layer: [shade, unit] } : panel;
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    vconcat: [layered(top), layered(bottom)],
    resolve: { scale: { color: 'independent' } },
  } as unknown as VegaLiteSpec;
}
