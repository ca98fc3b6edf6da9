/** A synthetic digit source for strip tests: ten 12 x 12 "digits", digit d a bar in row d + 1, columns 3..8. */
import type { DigitSource } from '../../src/data/digit-strips.js';

/** Ten bar digits (see the module doc); a strip's bar rows, read left to right, are its labels. */
export function barDigits(): DigitSource {
  const s = 12;
  const pixels = new Uint8Array(10 * s * s);
  for (let d = 0; d < 10; d++) for (let x = 3; x <= 8; x++) pixels[d * s * s + (d + 1) * s + x] = 255;
  return { pixels, labels: Array.from({ length: 10 }, (_, d) => d), size: s };
}
