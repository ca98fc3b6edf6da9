#!/usr/bin/env python3
"""Writes test/fixtures/optim/optimizers_extra.json: PyTorch 1.13's trajectories of Adamax, NAdam, RAdam,
ASGD, Rprop and SparseAdam on the problem of tools/make_optim_fixtures.py (whose helpers this script
shares), SparseAdam on an embedding whose steps touch few rows, and LBFGS on the Rosenbrock function and a
least-squares fit, with and without the strong-Wolfe line search.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/make_optim_extra_fixtures.py
CI never runs this: it reads the committed JSON. Everything is float64.
"""
import os
import sys

import torch
import torch.optim as optim

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_optim_fixtures import PROBLEM, STEPS, flat, kw, run_optimizer, write_json  # noqa: E402

torch.manual_seed(7)


def extra_opt_cases():
    """Adamax, NAdam, RAdam, ASGD, Rprop and SparseAdam on the same problem (optimizers_extra.json)."""
    cases = []

    def add(optimizer, name, options, groups=None, negate=False):
        cases.append(dict(name=f'{optimizer}: {name}', optimizer=optimizer, options=options, groups=groups, negate=negate))

    add('Adamax', 'defaults', {})
    add('Adamax', 'betas + eps', {'lr': 0.05, 'betas': [0.8, 0.9], 'eps': 1e-3})
    add('Adamax', 'weight decay', {'lr': 0.02, 'weightDecay': 0.1})
    add('Adamax', 'maximize', {'lr': 0.02, 'maximize': True}, negate=True)
    add('Adamax', 'two groups', {'lr': 0.01}, groups=[{'betas': [0.5, 0.9]}, {'lr': 0.05, 'weightDecay': 0.2}])

    add('NAdam', 'defaults', {})
    add('NAdam', 'momentum decay', {'lr': 0.05, 'momentumDecay': 0.05})
    add('NAdam', 'betas + weight decay + eps', {'lr': 0.02, 'betas': [0.8, 0.95], 'weightDecay': 0.1, 'eps': 1e-4})
    add('NAdam', 'two groups', {'lr': 0.01}, groups=[{'momentumDecay': 0.01}, {'lr': 0.05, 'weightDecay': 0.2}])

    # rho_t > 5 from step 6 with beta2 0.999; with beta2 0.5 rho_inf = 3 and the rectified branch never runs
    add('RAdam', 'defaults', {})
    add('RAdam', 'lr + betas', {'lr': 0.05, 'betas': [0.8, 0.99]})
    add('RAdam', 'weight decay + eps', {'lr': 0.02, 'weightDecay': 0.1, 'eps': 1e-4})
    add('RAdam', 'two groups', {'lr': 0.01}, groups=[{'betas': [0.9, 0.5]}, {'lr': 0.05, 'weightDecay': 0.2}])

    add('ASGD', 'defaults', {})
    add('ASGD', 'averaging from step 5', {'lr': 0.05, 'lambd': 1e-2, 'alpha': 0.5, 't0': 5})
    add('ASGD', 'weight decay', {'lr': 0.05, 'weightDecay': 0.1, 't0': 3})
    add('ASGD', 'maximize', {'lr': 0.02, 'maximize': True, 't0': 10}, negate=True)
    add('ASGD', 'two groups', {'lr': 0.01}, groups=[{'t0': 2}, {'lr': 0.05, 'lambd': 0.05}])

    add('Rprop', 'defaults', {})
    add('Rprop', 'etas + step sizes', {'lr': 0.05, 'etas': [0.3, 1.5], 'stepSizes': [1e-3, 0.2]})
    add('Rprop', 'maximize', {'lr': 0.02, 'maximize': True}, negate=True)
    add('Rprop', 'two groups', {'lr': 0.01}, groups=[{'etas': [0.4, 1.1]}, {'lr': 0.1, 'stepSizes': [1e-4, 0.5]}])

    add('SparseAdam', 'defaults', {})
    add('SparseAdam', 'betas + eps', {'lr': 0.05, 'betas': [0.8, 0.99], 'eps': 1e-4})
    add('SparseAdam', 'maximize', {'lr': 0.02, 'maximize': True}, negate=True)
    add('SparseAdam', 'two groups', {'lr': 0.01}, groups=[{'betas': [0.5, 0.9]}, {'lr': 0.05}])

    for c in cases:
        c['trajectory'] = run_optimizer(c)
    return cases


