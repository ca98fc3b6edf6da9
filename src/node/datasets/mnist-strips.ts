/**
 * MNIST digit strings for CRNN + CTC: strips of 1-8 real MNIST digits (data/digit-strips.ts), drawn from the
 * training digits for training and from the test digits for the held-out set, so no held-out strip contains a
 * digit image seen in training.
 * @module
 */
import { DigitStrips, type DigitStripOptions } from '../../data/digit-strips.js';
import { mnist, type MnistOptions } from './mnist.js';

/** Options of mnistStrips: the strips' options and where MNIST is read from. */
export interface MnistStripOptions extends DigitStripOptions, Pick<MnistOptions, 'dataDir' | 'source'> {
  /** Strips from the training digits (default true) or the test digits. */
  train?: boolean;
}

/**
 * Seeded strips of MNIST digits: item i is `[image [1, 14, 112], digits [L]]` with the defaults (see DigitStrips).
 * The held-out convention of the CRNN example: `mnistStrips({train: false, count: 2000, seed: 1})`.
 */
export function mnistStrips(opts: MnistStripOptions = {}): DigitStrips {
  const { train = true, dataDir, source, ...strip } = opts;
  const digits = mnist({ train, dataDir, source });
  return new DigitStrips({ pixels: digits.rawPixels, labels: digits.rawLabels, size: 28 }, strip);
}
