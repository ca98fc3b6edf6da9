#!/usr/bin/env python3
"""Writes the scikit-learn golden values of shendu's classic tests: test/fixtures/classic/<family>.json.

Run with Debian's scikit-learn, NumPy and SciPy:  /usr/bin/python3 tools/make_classic_fixtures.py [family ...]
CI never runs this: it reads the committed JSON.

New families are appended at the end of __main__ (random draws run in order), so adding one leaves the
others unchanged; name the families to write on the command line.

Every case stores its inputs and sklearn's (or scipy's) outputs as nested lists of float64; NaN and
infinities are written as the strings 'nan', 'inf', '-inf'. Iterative fits use tolerances tight enough that
the optimum is reached to ~1e-10, so any correct solver agrees with them to 1e-6 relative; where two sklearn
solvers exist their results are checked against each other here first. Data is continuous random, so
clustering has no distance ties. MiniBatchKMeans draws from NumPy's random stream, which shendu does not
reproduce: its family stores inertias over ten seeds for a statistical comparison. Each file is written to a
temporary name and renamed.
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy.cluster import hierarchy
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, lasso_path
from sklearn.metrics import (adjusted_rand_score, mean_absolute_error, mean_squared_error, normalized_mutual_info_score,
                             r2_score, rand_score)
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'classic')


def enc(v):
    """numpy arrays and scalars to JSON-safe nested lists, non-finite floats as strings."""
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return 'nan'
        if math.isinf(f):
            return 'inf' if f > 0 else '-inf'
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    return v


def write(family, cases):
    names = [c['name'] for c in cases]
    assert len(names) == len(set(names)), f'duplicate case names in {family}'
    data = {
        'generator': 'tools/make_classic_fixtures.py',
        'sklearn': sklearn.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__,
        'cases': enc(cases),
    }
    path = os.path.join(OUT, f'{family}.json')
    write_json_atomic(path, data)
    print(f'{path}: {len(cases)} cases')


rng = np.random.default_rng(20240601)


def close(a, b, tol=1e-8):
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = max(np.abs(b).max(), 1e-300)
    assert np.abs(a - b).max() <= tol * scale, (np.abs(a - b).max(), scale)


# ---- linear regression ----------------------------------------------------------------------------------------

def linear_cases():
    cases = []

    def lr_case(name, X, y, Xt, fit_intercept=True):
        m = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
        cases.append(dict(name=name, kind='linear', fitIntercept=fit_intercept, X=X, y=y, Xtest=Xt,
                          coef=m.coef_, intercept=m.intercept_, r2=m.score(X, y), predTest=m.predict(Xt),
                          rank=int(m.rank_), singular=m.singular_))

    x1 = rng.uniform(-3, 3, (30, 1))
    y1 = 2.5 * x1[:, 0] - 1.0 + rng.normal(0, 0.5, 30)
    lr_case('one feature', x1, y1, rng.uniform(-3, 3, (5, 1)))
    X = rng.normal(size=(40, 4)) @ np.array([[1, 0.3, 0, 0], [0, 1, 0.5, 0], [0, 0, 1, 0.2], [0.1, 0, 0, 1]])
    y = X @ np.array([1.5, -2.0, 0.7, 3.0]) + 4.0 + rng.normal(0, 0.3, 40)
    lr_case('four features', X, y, rng.normal(size=(6, 4)))
    Y = np.stack([y, X @ np.array([0.2, 0.1, -1.0, 0.0]) - 1 + rng.normal(0, 0.1, 40)], axis=1)
    lr_case('two targets', X, Y, rng.normal(size=(6, 4)))
    lr_case('no intercept', X, y, rng.normal(size=(6, 4)), fit_intercept=False)

    # polynomial regression: the bias column is constant, so after centering X is rank-deficient (min-norm solution)
    xp = rng.uniform(-2, 2, (25, 2))
    yp = 1 + xp[:, 0] - 2 * xp[:, 1] ** 2 + 0.5 * xp[:, 0] * xp[:, 1] ** 2 + rng.normal(0, 0.1, 25)
    pf = PolynomialFeatures(degree=3)
    P = pf.fit_transform(xp)
    xpt = rng.uniform(-2, 2, (4, 2))
    m = LinearRegression().fit(P, yp)
    cases.append(dict(name='polynomial degree 3', kind='polynomial', degree=3, X=xp, y=yp, Xtest=xpt, features=P,
                      featureNames=list(pf.get_feature_names_out()), powers=pf.powers_, coef=m.coef_, intercept=m.intercept_,
                      r2=m.score(P, yp), predTest=m.predict(pf.transform(xpt)), rank=int(m.rank_)))
    pf2 = PolynomialFeatures(degree=2, interaction_only=True, include_bias=False)
    cases.append(dict(name='interaction features', kind='polyfeatures', degree=2, interactionOnly=True, includeBias=False,
                      X=xpt, features=pf2.fit_transform(xpt), featureNames=list(pf2.get_feature_names_out())))

    # log-linear regression: least squares on log y
    xl = rng.uniform(0, 3, (30, 2))
    yl = np.exp(0.8 * xl[:, 0] - 0.4 * xl[:, 1] + 0.5 + rng.normal(0, 0.1, 30))
    xlt = rng.uniform(0, 3, (5, 2))
    m = LinearRegression().fit(xl, np.log(yl))
    cases.append(dict(name='log-linear', kind='loglinear', X=xl, y=yl, Xtest=xlt, coef=m.coef_, intercept=m.intercept_,
                      predTest=np.exp(m.predict(xlt)), r2=r2_score(yl, np.exp(m.predict(xl)))))

    # residual report of the four-feature fit (as R's summary(lm))
    m = LinearRegression().fit(X, y)
    r = y - m.predict(X)
    n, p = X.shape
    rss = float(r @ r)
    r2 = r2_score(y, m.predict(X))
    cases.append(dict(name='residual report', kind='residuals', X=X, y=y, pred=m.predict(X),
                      quantiles=np.quantile(r, [0, 0.25, 0.5, 0.75, 1]), rss=rss, rse=math.sqrt(rss / (n - p - 1)), df=n - p - 1,
                      r2=r2, adjR2=1 - (1 - r2) * (n - 1) / (n - p - 1), mae=mean_absolute_error(y, m.predict(X)),
                      mse=mean_squared_error(y, m.predict(X))))

    # standard scaler
    xs = rng.normal(3, 2, (20, 3))
    xs[:, 2] = 5.0
    sc = StandardScaler().fit(xs)
    cases.append(dict(name='standard scaler', kind='scaler', X=xs, mean=sc.mean_, scale=sc.scale_, var=sc.var_, out=sc.transform(xs)))
    return cases


# ---- ridge, lasso, elastic net ---------------------------------------------------------------------------------

def regularized_cases():
    cases = []
    n, d = 50, 5
    A = rng.normal(size=(n, d))
    A[:, 3] = A[:, 0] * 0.9 + 0.1 * A[:, 3]  # correlated columns
    w = np.array([2.0, 0.0, -1.5, 0.5, 0.0])
    y = A @ w + 3 + rng.normal(0, 0.5, n)
    Xt = rng.normal(size=(4, d))
    alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
    for solver in ['svd', 'cholesky']:
        fits = [Ridge(alpha=a, solver=solver).fit(A, y) for a in alphas]
        if solver == 'svd':
            ref = fits
        else:
            for f, g in zip(fits, ref):
                close(f.coef_, g.coef_, 1e-10)
    cases.append(dict(name='ridge path', kind='ridge', X=A, y=y, Xtest=Xt, alphas=alphas,
                      coefs=[f.coef_ for f in ref], intercepts=[f.intercept_ for f in ref],
                      r2=[f.score(A, y) for f in ref], predTest=[f.predict(Xt) for f in ref]))
    Y = np.stack([y, A @ np.array([0, 1, 1, 0, -1]) + rng.normal(0, 0.2, n)], axis=1)
    f = Ridge(alpha=2.0).fit(A, Y)
    cases.append(dict(name='ridge two targets', kind='ridge', X=A, y=Y, Xtest=Xt, alphas=[2.0], coefs=[f.coef_],
                      intercepts=[f.intercept_], r2=[f.score(A, Y)], predTest=[f.predict(Xt)]))
    f = Ridge(alpha=1.0, fit_intercept=False).fit(A, y)
    cases.append(dict(name='ridge no intercept', kind='ridge', fitIntercept=False, X=A, y=y, Xtest=Xt, alphas=[1.0],
                      coefs=[f.coef_], intercepts=[f.intercept_], r2=[f.score(A, y)], predTest=[f.predict(Xt)]))

    lasso_alphas = [1.0, 0.3, 0.1, 0.03, 0.01, 0.001]
    tight = dict(tol=1e-14, max_iter=1_000_000)
    fits = [Lasso(alpha=a, **tight).fit(A, y) for a in lasso_alphas]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # the tighter fit may stop on max_iter: its gap is at rounding level
        for a, f in zip(lasso_alphas, fits):
            g = Lasso(alpha=a, tol=1e-15, max_iter=200_000).fit(A, y)
            close(f.coef_, g.coef_, 1e-9)
    cases.append(dict(name='lasso path', kind='lasso', X=A, y=y, Xtest=Xt, alphas=lasso_alphas, tol=1e-14, maxIter=1_000_000,
                      coefs=[f.coef_ for f in fits], intercepts=[f.intercept_ for f in fits], r2=[f.score(A, y) for f in fits],
                      predTest=[f.predict(Xt) for f in fits]))
    enet_alphas = [0.5, 0.05]
    fits = [ElasticNet(alpha=a, l1_ratio=0.5, **tight).fit(A, y) for a in enet_alphas]
    cases.append(dict(name='elastic net', kind='enet', l1Ratio=0.5, X=A, y=y, Xtest=Xt, alphas=enet_alphas, tol=1e-14, maxIter=1_000_000,
                      coefs=[f.coef_ for f in fits], intercepts=[f.intercept_ for f in fits], r2=[f.score(A, y) for f in fits],
                      predTest=[f.predict(Xt) for f in fits]))
    fits = [Lasso(alpha=a, positive=True, **tight).fit(A, y) for a in [0.05]]
    cases.append(dict(name='positive lasso', kind='lasso', positive=True, X=A, y=y, Xtest=Xt, alphas=[0.05], tol=1e-14, maxIter=1_000_000,
                      coefs=[f.coef_ for f in fits], intercepts=[f.intercept_ for f in fits], r2=[f.score(A, y) for f in fits],
                      predTest=[f.predict(Xt) for f in fits]))
    # sklearn's default alpha grid (lasso_path on centered data = shendu's lassoPath with an intercept)
    Ac = A - A.mean(axis=0)
    yc = y - y.mean()
    path_alphas, path_coefs, _ = lasso_path(Ac, yc, n_alphas=8, eps=1e-2, tol=1e-14, max_iter=1_000_000)
    cases.append(dict(name='lasso default grid', kind='lassoGrid', X=A, y=y, nAlphas=8, eps=1e-2, tol=1e-14, maxIter=1_000_000,
                      alphas=path_alphas, coefs=path_coefs.T, intercepts=[y.mean() - A.mean(axis=0) @ c for c in path_coefs.T]))
    return cases


# ---- logistic regression ----------------------------------------------------------------------------------------

def logistic_cases():
    cases = []

    def fit(X, y, **kw):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            m = LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000, **kw).fit(X, y)
        # the optimum is reached: the gradient of sum_i loss_i + ||W||^2 / (2C) vanishes
        inv_c = 0.0 if kw.get('penalty', 'l2') is None else 1 / kw.get('C', 1.0)
        classes = m.classes_
        Y = (y[:, None] == classes[None, :]).astype(float)
        if len(classes) == 2:
            p = 1 / (1 + np.exp(-(X @ m.coef_[0] + m.intercept_[0])))
            r = (p - Y[:, 1])[:, None]
        else:
            z = X @ m.coef_.T + m.intercept_
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            r = p - Y
        g = r.T @ X + inv_c * m.coef_
        gb = r.sum(axis=0) if m.fit_intercept else np.zeros(1)
        assert max(np.abs(g).max(), np.abs(gb).max()) < 1e-8, (np.abs(g).max(), np.abs(gb).max())
        return m

    n, d = 80, 3
    X = rng.normal(size=(n, d))
    z = X @ np.array([1.5, -2.0, 0.5]) + 0.3
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    Xt = rng.normal(size=(6, d))
    for name, kw in [('binary C=1', dict(C=1.0)), ('binary C=0.1', dict(C=0.1)),
                     ('binary no intercept', dict(C=1.0, fit_intercept=False)), ('binary unpenalized', dict(penalty=None))]:
        m = fit(X, y, **kw)
        cases.append(dict(name=name, X=X, y=y, Xtest=Xt, C=kw.get('C', 1.0), penalty='none' if kw.get('penalty', 'l2') is None else 'l2',
                          fitIntercept=kw.get('fit_intercept', True), classes=m.classes_, coef=m.coef_, intercept=m.intercept_,
                          probaTest=m.predict_proba(Xt), predTest=m.predict(Xt), score=m.score(X, y)))
    # labels that are not 0/1
    m = fit(X, y * 5 + 2, C=1.0)
    cases.append(dict(name='binary labels 2 and 7', X=X, y=y * 5 + 2, Xtest=Xt, C=1.0, penalty='l2', fitIntercept=True,
                      classes=m.classes_, coef=m.coef_, intercept=m.intercept_, probaTest=m.predict_proba(Xt), predTest=m.predict(Xt),
                      score=m.score(X, y * 5 + 2)))
    n, d, K = 120, 4, 3
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(K, d)) * 1.5
    logits = X @ W.T + np.array([0.2, -0.1, 0.0])
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(K, p=pi) for pi in p])
    Xt = rng.normal(size=(6, d))
    for name, kw in [('multinomial C=1', dict(C=1.0)), ('multinomial C=0.05', dict(C=0.05)),
                     ('multinomial no intercept', dict(C=1.0, fit_intercept=False))]:
        m = fit(X, y, multi_class='multinomial', **kw)
        cases.append(dict(name=name, X=X, y=y, Xtest=Xt, C=kw['C'], penalty='l2', fitIntercept=kw.get('fit_intercept', True),
                          classes=m.classes_, coef=m.coef_, intercept=m.intercept_ - m.intercept_.mean(),
                          probaTest=m.predict_proba(Xt), predTest=m.predict(Xt), score=m.score(X, y)))
    return cases


# ---- k-means -------------------------------------------------------------------------------------------------------

def kmeans_cases():
    cases = []
    centers = np.array([[0, 0], [4, 1], [1, 5]])
    X = np.concatenate([c + rng.normal(0, 0.9, (25, 2)) for c in centers])
    Xt = rng.normal(2, 2, (8, 2))
    init = X[[0, 1, 2]]  # three points of the first blob: several iterations needed
    for tol in [1e-4, 0.0]:
        km = KMeans(n_clusters=3, init=init, n_init=1, tol=tol, algorithm='lloyd').fit(X)
        cases.append(dict(name=f'three blobs tol={tol}', X=X, init=init, tol=tol, maxIter=300, centers=km.cluster_centers_,
                          labels=km.labels_, inertia=km.inertia_, nIter=km.n_iter_, Xtest=Xt, predTest=km.predict(Xt),
                          transformTest=km.transform(Xt), scoreTest=km.score(Xt)))
    X5 = rng.normal(size=(60, 5)) + np.repeat(rng.normal(0, 3, (4, 5)), 15, axis=0)
    init5 = rng.normal(size=(4, 5))
    km = KMeans(n_clusters=4, init=init5, n_init=1, tol=1e-4, algorithm='lloyd').fit(X5)
    cases.append(dict(name='five dims k=4', X=X5, init=init5, tol=1e-4, maxIter=300, centers=km.cluster_centers_, labels=km.labels_,
                      inertia=km.inertia_, nIter=km.n_iter_, Xtest=X5[:5], predTest=km.predict(X5[:5]),
                      transformTest=km.transform(X5[:5]), scoreTest=km.score(X5[:5])))
    km = KMeans(n_clusters=3, init=init, n_init=1, max_iter=2, tol=0.0, algorithm='lloyd').fit(X)
    cases.append(dict(name='stopped at maxIter 2', X=X, init=init, tol=0.0, maxIter=2, centers=km.cluster_centers_, labels=km.labels_,
                      inertia=km.inertia_, nIter=km.n_iter_, Xtest=Xt, predTest=km.predict(Xt), transformTest=km.transform(Xt),
                      scoreTest=km.score(Xt)))
    return cases


# ---- hierarchical clustering -------------------------------------------------------------------------------------

def hac_cases():
    cases = []
    X = rng.normal(size=(30, 3))
    X[:10] += 3
    for method in ['ward', 'complete', 'average', 'single']:
        Z = hierarchy.linkage(X, method=method)
        ac = AgglomerativeClustering(n_clusters=3, linkage=method, compute_distances=True).fit(X)
        thr = float((Z[-3, 2] + Z[-2, 2]) / 2)  # between the 3rd- and 2nd-last merges: 3 clusters
        at = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, linkage=method).fit(X)
        a4 = AgglomerativeClustering(n_clusters=4, linkage=method).fit(X)
        if method != 'single':
            assert (ac.children_ == Z[:, :2].astype(int)).all()
        close(ac.distances_, Z[:, 2], 1e-12)
        cases.append(dict(name=method, X=X, method=method, Z=Z, children=Z[:, :2].astype(int), distances=Z[:, 2], counts=Z[:, 3].astype(int),
                          sklearnChildren=ac.children_, labels3=ac.labels_, threshold=thr, thresholdClusters=at.n_clusters_,
                          thresholdLabels=at.labels_, labels4=a4.labels_))
    return cases


def hac_metric_cases():
    """Other metrics (sklearn's metric=) and precomputed distances, for the linkages sklearn allows with them."""
    from scipy.spatial.distance import pdist, squareform
    cases = []
    X = rng.normal(size=(25, 3)) + np.array([2.0, 1.0, 0.5])
    X[:8] *= np.array([3.0, 0.2, 1.0])
    scipy_metric = {'l1': 'cityblock', 'manhattan': 'cityblock', 'cosine': 'cosine', 'l2': 'euclidean'}
    # a symmetric dissimilarity that is no metric: squared euclidean distances
    P = squareform(pdist(X, 'sqeuclidean'))
    for metric in ['manhattan', 'l1', 'cosine', 'l2', 'precomputed']:
        for method in ['complete', 'average', 'single']:
            data = P if metric == 'precomputed' else X
            y = squareform(P, checks=False) if metric == 'precomputed' else pdist(X, scipy_metric[metric])
            Z = hierarchy.linkage(y, method=method)
            ac = AgglomerativeClustering(n_clusters=3, metric=metric, linkage=method, compute_distances=True).fit(data)
            a4 = AgglomerativeClustering(n_clusters=4, metric=metric, linkage=method).fit(data)
            thr = float((Z[-3, 2] + Z[-2, 2]) / 2)
            at = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, metric=metric, linkage=method).fit(data)
            close(ac.distances_, Z[:, 2], 1e-12)
            assert (np.sort(ac.children_, axis=1) == Z[:, :2].astype(int)).all()
            cases.append(dict(name=f'{metric} {method}', X=data, metric=metric, method=method, Z=Z, sklearnChildren=ac.children_,
                              distances=ac.distances_, labels3=ac.labels_, labels4=a4.labels_, threshold=thr,
                              thresholdClusters=at.n_clusters_, thresholdLabels=at.labels_))
    return cases


