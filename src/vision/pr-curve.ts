/**
 * Precision-recall curves of a VOC evaluation as a Vega-Lite line chart (built on viz's lineChartSpec): one line
 * per class, its AP in the legend; save it as PNG with `savePicture` from 'shendu/node'.
 * @module
 */
import { ValueError } from '../errors.js';
import { lineChartSpec, seriesColors, type LineSeries } from '../viz/lines.js';
import type { VegaLiteSpec } from '../viz/render.js';
import type { ClassEvaluation, VocEvaluation } from './detection-eval.js';

/** Options of `prCurveSpec`. */
export interface PrCurveOptions {
  /** Chart title (default: "precision-recall (mAP m)", m being the evaluation's mAP to three decimals). */
  title?: string;
  /** Side of the square plot in pixels (default 320). */
  size?: number;
  /** Class names by label, for the legend (default the labels themselves). */
  classNames?: ReadonlyMap<number | string, string> | readonly string[];
  /** Draw the precision envelope that all-point AP integrates (non-increasing in recall) instead of raw precision (default false). */
  envelope?: boolean;
}

function nameOf(c: ClassEvaluation, names: PrCurveOptions['classNames']): string {
  if (names === undefined) return String(c.label);
  if (Array.isArray(names)) return typeof c.label === 'number' && names[c.label] !== undefined ? names[c.label] : String(c.label);
  return (names as ReadonlyMap<number | string, string>).get(c.label) ?? String(c.label);
}

/** Precision per recall point, or its running maximum from the right (the envelope of all-point AP). */
function curve(c: ClassEvaluation, envelope: boolean): { x: number[]; y: number[] } {
  const x = [0, ...c.recall];
  const y = [c.precision.length > 0 ? c.precision[0] : 0, ...c.precision];
  if (envelope) for (let i = y.length - 2; i >= 0; i--) y[i] = Math.max(y[i], y[i + 1]);
  return { x, y };
}

/**
 * Precision (y, 0..1) against recall (x, 0..1) of every class of `evaluation` that has ground truth, each line
 * named "class (AP 0.812)", on a square plot.
 */
export function prCurveSpec(evaluation: VocEvaluation, opts: PrCurveOptions = {}): VegaLiteSpec {
  if (!evaluation || !Array.isArray(evaluation.classes)) throw new ValueError('prCurveSpec: evaluation must be the result of vocEvaluate');
  const shown = evaluation.classes.filter((c) => c.numPositives > 0);
  if (shown.length === 0) throw new ValueError('prCurveSpec: no class of the evaluation has ground truth to draw');
  const series: LineSeries[] = shown.map((c) => ({ name: `${nameOf(c, opts.classNames)} (AP ${c.ap.toFixed(3)})`, ...curve(c, opts.envelope ?? false) }));
  const size = opts.size ?? 320;
  const colors = shown.map((_, i) => seriesColors[i % seriesColors.length]);
  const spec = lineChartSpec(series, {
    title: opts.title ?? `precision-recall (mAP ${evaluation.mAP.toFixed(3)})`, xTitle: 'recall', yTitle: 'precision',
    width: size, height: size, points: false, colors,
  }) as unknown as Record<string, unknown>;
  const enc = spec.encoding as Record<string, Record<string, unknown>>;
  enc.x.scale = { domain: [0, 1] };
  enc.y.scale = { domain: [0, 1.02] };
  enc.color.legend = { ...(enc.color.legend as object), labelLimit: 400 };
  // precision drops at a fixed recall: draw points in ranking order, not sorted by x
  const values = (spec.data as { values: Record<string, unknown>[] }).values;
  values.forEach((row, i) => (row.rank = i));
  enc.order = { field: 'rank', type: 'quantitative' };
  return spec as unknown as VegaLiteSpec;
}
