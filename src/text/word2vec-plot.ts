/**
 * A 2-D picture of word vectors: the chosen words' vectors projected onto their first two principal components
 * (classic.PCA) and drawn as labelled points, optionally coloured by group. Returns a Vega-Lite spec; 'shendu/node'
 * renders it to PNG (`savePicture(spec, 'words.png')`).
 * @module
 */
import { PCA } from '../classic/pca.js';
import { ValueError } from '../errors.js';
import { seriesColors } from '../viz/lines.js';
import type { VegaLiteSpec } from '../viz/render.js';
import type { WordVectors } from './word-vectors.js';

/** Options of wordProjectionSpec. */
export interface WordProjectionOptions {
  /** Chart title (default 'word vectors, first two principal components'). */
  title?: string;
  /** A group name per word (same order), coloured and listed in a legend (default: one colour). */
  groups?: readonly string[];
  /** Plot area width in pixels (default 520). */
  width?: number;
  /** Plot area height in pixels (default 420). */
  height?: number;
}

/** The 2-D PCA coordinates of `words` [words.length][2], with the variance ratio each axis explains. */
export function projectWords(wv: WordVectors, words: readonly string[]): { points: [number, number][]; explained: [number, number] } {
  if (!Array.isArray(words) || words.length < 3) throw new ValueError(`projectWords: words must list at least 3 words, got ${Array.isArray(words) ? words.length : typeof words}`);
  const pca = new PCA({ nComponents: 2 });
  const xy = pca.fitTransform(wv.toTensor(words).to('float64')).toTypedArray();
  const ratio = pca.explainedVarianceRatio.toTypedArray();
  return { points: words.map((_, i) => [xy[2 * i], xy[2 * i + 1]]), explained: [ratio[0], ratio[1]] };
}

/** A labelled scatter plot of `words` on the first two principal components of their vectors. */
export function wordProjectionSpec(wv: WordVectors, words: readonly string[], opts: WordProjectionOptions = {}): VegaLiteSpec {
  const { points, explained } = projectWords(wv, words);
  const groups = opts.groups;
  if (groups !== undefined && groups.length !== words.length) throw new ValueError(`wordProjectionSpec: groups must have one entry per word (${words.length}), got ${groups.length}`);
  const rows = words.map((w, i) => ({ word: w, x: points[i][0], y: points[i][1], group: groups ? groups[i] : '' }));
  const names = groups ? [...new Set(groups)] : [''];
  const color = groups
    ? { field: 'group', type: 'nominal', title: null, scale: { domain: names, range: names.map((_, i) => seriesColors[i % seriesColors.length]) } }
    : { value: seriesColors[0] };
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const enc = {
    x: { field: 'x', type: 'quantitative', title: `PC 1 (${pct(explained[0])} of the variance)`, scale: { zero: false, nice: true } },
    y: { field: 'y', type: 'quantitative', title: `PC 2 (${pct(explained[1])})`, scale: { zero: false, nice: true } },
    color,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    title: opts.title ?? 'word vectors, first two principal components',
    width: opts.width ?? 520,
    height: opts.height ?? 420,
    data: { values: rows },
    layer: [
      { mark: { type: 'point', filled: true, size: 60 }, encoding: enc },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -4, fontSize: 12 }, encoding: { ...enc, text: { field: 'word', type: 'nominal' } } },
    ],
  } as unknown as VegaLiteSpec;
}
