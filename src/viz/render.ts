/**
 * Turning a chart description into SVG. The chart builders in this folder return plain Vega-Lite specs
 * (JSON objects a user can inspect, tweak and render anywhere Vega-Lite runs); `renderSvg` compiles one with
 * vega-lite and draws it with vega's headless SVG renderer. vega and vega-lite are loaded on first use, so
 * importing shendu stays quick for code that never draws.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { ValueError } from '../errors.js';

/** A Vega-Lite chart specification, as the `*Spec` builders return and `renderSvg` draws. */
export type VegaLiteSpec = TopLevelSpec;

/**
 * Draws a Vega-Lite spec as an SVG document string (sizes in CSS pixels), without a browser or canvas.
 * Fonts are named by family only; `svgToPng` in 'shendu/node' rasterizes it with bundled DejaVu fonts.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object') throw new ValueError(`renderSvg: spec must be a Vega-Lite spec object, got ${spec === null ? 'null' : typeof spec}`);
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  let compiled;
  try {
    // Vega-Lite's warnings (dropped or conflicting properties) would otherwise go to the console.
    compiled = vl.compile(spec, { logger: vega.logger(vega.Error) }).spec;
  } catch (e) {
    throw new ValueError(`renderSvg: Vega-Lite cannot compile the spec: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
