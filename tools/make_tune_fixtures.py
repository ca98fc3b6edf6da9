"""Reference values from Optuna 3.1 for shendu's tune tests: pruning decisions on hand-made intermediate values
(median/percentile, successive halving, Hyperband) and TPE's Parzen estimator log densities.

Run with /usr/bin/python3 tools/make_tune_fixtures.py; writes test/fixtures/tune.json."""
import math
import os
import sys

import numpy as np
import optuna
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_gamma, default_weights

sys.path.insert(0, os.path.dirname(__file__))
from fixture_json import write_json_atomic  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def curves(n_trials, n_steps, seed):
    """Learning-curve-like intermediate values: a level per trial, decaying towards it, with a little noise."""
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(n_trials):
        level = rng.uniform(0.1, 1.0)
        amp = rng.uniform(0.5, 2.0)
        out.append([round(float(level + amp / (s + 1) + rng.normal(0, 0.02)), 6) for s in range(n_steps)])
    return out


def run_case(name, pruner, kind, options, values, direction='minimize', study_name='fixture'):
    """Runs trials one after another, reporting values[i][s] until pruned; records the step each was pruned at."""
    study = optuna.create_study(direction=direction, pruner=pruner, study_name=study_name)
    pruned_at = []
    for curve in values:
        trial = study.ask()
        at = None
        for step, v in enumerate(curve):
            trial.report(v, step)
            if trial.should_prune():
                at = step
                break
        if at is None:
            study.tell(trial, curve[-1])
        else:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        pruned_at.append(at)
    return {'name': name, 'kind': kind, 'options': options, 'direction': direction, 'studyName': study_name,
            'values': values, 'prunedAt': pruned_at}


def pruner_cases():
    P = optuna.pruners
    return [
        run_case('median defaults', P.MedianPruner(), 'median', {}, curves(12, 8, 0)),
        run_case('median warmup 2 interval 2, maximize', P.MedianPruner(n_startup_trials=3, n_warmup_steps=2, interval_steps=2),
                 'median', {'nStartupTrials': 3, 'nWarmupSteps': 2, 'intervalSteps': 2},
                 [[-v for v in c] for c in curves(12, 8, 1)], direction='maximize'),
        run_case('percentile 25, nMinTrials 3', P.PercentilePruner(25.0, n_startup_trials=2, n_min_trials=3), 'percentile',
                 {'percentile': 25.0, 'nStartupTrials': 2, 'nMinTrials': 3}, curves(12, 6, 2)),
        run_case('sha minResource 1, factor 3', P.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3), 'sha',
                 {'minResource': 1, 'reductionFactor': 3}, curves(15, 10, 3)),
        run_case('sha auto, factor 2, rate 1', P.SuccessiveHalvingPruner(reduction_factor=2, min_early_stopping_rate=1), 'sha',
                 {'reductionFactor': 2, 'minEarlyStoppingRate': 1}, curves(15, 12, 4)),
        run_case('sha maximize, bootstrap 2', P.SuccessiveHalvingPruner(min_resource=2, reduction_factor=2, bootstrap_count=2), 'sha',
                 {'minResource': 2, 'reductionFactor': 2, 'bootstrapCount': 2}, [[-v for v in c] for c in curves(12, 10, 5)],
                 direction='maximize'),
        run_case('hyperband 1..9 factor 3', P.HyperbandPruner(min_resource=1, max_resource=9, reduction_factor=3), 'hyperband',
                 {'minResource': 1, 'maxResource': 9, 'reductionFactor': 3}, curves(24, 9, 6), study_name='hb-study'),
        run_case('hyperband auto factor 2', P.HyperbandPruner(min_resource=1, reduction_factor=2), 'hyperband',
                 {'minResource': 1, 'reductionFactor': 2}, curves(24, 16, 7), study_name='hb-auto'),
    ]


