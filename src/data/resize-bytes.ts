/**
 * Bilinear resizing of 8-bit grey images (align_corners false, as torch.nn.functional.interpolate), the way the
 * composed data sets (detection canvases, captioned canvases) draw their MNIST and Fashion-MNIST items.
 * @module
 */

/** The h x w byte image at `off` in `src`, resized bilinearly (align_corners false) to oh x ow values in [0, 1]. */
export function resizeBytes(src: Uint8Array, off: number, h: number, w: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(oh * ow);
  const sy = h / oh;
  const sx = w / ow;
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const wy = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const wx = fx - x0;
      const top = src[off + y0 * w + x0] * (1 - wx) + src[off + y0 * w + x1] * wx;
      const bot = src[off + y1 * w + x0] * (1 - wx) + src[off + y1 * w + x1] * wx;
      out[y * ow + x] = (top * (1 - wy) + bot * wy) / 255;
    }
  }
  return out;
}
