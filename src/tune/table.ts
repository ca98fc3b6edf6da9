/**
 * The trials table (Optuna's `trials_dataframe`): one row per trial with number, state, value, times and one
 * `params_<name>` column per parameter, as CSV or JSON.
 * @module
 */
import type { ParamValue } from './distributions.js';
import type { FrozenTrial, TrialState } from './storage.js';

/** One row of the trials table. */
export interface TrialRow {
  /** Trial number. */
  number: number;
  /** Trial state. */
  state: TrialState;
  /** Objective value (last intermediate value for pruned trials). */
  value: number | null;
  /** Start time, ISO 8601. */
  datetimeStart: string;
  /** End time, ISO 8601 (null while running). */
  datetimeComplete: string | null;
  /** Seconds from start to end (null while running). */
  duration: number | null;
  /** Parameters by name. */
  params: Record<string, ParamValue>;
}

/** The table rows of `trials`. */
export function trialsTable(trials: readonly FrozenTrial[]): TrialRow[] {
  return trials.map((t) => ({
    number: t.number, state: t.state, value: t.value, datetimeStart: new Date(t.datetimeStart).toISOString(),
    datetimeComplete: t.datetimeComplete === null ? null : new Date(t.datetimeComplete).toISOString(),
    duration: t.datetimeComplete === null ? null : (t.datetimeComplete - t.datetimeStart) / 1000, params: { ...t.params },
  }));
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV: a header, then one line per trial; parameters a trial lacks are empty cells. */
export function trialsToCsv(trials: readonly FrozenTrial[]): string {
  const rows = trialsTable(trials);
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].sort();
  const head = ['number', 'state', 'value', 'datetime_start', 'datetime_complete', 'duration', ...names.map((n) => `params_${n}`)];
  const lines = rows.map((r) => [r.number, r.state, r.value, r.datetimeStart, r.datetimeComplete, r.duration, ...names.map((n) => r.params[n])].map(csvCell).join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** The table as pretty-printed JSON (an array of rows, intermediate values by step included). */
export function trialsToJson(trials: readonly FrozenTrial[]): string {
  const rows = trialsTable(trials).map((r, i) => ({ ...r, intermediateValues: Object.fromEntries(trials[i].intermediateValues) }));
  return JSON.stringify(rows, null, 2) + '\n';
}
