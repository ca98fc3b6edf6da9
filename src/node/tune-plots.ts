/**
 * A study's pictures on disk (`shendu tune --out DIR`, the tuning examples): optimization history, intermediate
 * values, parameter slices, parallel coordinates and parameter importance (fANOVA) as PNG (and SVG), drawn by the
 * `viz` tune charts.
 * @module
 */
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { getParamImportances } from '../tune/importance/evaluator.js';
import type { FrozenTrial } from '../tune/storage.js';
import { paramImportanceSpec } from '../viz/tune-importance.js';
import { parallelCoordinateSpec } from '../viz/tune-parallel.js';
import { intermediateValuesSpec, optimizationHistorySpec, sliceSpec, type TunePlotOptions } from '../viz/tune.js';
import { savePicture, type SavedPicture } from './pictures.js';

/** Options of `saveTunePlots`. */
export interface SaveTunePlotsOptions extends TunePlotOptions {
  /** Importances to draw (null: no importance picture; default: `studyImportances(trials)`). */
  importances?: Readonly<Record<string, number>> | null;
}

/**
 * fANOVA importances of the complete trials' parameters (`tune.getParamImportances`, seed 0), or null where they
 * cannot be assessed: fewer than two complete trials, or values the forest cannot explain (all equal).
 */
export function studyImportances(trials: readonly FrozenTrial[]): Record<string, number> | null {
  const complete = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && Object.keys(t.params).length > 0);
  if (complete.length < 2 || new Set(complete.map((t) => t.value)).size < 2) return null;
  try {
    return getParamImportances(complete);
  } catch (e) {
    // no shared parameter, or no variance the forest can explain (e.g. equal parameters with different values)
    if (e instanceof ValueError) return null;
    throw e;
  }
}

/**
 * Writes into `dir`: `history.png`; `intermediate.png` when some trial reported a value; `slices.png` and
 * `parallel.png` when some trial completed with parameters; `importance.png` when importances are known (see
 * `studyImportances`). Returns what was written. ValueError (from the charts) when there is no trial at all.
 */
export async function saveTunePlots(trials: readonly FrozenTrial[], dir: string, opts: SaveTunePlotsOptions = {}): Promise<SavedPicture[]> {
  const { importances: given, ...plot } = opts;
  const saved = [await savePicture(optimizationHistorySpec(trials, { title: 'optimization history', ...plot }), join(dir, 'history'))];
  if (trials.some((t) => t.intermediateValues.size > 0)) {
    saved.push(await savePicture(intermediateValuesSpec(trials, { title: 'intermediate values (pruned trials stop early)', ...plot }), join(dir, 'intermediate')));
  }
  if (trials.some((t) => t.state === 'complete' && t.value !== null && Object.keys(t.params).length > 0)) {
    saved.push(await savePicture(sliceSpec(trials, { title: 'parameter slices (complete trials)', ...plot }), join(dir, 'slices')));
    saved.push(await savePicture(parallelCoordinateSpec(trials, { title: 'parallel coordinates (complete trials)', ...plot }), join(dir, 'parallel')));
  }
  const importances = given === undefined ? studyImportances(trials) : given;
  if (importances !== null) {
    saved.push(await savePicture(paramImportanceSpec(importances, { title: 'hyper-parameter importance', method: 'fANOVA importance (random forest)' }), join(dir, 'importance')));
  }
  return saved;
}
