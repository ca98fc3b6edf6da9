/**
 * Hyper-parameter importances as a bar chart (Optuna's plot_param_importances): one horizontal bar per parameter,
 * most important on top, its share written at the end of the bar.
 * @module
 */
import { ValueError } from '../errors.js';
import { seriesColors } from './lines.js';
import type { VegaLiteSpec } from './render.js';

/** Options of `paramImportanceSpec`. */
export interface ParamImportanceOptions {
  /** Chart title (none by default). */
  title?: string;
  /** How the importances were assessed, for the axis title (default 'importance'). */
  method?: string;
  /** Plot area width in pixels (default 360). */
  width?: number;
}

/**
 * Bars of `importances` (parameter name -> importance >= 0, e.g. from `tune.getParamImportances`), sorted from the
 * most important down. ValueError for an empty record, a negative or non-finite importance, or a bad width.
 */
export function paramImportanceSpec(importances: Readonly<Record<string, number>>, opts: ParamImportanceOptions = {}): VegaLiteSpec {
  const fn = 'paramImportanceSpec';
  if (importances === null || typeof importances !== 'object' || Array.isArray(importances)) {
    throw new ValueError(`${fn}: importances must be a record of parameter name to importance, got ${importances === null ? 'null' : Array.isArray(importances) ? 'an array' : typeof importances}`);
  }
  const rows = Object.entries(importances).map(([param, importance]) => ({ param, importance, label: importance < 0.01 ? '<0.01' : importance.toFixed(2) }));
  if (rows.length === 0) throw new ValueError(`${fn}: no parameters to draw (importances is empty)`);
  const bad = rows.find((r) => !(Number.isFinite(r.importance) && r.importance >= 0));
  if (bad) throw new ValueError(`${fn}: importance of '${bad.param}' must be a finite number >= 0, got ${bad.importance}`);
  if (opts.width !== undefined && !(Number.isFinite(opts.width) && opts.width > 0)) throw new ValueError(`${fn}: width must be a positive number, got ${opts.width}`);
  rows.sort((a, b) => b.importance - a.importance);
  const max = Math.max(...rows.map((r) => r.importance));
  const y = { field: 'param', type: 'nominal', sort: rows.map((r) => r.param), title: null, axis: { labelFontSize: 12 } };
  const x = { field: 'importance', type: 'quantitative', title: opts.method ?? 'importance', scale: { domain: [0, Math.max(max * 1.15, 1e-9)] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: opts.width ?? 360, height: { step: 28 },
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', color: seriesColors[0], height: { band: 0.7 } }, encoding: { x, y, tooltip: [{ field: 'param' }, { field: 'importance', format: '.4f' }] } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as unknown as VegaLiteSpec;
}
