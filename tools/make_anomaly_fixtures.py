#!/usr/bin/env python3
"""Writes scikit-learn's values for src/models/generative/code-scores.ts: test/fixtures/models/anomaly_scores.json.

Run with Debian's scikit-learn and NumPy:  /usr/bin/python3 tools/make_anomaly_fixtures.py
CI never runs this: it reads the committed JSON.

- knn: NearestNeighbors(n_neighbors=k).fit(reference).kneighbors(query) distances, reduced by their mean and by the
  k-th; with query None (kneighbors() without X: each reference row against the others) as `knnScores(ref, null)`;
- mahalanobis: EmpiricalCovariance().fit(reference).mahalanobis(query) (squared distances, pinvh precision), one
  case with a rank-deficient covariance (a feature that is the sum of two others);
- standardize: StandardScaler().fit(reference[:, None]).transform(scores[:, None]).
Data is continuous random (seeded), so there are no distance ties.
"""
import os
import sys

import numpy as np
import sklearn
from sklearn.covariance import EmpiricalCovariance
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models', 'anomaly_scores.json')


def knn_case(rng, m, n, d, k):
    ref = rng.normal(size=(m, d))
    query = rng.normal(size=(n, d)) * 1.5
    nn = NearestNeighbors(n_neighbors=k).fit(ref)
    dq, _ = nn.kneighbors(query)
    ds, _ = nn.kneighbors()
    return {'reference': ref.tolist(), 'query': query.tolist(), 'k': k,
            'mean': dq.mean(1).tolist(), 'kth': dq[:, -1].tolist(),
            'self_mean': ds.mean(1).tolist(), 'self_kth': ds[:, -1].tolist()}


def mahalanobis_case(rng, m, n, d, deficient=False):
    a = rng.normal(size=(d, d))
    ref = rng.normal(size=(m, d)) @ a + rng.normal(size=d)
    query = rng.normal(size=(n, d)) @ a * 1.3
    if deficient:
        ref[:, -1] = ref[:, 0] + ref[:, 1]
        query[:, -1] = query[:, 0] + query[:, 1]
    ec = EmpiricalCovariance().fit(ref)
    return {'reference': ref.tolist(), 'query': query.tolist(), 'scores': ec.mahalanobis(query).tolist(), 'deficient': deficient}


def main():
    rng = np.random.default_rng(14)
    knn = [knn_case(rng, 30, 12, 3, 1), knn_case(rng, 40, 15, 5, 5), knn_case(rng, 25, 9, 8, 7)]
    maha = [mahalanobis_case(rng, 50, 10, 4), mahalanobis_case(rng, 60, 8, 6, deficient=True)]
    ref = rng.gamma(2.0, size=40)
    scores = rng.gamma(2.0, size=10) * 1.5
    std = StandardScaler().fit(ref[:, None]).transform(scores[:, None])[:, 0]
    write_json_atomic(OUT, {'sklearn': sklearn.__version__, 'knn': knn, 'mahalanobis': maha,
                            'standardize': {'reference': ref.tolist(), 'scores': scores.tolist(), 'z': std.tolist()}})
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