# ---- sample weights, class weights, L1 and elastic-net logistic regression ----------------------------------------

def weighted_cases():
    cases = []
    n, d = 40, 3
    X = rng.normal(size=(n, d))
    y = X @ np.array([1.0, -2.0, 0.5]) + 1.5 + rng.normal(0, 0.5, n)
    Y2 = np.stack([y, X @ np.array([0.3, 0.0, -1.0]) + rng.normal(0, 0.3, n)], axis=1)
    sw = rng.uniform(0.1, 3.0, n)
    sw[:3] = 0.0  # zero weights drop samples
    Xt = rng.normal(size=(5, d))
    tight = dict(tol=1e-14, max_iter=1_000_000)
    for name, est, target in [
            ('linear', LinearRegression(), y), ('linear two targets', LinearRegression(), Y2),
            ('linear no intercept', LinearRegression(fit_intercept=False), y), ('ridge', Ridge(alpha=2.0), y),
            ('ridge two targets', Ridge(alpha=0.5), Y2), ('lasso', Lasso(alpha=0.05, **tight), y),
            ('elastic net', ElasticNet(alpha=0.1, l1_ratio=0.3, **tight), y)]:
        m = est.fit(X, target, sample_weight=sw)
        # zero weights are the same as dropping the samples; integer weights as repeating them
        keep = sw > 0
        close(type(est)(**est.get_params()).fit(X[keep], target[keep], sample_weight=sw[keep]).coef_, m.coef_, 1e-7)
        cases.append(dict(name=name, kind=type(est).__name__, params={k: v for k, v in est.get_params().items()
                                                                       if k in ('alpha', 'l1_ratio', 'fit_intercept')},
                          X=X, y=target, sampleWeight=sw, Xtest=Xt, coef=m.coef_, intercept=m.intercept_, predTest=m.predict(Xt)))
    # k-means from given centers
    centers = np.array([[0, 0], [4, 1], [1, 5]])
    Xk = np.concatenate([c + rng.normal(0, 1.0, (20, 2)) for c in centers])
    swk = rng.uniform(0.2, 4.0, 60)
    init = Xk[[0, 1, 25]]
    km = KMeans(n_clusters=3, init=init, n_init=1, tol=1e-4, algorithm='lloyd').fit(Xk, sample_weight=swk)
    cases.append(dict(name='kmeans', kind='KMeans', X=Xk, sampleWeight=swk, init=init, centers=km.cluster_centers_, labels=km.labels_,
                      inertia=km.inertia_, nIter=km.n_iter_))
    return cases


