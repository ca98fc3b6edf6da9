/** affineGrid and gridSample (src/ops/grid-sample.ts) against PyTorch (tools/fixtures/grid_sample.py), on every backend. */
import * as F from '../../src/nn/functional.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('grid_sample', {
  grid_sample: ([x, g], o) => F.gridSample(x, g, o),
  affine_grid: ([theta], o) => F.affineGrid(theta, o.size, o),
  affine_grid_sample: ([x, theta], o) => F.gridSample(x, F.affineGrid(theta, x.shape, o), o),
});
