"""Reference values from Optuna 3.1's TPE for shendu's TPESampler beyond the log densities of make_tune_fixtures.py:
the truncated normal's quantile function (what candidates are drawn through), the Parzen estimators' mixture weights,
centres and bandwidths (ties, the ramp of weights past 25 observations, endpoints, magic clip, prior weight, int /
log / step parameters), the split of trials into good and bad (pruned trials, NaN intermediate values, maximize),
and a replay: Optuna's own TPE history on the 5-D Rosenbrock, with the estimators it builds for trial 40 and their
l(x)/g(x) on a grid.

Run with /usr/bin/python3 tools/make_tpe_fixtures.py; writes test/fixtures/tpe.json."""
import math
import os
import sys

import numpy as np
import optuna
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma, default_weights
from optuna.trial import TrialState, create_trial

sys.path.insert(0, os.path.dirname(__file__))
from fixture_json import write_json_atomic  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
D = optuna.distributions


def ppf_cases():
    rng = np.random.RandomState(0)
    ab = [(-1.0, 1.0), (0.0, 3.0), (-3.0, 0.0), (0.0, 9.0), (-9.0, 0.0), (-0.2, 8.0), (-8.0, 0.3), (-0.5, 0.5), (0.0, 0.01),
          (-6.0, 6.0), (-0.01, 25.0)]
    out = []
    for a, b in ab:
        for q in [0.0, 0.001, *np.round(rng.uniform(0, 1, 3), 6), 0.999, 1.0]:
            out.append([float(q), a, b, float(_truncnorm.ppf(np.array([q]), a, b)[0])])
    return out


def dist_json(dist):
    if isinstance(dist, D.CategoricalDistribution):
        return {'kind': 'categorical', 'choices': list(dist.choices)}
    if isinstance(dist, D.IntDistribution):
        return {'kind': 'int', 'low': dist.low, 'high': dist.high, 'log': dist.log, 'step': dist.step}
    return {'kind': 'float', 'low': dist.low, 'high': dist.high, 'log': dist.log, 'step': dist.step}


def estimator_json(pe, name='x'):
    out = {'weights': [float(w) for w in pe._weights]}
    if pe._mus[name] is not None:
        out.update({'mus': [float(m) for m in pe._mus[name]], 'sigmas': [float(s) for s in pe._sigmas[name]],
                    'low': float(pe._low[name]), 'high': float(pe._high[name])})
    else:
        out['categoricalWeights'] = [[float(v) for v in row] for row in pe._categorical_weights[name]]
    return out


def parzen_cases():
    rng = np.random.RandomState(1)
    base = dict(consider_prior=True, prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=default_weights,
                multivariate=False)
    specs = [
        ('40 floats: ramp of weights', D.FloatDistribution(-2.0, 2.0), rng.uniform(-2, 2, 40), {}),
        ('ties', D.FloatDistribution(0.0, 1.0), np.array([0.3, 0.3, 0.3, 0.7, 0.7, 0.1]), {}),
        ('one observation', D.FloatDistribution(0.0, 10.0), np.array([9.5]), {}),
        ('no observation', D.FloatDistribution(0.0, 10.0), np.array([]), {}),
        ('endpoints', D.FloatDistribution(0.0, 1.0), rng.uniform(0, 1, 8), {'consider_endpoints': True}),
        ('no magic clip', D.FloatDistribution(0.0, 1.0), np.array([0.5, 0.5001, 0.9]), {'consider_magic_clip': False}),
        ('prior weight 2.5', D.FloatDistribution(-1.0, 1.0), rng.uniform(-1, 1, 5), {'prior_weight': 2.5}),
        ('no prior', D.FloatDistribution(-1.0, 1.0), rng.uniform(-1, 1, 5), {'consider_prior': False}),
        ('float log', D.FloatDistribution(1e-5, 1e-1, log=True), np.exp(rng.uniform(math.log(1e-5), math.log(1e-1), 12)), {}),
        ('float step', D.FloatDistribution(0.0, 2.0, step=0.5), np.array([0.5, 1.5, 2.0, 2.0]), {}),
        ('int step 3', D.IntDistribution(0, 30, step=3), np.array([0, 3, 27, 30, 15]), {}),
        ('int log', D.IntDistribution(2, 200, log=True), np.array([2, 3, 50, 199]), {}),
        ('categorical, prior 2', D.CategoricalDistribution(['a', 'b', 'c', 'd']), np.array([0, 3, 3, 1]), {'prior_weight': 2.0}),
    ]
    out = []
    for name, dist, obs, over in specs:
        p = _ParzenEstimatorParameters(**{**base, **over})
        pe = _ParzenEstimator({'x': np.asarray(obs, dtype=float)}, {'x': dist}, p)
        opts = {'considerPrior': p.consider_prior, 'priorWeight': p.prior_weight, 'considerMagicClip': p.consider_magic_clip,
                'considerEndpoints': p.consider_endpoints}
        out.append({'name': name, 'dist': dist_json(dist), 'options': opts, 'observations': [float(v) for v in obs],
                    'estimator': estimator_json(pe)})
    return out