def logistic_weight_cases():
    cases = []

    def opt_check(m, X, y, sw, l1, l2):
        """KKT conditions of sum_i s_i loss_i + l1 |W|_1 + l2/2 |W|^2 at sklearn's solution."""
        classes = m.classes_
        Y = (y[:, None] == classes[None, :]).astype(float)
        if len(classes) == 2:
            p = 1 / (1 + np.exp(-(X @ m.coef_[0] + m.intercept_[0])))
            r = (p - Y[:, 1])[:, None]
        else:
            z = X @ m.coef_.T + m.intercept_
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            r = p - Y
        r = r * sw[:, None]
        g = r.T @ X + l2 * m.coef_
        W = m.coef_
        viol = np.where(W != 0, np.abs(g + l1 * np.sign(W)), np.maximum(np.abs(g) - l1, 0))
        gb = np.abs(r.sum(axis=0)).max() if m.fit_intercept else 0.0
        assert max(viol.max(), gb) < 1e-6, (viol.max(), gb)

    n, d = 100, 5
    X = rng.normal(size=(n, d))
    z = X @ np.array([2.0, -1.5, 0.0, 0.0, 0.8]) - 0.3
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    y3 = np.digitize(z + rng.normal(0, 0.7, n), [-1.0, 1.0])
    sw = rng.uniform(0.2, 2.5, n)
    Xt = rng.normal(size=(6, d))
    specs = [
        ('binary sample weights', y, dict(C=0.5), True, None),
        ('binary class weight balanced', y, dict(C=1.0, class_weight='balanced'), False, None),
        ('binary class weight map', y, dict(C=1.0, class_weight={0: 3.0, 1: 0.5}), True, None),
        ('multinomial sample weights', y3, dict(C=1.0), True, None),
        ('binary l1 C=0.2', y, dict(C=0.2, penalty='l1'), False, 'l1'),
        ('binary l1 weighted', y, dict(C=0.3, penalty='l1', class_weight='balanced'), True, 'l1'),
        ('binary elasticnet', y, dict(C=0.3, penalty='elasticnet', l1_ratio=0.6), False, 'elasticnet'),
        ('multinomial l1', y3, dict(C=0.2, penalty='l1'), False, 'l1'),
        ('multinomial elasticnet', y3, dict(C=0.5, penalty='elasticnet', l1_ratio=0.4), True, 'elasticnet'),
    ]
    for name, target, kw, weighted, pen in specs:
        s = sw if weighted else np.ones(n)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            if pen is None:
                m = LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000, **kw).fit(X, target, sample_weight=s)
            else:
                m = LogisticRegression(solver='saga', tol=1e-13, max_iter=1_000_000, **kw).fit(X, target, sample_weight=s)
        cw = kw.get('class_weight')
        full = s.copy()
        if cw == 'balanced':
            counts = np.bincount(np.searchsorted(m.classes_, target))
            full = full * (n / (len(m.classes_) * counts))[np.searchsorted(m.classes_, target)]
        elif cw is not None:
            full = full * np.array([cw[c] for c in target])
        C = kw['C']
        l1r = 1.0 if pen == 'l1' else kw.get('l1_ratio', 0.0)
        opt_check(m, X, target, full, l1r / C, (1 - l1r) / C)
        cases.append(dict(name=name, X=X, y=target, sampleWeight=s if weighted else None, C=C, penalty=kw.get('penalty', 'l2'),
                          l1Ratio=kw.get('l1_ratio'), classWeight=None if cw is None else (cw if cw == 'balanced' else {str(k): v for k, v in cw.items()}),
                          classes=m.classes_, coef=m.coef_, intercept=m.intercept_ - (m.intercept_.mean() if len(m.classes_) > 2 else 0),
                          Xtest=Xt, probaTest=m.predict_proba(Xt)))
    return cases


