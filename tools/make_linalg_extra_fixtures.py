#!/usr/bin/env python3
"""Writes the PyTorch golden values of shendu's LU, *_ex, matrix-function and eig tests:
test/fixtures/linalg/{lu,ex,matfn,eig}.json, in the format of tools/make_linalg_fixtures.py (whose input
helpers and case() this script shares).

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_linalg_extra_fixtures.py [family ...]
CI never runs this: it reads the committed JSON.

Integer inputs (lu_solve's pivots) get no gradient. eig's complex results are stored as real and imaginary
parts (shendu has no complex dtype); the eig test compares them as sets and up to phase, not through the
generic fixture check.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures.common import enc, write_json_atomic  # noqa: E402
from make_linalg_fixtures import F64, OUT, case, enc_args, f32, hilbert, randn, spd  # noqa: E402

L = torch.linalg


def run(c):
    """As make_linalg_fixtures.run, but only floating inputs become leaves (pivots are int32)."""
    xs = [x.clone() for x in c['inputs']]
    outs = c['fn'](*xs)
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    seed = c['seed'] if c['seed'] is not None else [o.is_floating_point() and o.numel() > 0 for o in outs]
    grads = [None] * len(xs)
    grad_outs = [None] * len(outs)
    if any(seed):
        leaves = [x.detach().clone().requires_grad_(True) if x.is_floating_point() else x for x in xs]
        outs_g = c['fn'](*leaves)
        outs_g = list(outs_g) if isinstance(outs_g, (tuple, list)) else [outs_g]
        pairs = []
        for i, (o, s) in enumerate(zip(outs_g, seed)):
            if s:
                grad_outs[i] = torch.randn(o.shape, dtype=o.dtype)
                pairs.append((o, grad_outs[i]))
        float_leaves = [x for x in leaves if x.is_floating_point()]
        gs = iter(torch.autograd.grad([p[0] for p in pairs], float_leaves, [p[1] for p in pairs], allow_unused=True))
        for i, x in enumerate(xs):
            if x.is_floating_point():
                g = next(gs)
                grads[i] = g if g is not None else torch.zeros_like(x)
    return {
        'name': c['name'], 'op': c['op'], 'args': enc_args(c['args']),
        'tol': c['tol'], 'tol32': c['tol32'], 'gradTol': c['grad_tol'], 'gradTol32': c['grad_tol32'], 'vectors': c['vectors'],
        'inputs': [enc(x) for x in xs], 'outputs': [enc(o) for o in outs],
        'gradOutputs': [enc(g) for g in grad_outs], 'grads': [enc(g) for g in grads],
    }


def write(family, cases):
    torch.manual_seed(0)
    data = {'generator': 'tools/make_linalg_extra_fixtures.py', 'torch': torch.__version__, 'cases': [run(c) for c in cases]}
    names = [c['name'] for c in data['cases']]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f'duplicate case names in {family}: {sorted(dup)}')
    path = os.path.join(OUT, family + '.json')
    write_json_atomic(path, data)
    print(f'{path}: {len(cases)} cases')


def factored(a):
    LU, piv = L.lu_factor(a)
    return LU, piv.to(torch.int32)


def lu_family():
    torch.manual_seed(11)
    sing = torch.tensor([[1., 2., 3.], [2., 4., 6.], [1., 0., 1.]], dtype=F64)  # rank 2: a zero pivot
    a4 = randn(4, 4)
    ab = randn(2, 3, 3)
    lu_a, piv_a = factored(a4)
    lu_b, piv_b = factored(ab)
    return [
        case('lu_factor/4x4', 'lu_factor', [a4], lambda a: L.lu_factor(a)),
        case('lu_factor/batched', 'lu_factor', [randn(2, 3, 5, 5)], lambda a: L.lu_factor(a)),
        case('lu_factor/tall', 'lu_factor', [randn(5, 3)], lambda a: L.lu_factor(a)),
        case('lu_factor/wide', 'lu_factor', [randn(3, 5)], lambda a: L.lu_factor(a)),
        case('lu_factor/hilbert5', 'lu_factor', [hilbert(5)], lambda a: L.lu_factor(a), tol=1e-10, grad_tol=1e-7, grad_tol32=None),
        case('lu_factor_ex/singular', 'lu_factor_ex', [sing], lambda a: L.lu_factor_ex(a), seed=[False, False, False]),
        case('lu_factor_ex/batched', 'lu_factor_ex', [randn(3, 4, 4)], lambda a: L.lu_factor_ex(a), seed=[True, False, False]),
        case('lu/4x4', 'lu', [randn(4, 4)], lambda a: L.lu(a), seed=[False, True, True]),
        case('lu/batched', 'lu', [randn(2, 5, 5)], lambda a: L.lu(a), seed=[False, True, True]),
        case('lu/tall', 'lu', [randn(6, 4)], lambda a: L.lu(a), seed=[False, True, True]),
        case('lu/wide', 'lu', [randn(3, 6)], lambda a: L.lu(a), seed=[False, True, True]),
        case('lu/tall-batched', 'lu', [randn(2, 5, 2)], lambda a: L.lu(a), seed=[False, True, True]),
        case('lu/singular', 'lu', [sing], lambda a: L.lu(a), seed=[False, False, False]),
        case('lu_solve/matrix-rhs', 'lu_solve', [lu_a, piv_a, randn(4, 3)], lambda lu, p, b: L.lu_solve(lu, p, b)),
        case('lu_solve/adjoint', 'lu_solve', [lu_a, piv_a, randn(4, 2)], lambda lu, p, b: L.lu_solve(lu, p, b, adjoint=True),
             args={'adjoint': True}),
        case('lu_solve/right', 'lu_solve', [lu_a, piv_a, randn(2, 4)], lambda lu, p, b: L.lu_solve(lu, p, b, left=False),
             args={'left': False}),
        case('lu_solve/right-adjoint', 'lu_solve', [lu_a, piv_a, randn(3, 4)],
             lambda lu, p, b: L.lu_solve(lu, p, b, left=False, adjoint=True), args={'left': False, 'adjoint': True}),
        case('lu_solve/batched', 'lu_solve', [lu_b, piv_b, randn(2, 3, 2)], lambda lu, p, b: L.lu_solve(lu, p, b)),
        case('lu_solve/broadcast-B', 'lu_solve', [lu_a, piv_a, randn(3, 4, 2)], lambda lu, p, b: L.lu_solve(lu, p, b)),
    ]


def ex_family():
    torch.manual_seed(12)
    sing = torch.tensor([[1., 2.], [2., 4.]], dtype=F64)
    not_pd = torch.tensor([[4., 2., 1.], [2., 1., 3.], [1., 3., 5.]], dtype=F64)  # minor of order 2 is 0
    indef = torch.tensor([[2., 1., 0., 1.], [1., 3., 1., 0.], [0., 1., -4., 2.], [1., 0., 2., 5.]], dtype=F64)
    return [
        case('solve_ex/4x4', 'solve_ex', [randn(4, 4), randn(4, 2)], lambda a, b: L.solve_ex(a, b)),
        case('solve_ex/vector-rhs-batched', 'solve_ex', [randn(3, 4, 4), randn(3, 4)], lambda a, b: L.solve_ex(a, b)),
        case('solve_ex/broadcast', 'solve_ex', [randn(2, 1, 3, 3), randn(4, 3, 2)], lambda a, b: L.solve_ex(a, b)),
        case('solve_ex/left-false', 'solve_ex', [randn(3, 3), randn(2, 3)], lambda a, b: L.solve_ex(a, b, left=False), args={'left': False}),
        case('solve_ex_info/singular-in-batch', 'solve_ex_info', [torch.stack([sing, torch.eye(2, dtype=F64), sing * 0]), randn(3, 2, 1)],
             lambda a, b: (L.solve_ex(a, b).info,)),
        case('inv_ex/4x4', 'inv_ex', [randn(4, 4)], lambda a: L.inv_ex(a)),
        case('inv_ex/batched', 'inv_ex', [randn(2, 3, 3)], lambda a: L.inv_ex(a)),
        case('inv_ex_info/singular-in-batch', 'inv_ex_info', [torch.stack([torch.eye(2, dtype=F64), sing])], lambda a: (L.inv_ex(a).info,)),
        case('cholesky_ex/4x4', 'cholesky_ex', [spd(4)], lambda a: L.cholesky_ex(a)),
        case('cholesky_ex/upper-batched', 'cholesky_ex', [spd(3, 2)], lambda a: L.cholesky_ex(a, upper=True), args={'upper': True}),
        case('cholesky_ex/not-pd', 'cholesky_ex', [not_pd], lambda a: L.cholesky_ex(a), seed=[False, False]),
        case('cholesky_ex/indefinite-upper', 'cholesky_ex', [indef], lambda a: L.cholesky_ex(a, upper=True), args={'upper': True},
             seed=[False, False]),
        case('cholesky_ex/batch-one-bad', 'cholesky_ex', [torch.stack([spd(3), -spd(3)])], lambda a: L.cholesky_ex(a), seed=[False, False]),
    ]


def matfn_family():
    torch.manual_seed(13)
    a = randn(4, 4)
    return [
        case('matrix_power/0', 'matrix_power', [randn(2, 3, 3)], lambda x: L.matrix_power(x, 0), args={'n': 0}, seed=[False]),
        case('matrix_power/1', 'matrix_power', [a], lambda x: L.matrix_power(x, 1), args={'n': 1}),
        case('matrix_power/3', 'matrix_power', [a], lambda x: L.matrix_power(x, 3), args={'n': 3}),
        case('matrix_power/6-batched', 'matrix_power', [randn(2, 3, 3) * 0.5], lambda x: L.matrix_power(x, 6), args={'n': 6}),
        case('matrix_power/13', 'matrix_power', [randn(3, 3) * 0.5], lambda x: L.matrix_power(x, 13), args={'n': 13}, tol=1e-11, grad_tol=1e-9),
        case('matrix_power/-1', 'matrix_power', [a], lambda x: L.matrix_power(x, -1), args={'n': -1}),
        case('matrix_power/-3', 'matrix_power', [a], lambda x: L.matrix_power(x, -3), args={'n': -3}, tol=1e-11, grad_tol=1e-9),
        case('matrix_exp/tiny-norm', 'matrix_exp', [randn(3, 3) * 1e-3], lambda x: L.matrix_exp(x)),
        case('matrix_exp/norm-0.2', 'matrix_exp', [f32(randn(4, 4) * 0.05)], lambda x: L.matrix_exp(x)),
        case('matrix_exp/norm-1.5', 'matrix_exp', [f32(randn(4, 4) * 0.4)], lambda x: L.matrix_exp(x)),
        case('matrix_exp/norm-4', 'matrix_exp', [f32(randn(4, 4))], lambda x: L.matrix_exp(x)),
        case('matrix_exp/scaled-norm-30', 'matrix_exp', [f32(randn(5, 5) * 6)], lambda x: L.matrix_exp(x), tol=1e-11, grad_tol=1e-9,
             tol32=1e-5, grad_tol32=1e-4),
        case('matrix_exp/batched', 'matrix_exp', [randn(2, 3, 3)], lambda x: L.matrix_exp(x)),
        case('matrix_exp/rotation-generator', 'matrix_exp', [torch.tensor([[0., -2.], [2., 0.]], dtype=F64)], lambda x: L.matrix_exp(x)),
        case('multi_dot/two', 'multi_dot', [randn(3, 4), randn(4, 2)], lambda *t: L.multi_dot(t)),
        case('multi_dot/three-right-first', 'multi_dot', [randn(10, 2), randn(2, 9), randn(9, 1)], lambda *t: L.multi_dot(t)),
        case('multi_dot/three-left-first', 'multi_dot', [randn(1, 9), randn(9, 2), randn(2, 10)], lambda *t: L.multi_dot(t)),
        case('multi_dot/five', 'multi_dot', [randn(4, 6), randn(6, 2), randn(2, 7), randn(7, 3), randn(3, 5)], lambda *t: L.multi_dot(t)),
        case('multi_dot/vector-ends', 'multi_dot', [randn(4), randn(4, 3), randn(3, 5), randn(5)], lambda *t: L.multi_dot(t)),
        case('multi_dot/first-vector', 'multi_dot', [randn(3), randn(3, 4), randn(4, 2)], lambda *t: L.multi_dot(t)),
    ]


def eig_parts(a):
    w, v = L.eig(a)
    return w.real, w.imag, v.real, v.imag


def eig_family():
    torch.manual_seed(14)
    rot = torch.tensor([[0., -1., 0.], [1., 0., 0.], [0., 0., 2.]], dtype=F64)  # +-i and 2
    defective_free = torch.tensor([[2., 1., 0.], [0., 3., 1.], [0., 0., 5.]], dtype=F64)  # triangular: 2, 3, 5
    companion = torch.tensor([[0., 0., 0., -24.], [1., 0., 0., 50.], [0., 1., 0., -35.], [0., 0., 1., 10.]], dtype=F64)  # 1 2 3 4
    cases = [
        case('eig/4x4', 'eig', [randn(4, 4)], eig_parts, seed=[False] * 4),
        case('eig/6x6', 'eig', [randn(6, 6)], eig_parts, seed=[False] * 4),
        case('eig/12x12', 'eig', [randn(12, 12)], eig_parts, seed=[False] * 4),
        case('eig/batched', 'eig', [randn(2, 3, 5, 5)], eig_parts, seed=[False] * 4),
        case('eig/rotation', 'eig', [rot], eig_parts, seed=[False] * 4),
        case('eig/triangular', 'eig', [defective_free], eig_parts, seed=[False] * 4),
        case('eig/companion', 'eig', [companion], eig_parts, seed=[False] * 4),
        case('eig/symmetric', 'eig', [spd(5)], eig_parts, seed=[False] * 4),
        case('eig/1x1', 'eig', [randn(1, 1)], eig_parts, seed=[False] * 4),
        case('eigvals/5x5', 'eigvals', [randn(5, 5)], lambda a: (L.eigvals(a).real, L.eigvals(a).imag), seed=[False, False]),
        # gradients: a function of the eigenvalues that does not depend on their order
        case('eig_loss/4x4', 'eig_loss', [randn(4, 4)], lambda a: eig_loss(L.eig(a)[0])),
        case('eig_loss/batched', 'eig_loss', [randn(2, 5, 5)], lambda a: eig_loss(L.eig(a)[0])),
        case('eigvals_loss/6x6', 'eigvals_loss', [randn(6, 6)], lambda a: eig_loss(L.eigvals(a))),
        case('eigvals_loss/rotation', 'eigvals_loss', [rot], lambda a: eig_loss(L.eigvals(a))),
        case('eigvec_loss/4x4', 'eigvec_loss', [randn(4, 4)], lambda a: eigvec_loss(*L.eig(a))),
        case('eigvec_loss/5x5', 'eigvec_loss', [randn(5, 5)], lambda a: eigvec_loss(*L.eig(a))),
        case('eigvec_loss/batched', 'eigvec_loss', [randn(2, 3, 3)], lambda a: eigvec_loss(*L.eig(a))),
    ]
    return cases


def eigvec_loss(w, v):
    """sum_ij (i + 1) |v_ij|^2 Re(w_j) + sum(Re w^2): independent of the eigenvectors' phases and of the order."""
    rows = torch.arange(1, v.shape[-1] + 1, dtype=F64).unsqueeze(-1)
    return (rows * v.abs() ** 2 * w.real.unsqueeze(-2)).sum() + (w.real ** 2).sum()


def eig_loss(w):
    """sum(Re^3) + 0.7 sum(Im^2) + 0.3 sum(Re Im^2): the same value for any order of the eigenvalues."""
    return (w.real ** 3).sum() + 0.7 * (w.imag ** 2).sum() + 0.3 * (w.real * w.imag ** 2).sum()


if __name__ == '__main__':
    families = {'lu': lu_family, 'ex': ex_family, 'matfn': matfn_family, 'eig': eig_family}
    wanted = set(sys.argv[1:]) or set(families)
    for name, make in families.items():
        if name in wanted:
            write(name, make())
