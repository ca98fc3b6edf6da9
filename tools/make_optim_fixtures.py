#!/usr/bin/env python3
"""Writes the PyTorch golden values that shendu's optimizer, scheduler and clipping tests read.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/make_optim_fixtures.py
CI never runs this: it reads the committed JSON under test/fixtures/optim/:

  optimizers.json  parameter values after each of 20 steps, for every optimizer x hyper-parameter setting,
                   on one fixed problem (a tiny linear regression plus a quadratic in a third parameter that
                   gets a gradient only every third step, so 'skip params whose grad is None' is exercised);
  schedulers.json  the learning rates (and momenta, where cycled) after construction and after each of 50
                   steps, for every scheduler x setting, chained and sequential schedulers included;
  clip.json        clip_grad_norm_ / clip_grad_value_ results and the l1/l2 penalties with their gradients.

Options are written in shendu's camelCase spelling; KWARGS maps them to PyTorch's keyword arguments.
Everything is float64, so the TypeScript side can match to ~1e-12.
"""
import math
import os
import sys

import torch
import torch.optim as optim
import torch.optim.lr_scheduler as sched
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'optim')

KWARGS = {
    'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'weightDecay': 'weight_decay',
    'nesterov': 'nesterov', 'maximize': 'maximize', 'lrDecay': 'lr_decay',
    'initialAccumulatorValue': 'initial_accumulator_value', 'eps': 'eps', 'rho': 'rho', 'alpha': 'alpha',
    'centered': 'centered', 'betas': 'betas', 'amsgrad': 'amsgrad',
    'momentumDecay': 'momentum_decay', 'lambd': 'lambd', 't0': 't0', 'etas': 'etas', 'stepSizes': 'step_sizes',
    'maxIter': 'max_iter', 'maxEval': 'max_eval', 'toleranceGrad': 'tolerance_grad',
    'toleranceChange': 'tolerance_change', 'historySize': 'history_size', 'lineSearchFn': 'line_search_fn',
    # schedulers
    'stepSize': 'step_size', 'gamma': 'gamma', 'milestones': 'milestones', 'factor': 'factor',
    'totalIters': 'total_iters', 'startFactor': 'start_factor', 'endFactor': 'end_factor', 'power': 'power',
    'TMax': 'T_max', 'etaMin': 'eta_min', 'T0': 'T_0', 'TMult': 'T_mult', 'baseLr': 'base_lr', 'maxLr': 'max_lr',
    'stepSizeUp': 'step_size_up', 'stepSizeDown': 'step_size_down', 'mode': 'mode', 'cycleMomentum': 'cycle_momentum',
    'baseMomentum': 'base_momentum', 'maxMomentum': 'max_momentum', 'patience': 'patience', 'threshold': 'threshold',
    'thresholdMode': 'threshold_mode', 'cooldown': 'cooldown', 'minLr': 'min_lr', 'totalSteps': 'total_steps',
    'pctStart': 'pct_start', 'annealStrategy': 'anneal_strategy', 'divFactor': 'div_factor',
    'finalDivFactor': 'final_div_factor', 'threePhase': 'three_phase', 'scaleMode': 'scale_mode',
}


def kw(opts):
    out = {}
    for k, v in opts.items():
        out[KWARGS[k]] = tuple(v) if k in ('betas', 'etas', 'stepSizes') else v
    return out


def write_json(name, obj):
    """Writes OUT/name atomically: a temp file in the same directory, then a rename."""
    path = os.path.join(OUT, name)
    write_json_atomic(path, obj)
    print(f'{path}: {len(obj["cases"])} cases')


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


# ---------------------------------------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------------------------------------

torch.manual_seed(0)
PROBLEM = {
    'X': torch.randn(5, 3).mul(100).round().div(100),
    'Y': torch.randn(5, 2).mul(100).round().div(100),
    'W': torch.randn(3, 2).mul(100).round().div(100),
    'b': torch.randn(2).mul(100).round().div(100),
    'c': torch.tensor([0.8, -1.2]),
    'cTarget': torch.tensor([0.1, 0.4]),
    'h': torch.tensor([1.0, 3.0]),
    'cEvery': 3,
}
STEPS = 20