# ---- PCA -------------------------------------------------------------------------------------------------------------

def pca_cases():
    cases = []
    n, d = 40, 6
    X = rng.normal(size=(n, d)) @ np.diag([5, 3, 2, 1, 0.5, 0.1]) @ np.linalg.qr(rng.normal(size=(d, d)))[0] + rng.normal(0, 1, d)
    Xt = rng.normal(size=(5, d)) * 2
    for name, kw in [('three components', dict(n_components=3)), ('all components', dict(n_components=None)),
                     ('whitened', dict(n_components=3, whiten=True)), ('variance fraction 0.9', dict(n_components=0.9))]:
        p = PCA(svd_solver='full', **kw).fit(X)
        Zt = p.transform(Xt)
        cases.append(dict(name=name, X=X, Xtest=Xt, nComponents=kw.get('n_components'), whiten=kw.get('whiten', False),
                          components=p.components_, explainedVariance=p.explained_variance_, ratio=p.explained_variance_ratio_,
                          singular=p.singular_values_, mean=p.mean_, noiseVariance=p.noise_variance_, k=p.n_components_,
                          transformTest=Zt, inverseTest=p.inverse_transform(Zt), transformTrain=p.transform(X)))
    # many samples, few features: shendu's 'auto' picks the covariance solver here
    Xb = rng.normal(size=(80, 4)) @ np.diag([4, 2, 1, 0.3]) + 1
    p = PCA(n_components=2, svd_solver='full').fit(Xb)
    cases.append(dict(name='tall (covariance solver)', X=Xb, Xtest=Xb[:3], nComponents=2, whiten=False, components=p.components_,
                      explainedVariance=p.explained_variance_, ratio=p.explained_variance_ratio_, singular=p.singular_values_,
                      mean=p.mean_, noiseVariance=p.noise_variance_, k=p.n_components_, transformTest=p.transform(Xb[:3]),
                      inverseTest=p.inverse_transform(p.transform(Xb[:3])), transformTrain=p.transform(Xb)))
    return cases


