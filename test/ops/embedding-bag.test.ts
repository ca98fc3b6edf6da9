/** embeddingBag (src/ops/embedding-bag.ts) against PyTorch (tools/fixtures/embedding_bag.py), on every backend. */
import * as F from '../../src/nn/functional.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('embedding_bag', {
  embedding_bag_2d: ([w, x], o) => F.embeddingBag(x, w, o),
  embedding_bag: ([w, x, offsets], o) => F.embeddingBag(x, w, { ...o, offsets }),
  embedding_bag_psw: ([w, x, offsets, perSampleWeights], o) => F.embeddingBag(x, w, { ...o, offsets, perSampleWeights }),
  embedding_bag_2d_psw: ([w, x, perSampleWeights], o) => F.embeddingBag(x, w, { ...o, perSampleWeights }),
});