def trial_json(t):
    return {'state': t.state.name.lower(), 'value': None if t.value is None else float(t.value), 'params': {k: float(v) for k, v in t.params.items()},
            'intermediate': [[int(s), None if math.isnan(v) else float(v)] for s, v in sorted(t.intermediate_values.items())]}


def split_cases():
    dist = D.FloatDistribution(0.0, 1.0)
    rng = np.random.RandomState(2)
    out = []
    for direction, n in (('minimize', 14), ('maximize', 14), ('minimize', 30)):
        study = optuna.create_study(direction=direction)
        for i in range(n):
            kind = i % 5
            x = float(np.round(rng.uniform(0, 1), 4))
            if kind == 3:   # pruned at a random step, sometimes with a NaN there
                step = int(rng.randint(0, 4))
                iv = {s: float(np.round(rng.uniform(0, 2), 4)) for s in range(step + 1)}
                if rng.rand() < 0.3:
                    iv[step] = float('nan')
                t = create_trial(state=TrialState.PRUNED, params={'x': x}, distributions={'x': dist}, intermediate_values=iv)
            elif kind == 4 and i % 10 == 4:  # pruned before reporting anything
                t = create_trial(state=TrialState.PRUNED, params={'x': x}, distributions={'x': dist})
            else:
                t = create_trial(state=TrialState.COMPLETE, value=float(np.round(rng.uniform(0, 2), 4)), params={'x': x}, distributions={'x': dist})
            study.add_trial(t)
        values, scores, violations = _get_observation_pairs(study, ['x'])
        nb = default_gamma(len(scores))
        below, _ = _split_observation_pairs(scores, nb, violations)
        out.append({'direction': direction, 'trials': [trial_json(t) for t in study.trials], 'nBelow': nb, 'below': [int(i) for i in below]})
    return out


def rosenbrock5(t):
    x = [t.suggest_float(f'x{i}', -2.048, 2.048) for i in range(5)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


def replay_case():
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(rosenbrock5, n_trials=40)
    sampler = optuna.samplers.TPESampler()
    p = sampler._parzen_estimator_parameters
    values, scores, violations = _get_observation_pairs(study, ['x0'])
    n = len(scores)
    below_idx, above_idx = _split_observation_pairs(scores, sampler._gamma(n), violations)
    dist = D.FloatDistribution(-2.048, 2.048)
    xs = np.linspace(-2.048, 2.048, 9)
    params = {}
    for i in range(5):
        name = f'x{i}'
        vals = np.asarray([t.params[name] for t in study.trials], dtype=float)
        l = _ParzenEstimator({name: vals[below_idx]}, {name: dist}, p)
        g = _ParzenEstimator({name: vals[above_idx]}, {name: dist}, p)
        score = l.log_pdf({name: xs}) - g.log_pdf({name: xs})
        params[name] = {'below': estimator_json(l, name), 'above': estimator_json(g, name), 'score': [float(v) for v in score]}
    return {'objective': 'rosenbrock5', 'dist': dist_json(dist), 'trials': [trial_json(t) for t in study.trials],
            'below': [int(i) for i in below_idx], 'xs': [float(v) for v in xs], 'params': params}


def main():
    data = {'optuna': optuna.__version__, 'ppf': ppf_cases(), 'parzen': parzen_cases(), 'split': split_cases(), 'replay': replay_case()}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'tpe.json')
    write_json_atomic(path, data)
    print('wrote', path, len(data['ppf']), 'quantiles,', len(data['parzen']), 'estimators,', len(data['split']), 'splits, one replay')


if __name__ == '__main__':
    main()