def pca_more_cases():
    """The randomized solver (compared up to sign with sklearn's) and the probabilistic model's log-likelihood."""
    cases = []
    n, d = 150, 40
    spectrum = np.concatenate([[12, 9, 7, 5, 4], 0.5 * 0.9 ** np.arange(d - 5)])
    X = (rng.normal(size=(n, d)) * spectrum) @ np.linalg.qr(rng.normal(size=(d, d)))[0] + rng.normal(0, 1, d)
    Xt = rng.normal(size=(6, d)) * 3
    for k in [3, 5]:
        p = PCA(n_components=k, svd_solver='randomized', random_state=0).fit(X)
        f = PCA(n_components=k, svd_solver='full').fit(X)
        close(np.abs(p.components_), np.abs(f.components_), 1e-8)
        close(p.noise_variance_, f.noise_variance_, 1e-10)
        cases.append(dict(name=f'randomized k={k}', kind='randomized', X=X, nComponents=k, components=p.components_,
                          explainedVariance=p.explained_variance_, ratio=p.explained_variance_ratio_, singular=p.singular_values_,
                          noiseVariance=p.noise_variance_, Xtest=Xt, transformTest=p.transform(Xt)))
    Xs = X[:, :8]
    for name, kw in [('score k=3', dict(n_components=3)), ('score k=7', dict(n_components=7)), ('score all of 8', dict(n_components=None))]:
        p = PCA(svd_solver='full', **kw).fit(Xs)
        cases.append(dict(name=name, kind='score', X=Xs, nComponents=kw['n_components'], Xtest=Xt[:, :8], covariance=p.get_covariance(),
                          scoreSamples=p.score_samples(Xt[:, :8]), score=p.score(Xt[:, :8]), scoreTrain=p.score(Xs)))
    return cases