def problem_loss(W, b, c, t, negate):
    """mean((X W + b - Y)^2), plus sum(h (c - cTarget)^2) on steps t with t % cEvery == 0 (else c gets no grad)."""
    P = PROBLEM
    loss = ((P['X'] @ W + b - P['Y']) ** 2).mean()
    if t % P['cEvery'] == 0:
        loss = loss + (P['h'] * (c - P['cTarget']) ** 2).sum()
    return -loss if negate else loss


def make_scheduler(spec, opt):
    kind = spec['type']
    if kind in ('InverseTimeDecay', 'NaturalExpDecay'):
        return KerasDecay(opt, kind, **spec['args'])
    args = kw(spec.get('args', {}))
    if kind == 'LambdaLR':
        fns = spec['lambdas']
        args['lr_lambda'] = [LAMBDAS[f] for f in fns] if isinstance(fns, list) else LAMBDAS[fns]
    if kind == 'MultiplicativeLR':
        args['lr_lambda'] = LAMBDAS[spec['lambdas']]
    return getattr(sched, kind)(opt, **args)


def run_optimizer(case):
    P = PROBLEM
    W = P['W'].clone().requires_grad_()
    b = P['b'].clone().requires_grad_()
    c = P['c'].clone().requires_grad_()
    cls = getattr(optim, case['optimizer'])
    opts = kw(case['options'])
    if case.get('groups'):
        g0, g1 = case['groups']
        opt = cls([dict(params=[W], **kw(g0)), dict(params=[b, c], **kw(g1))], **opts)
    else:
        opt = cls([W, b, c], **opts)
    scheduler = make_scheduler(case['scheduler'], opt) if case.get('scheduler') else None
    traj = []
    for t in range(STEPS):
        opt.zero_grad(set_to_none=True)
        problem_loss(W, b, c, t, case.get('negate', False)).backward()
        if case['optimizer'] == 'SparseAdam':
            # torch's SparseAdam takes sparse gradients only: the dense ones as sparse rows (zero rows dropped)
            for p in (W, b, c):
                if p.grad is not None:
                    p.grad = p.grad.to_sparse(1)
        opt.step()
        if scheduler is not None:
            scheduler.step()
        traj.append(flat(W) + flat(b) + flat(c))
    return traj


