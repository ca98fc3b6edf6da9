"""numpy / scikit-learn side of the `linalg` benchmark: the problems bench/linalg.ts wrote, solved with the same
calls, on one thread (and on two: BLAS and OpenMP pools both limited, as scikit-learn's k-means runs on OpenMP),
printed as JSON rows. Run by bench/run.ts.

`python3 numpy_linalg.py PROBLEMS_FILE [workload ...]` (default: all workloads).

The file: a JSON line {name: shape}, then each array's float64 values, little-endian, row-major, in that order.
numpy.linalg, scipy.linalg (lstsq with gelsy, PyTorch's default driver) and scikit-learn call LAPACK through
OpenBLAS here; scikit-learn's solvers are pinned to the ones the shendu side runs (PCA svd_solver 'full' / 'randomized', KMeans 'lloyd' with k-means++ and 10 restarts).
"""
import json
import os
import sys

import numpy as np
import scipy.linalg
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import time_it  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:
    threadpool_info = threadpool_limits = None


def read_problems(path):
    with open(path, 'rb') as f:
        header = json.loads(f.readline())
        out = {}
        for name, shape in header.items():
            count = int(np.prod(shape)) if shape else 1
            out[name] = np.frombuffer(f.read(8 * count), dtype='<f8').reshape(shape).copy()
    return out


def blas_threads():
    if threadpool_info is None:
        return 'BLAS threads unknown (no threadpoolctl)'
    return ', '.join(f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info())


def cases(p):
    A, S, b = p['A'], p['S'], p['b']
    km = {}

    def kmeans():
        km['model'] = KMeans(n_clusters=8, init='k-means++', n_init=10, algorithm='lloyd', random_state=0).fit(p['kmX'])

    return [
        ('matmul_f64_500', lambda: A @ S, None),
        ('svd_500', lambda: np.linalg.svd(A, full_matrices=False), None),
        ('svdvals_500', lambda: np.linalg.svd(A, compute_uv=False), None),
        ('eigh_500', lambda: np.linalg.eigh(S), None),
        ('qr_500', lambda: np.linalg.qr(A), None),
        ('inv_500', lambda: np.linalg.inv(A), None),
        ('solve_500', lambda: np.linalg.solve(A, b), None),
        ('lstsq_500', lambda: np.linalg.lstsq(A, b, rcond=None), None),
        ('lstsq_gelsy_500', lambda: scipy.linalg.lstsq(A, b, lapack_driver='gelsy', check_finite=False), None),
        ('pinv_500', lambda: np.linalg.pinv(A), None),
        ('pca_full_2000x500', lambda: PCA(n_components=10, svd_solver='full').fit(p['pcaX']), None),
        ('pca_randomized_2000x500', lambda: PCA(n_components=10, svd_solver='randomized', random_state=0).fit(p['pcaX']), None),
        ('linear_regression_5000x100', lambda: LinearRegression().fit(p['regX'], p['regY']), None),
        ('kmeans_10000x20', kmeans, lambda: f"Lloyd iterations of the best run {km['model'].n_iter_}"),
    ]


def main():
    p = read_problems(sys.argv[1])
    only = set(sys.argv[2:])
    rows = []
    for threads in (1, 2):
        limits = threadpool_limits(limits=threads) if threadpool_limits else None
        runner = f'numpy-{threads}t'
        for name, fn, note in cases(p):
            if only and name not in only:
                continue
            s = time_it(fn, warmup=1, min_seconds=2.0, min_runs=3)
            text = blas_threads() + (f'; {note()}' if note else '')
            rows.append({'workload': name, 'runner': runner, 'value': 1 / s, 'unit': 'runs/s', 'note': text})
        if limits is not None:
            limits.restore_original_limits()
    versions = {'numpy': np.__version__}
    try:
        import sklearn
        versions['sklearn'] = sklearn.__version__
    except ImportError:
        pass
    json.dump({'versions': versions, 'rows': rows}, sys.stdout)


if __name__ == '__main__':
    main()
