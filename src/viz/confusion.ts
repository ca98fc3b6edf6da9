/**
 * Confusion-matrix heat map: rows are true classes, columns predicted ones, as sklearn's
 * ConfusionMatrixDisplay; each cell shows its count (or row fraction) in a text colour that stays readable on
 * both the light and the dark end of the colour scale.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { VegaLiteSpec } from './render.js';

/** Options of `confusionMatrixSpec`. */
export interface ConfusionMatrixOptions {
  /** Divide each row by its sum, so a cell is the fraction of that true class predicted as the column (default false). */
  normalize?: boolean;
  /** Chart title (none by default). */
  title?: string;
  /** Side of one cell in pixels (default: 36 up to 12 classes, then shrinking to fit about 480 pixels, at least 10). */
  cellSize?: number;
  /** Write the value in each cell (default: when there are at most 25 classes). */
  showValues?: boolean;
  /** Colours of the scale's low and high ends (default `heatColors`). */
  colors?: readonly [string, string];
}

/** Low and high colours of the confusion-matrix scale: near-white to dark blue. */
export const heatColors: readonly [string, string] = Object.freeze(['#f7fbff', '#08306b'] as [string, string]);

/** Cell text colours: on light cells, on dark cells (value above half the scale), and for zero cells. */
export const textColors = Object.freeze({ light: '#111111', dark: '#ffffff', zero: '#9a9a9a' } as const);

function readMatrix(fn: string, matrix: readonly (readonly number[])[] | Tensor): number[][] {
  if (matrix instanceof Tensor) {
    if (matrix.ndim !== 2) throw new ShapeError(`${fn}: matrix must be 2-D (classes x classes), got shape ${fmtShape(matrix.shape)}`);
    const [r, c] = matrix.shape;
    const flat = matrix.toTypedArray();
    const rows: number[][] = [];
    for (let i = 0; i < r; i++) rows.push(Array.from(flat.subarray(i * c, (i + 1) * c)));
    return rows;
  }
  if (!Array.isArray(matrix)) throw new ValueError(`${fn}: matrix must be a number[][] or a 2-D tensor, got ${typeof matrix}`);
  return matrix.map((row, i) => {
    if (!Array.isArray(row)) throw new ShapeError(`${fn}: matrix row ${i} is not an array (got ${typeof row}); expected number[][]`);
    if (row.length !== matrix[0].length) {
      throw new ShapeError(`${fn}: ragged matrix: row ${i} has ${row.length} entries but row 0 has ${matrix[0].length}`);
    }
    return row.map(Number);
  });
}

/**
 * Heat map of a K x K confusion matrix (`matrix[t][p]` = samples of true class t predicted as p; a number[][]
 * or a 2-D tensor of any dtype) with class names on the axes ("predicted" across, "true" down; default names
 * '0'..'K-1'). Throws ShapeError for a ragged or non-square matrix, ValueError for negative or non-finite
 * entries, a class-name count other than K, or repeated names.
 */
export function confusionMatrixSpec(
  matrix: readonly (readonly number[])[] | Tensor, classNames?: readonly string[], opts: ConfusionMatrixOptions = {},
): VegaLiteSpec {
  const fn = 'confusionMatrixSpec';
  const m = readMatrix(fn, matrix);
  const k = m.length;
  if (k === 0) throw new ShapeError(`${fn}: matrix is empty (0 classes)`);
  if (m[0].length !== k) throw new ShapeError(`${fn}: matrix must be square (classes x classes), got ${k} rows of ${m[0].length}`);
  m.forEach((row, i) => row.forEach((v, j) => {
    if (!Number.isFinite(v) || v < 0) throw new ValueError(`${fn}: matrix[${i}][${j}] must be a finite count >= 0, got ${v}`);
  }));
  const names = classNames === undefined ? Array.from({ length: k }, (_, i) => String(i)) : classNames.map(String);
  if (names.length !== k) throw new ValueError(`${fn}: ${names.length} class names given for a ${k} x ${k} matrix`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ValueError(`${fn}: class name '${dup}' appears twice; names label the axes and must differ`);
  let cell = 36;
  if (opts.cellSize !== undefined) {
    if (!(opts.cellSize > 0)) throw new ValueError(`${fn}: cellSize must be a positive number, got ${opts.cellSize}`);
    cell = opts.cellSize;
  } else if (k > 12) {
    cell = Math.max(10, Math.floor(480 / k));
  }
  const showValues = opts.showValues ?? k <= 25;
  const normalize = opts.normalize ?? false;
  const colors = opts.colors ?? heatColors;

  const values: { t: string; p: string; count: number; value: number; label: string }[] = [];
  let max = 0;
  for (let i = 0; i < k; i++) {
    const total = m[i].reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const count = m[i][j];
      const value = normalize ? (total > 0 ? count / total : 0) : count;
      max = Math.max(max, value);
      // Fractions drop the leading zero (".98") to fit small cells; an empty cell is a plain "0".
      const label = count === 0 ? '0' : normalize ? (value >= 0.995 ? '1' : value.toFixed(2).slice(1)) : Number.isInteger(count) ? String(count) : count.toPrecision(3);
      values.push({ t: names[i], p: names[j], count, value, label });
    }
  }
  const top = normalize ? 1 : Math.max(max, 1);
  const longest = Math.max(...names.map((n) => n.length));
  const fontSize = Math.max(7, Math.min(12, Math.round(cell * 0.32)));
  const x = { field: 'p', type: 'nominal', title: 'predicted', sort: names, axis: { labelAngle: longest <= 3 ? 0 : -45, orient: 'bottom' } };
  const y = { field: 't', type: 'nominal', title: 'true', sort: names };
  const layers: Record<string, unknown>[] = [{
    // Per-cell aria labels would make a large matrix's SVG megabytes long.
    mark: { type: 'rect', stroke: '#ffffff', strokeWidth: k <= 40 ? 1 : 0, aria: k <= 25 },
    encoding: {
      x, y,
      color: {
        field: 'value', type: 'quantitative', title: normalize ? 'fraction of row' : 'count',
        scale: { domain: [0, top], range: [...colors], interpolate: 'rgb', nice: false },
        legend: { gradientLength: Math.max(60, Math.min(240, k * cell)), titleLimit: 240, format: normalize ? '.1f' : 'd' },
      },
      tooltip: [
        { field: 't', type: 'nominal', title: 'true' }, { field: 'p', type: 'nominal', title: 'predicted' },
        { field: 'count', type: 'quantitative', title: 'count' },
        ...(normalize ? [{ field: 'value', type: 'quantitative', title: 'fraction', format: '.3f' }] : []),
      ],
    },
  }];
  if (showValues) {
    layers.push({
      mark: { type: 'text', fontSize, baseline: 'middle', align: 'center', aria: k <= 25 },
      encoding: { x, y, text: { field: 'label', type: 'nominal' },
        // Dark text on the light half of the scale, white on the dark half; zeros in grey so the other cells stand out.
        color: {
          condition: [{ test: 'datum.value === 0', value: textColors.zero }, { test: `datum.value > ${top / 2}`, value: textColors.dark }],
          value: textColors.light,
        },
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: k * cell,
    height: k * cell,
    data: { values },
    layer: layers,
    config: { axis: { labelFontSize: Math.max(8, Math.min(12, cell * 0.33)), titleFontSize: 13, domain: false, ticks: false } },
  } as unknown as VegaLiteSpec;
}