def opt_cases():
    cases = []

    def add(optimizer, name, options, groups=None, negate=False, scheduler=None):
        c = dict(name=f'{optimizer}: {name}', optimizer=optimizer, options=options, groups=groups, negate=negate)
        if scheduler:
            c['scheduler'] = scheduler
        cases.append(c)

    add('SGD', 'plain', {'lr': 0.1})
    add('SGD', 'momentum', {'lr': 0.05, 'momentum': 0.9})
    add('SGD', 'momentum + dampening', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.5})
    add('SGD', 'nesterov', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True})
    add('SGD', 'weight decay', {'lr': 0.1, 'weightDecay': 0.1})
    add('SGD', 'nesterov + weight decay', {'lr': 0.05, 'momentum': 0.8, 'weightDecay': 0.05, 'nesterov': True})
    add('SGD', 'maximize', {'lr': 0.05, 'momentum': 0.9, 'maximize': True}, negate=True)
    add('SGD', 'two groups', {'lr': 0.1, 'momentum': 0.5}, groups=[{}, {'lr': 0.01, 'momentum': 0.9}])
    add('SGD', 'momentum + StepLR', {'lr': 0.1, 'momentum': 0.9},
        scheduler={'type': 'StepLR', 'args': {'stepSize': 5, 'gamma': 0.5}})

    add('Adagrad', 'defaults', {})
    add('Adagrad', 'lr decay', {'lr': 0.1, 'lrDecay': 0.05})
    add('Adagrad', 'weight decay + initial accumulator', {'lr': 0.1, 'weightDecay': 0.1, 'initialAccumulatorValue': 0.5})
    add('Adagrad', 'large eps', {'lr': 0.2, 'eps': 1e-3})
    add('Adagrad', 'maximize', {'lr': 0.1, 'maximize': True}, negate=True)
    add('Adagrad', 'two groups', {'lr': 0.1}, groups=[{'lrDecay': 0.1}, {'lr': 0.3, 'weightDecay': 0.2}])

    add('Adadelta', 'defaults', {})
    add('Adadelta', 'lr + rho', {'lr': 0.5, 'rho': 0.8})
    add('Adadelta', 'eps + weight decay', {'lr': 1.0, 'eps': 1e-4, 'weightDecay': 0.1})
    add('Adadelta', 'maximize', {'maximize': True}, negate=True)
    add('Adadelta', 'two groups', {'lr': 1.0}, groups=[{'rho': 0.5}, {'lr': 2.0, 'eps': 1e-3}])

    add('RMSprop', 'defaults', {})
    add('RMSprop', 'alpha + eps', {'lr': 0.01, 'alpha': 0.9, 'eps': 1e-6})
    add('RMSprop', 'momentum', {'lr': 0.01, 'momentum': 0.9})
    add('RMSprop', 'centered', {'lr': 0.01, 'centered': True})
    add('RMSprop', 'centered + momentum + weight decay', {'lr': 0.005, 'centered': True, 'momentum': 0.5, 'weightDecay': 0.1})
    add('RMSprop', 'maximize', {'lr': 0.01, 'momentum': 0.3, 'maximize': True}, negate=True)
    add('RMSprop', 'two groups', {'lr': 0.01}, groups=[{'centered': True}, {'lr': 0.02, 'momentum': 0.9}])

    add('Adam', 'defaults', {})
    add('Adam', 'betas', {'lr': 0.05, 'betas': [0.8, 0.99]})
    add('Adam', 'weight decay', {'lr': 0.01, 'weightDecay': 0.1})
    add('Adam', 'amsgrad', {'lr': 0.05, 'amsgrad': True})
    add('Adam', 'amsgrad + weight decay + eps', {'lr': 0.05, 'amsgrad': True, 'weightDecay': 0.05, 'eps': 1e-4})
    add('Adam', 'maximize', {'lr': 0.02, 'maximize': True}, negate=True)
    add('Adam', 'two groups', {'lr': 0.01}, groups=[{'betas': [0.5, 0.9]}, {'lr': 0.05, 'amsgrad': True}])
    add('Adam', 'cosine annealing', {'lr': 0.05},
        scheduler={'type': 'CosineAnnealingLR', 'args': {'TMax': 10, 'etaMin': 0.001}})

    add('AdamW', 'defaults', {})
    add('AdamW', 'weight decay', {'lr': 0.05, 'weightDecay': 0.1})
    add('AdamW', 'amsgrad', {'lr': 0.05, 'amsgrad': True})
    add('AdamW', 'no weight decay + betas', {'lr': 0.05, 'weightDecay': 0, 'betas': [0.5, 0.9]})
    add('AdamW', 'maximize + amsgrad', {'lr': 0.02, 'maximize': True, 'amsgrad': True}, negate=True)
    add('AdamW', 'two groups', {'lr': 0.01}, groups=[{'weightDecay': 0.5}, {'lr': 0.05, 'betas': [0.8, 0.95]}])

    for c in cases:
        c['trajectory'] = run_optimizer(c)
    return cases


# ---------------------------------------------------------------------------------------------------------
# Schedulers
# ---------------------------------------------------------------------------------------------------------

