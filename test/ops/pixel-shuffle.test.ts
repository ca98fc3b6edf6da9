/** pixelShuffle and pixelUnshuffle (src/ops/pixel-shuffle.ts) against PyTorch (tools/fixtures/pixel_shuffle.py). */
import * as F from '../../src/nn/functional.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('pixel_shuffle', {
  pixel_shuffle: ([x], o) => F.pixelShuffle(x, o.r),
  pixel_unshuffle: ([x], o) => F.pixelUnshuffle(x, o.r),
});
