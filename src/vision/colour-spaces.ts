/**
 * The colour spaces of Uijlings et al.'s selective search (IJCV 2013, table 1), each mapped to planar [C, H, W]
 * float64 with every channel in [0, 1] so that one histogram range and one segmentation scale fit them all.
 * @module
 */
import { assertNever } from '../errors.js';

/** A colour space of selective search: 'rgb', 'hsv', 'lab', 'rgi' (normalised r, g and intensity), 'i' (intensity), 'h' (hue). */
export type SelectiveSearchColourSpace = 'rgb' | 'hsv' | 'lab' | 'rgi' | 'i' | 'h';

/** All colour spaces selectiveSearch() knows. */
export const COLOUR_SPACES: readonly SelectiveSearchColourSpace[] = ['rgb', 'hsv', 'lab', 'rgi', 'i', 'h'];

function hsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h /= 6;
    if (h < 0) h += 1;
  }
  return [h, max > 0 ? d / max : 0, max];
}

const lin = (c: number): number => (c > 0.04045 ? ((c + 0.055) / 1.055) ** 2.4 : c / 12.92);
const fLab = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

/** CIE L*a*b* (D65) of an sRGB colour, scaled to [0, 1]: L / 100, (a + 128) / 255, (b + 128) / 255. */
function lab(r: number, g: number, b: number): [number, number, number] {
  const R = lin(r);
  const G = lin(g);
  const B = lin(b);
  const x = (0.412453 * R + 0.35758 * G + 0.180423 * B) / 0.95047;
  const y = 0.212671 * R + 0.71516 * G + 0.072169 * B;
  const z = (0.019334 * R + 0.119193 * G + 0.950227 * B) / 1.08883;
  const fx = fLab(x);
  const fy = fLab(y);
  const fz = fLab(z);
  const L = y > 0.008856 ? 116 * fy - 16 : 903.3 * y;
  return [L / 100, (500 * (fx - fy) + 128) / 255, (200 * (fy - fz) + 128) / 255];
}

/** Channels of a colour space. */
export function colourSpaceChannels(space: SelectiveSearchColourSpace): number {
  switch (space) {
    case 'rgb': case 'hsv': case 'lab': case 'rgi': return 3;
    case 'i': case 'h': return 1;
    default: return assertNever(space, 'colour space');
  }
}

/** Converts planar RGB [3, H, W] in [0, 1] (`plane` = H * W) to `space`, planar, channels in [0, 1]. */
export function convertColourSpace(rgb: Float64Array, plane: number, space: SelectiveSearchColourSpace): Float64Array {
  const c = colourSpaceChannels(space);
  const out = new Float64Array(c * plane);
  for (let p = 0; p < plane; p++) {
    const r = rgb[p];
    const g = rgb[plane + p];
    const b = rgb[2 * plane + p];
    let v: readonly number[];
    switch (space) {
      case 'rgb': v = [r, g, b]; break;
      case 'hsv': v = hsv(r, g, b); break;
      case 'lab': v = lab(r, g, b); break;
      case 'rgi': {
        const s = r + g + b;
        v = s > 0 ? [r / s, g / s, s / 3] : [1 / 3, 1 / 3, 0];
        break;
      }
      case 'i': v = [(r + g + b) / 3]; break;
      case 'h': v = [hsv(r, g, b)[0]]; break;
      default: return assertNever(space, 'colour space');
    }
    for (let k = 0; k < c; k++) out[k * plane + p] = Math.min(1, Math.max(0, v[k]));
  }
  return out;
}
