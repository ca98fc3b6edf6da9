/**
 * A study's pictures on disk (`shendu tune --out DIR`, the tuning examples): optimization history, intermediate
 * values and parameter slices as PNG (and SVG), drawn by the `viz` tune charts.
 * @module
 */
import { join } from 'node:path';
import { intermediateValuesSpec, optimizationHistorySpec, sliceSpec, type TunePlotOptions, type TunePlotTrial } from '../viz/tune.js';
import { savePicture, type SavedPicture } from './pictures.js';

/**
 * Writes `history.png`, `intermediate.png` (when some trial reported a value) and `slices.png` (when some trial
 * completed) into `dir`; returns what was written. ValueError (from the charts) when there is no trial at all.
 */
export async function saveTunePlots(trials: readonly TunePlotTrial[], dir: string, opts: TunePlotOptions = {}): Promise<SavedPicture[]> {
  const saved = [await savePicture(optimizationHistorySpec(trials, { title: 'optimization history', ...opts }), join(dir, 'history'))];
  if (trials.some((t) => t.intermediateValues.size > 0)) {
    saved.push(await savePicture(intermediateValuesSpec(trials, { title: 'intermediate values (pruned trials stop early)', ...opts }), join(dir, 'intermediate')));
  }
  if (trials.some((t) => t.state === 'complete' && t.value !== null && Object.keys(t.params).length > 0)) {
    saved.push(await savePicture(sliceSpec(trials, { title: 'parameter slices (complete trials)', ...opts }), join(dir, 'slices')));
  }
  return saved;
}
