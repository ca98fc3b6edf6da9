/**
 * Pictures on disk (Node only): SVG rasterized to PNG by resvg with the DejaVu fonts of the
 * `dejavu-fonts-ttf` package (no system fonts needed, so a picture looks the same on every machine), and
 * savers that render a chart from `viz` and write it as .png and .svg. Every file is written to a temporary
 * name in the same folder and renamed, so a crash never leaves a torn picture.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { renderSvg, type VegaLiteSpec } from '../viz/render.js';
import { lineChartSpec, trainingCurvesSpec, type HistoryRecord, type LineChartOptions, type LineSeries, type TrainingCurvesOptions } from '../viz/lines.js';
import { confusionMatrixSpec, type ConfusionMatrixOptions } from '../viz/confusion.js';
import { imageGridPng, imageGridSpec, type ImageGridOptions, type ImageGridPngOptions } from '../viz/images.js';

const resolveModule = createRequire(import.meta.url).resolve;
let fontFiles: string[] | undefined;

function fonts(): string[] {
  fontFiles ??= ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => resolveModule(`dejavu-fonts-ttf/ttf/${f}`));
  return fontFiles;
}

/** Options of `svgToPng`. */
export interface SvgToPngOptions {
  /** Zoom factor: output pixels per SVG pixel (default 2, crisp on high-density screens and in print). */
  scale?: number;
  /** Colour behind transparent areas (default 'white'). */
  background?: string;
}

/**
 * Rasterizes an SVG document to PNG bytes, `scale` output pixels per SVG pixel, with text set in DejaVu Sans.
 * Embedded raster images are enlarged nearest-neighbour, so image grids stay sharp.
 */
export function svgToPng(svg: string, opts: SvgToPngOptions = {}): Uint8Array {
  const scale = opts.scale ?? 2;
  if (typeof svg !== 'string' || !svg.includes('<svg')) throw new ValueError(`svgToPng: expected an SVG document string, got ${typeof svg === 'string' ? `'${svg.slice(0, 40)}'` : typeof svg}`);
  if (!(scale > 0 && scale <= 16)) throw new ValueError(`svgToPng: scale must be in (0, 16], got ${scale}`);
  let png: Uint8Array;
  try {
    png = new Resvg(svg, {
      font: { fontFiles: fonts(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
      fitTo: { mode: 'zoom', value: scale },
      background: opts.background ?? 'white',
      imageRendering: 1,
    }).render().asPng();
  } catch (e) {
    throw new ValueError(`svgToPng: resvg cannot render the SVG: ${(e as Error).message}`);
  }
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Writes bytes to `path` through a temporary file in the same folder and a rename, creating the folder. */
async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Where a saver wrote its picture. */
export interface SavedPicture {
  /** Path of the PNG file. */
  png: string;
  /** Path of the SVG file (absent for pictures that are only raster, as `saveImageGridPng`). */
  svg?: string;
}

function stem(fn: string, path: string): string {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${fn}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  return path.replace(/\.(png|svg)$/i, '');
}

/**
 * Renders a Vega-Lite spec and writes `<path>.svg` and `<path>.png` (`path` without extension; a trailing
 * .png/.svg is dropped). `scale` is the PNG's pixels per SVG pixel (default 2).
 */
export async function savePicture(spec: VegaLiteSpec, path: string, opts: SvgToPngOptions = {}): Promise<SavedPicture> {
  const base = stem('savePicture', path);
  const svg = await renderSvg(spec);
  const png = svgToPng(svg, opts);
  await writeFileAtomic(`${base}.svg`, svg);
  await writeFileAtomic(`${base}.png`, png);
  return { png: `${base}.png`, svg: `${base}.svg` };
}

/** Training curves of a history (see `viz.trainingCurvesSpec`) written as `<path>.png` and `<path>.svg`. */
export async function saveTrainingCurves(
  history: readonly HistoryRecord[], path: string, opts: TrainingCurvesOptions & SvgToPngOptions = {},
): Promise<SavedPicture> {
  stem('saveTrainingCurves', path);
  return savePicture(trainingCurvesSpec(history, opts), path, opts);
}

/** A confusion-matrix heat map (see `viz.confusionMatrixSpec`) written as `<path>.png` and `<path>.svg`. */
export async function saveConfusionMatrix(
  matrix: readonly (readonly number[])[] | Tensor, classNames: readonly string[] | undefined, path: string,
  opts: ConfusionMatrixOptions & SvgToPngOptions = {},
): Promise<SavedPicture> {
  stem('saveConfusionMatrix', path);
  return savePicture(confusionMatrixSpec(matrix, classNames, opts), path, opts);
}

/**
 * A captioned image grid (see `viz.imageGridSpec`) written as `<path>.png` and `<path>.svg`. `opts.scale` is how
 * many times each image pixel is enlarged in the SVG (default 3), `pngScale` the PNG's pixels per SVG pixel
 * (default 2, for crisp captions).
 */
export async function saveImageGrid(
  images: Tensor, captions: readonly string[], path: string, opts: ImageGridOptions & { pngScale?: number } = {},
): Promise<SavedPicture> {
  stem('saveImageGrid', path);
  return savePicture(imageGridSpec(images, captions, opts), path, { scale: opts.pngScale ?? 2 });
}

/** A line chart of named series (see `viz.lineChartSpec`) written as `<path>.png` and `<path>.svg`. */
export async function saveLineChart(
  series: readonly LineSeries[], path: string, opts: LineChartOptions & SvgToPngOptions = {},
): Promise<SavedPicture> {
  stem('saveLineChart', path);
  return savePicture(lineChartSpec(series, opts), path, opts);
}

/** An uncaptioned image grid (see `viz.imageGridPng`: samples, feature maps, filters) written as `<path>.png`. */
export async function saveImageGridPng(images: Tensor, path: string, opts: ImageGridPngOptions = {}): Promise<SavedPicture> {
  const base = stem('saveImageGridPng', path);
  await writeFileAtomic(`${base}.png`, imageGridPng(images, opts));
  return { png: `${base}.png` };
}
