/**
 * The KL divergences of src/nn/loss-generative.ts against torch.distributions.kl_divergence of Normal
 * distributions (tools/fixtures/loss_generative.py): values, gradients, float32, non-contiguous inputs and
 * gradcheck on every backend; and their bad inputs.
 */
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';
import { checkErrors } from '../helpers/check-errors.js';

checkFamily('loss_generative', {
  klNormal: ([mp, sp, mq, sq], o) => F.klNormal(mp, sp, mq, sq, o),
  klStandardNormal: ([mu, lv], o) => F.klStandardNormal(mu, lv, o),
});

const x = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const pos = (shape: number[]) => sd.add(sd.rand(shape, { dtype: 'float64' }), 0.5);
const anyOpts = (o: Record<string, unknown>) => o as never;

checkErrors('loss_generative', [
  ['klNormal: zero sigmaQ', () => F.klNormal(x([2]), pos([2]), x([2]), sd.zeros([2], { dtype: 'float64' })), ValueError, /^klNormal: sigmaQ must be > 0 everywhere \(a standard deviation\), got 0 at flat index 0$/],
  ['klNormal: negative sigmaP', () => F.klNormal(x([2]), sd.tensor([1, -1], { dtype: 'float64' }), x([2]), pos([2])), ValueError, /^klNormal: sigmaP must be > 0 everywhere \(a standard deviation\), got -1 at flat index 1$/],
  ['klNormal: shapes', () => F.klNormal(x([2, 3]), pos([2, 3]), x([4]), pos([2, 3])), ShapeError, /^klNormal: shapes \[2, 3\] and \[4\] cannot be broadcast together/],
  ['klNormal: int mu', () => F.klNormal(sd.tensor([1, 2], { dtype: 'int32' }), pos([2]), x([2]), pos([2])), DTypeError, /^klNormal: muP must be a floating-point tensor, got dtype int32$/],
  ['klNormal: reduction', () => F.klNormal(x([2]), pos([2]), x([2]), pos([2]), anyOpts({ reduction: 'batchmean' })), ValueError, /^klNormal: reduction must be one of 'none', 'mean', 'sum', got 'batchmean'$/],
  ['klStandardNormal: not a tensor', () => F.klStandardNormal(x([2]), [0, 0] as never), ValueError, /^klStandardNormal: logvar must be a Tensor, got an array$/],
  ['klStandardNormal: shapes', () => F.klStandardNormal(x([8, 20]), x([8, 10])), ShapeError, /^klStandardNormal: shapes \[8, 20\] and \[8, 10\] cannot be broadcast together/],
]);