def cv_cases():
    """RidgeCV (leave-one-out and k folds), LassoCV (k folds), LogisticRegressionCV (stratified folds)."""
    from sklearn.linear_model import LassoCV, LogisticRegressionCV, RidgeCV
    cases = []
    n, d = 30, 4
    X = rng.normal(size=(n, d))
    y = X @ np.array([1.0, 0.0, -0.5, 2.0]) + 0.5 + rng.normal(0, 1.0, n)
    Y2 = np.stack([y, X @ np.array([0.0, 1.0, 1.0, 0.0]) + rng.normal(0, 2.0, n)], axis=1)
    sw = rng.uniform(0.2, 3.0, n)
    alphas = [0.01, 0.1, 1.0, 3.0, 10.0, 30.0, 100.0]
    for name, target, kw, w in [('ridge loo', y, {}, None), ('ridge loo weighted', y, {}, sw), ('ridge loo two targets', Y2, {}, None),
                                ('ridge loo no intercept', y, dict(fit_intercept=False), None), ('ridge 5 folds', y, dict(cv=5), None),
                                ('ridge 4 folds weighted', y, dict(cv=4), sw)]:
        m = RidgeCV(alphas=alphas, store_cv_values='cv' not in kw, **kw).fit(X, target, sample_weight=w)
        scores = -m.cv_values_.reshape(n, -1, len(alphas)).mean(axis=(0, 1)) if 'cv' not in kw else None
        cases.append(dict(name=name, kind='ridge', X=X, y=target, sampleWeight=w, alphas=alphas, cv=kw.get('cv'),
                          fitIntercept=kw.get('fit_intercept', True), alpha=m.alpha_, bestScore=m.best_score_, cvScores=scores,
                          coef=m.coef_, intercept=m.intercept_))
    n, d = 60, 6
    X = rng.normal(size=(n, d))
    y = X @ np.array([1.5, 0.0, 0.0, -1.0, 0.3, 0.0]) + 2.0 + rng.normal(0, 1.0, n)
    sw = rng.uniform(0.2, 3.0, n)
    for name, kw, w in [('lasso default grid', dict(n_alphas=20, cv=5), None), ('lasso given alphas 3 folds', dict(alphas=[0.01, 0.05, 0.2, 0.5, 1.0], cv=3), None),
                        ('lasso weighted', dict(n_alphas=15, cv=4), sw)]:
        m = LassoCV(tol=1e-12, max_iter=1_000_000, **kw).fit(X, y, sample_weight=w)
        cases.append(dict(name=name, kind='lasso', X=X, y=y, sampleWeight=w, nAlphas=kw.get('n_alphas'), givenAlphas=kw.get('alphas'),
                          cv=kw['cv'], alpha=m.alpha_, alphas=m.alphas_, msePath=m.mse_path_, coef=m.coef_, intercept=m.intercept_))
    n, d = 120, 3
    X = rng.normal(size=(n, d))
    z = X @ np.array([1.0, -1.5, 0.5]) + 0.2
    yb = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    y3 = np.digitize(z + rng.normal(0, 1.0, n), [-0.8, 0.8])
    sw = rng.uniform(0.2, 3.0, n)
    for name, target, kw, w in [('logistic binary', yb, dict(Cs=6, cv=4), None), ('logistic multinomial', y3, dict(Cs=[0.01, 0.1, 1.0, 10.0], cv=3), None),
                                ('logistic weighted balanced', yb, dict(Cs=5, cv=5, class_weight='balanced'), sw)]:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            m = LogisticRegressionCV(solver='newton-cg', tol=1e-12, max_iter=10000, **kw).fit(X, target, sample_weight=w)
        cases.append(dict(name=name, kind='logistic', X=X, y=target, sampleWeight=w, Cs=kw['Cs'], cv=kw['cv'], classWeight=kw.get('class_weight'),
                          C=m.C_[0], allCs=m.Cs_, scores=m.scores_[m.classes_[1]], coef=m.coef_,
                          intercept=m.intercept_ - (m.intercept_.mean() if len(m.classes_) > 2 else 0)))
    return cases