LAMBDAS = {
    'warmup5': lambda e: min(1.0, (e + 1) / 5),
    'pow095': lambda e: 0.95 ** e,
    'const097': lambda e: 0.97,
    'halfEvery10': lambda e: 0.5 ** (e // 10),
}


class KerasDecay(sched._LRScheduler):
    """The TF/Keras schedules by their closed forms (lr0 = the group's initial lr, t = last_epoch):
    InverseTimeDecay lr0 / (1 + rate * p), NaturalExpDecay lr0 * exp(-rate * p), p = t / steps (floored if staircase)."""

    def __init__(self, optimizer, kind, decaySteps, decayRate, staircase=False):
        self.kind, self.decay_steps, self.decay_rate, self.staircase = kind, decaySteps, decayRate, staircase
        super().__init__(optimizer)

    def get_lr(self):
        p = self.last_epoch / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        if self.kind == 'InverseTimeDecay':
            return [lr0 / (1 + self.decay_rate * p) for lr0 in self.base_lrs]
        return [lr0 * math.exp(-self.decay_rate * p) for lr0 in self.base_lrs]


SCHED_STEPS = 50


def make_sched_optimizer(spec):
    """SGD (or Adam) on dummy parameters: one group with lr 0.1, or two groups with lrs [0.1, 0.02]."""
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    if spec.get('adam'):
        return optim.Adam(params, lr=0.1)
    momentum = spec.get('momentum', 0.0)
    if spec.get('twoGroups'):
        return optim.SGD([{'params': [params[0]]}, {'params': [params[1]], 'lr': 0.02}], lr=0.1, momentum=momentum)
    return optim.SGD(params, lr=0.1, momentum=momentum)


def run_schedule(case):
    opt = make_sched_optimizer(case)
    metrics = case.get('metrics')
    epochs = case.get('epochs')
    if case['kind'] == 'single':
        s = make_scheduler(case['scheduler'], opt)
        stepped = [s]
    elif case['kind'] == 'compose':
        stepped = [make_scheduler(sp, opt) for sp in case['schedulers']]
    elif case['kind'] == 'chained':
        stepped = [sched.ChainedScheduler([make_scheduler(sp, opt) for sp in case['schedulers']])]
    elif case['kind'] == 'sequential':
        inner = [make_scheduler(sp, opt) for sp in case['schedulers']]
        stepped = [sched.SequentialLR(opt, inner, milestones=case['milestones'])]
    else:
        raise ValueError(case['kind'])
    lrs = [[g['lr'] for g in opt.param_groups]]
    last = [stepped[-1].get_last_lr() if hasattr(stepped[-1], '_last_lr') else [g['lr'] for g in opt.param_groups]]
    def momentum_of(g):
        return g['betas'][0] if case.get('adam') else g['momentum']

    momenta = [[momentum_of(g) for g in opt.param_groups]]
    for i in range(SCHED_STEPS):
        opt.step()
        for s in stepped:
            if metrics is not None:
                s.step(metrics[i])
            elif epochs is not None:
                s.step(epochs[i])
            else:
                s.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        last.append(list(stepped[-1]._last_lr))
        momenta.append([momentum_of(g) for g in opt.param_groups])
    case['lrs'] = lrs
    case['lastLr'] = last
    if case.get('momentum') is not None or case.get('adam'):
        case['momenta'] = momenta
    return case


def sched_cases():
    cases = []

    def single(name, sched_type, args=None, **extra):
        spec = {'type': sched_type, 'args': args or {}}
        for k in ('lambdas',):
            if k in extra:
                spec[k] = extra.pop(k)
        cases.append(dict(name=f'{sched_type}: {name}', kind='single', scheduler=spec, **extra))

    single('step 7 gamma 0.5', 'StepLR', {'stepSize': 7, 'gamma': 0.5})
    single('two groups', 'StepLR', {'stepSize': 3}, twoGroups=True)
    single('repeated milestone', 'MultiStepLR', {'milestones': [5, 12, 12, 30], 'gamma': 0.3})
    single('gamma 0.9', 'ExponentialLR', {'gamma': 0.9}, twoGroups=True)
    single('factor 0.5', 'ConstantLR', {'factor': 0.5, 'totalIters': 4})
    single('warm-up', 'LinearLR', {'startFactor': 0.25, 'endFactor': 1.0, 'totalIters': 10})
    single('decay', 'LinearLR', {'startFactor': 1.0, 'endFactor': 0.1, 'totalIters': 30}, twoGroups=True)
    single('defaults', 'LinearLR', {})
    single('one lambda', 'LambdaLR', lambdas='warmup5', twoGroups=True)
    single('lambda per group', 'LambdaLR', lambdas=['halfEvery10', 'pow095'], twoGroups=True)
    single('constant factor', 'MultiplicativeLR', lambdas='const097')
    single('power 2', 'PolynomialLR', {'totalIters': 20, 'power': 2.0})
    single('T_max 10 (past T_max)', 'CosineAnnealingLR', {'TMax': 10, 'etaMin': 0.001})
    single('T_max 50', 'CosineAnnealingLR', {'TMax': 50}, twoGroups=True)
    single('T0 5 Tmult 2', 'CosineAnnealingWarmRestarts', {'T0': 5, 'TMult': 2, 'etaMin': 0.01})
    single('T0 7', 'CosineAnnealingWarmRestarts', {'T0': 7}, twoGroups=True)
    single('fractional epochs', 'CosineAnnealingWarmRestarts', {'T0': 3, 'TMult': 2},
           epochs=[e + i / 4 for e in range(13) for i in range(4)][:SCHED_STEPS])
    single('triangular', 'CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 5, 'cycleMomentum': False})
    single('triangular2', 'CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 4, 'stepSizeDown': 6,
                                       'mode': 'triangular2', 'cycleMomentum': False})
    single('exp_range', 'CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 5, 'mode': 'exp_range',
                                     'gamma': 0.97, 'cycleMomentum': False})
    single('cycling momentum, two groups', 'CyclicLR', {'baseLr': [0.01, 0.001], 'maxLr': [0.1, 0.05], 'stepSizeUp': 6,
                                                         'baseMomentum': 0.8, 'maxMomentum': 0.95},
           twoGroups=True, momentum=0.9)
    single('cos', 'OneCycleLR', {'maxLr': 0.5, 'totalSteps': 60}, momentum=0.9)
    single('linear three-phase, no momentum', 'OneCycleLR',
           {'maxLr': [0.5, 0.2], 'totalSteps': 51, 'annealStrategy': 'linear', 'threePhase': True, 'pctStart': 0.4,
            'cycleMomentum': False}, twoGroups=True)
    single('Adam: cycles beta1', 'OneCycleLR', {'maxLr': 0.01, 'totalSteps': 50, 'pctStart': 0.25,
                                                'baseMomentum': 0.8, 'maxMomentum': 0.9}, adam=True)
    single('decay_steps 10', 'InverseTimeDecay', {'decaySteps': 10, 'decayRate': 0.5})
    single('staircase', 'InverseTimeDecay', {'decaySteps': 4, 'decayRate': 1.0, 'staircase': True}, twoGroups=True)
    single('decay_steps 10', 'NaturalExpDecay', {'decaySteps': 10, 'decayRate': 0.3})
    single('staircase', 'NaturalExpDecay', {'decaySteps': 6, 'decayRate': 0.5, 'staircase': True}, twoGroups=True)

    falling = [1.0 / (1 + i) for i in range(12)]
    plateau = [0.08 + 0.01 * ((i * 7) % 3) for i in range(20)]
    improve = [0.07 - 0.002 * i for i in range(18)]
    metrics = (falling + plateau + improve)[:SCHED_STEPS]
    rising = [-m for m in metrics]
    single('defaults', 'ReduceLROnPlateau', {}, metrics=metrics)
    single('patience 2 cooldown 3', 'ReduceLROnPlateau', {'patience': 2, 'cooldown': 3, 'factor': 0.5}, metrics=metrics)
    single('max mode, abs threshold, min lr', 'ReduceLROnPlateau',
           {'mode': 'max', 'thresholdMode': 'abs', 'threshold': 0.005, 'patience': 1, 'factor': 0.3, 'minLr': [0.01, 0.005]},
           metrics=rising, twoGroups=True)
    single('rel threshold 0.1, eps', 'ReduceLROnPlateau', {'threshold': 0.1, 'patience': 0, 'factor': 0.5, 'eps': 0.02},
           metrics=metrics)

    def multi(kind, name, specs, **extra):
        cases.append(dict(name=f'{kind}: {name}', kind=kind, schedulers=specs, **extra))

    multi('chained', 'ConstantLR + ExponentialLR', [
        {'type': 'ConstantLR', 'args': {'factor': 0.1, 'totalIters': 2}},
        {'type': 'ExponentialLR', 'args': {'gamma': 0.9}}])
    multi('chained', 'StepLR + ExponentialLR + LinearLR', [
        {'type': 'StepLR', 'args': {'stepSize': 5, 'gamma': 0.5}},
        {'type': 'ExponentialLR', 'args': {'gamma': 0.98}},
        {'type': 'LinearLR', 'args': {'startFactor': 0.5, 'totalIters': 8}}], twoGroups=True)
    multi('compose', 'StepLR then ExponentialLR stepped by hand', [
        {'type': 'StepLR', 'args': {'stepSize': 10, 'gamma': 0.5}},
        {'type': 'ExponentialLR', 'args': {'gamma': 0.98}}])
    multi('compose', 'LinearLR warm-up with CosineAnnealingLR', [
        {'type': 'LinearLR', 'args': {'startFactor': 0.1, 'totalIters': 5}},
        {'type': 'CosineAnnealingLR', 'args': {'TMax': 25, 'etaMin': 0.0}}], twoGroups=True)
    multi('sequential', 'ConstantLR then ExponentialLR', [
        {'type': 'ConstantLR', 'args': {'factor': 0.1, 'totalIters': 2}},
        {'type': 'ExponentialLR', 'args': {'gamma': 0.9}}], milestones=[2])
    multi('sequential', 'LinearLR warm-up then CosineAnnealingLR', [
        {'type': 'LinearLR', 'args': {'startFactor': 0.2, 'totalIters': 5}},
        {'type': 'CosineAnnealingLR', 'args': {'TMax': 45, 'etaMin': 0.001}}], milestones=[5], twoGroups=True)
    multi('sequential', 'three schedulers', [
        {'type': 'LinearLR', 'args': {'startFactor': 0.5, 'totalIters': 4}},
        {'type': 'StepLR', 'args': {'stepSize': 6, 'gamma': 0.5}},
        {'type': 'LambdaLR', 'lambdas': 'pow095'}], milestones=[5, 20])

    return [run_schedule(c) for c in cases]