def _logpdf_with_scale(x, a, b, loc=0, scale=1):
    """Optuna 3.1's truncnorm.logpdf omits the -log(scale) term of the density (later Optuna adds it); shendu uses
    the true density, so the reference is computed with the term restored (logPdfAsShipped keeps 3.1's value)."""
    return _SHIPPED_LOGPDF(x, a, b, loc=loc, scale=scale) - np.log(scale)


_SHIPPED_LOGPDF = _truncnorm.logpdf


def parzen_cases():
    params = _ParzenEstimatorParameters(consider_prior=True, prior_weight=1.0, consider_magic_clip=True,
                                        consider_endpoints=False, weights=default_weights, multivariate=False)
    D = optuna.distributions
    rng = np.random.RandomState(0)
    specs = [
        ('float', {'kind': 'float', 'low': -2.0, 'high': 3.0, 'log': False, 'step': None}, D.FloatDistribution(-2.0, 3.0),
         rng.uniform(-2, 3, 7), np.linspace(-2, 3, 11)),
        ('float log', {'kind': 'float', 'low': 1e-4, 'high': 1.0, 'log': True, 'step': None}, D.FloatDistribution(1e-4, 1.0, log=True),
         np.exp(rng.uniform(math.log(1e-4), 0, 30)), np.exp(np.linspace(math.log(1e-4), 0, 9))),
        ('float step', {'kind': 'float', 'low': 0.0, 'high': 1.0, 'log': False, 'step': 0.25}, D.FloatDistribution(0.0, 1.0, step=0.25),
         np.array([0.25, 0.5, 0.5, 1.0]), np.array([0.0, 0.25, 0.5, 0.75, 1.0])),
        ('int', {'kind': 'int', 'low': 1, 'high': 9, 'log': False, 'step': 2}, D.IntDistribution(1, 9, step=2),
         np.array([3, 3, 5, 9, 1]), np.array([1, 3, 5, 7, 9])),
        ('int log', {'kind': 'int', 'low': 1, 'high': 64, 'log': True, 'step': 1}, D.IntDistribution(1, 64, log=True),
         np.array([2, 4, 33, 64]), np.array([1, 2, 8, 30, 64])),
        ('categorical', {'kind': 'categorical', 'choices': ['a', 'b', 'c']}, D.CategoricalDistribution(['a', 'b', 'c']),
         np.array([0, 2, 2, 1, 2]), np.array([0, 1, 2])),
        ('empty', {'kind': 'float', 'low': 0.0, 'high': 1.0, 'log': False, 'step': None}, D.FloatDistribution(0.0, 1.0),
         np.array([]), np.array([0.0, 0.3, 1.0])),
    ]
    out = []
    for name, dist_json, dist, obs, xs in specs:
        pe = _ParzenEstimator({'x': np.asarray(obs, dtype=float)}, {'x': dist}, params)
        samples = {'x': np.asarray(xs, dtype=int if name == 'categorical' else float)}
        shipped = pe.log_pdf(samples)
        original = _truncnorm.logpdf
        _truncnorm.logpdf = _logpdf_with_scale
        try:
            fixed = pe.log_pdf(samples)
        finally:
            _truncnorm.logpdf = original
        out.append({'name': name, 'dist': dist_json, 'observations': [float(v) for v in obs], 'xs': [float(v) for v in xs],
                    'logPdf': [float(v) for v in fixed], 'logPdfAsShipped': [float(v) for v in shipped]})
    return out


def main():
    data = {
        'optuna': optuna.__version__,
        'pruners': pruner_cases(),
        'parzen': parzen_cases(),
        'gamma': [[n, default_gamma(n)] for n in (1, 9, 10, 11, 100, 300)],
        'weights': {str(n): [float(v) for v in default_weights(n)] for n in (0, 3, 26, 40)},
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'tune.json')
    write_json_atomic(path, data)
    print('wrote', path, sum(len(c['prunedAt']) for c in data['pruners']), 'pruning decisions,', len(data['parzen']), 'Parzen cases')


if __name__ == '__main__':
    main()
