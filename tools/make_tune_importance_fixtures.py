"""Reference parameter importances from Optuna 3.1's FanovaImportanceEvaluator (random forest + fANOVA) for
shendu's tune importance tests.

Two fixed sets of trials (parameters drawn with a seeded NumPy generator, values from a known function):
  - 'mixed': x float [-2, 2] matters a lot (x^2), opt categorical {adam, sgd, rmsprop} matters some (+0, +1.5, +0.5),
    lr float log [1e-4, 1e-1] matters a little (+0.6 * (log10(lr) + 4) / 3), units int [1, 8] not at all;
  - 'linear': a, b, c floats in [0, 1], value 3a + b (c not at all).
For each set Optuna's importances for seeds 0..9 of the forest are written, so a test can compare with their
mean and spread.

Run with /usr/bin/python3 tools/make_tune_importance_fixtures.py; writes test/fixtures/tune-importance.json."""
import math
import os
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances

sys.path.insert(0, os.path.dirname(__file__))
from fixture_json import write_json_atomic  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
SEEDS = list(range(10))


def mixed(n, seed):
    rng = np.random.RandomState(seed)
    dists = {
        'x': FloatDistribution(-2.0, 2.0),
        'opt': CategoricalDistribution(['adam', 'sgd', 'rmsprop']),
        'lr': FloatDistribution(1e-4, 1e-1, log=True),
        'units': IntDistribution(1, 8),
    }
    shift = {'adam': 0.0, 'sgd': 1.5, 'rmsprop': 0.5}
    trials = []
    for _ in range(n):
        p = {
            'x': round(float(rng.uniform(-2, 2)), 6),
            'opt': ['adam', 'sgd', 'rmsprop'][rng.randint(3)],
            'lr': float('%.6g' % math.exp(rng.uniform(math.log(1e-4), math.log(1e-1)))),
            'units': int(rng.randint(1, 9)),
        }
        value = p['x'] ** 2 + shift[p['opt']] + 0.6 * (math.log10(p['lr']) + 4) / 3
        trials.append((p, round(value, 9)))
    return dists, trials


def linear(n, seed):
    rng = np.random.RandomState(seed)
    dists = {k: FloatDistribution(0.0, 1.0) for k in 'abc'}
    trials = []
    for _ in range(n):
        p = {k: round(float(rng.uniform(0, 1)), 6) for k in 'abc'}
        trials.append((p, round(3 * p['a'] + p['b'], 9)))
    return dists, trials


def dist_json(d):
    if isinstance(d, CategoricalDistribution):
        return {'kind': 'categorical', 'choices': list(d.choices)}
    kind = 'float' if isinstance(d, FloatDistribution) else 'int'
    step = d.step if kind == 'int' else d.step
    return {'kind': kind, 'low': d.low, 'high': d.high, 'log': d.log, 'step': step}


def case(name, dists, trials):
    study = optuna.create_study()
    study.add_trials([optuna.trial.create_trial(params=p, distributions=dists, value=v) for p, v in trials])
    by_seed = [get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=s)) for s in SEEDS]
    names = list(dists)
    mean = {k: float(np.mean([imp[k] for imp in by_seed])) for k in names}
    return {
        'name': name,
        'distributions': {k: dist_json(d) for k, d in dists.items()},
        'trials': [{'params': p, 'value': v} for p, v in trials],
        'seeds': SEEDS,
        'importances': [{k: round(float(imp[k]), 6) for k in names} for imp in by_seed],
        'mean': {k: round(v, 6) for k, v in mean.items()},
        'ranking': sorted(names, key=lambda k: -mean[k]),
    }


def main():
    cases = [case('mixed', *mixed(80, 0)), case('linear', *linear(60, 1))]
    for c in cases:
        print(c['name'], c['ranking'], c['mean'])
    out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'tune-importance.json')
    write_json_atomic(os.path.normpath(out), {'optuna': optuna.__version__, 'cases': cases})


if __name__ == '__main__':
    main()