# ---------------------------------------------------------------------------------------------------------
# Gradient clipping and penalties
# ---------------------------------------------------------------------------------------------------------

def clip_cases():
    torch.manual_seed(1)
    grads = [torch.randn(3, 4), torch.randn(5) * 3, torch.randn(2, 2) * 0.1]
    grads[0][1, 2] = 0.0
    cases = []
    for dtype in ('float64', 'float32'):
        for norm_type in (2.0, 1.0, 'inf', 3.0, 0.5, 0.0, '-inf'):
            for max_norm in (1.0, 1e4):
                if dtype == 'float32' and norm_type not in (2.0, 'inf'):
                    continue
                nt = float(norm_type)
                ps = []
                for g in grads:
                    p = torch.zeros(g.shape, dtype=getattr(torch, dtype), requires_grad=True)
                    p.grad = g.to(getattr(torch, dtype)).clone()
                    ps.append(p)
                total = clip_grad_norm_(ps, max_norm, nt)
                cases.append(dict(
                    name=f'clip_grad_norm_ {dtype} norm {norm_type} max {max_norm}', fn='norm', dtype=dtype,
                    normType=norm_type, maxNorm=max_norm, grads=[flat(g) for g in grads],
                    shapes=[list(g.shape) for g in grads], total=float(total), clipped=[flat(p.grad) for p in ps]))
    for clip in (0.5, 2.0):
        ps = []
        for g in grads:
            p = torch.zeros(g.shape, requires_grad=True)
            p.grad = g.clone()
            ps.append(p)
        clip_grad_value_(ps, clip)
        cases.append(dict(name=f'clip_grad_value_ {clip}', fn='value', dtype='float64', clipValue=clip,
                          grads=[flat(g) for g in grads], shapes=[list(g.shape) for g in grads],
                          clipped=[flat(p.grad) for p in ps]))
    ws = [torch.randn(3, 2), torch.randn(4), torch.tensor([0.0, -1.5])]
    for kind in ('l1', 'l2'):
        ps = [w.clone().requires_grad_() for w in ws]
        val = sum((p.abs().sum() if kind == 'l1' else (p ** 2).sum() / 2) for p in ps)
        val.backward()
        cases.append(dict(name=f'{kind}Penalty', fn=kind, dtype='float64', params=[flat(w) for w in ws],
                          shapes=[list(w.shape) for w in ws], value=float(val), grads=[flat(p.grad) for p in ps]))
    return cases


def main():
    problem = {k: (flat(v) if isinstance(v, torch.Tensor) else v) for k, v in PROBLEM.items()}
    problem['shapes'] = {k: list(v.shape) for k, v in PROBLEM.items() if isinstance(v, torch.Tensor)}
    write_json('optimizers.json', {'torch': torch.__version__, 'steps': STEPS, 'problem': problem, 'cases': opt_cases()})
    write_json('schedulers.json', {'torch': torch.__version__, 'steps': SCHED_STEPS, 'cases': sched_cases()})
    write_json('clip.json', {'torch': torch.__version__, 'cases': clip_cases()})


if __name__ == '__main__':
    main()