EMB = {
    'weight': torch.randn(6, 3).mul(100).round().div(100),
    'target': torch.randn(6, 3).mul(100).round().div(100),
    # rows looked up at each step (repeats sum their gradients; rows 4 and 5 are rarely touched)
    'indices': [[0, 1, 1], [2, 3], [0, 4], [1, 2, 2, 3], [5], [0, 1]] * 4,
}


def sparse_embedding_cases():
    """SparseAdam and Adam on an embedding whose steps touch few rows: loss sum((E[idx] - T[idx])^2)."""
    cases = []
    for name, cls, opts in [('SparseAdam: defaults', optim.SparseAdam, {}),
                            ('SparseAdam: lr 0.1 betas', optim.SparseAdam, {'lr': 0.1, 'betas': [0.7, 0.95]}),
                            ('Adam: lr 0.1 betas (dense, for contrast)', optim.Adam, {'lr': 0.1, 'betas': [0.7, 0.95]})]:
        E = EMB['weight'].clone().requires_grad_()
        opt = cls([E], **kw(opts))
        traj = []
        for idx in EMB['indices']:
            opt.zero_grad(set_to_none=True)
            i = torch.tensor(idx)
            emb = torch.nn.functional.embedding(i, E, sparse=cls is optim.SparseAdam)
            ((emb - EMB['target'][i]) ** 2).sum().backward()
            opt.step()
            traj.append(flat(E))
        cases.append(dict(name=name, optimizer=cls.__name__, options=opts, trajectory=traj))
    return {'weight': flat(EMB['weight']), 'target': flat(EMB['target']), 'shape': list(EMB['weight'].shape),
            'indices': EMB['indices'], 'cases': cases}


LBFGS_STEPS = 4


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


LSQ = {'A': torch.randn(8, 3).mul(100).round().div(100), 'y': torch.randn(8).mul(100).round().div(100)}


def least_squares(w, b):
    return ((LSQ['A'] @ w + b - LSQ['y']) ** 2).sum() / 2


def lbfgs_cases():
    """LBFGS on the Rosenbrock function (one parameter [2]) and a least-squares fit (w [3], b [1]): the
    parameters, the returned loss and the counters after each of LBFGS_STEPS calls of step(closure)."""
    cases = []
    settings = [('defaults', {}), ('strong wolfe', {'lineSearchFn': 'strong_wolfe'}),
                ('lr 0.5, history 3, 7 iterations', {'lr': 0.5, 'historySize': 3, 'maxIter': 7}),
                ('strong wolfe, history 2, maxEval 9', {'lineSearchFn': 'strong_wolfe', 'historySize': 2, 'maxEval': 9}),
                ('tolerances', {'lineSearchFn': 'strong_wolfe', 'toleranceGrad': 1e-4, 'toleranceChange': 1e-6})]
    for problem in ('rosenbrock', 'leastSquares'):
        for name, opts in settings:
            if problem == 'rosenbrock':
                params = [torch.tensor([-1.5, 2.0], requires_grad=True)]
                f = lambda: rosenbrock(params[0])
            else:
                params = [torch.zeros(3, requires_grad=True), torch.tensor([0.5], requires_grad=True)]
                f = lambda: least_squares(params[0], params[1])
            opt = optim.LBFGS(params, **kw(opts))

            def closure():
                opt.zero_grad(set_to_none=True)
                loss = f()
                loss.backward()
                return loss
            steps = []
            # unit steps without a line search on Rosenbrock are unstable: they amplify last-bit differences
            # (BLAS dot products round differently from a plain loop) about a thousandfold per call, so that
            # case stops after two calls (40 iterations)
            for _ in range(2 if problem == 'rosenbrock' and name == 'defaults' else LBFGS_STEPS):
                loss = opt.step(closure)
                st = opt.state[params[0]]
                steps.append(dict(params=[v for p in params for v in flat(p)], loss=float(loss),
                                  funcEvals=st['func_evals'], nIter=st['n_iter']))
            cases.append(dict(name=f'LBFGS {problem}: {name}', problem=problem, options=opts, steps=steps))
    return {'A': flat(LSQ['A']), 'y': flat(LSQ['y']), 'cases': cases}


def main():
    problem = {k: (flat(v) if isinstance(v, torch.Tensor) else v) for k, v in PROBLEM.items()}
    problem['shapes'] = {k: list(v.shape) for k, v in PROBLEM.items() if isinstance(v, torch.Tensor)}
    write_json('optimizers_extra.json', {'torch': torch.__version__, 'steps': STEPS, 'problem': problem, 'cases': extra_opt_cases(),
                                         'embedding': sparse_embedding_cases(), 'lbfgs': lbfgs_cases()})


if __name__ == '__main__':
    main()