def minibatch_cases():
    """MiniBatchKMeans inertias over ten seeds (the random streams differ from shendu's: compared statistically)."""
    from sklearn.cluster import MiniBatchKMeans
    cases = []
    centers = rng.normal(0, 4, (6, 3))
    X = np.concatenate([c + rng.normal(0, 1.5, (300, 3)) for c in centers])
    sw = rng.uniform(0.2, 3.0, len(X))
    for name, w, kw in [('six blobs', None, dict(batch_size=100)), ('six blobs weighted', sw, dict(batch_size=100)),
                        ('six blobs batch 256 random init', None, dict(batch_size=256, init='random'))]:
        full = KMeans(n_clusters=6, n_init=10, random_state=0).fit(X, sample_weight=w)
        inertias, steps = [], []
        for seed in range(10):
            m = MiniBatchKMeans(n_clusters=6, n_init=3, random_state=seed, **kw).fit(X, sample_weight=w)
            inertias.append(m.inertia_)
            steps.append(m.n_steps_)
        cases.append(dict(name=name, X=X, sampleWeight=w, batchSize=kw['batch_size'], init=kw.get('init', 'k-means++'),
                          fullInertia=full.inertia_, inertias=inertias, nSteps=steps))
    return cases


# ---- metrics -----------------------------------------------------------------------------------------------------------

