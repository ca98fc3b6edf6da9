/**
 * normalize, cosineSimilarity and pairwiseDistance (src/ops/distance.ts) against PyTorch
 * (tools/fixtures/distance.py), on every backend.
 */
import * as F from '../../src/nn/functional.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('distance', {
  normalize: ([x], o) => F.normalize(x, o),
  cosine_similarity: ([a, b], o) => F.cosineSimilarity(a, b, o),
  pairwise_distance: ([a, b], o) => F.pairwiseDistance(a, b, o),
  pairwise_distance_inf: ([a, b]) => F.pairwiseDistance(a, b, { p: Infinity }),
});
