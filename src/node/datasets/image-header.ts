/**
 * Image sizes read from PNG and JPEG headers without decoding, so that an image too large to decode safely is
 * refused before it costs gigabytes (a small, highly compressed file can hold a 30000x30000 image).
 * @module
 */
import { DataError, ValueError } from '../../errors.js';

/** The largest image (width x height) decoded unless the caller raises the limit: 64 megapixels. */
export const DEFAULT_MAX_PIXELS = 64 * 1024 * 1024;

/** Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame marker; null when the header is not found. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const be16 = (at: number) => (bytes[at] << 8) | bytes[at + 1];
  const be32 = (at: number) => ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52) {
    return { width: be32(16), height: be32(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1];
      if (marker === 0xff) {
        at++; // fill byte
        continue;
      }
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: be16(at + 5), width: be16(at + 7) };
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      at += 2 + be16(at + 2);
    }
  }
  return null;
}

/** Throws a DataError naming `source` when the image's header says it has more than `maxPixels` pixels. */
export function checkPixelLimit(bytes: Uint8Array, source: string, maxPixels: number = DEFAULT_MAX_PIXELS): void {
  if (!(maxPixels > 0)) throw new ValueError(`maxPixels must be positive, got ${maxPixels}`);
  const dims = imageDimensions(bytes);
  if (dims === null) return; // the decoder reports what is wrong with the file
  const pixels = dims.width * dims.height;
  if (pixels > maxPixels) {
    throw new DataError(
      `${source}: the image is ${dims.width}x${dims.height} (${(pixels / 1e6).toFixed(1)} megapixels), over the limit of ${(maxPixels / 1e6).toFixed(1)} megapixels; ` +
        'shrink it first, or raise the limit (maxPixels; --max-pixels on the command line)',
    );
  }
}