def metrics_cases():
    cases = []
    a = rng.integers(0, 3, 50)
    b = rng.integers(0, 4, 50)
    c = (a + 1) % 3 * 10  # a renamed
    d = a.copy()
    d[:8] = rng.integers(0, 3, 8)
    for name, (u, v) in {'random labelings': (a, b), 'renamed': (a, c), 'perturbed': (a, d), 'one cluster': (a, np.zeros(50, int)),
                         'both one cluster': (np.zeros(10, int), np.zeros(10, int)), 'all singletons': (np.arange(12), np.arange(12)[::-1])}.items():
        cases.append(dict(name=name, kind='clustering', a=u, b=v, ari=adjusted_rand_score(u, v), ri=rand_score(u, v),
                          nmi=normalized_mutual_info_score(u, v)))
    yt = rng.normal(size=(30, 2))
    yp = yt + rng.normal(0, 0.5, (30, 2)) * np.array([1, 3])
    cases.append(dict(name='regression two targets', kind='regression', yTrue=yt, yPred=yp,
                      r2=r2_score(yt, yp), r2Raw=r2_score(yt, yp, multioutput='raw_values'),
                      r2Weighted=r2_score(yt, yp, multioutput='variance_weighted'), mse=mean_squared_error(yt, yp),
                      mae=mean_absolute_error(yt, yp)))
    cases.append(dict(name='regression one target', kind='regression', yTrue=yt[:, 0], yPred=yp[:, 0], r2=r2_score(yt[:, 0], yp[:, 0]),
                      r2Raw=[r2_score(yt[:, 0], yp[:, 0])], r2Weighted=r2_score(yt[:, 0], yp[:, 0]),
                      mse=mean_squared_error(yt[:, 0], yp[:, 0]), mae=mean_absolute_error(yt[:, 0], yp[:, 0])))
    return cases


def lu_permute_l_cases():
    """scipy's lu(y, permute_l=True)[0] (P L), the randomized PCA's power-iteration normalizer, for tall matrices."""
    from scipy import linalg
    cases = []
    for m, c in [(9, 3), (40, 6), (5, 5)]:
        y = rng.normal(size=(m, c))
        cases.append(dict(name=f'{m}x{c}', y=y, pl=linalg.lu(y, permute_l=True)[0]))
    y = rng.normal(size=(7, 3))
    y[:, 1] = 0  # a zero column: no pivot to eliminate with
    cases.append(dict(name='7x3 with a zero column', y=y, pl=linalg.lu(y, permute_l=True)[0]))
    return cases


if __name__ == '__main__':
    # every family is computed in order (the random draws depend on it); only those named on the command line
    # (all by default) are written, so a new family leaves the others' files alone
    only = set(sys.argv[1:])
    for family, make in [('linear', linear_cases), ('regularized', regularized_cases), ('logistic', logistic_cases),
                         ('kmeans', kmeans_cases), ('hac', hac_cases), ('pca', pca_cases), ('metrics', metrics_cases),
                         ('hac_metrics', hac_metric_cases), ('weighted', weighted_cases), ('logistic_weights', logistic_weight_cases),
                         ('pca_more', pca_more_cases), ('cv', cv_cases),
                         ('minibatch', minibatch_cases), ('lu_permute_l', lu_permute_l_cases)]:
        cases = make()
        if not only or family in only:
            write(family, cases)
