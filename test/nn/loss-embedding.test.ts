/**
 * The margin, embedding and likelihood losses of src/nn/loss-embedding.ts and loss-probabilistic.ts against
 * PyTorch (tools/fixtures/loss_embedding.py): values, gradients, float32, non-contiguous inputs and gradcheck,
 * on every backend.
 */
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import type { Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const cosineDistance = (u: Tensor, v: Tensor): Tensor => sd.sub(1, F.cosineSimilarity(u, v, { dim: -1 }));

checkFamily('loss_embedding', {
  margin_ranking: ([a, b, y], o) => F.marginRankingLoss(a, b, y, o),
  hinge_embedding: ([x, y], o) => F.hingeEmbeddingLoss(x, y, o),
  soft_margin: ([x, y], o) => F.softMarginLoss(x, y, o),
  multilabel_margin: ([x, y], o) => F.multilabelMarginLoss(x, y, o),
  multilabel_soft_margin: ([x, y], o) => F.multilabelSoftMarginLoss(x, y, o),
  multilabel_soft_margin_weight: ([x, y, weight], o) => F.multilabelSoftMarginLoss(x, y, { ...o, weight }),
  cosine_embedding: ([a, b, y], o) => F.cosineEmbeddingLoss(a, b, y, o),
  triplet_margin: ([a, p, n], o) => F.tripletMarginLoss(a, p, n, o),
  triplet_distance: ([a, p, n], o) => F.tripletMarginWithDistanceLoss(a, p, n, o),
  triplet_distance_cosine: ([a, p, n], o) => F.tripletMarginWithDistanceLoss(a, p, n, { ...o, distanceFunction: cosineDistance }),
  poisson_nll: ([x, y], o) => F.poissonNllLoss(x, y, o),
  gaussian_nll: ([x, y, v], o) => F.gaussianNllLoss(x, y, v, o),
});
