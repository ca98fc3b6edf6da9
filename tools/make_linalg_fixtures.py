#!/usr/bin/env python3
"""Writes the PyTorch golden values of shendu's linear-algebra tests: test/fixtures/linalg/<family>.json.

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_linalg_fixtures.py
CI never runs this: it reads the committed JSON.

Every input is rounded to float32-representable values first, so the float64 and float32 runs of a case
solve the very same problem and one float64 reference serves both (shendu computes in float64 internally
and rounds only its outputs). Rank-deficient matrices are integer-valued, so rounding keeps them exactly
rank-deficient.

A case: op, args, inputs, outputs, the random upstream gradients torch used (null for outputs that get
none) and the resulting input gradients, plus tolerances: `tol` (float64) and `tol32` (float32; null to skip
the float32 run) relative to each tensor's largest entry, and `gradTol`/`gradTol32` for gradients.
`vectors`: false where singular vectors / eigenvectors are not unique (close or repeated values, rank
deficiency), so the test compares reconstructions instead of the vectors themselves.
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures.common import enc, enc_value, write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'linalg')
F64 = torch.float64


def f32(t):
    """The float32-representable float64 tensor nearest to t."""
    return t.to(torch.float32).to(F64)


def randn(*shape):
    return f32(torch.randn(*shape, dtype=F64))


def symmetric(t):
    """Lower triangle mirrored: exactly symmetric after rounding."""
    t = f32(t)
    return t.tril() + t.tril(-1).transpose(-2, -1)


def spd(n, *batch):
    x = torch.randn(*batch, n, n, dtype=F64)
    return symmetric(x @ x.transpose(-2, -1) + n * torch.eye(n, dtype=F64))


def sym(n, *batch):
    x = torch.randn(*batch, n, n, dtype=F64)
    return symmetric(x + x.transpose(-2, -1))


def orthogonal(n):
    q, r = torch.linalg.qr(torch.randn(n, n, dtype=F64))
    return q * torch.sign(torch.diagonal(r))


def with_singular_values(m, n, s):
    u = orthogonal(m)[:, :len(s)]
    v = orthogonal(n)[:, :len(s)]
    return f32(u @ torch.diag(torch.tensor(s, dtype=F64)) @ v.T)


def with_eigenvalues(lams):
    q = orthogonal(len(lams))
    return symmetric(q @ torch.diag(torch.tensor(lams, dtype=F64)) @ q.T)


def hilbert(n):
    i = torch.arange(n, dtype=F64)
    return f32(1.0 / (i[:, None] + i[None, :] + 1))


def vandermonde(x, deg):
    x = torch.tensor(x, dtype=F64)
    return f32(torch.stack([x ** k for k in range(deg + 1)], dim=1))


def int_rank(m, n, r):
    """An m x n integer matrix of rank r (exact in float32)."""
    return (torch.randint(-3, 4, (m, r)) @ torch.randint(-3, 4, (r, n))).to(F64)


def triangular(n, upper, *batch):
    t = torch.randn(*batch, n, n, dtype=F64)
    t = t + 3 * torch.sign(torch.diagonal(t, dim1=-2, dim2=-1)).diag_embed()
    return f32(t)


def case(name, op, inputs, fn, args=None, seed=None, tol=1e-12, tol32=1e-6, grad_tol=1e-10, grad_tol32=1e-5, vectors=True, upstream=None):
    """fn(*inputs) -> tuple of outputs; seed[i] says whether output i gets a random upstream gradient, or
    upstream[i] gives that gradient (where a random one would make the function non-differentiable)."""
    return dict(name=name, op=op, inputs=inputs, fn=fn, args=args or {}, seed=seed, tol=tol, tol32=tol32,
                grad_tol=grad_tol, grad_tol32=grad_tol32, vectors=vectors, upstream=upstream)


def enc_args(args):
    return {k: (enc_value(v) if isinstance(v, float) else v) for k, v in args.items()}


def run(c):
    xs = [x.clone() for x in c['inputs']]
    outs = c['fn'](*xs)
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    seed = c['seed'] if c['seed'] is not None else [o.is_floating_point() and o.numel() > 0 for o in outs]
    grads = [None] * len(xs)
    grad_outs = [None] * len(outs)
    if any(seed) or c['upstream'] is not None:
        leaves = [x.detach().clone().requires_grad_(True) for x in xs]
        outs_g = c['fn'](*leaves)
        outs_g = list(outs_g) if isinstance(outs_g, (tuple, list)) else [outs_g]
        pairs = []
        for i, (o, s) in enumerate(zip(outs_g, seed)):
            if c['upstream'] is not None and c['upstream'][i] is not None:
                grad_outs[i] = c['upstream'][i].to(o.dtype)
            elif s:
                grad_outs[i] = torch.randn(o.shape, dtype=o.dtype)
            if grad_outs[i] is not None:
                pairs.append((o, grad_outs[i]))
        gs = torch.autograd.grad([p[0] for p in pairs], leaves, [p[1] for p in pairs], allow_unused=True)
        grads = [g if g is not None else torch.zeros_like(x) for g, x in zip(gs, xs)]
    return {
        'name': c['name'], 'op': c['op'], 'args': enc_args(c['args']),
        'tol': c['tol'], 'tol32': c['tol32'], 'gradTol': c['grad_tol'], 'gradTol32': c['grad_tol32'], 'vectors': c['vectors'],
        'inputs': [enc(x) for x in xs],
        'outputs': [enc(o) for o in outs],
        'gradOutputs': [enc(g) for g in grad_outs],
        'grads': [enc(g) for g in grads],
    }


def write(family, cases):
    torch.manual_seed(0)
    data = {'generator': 'tools/make_linalg_fixtures.py', 'torch': torch.__version__, 'cases': [run(c) for c in cases]}
    names = [c['name'] for c in data['cases']]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f'duplicate case names in {family}: {sorted(dup)}')
    path = os.path.join(OUT, family + '.json')
    write_json_atomic(path, data)
    print(f'{path}: {len(cases)} cases')


L = torch.linalg


def solve_family():
    torch.manual_seed(1)
    sing = torch.tensor([[1., 2., 3.], [2., 4., 6.5], [-1., 0.5, 2.]], dtype=F64)  # well-conditioned, integer-ish
    return [
        case('solve/4x4-matrix-rhs', 'solve', [randn(4, 4), randn(4, 2)], lambda a, b: L.solve(a, b)),
        case('solve/vector-rhs', 'solve', [randn(5, 5), randn(5)], lambda a, b: L.solve(a, b)),
        case('solve/batched', 'solve', [randn(2, 3, 3, 3), randn(2, 3, 3, 2)], lambda a, b: L.solve(a, b)),
        case('solve/batched-vector', 'solve', [randn(3, 4, 4), randn(3, 4)], lambda a, b: L.solve(a, b)),
        case('solve/broadcast-batch', 'solve', [randn(3, 3), randn(2, 3, 2)], lambda a, b: L.solve(a, b)),
        case('solve/broadcast-A', 'solve', [randn(2, 1, 3, 3), randn(4, 3, 1)], lambda a, b: L.solve(a, b)),
        case('solve/left-false', 'solve', [randn(3, 3), randn(2, 3)], lambda a, b: L.solve(a, b, left=False), args={'left': False}),
        case('solve/integer-matrix', 'solve', [sing, randn(3, 2)], lambda a, b: L.solve(a, b)),
        case('solve/ill-conditioned-hilbert6', 'solve', [hilbert(6), randn(6, 2)], lambda a, b: L.solve(a, b),
             tol=1e-8, tol32=1e-6, grad_tol=1e-8, grad_tol32=None),
        case('solve_triangular/upper', 'solve_triangular', [triangular(4, True), randn(4, 3)],
             lambda a, b: L.solve_triangular(a, b, upper=True), args={'upper': True}),
        case('solve_triangular/lower-batched', 'solve_triangular', [triangular(4, False, 2), randn(2, 4, 2)],
             lambda a, b: L.solve_triangular(a, b, upper=False), args={'upper': False}),
        case('solve_triangular/right-unit', 'solve_triangular', [triangular(3, False), randn(2, 3)],
             lambda a, b: L.solve_triangular(a, b, upper=False, left=False, unitriangular=True),
             args={'upper': False, 'left': False, 'unitriangular': True}),
        case('inv/4x4', 'inv', [randn(4, 4)], lambda a: L.inv(a)),
        case('inv/batched', 'inv', [randn(2, 2, 3, 3)], lambda a: L.inv(a)),
        case('inv/1x1', 'inv', [randn(1, 1)], lambda a: L.inv(a)),
        case('inv/ill-conditioned-hilbert6', 'inv', [hilbert(6)], lambda a: L.inv(a), tol=1e-8, tol32=1e-6, grad_tol=1e-8, grad_tol32=None),
        case('det/4x4', 'det', [randn(4, 4)], lambda a: L.det(a)),
        case('det/batched', 'det', [randn(3, 3, 3)], lambda a: L.det(a)),
        case('det/integer', 'det', [sing], lambda a: L.det(a)),
        case('det/hilbert5', 'det', [hilbert(5)], lambda a: L.det(a), tol=1e-8, tol32=1e-6, grad_tol=1e-8, grad_tol32=None),
        case('slogdet/5x5', 'slogdet', [randn(5, 5)], lambda a: L.slogdet(a), seed=[False, True]),
        case('slogdet/batched', 'slogdet', [randn(2, 4, 4)], lambda a: L.slogdet(a), seed=[False, True]),
        case('slogdet/tiny-det', 'slogdet', [f32(randn(6, 6) * 1e-3)], lambda a: L.slogdet(a), seed=[False, True]),
    ]


def decompose_family():
    torch.manual_seed(2)
    close = with_eigenvalues([1.0, 1.0 + 1e-5, 1.0 + 2e-5, 3.0, 5.0])
    repeated = f32(2 * torch.eye(4, dtype=F64) + 0.75 * torch.ones(4, 4, dtype=F64))
    rank2 = torch.tensor([[1., 2., 3.], [4., 5., 9.], [7., 8., 15.], [2., -1., 1.], [0., 3., 3.]], dtype=F64)
    ill = with_singular_values(6, 4, [1.0, 1e-2, 1e-5, 1e-8])
    nonsym = randn(4, 4)
    return [
        case('cholesky/4x4', 'cholesky', [spd(4)], lambda a: L.cholesky(a)),
        case('cholesky/batched', 'cholesky', [spd(3, 2, 2)], lambda a: L.cholesky(a)),
        case('cholesky/upper', 'cholesky', [spd(5)], lambda a: L.cholesky(a, upper=True), args={'upper': True}),
        case('cholesky/ill-conditioned', 'cholesky', [f32(hilbert(5) + 1e-6 * torch.eye(5, dtype=F64))], lambda a: L.cholesky(a),
             tol=1e-12, grad_tol=1e-8, grad_tol32=None),
        case('qr/tall', 'qr', [randn(6, 4)], lambda a: L.qr(a)),
        case('qr/square', 'qr', [randn(4, 4)], lambda a: L.qr(a)),
        case('qr/wide', 'qr', [randn(3, 5)], lambda a: L.qr(a)),
        case('qr/batched', 'qr', [randn(2, 3, 5, 3)], lambda a: L.qr(a)),
        case('qr/complete-tall', 'qr', [randn(5, 3)], lambda a: L.qr(a, mode='complete'), args={'mode': 'complete'}, seed=[False, False]),
        case('qr/complete-wide', 'qr', [randn(3, 4)], lambda a: L.qr(a, mode='complete'), args={'mode': 'complete'}),
        case('qr/r', 'qr', [randn(5, 3)], lambda a: L.qr(a, mode='r'), args={'mode': 'r'}, seed=[False, False]),
        case('qr/ill-conditioned', 'qr', [ill], lambda a: L.qr(a), tol=1e-8, grad_tol=1e-8, grad_tol32=None),
        case('eigh/5x5', 'eigh', [sym(5)], lambda a: L.eigh(a)),
        case('eigh/batched', 'eigh', [sym(4, 2, 3)], lambda a: L.eigh(a)),
        case('eigh/12x12', 'eigh', [sym(12)], lambda a: L.eigh(a)),
        case('eigh/36x36', 'eigh', [sym(36)], lambda a: L.eigh(a), grad_tol=1e-9, grad_tol32=1e-4),
        case('eigh/UPLO-U-nonsymmetric-input', 'eigh', [nonsym], lambda a: L.eigh(a, UPLO='U'), args={'UPLO': 'U'}),
        case('eigh/UPLO-L-nonsymmetric-input', 'eigh', [nonsym], lambda a: L.eigh(a), seed=[True, False]),
        case('eigh/close-eigenvalues', 'eigh', [close], lambda a: L.eigh(a), seed=[True, False], vectors=False, grad_tol=1e-8),
        # eigenvalues 2, 2, 2, 5: only functions symmetric within the repeated group are differentiable
        case('eigh/repeated-eigenvalues', 'eigh', [repeated], lambda a: L.eigh(a), seed=[False, False], vectors=False,
             upstream=[torch.tensor([0.7, 0.7, 0.7, -1.3]), None]),
        case('eigvalsh/batched', 'eigvalsh', [sym(3, 4)], lambda a: L.eigvalsh(a)),
        case('eigvalsh/close', 'eigvalsh', [close], lambda a: L.eigvalsh(a)),
        case('svd/tall', 'svd', [randn(6, 4)], lambda a: L.svd(a, full_matrices=False)),
        case('svd/wide', 'svd', [randn(3, 5)], lambda a: L.svd(a, full_matrices=False)),
        case('svd/square', 'svd', [randn(4, 4)], lambda a: L.svd(a, full_matrices=False)),
        case('svd/batched', 'svd', [randn(2, 2, 4, 3)], lambda a: L.svd(a, full_matrices=False)),
        case('svd/ill-conditioned', 'svd', [ill], lambda a: L.svd(a, full_matrices=False), seed=[False, True, False],
             tol=1e-9, grad_tol=1e-8, grad_tol32=None),
        # the zero singular value is a kink (|x|): no upstream gradient on it
        case('svd/rank-deficient', 'svd', [rank2], lambda a: L.svd(a, full_matrices=False), seed=[False, False, False], vectors=False,
             upstream=[None, torch.tensor([0.8, -1.1, 0.0]), None]),
        # 32 columns and more: Jacobi starts from the Gram matrix's eigenvectors
        case('svd/40x34', 'svd', [randn(40, 34)], lambda a: L.svd(a, full_matrices=False), grad_tol=1e-9, grad_tol32=1e-4),
        case('svd/33x38', 'svd', [randn(33, 38)], lambda a: L.svd(a, full_matrices=False), grad_tol=1e-9, grad_tol32=1e-4),
        case('svd/40x34-graded-1-to-1e-10', 'svd', [with_singular_values(40, 34, torch.logspace(0, -10, 34).tolist())],
             lambda a: L.svd(a, full_matrices=False), seed=[False, False, False], vectors=False),
        case('svd/40x34-rank-25', 'svd', [int_rank(40, 34, 25)], lambda a: L.svd(a, full_matrices=False),
             seed=[False, False, False], vectors=False),
        case('svdvals/batched', 'svdvals', [randn(3, 5, 4)], lambda a: L.svdvals(a)),
        case('svdvals/ill-conditioned', 'svdvals', [ill], lambda a: L.svdvals(a), grad_tol=1e-8, grad_tol32=None),
    ]


def pinv_truncated(a, atol=0.0, rtol=0.0):
    """torch.linalg.pinv(a, atol=, rtol=) written through the SVD. Same values; but where the cutoff drops
    nonzero singular values torch's own pinv backward (Golub-Pereyra) is not the derivative of the function
    it computes, while the SVD's backward is: this is the reference gradient there."""
    U, S, Vh = L.svd(a, full_matrices=False)
    tol = max(atol, rtol * S.detach().max().item())
    keep = S.detach() > tol
    out = (Vh[keep].mT / S[keep]) @ U[:, keep].mT
    assert torch.allclose(out.detach(), L.pinv(a.detach(), atol=atol, rtol=rtol), rtol=0, atol=1e-12)
    return out


def lstsq_family():
    torch.manual_seed(3)
    rank2 = torch.tensor([[1., 2., 3.], [4., 5., 9.], [7., 8., 15.], [2., -1., 1.], [0., 3., 3.]], dtype=F64)
    wide_def = torch.tensor([[1., 2., 3., 4.], [2., 4., 6., 8.], [0., 1., -1., 2.]], dtype=F64)
    poly = vandermonde([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5], 5)
    sym_def = torch.tensor([[2., 1., 3.], [1., 1., 2.], [3., 2., 5.]], dtype=F64)  # rank 2, symmetric
    lst = lambda a, b, **kw: L.lstsq(a, b, driver='gelsd', **kw)
    res = [False, False, False, False]
    vec = lambda r: (r.solution.squeeze(-1), r.residuals, r.rank, r.singular_values)
    return [
        case('lstsq/tall', 'lstsq', [randn(6, 3), randn(6, 2)], lambda a, b: lst(a, b), seed=[True] + res[1:]),
        # torch 1.13's backward fails for a vector b; the same problem with b as a column gives the same values
        case('lstsq/vector-b', 'lstsq', [randn(7, 4), randn(7)], lambda a, b: vec(lst(a, b.unsqueeze(-1))), seed=[True] + res[1:]),
        case('lstsq/square', 'lstsq', [randn(4, 4), randn(4, 1)], lambda a, b: lst(a, b), seed=[True] + res[1:]),
        case('lstsq/wide-min-norm', 'lstsq', [randn(3, 5), randn(3, 2)], lambda a, b: lst(a, b), seed=[True] + res[1:]),
        case('lstsq/batched', 'lstsq', [randn(2, 5, 3), randn(2, 5, 2)], lambda a, b: lst(a, b), seed=[True] + res[1:]),
        # torch 1.13's lstsq does not broadcast batch dims (shendu's does): the reference expands A itself
        case('lstsq/broadcast', 'lstsq', [randn(5, 3), randn(2, 5, 1)], lambda a, b: lst(a.expand(2, 5, 3), b), seed=[True] + res[1:]),
        case('lstsq/60x36', 'lstsq', [randn(60, 36), randn(60, 2)], lambda a, b: lst(a, b), seed=[True] + res[1:]),
        case('lstsq/50x36-rank-25', 'lstsq', [int_rank(50, 36, 25), randn(50, 2)], lambda a, b: lst(a, b), seed=res),
        case('lstsq/rank-deficient', 'lstsq', [rank2, randn(5, 2)], lambda a, b: lst(a, b), seed=res),
        case('lstsq/rank-deficient-wide', 'lstsq', [wide_def, randn(3, 1)], lambda a, b: lst(a, b), seed=res),
        # torch's lstsq backward ignores rcond (it differentiates the untruncated pinv); the reference gradient is
        # that of the function lstsq computes, pinv(A, rtol=rcond) @ B, through the SVD (see pinv_truncated)
        case('lstsq/rcond-cuts', 'lstsq', [with_singular_values(6, 3, [1.0, 0.5, 1e-4]), randn(6, 1)],
             lambda a, b: (pinv_truncated(a, rtol=1e-3) @ b,) + tuple(lst(a, b, rcond=1e-3))[1:], args={'rcond': 1e-3},
             seed=[True] + res[1:]),
        case('lstsq/polyfit-ill-conditioned', 'lstsq', [poly, randn(10, 1)], lambda a, b: lst(a, b), seed=res,
             tol=1e-8, tol32=None),
        case('pinv/tall', 'pinv', [randn(5, 3)], lambda a: L.pinv(a)),
        case('pinv/wide', 'pinv', [randn(2, 4)], lambda a: L.pinv(a)),
        case('pinv/batched', 'pinv', [randn(3, 3, 3)], lambda a: L.pinv(a)),
        case('pinv/rank-deficient', 'pinv', [rank2], lambda a: L.pinv(a), seed=[False]),
        case('pinv/hermitian', 'pinv', [sym(4)], lambda a: L.pinv(a, hermitian=True), args={'hermitian': True}),
        case('pinv/hermitian-rank-deficient', 'pinv', [sym_def], lambda a: L.pinv(a, hermitian=True), args={'hermitian': True}, seed=[False]),
        # cutoffs that drop a nonzero singular value: reference gradients through the SVD (see pinv_truncated)
        case('pinv/atol', 'pinv', [with_singular_values(4, 4, [2.0, 1.0, 0.3, 0.01])], lambda a: pinv_truncated(a, atol=0.1),
             args={'atol': 0.1}),
        case('pinv/rtol', 'pinv', [with_singular_values(4, 4, [2.0, 1.0, 0.3, 0.01])], lambda a: pinv_truncated(a, rtol=0.1),
             args={'rtol': 0.1}),
        case('matrix_rank/full', 'matrix_rank', [randn(4, 6)], lambda a: L.matrix_rank(a)),
        case('matrix_rank/deficient', 'matrix_rank', [rank2], lambda a: L.matrix_rank(a)),
        case('matrix_rank/batched', 'matrix_rank', [torch.stack([rank2, randn(5, 3)])], lambda a: L.matrix_rank(a)),
        case('matrix_rank/hermitian', 'matrix_rank', [sym_def], lambda a: L.matrix_rank(a, hermitian=True), args={'hermitian': True}),
        case('matrix_rank/atol', 'matrix_rank', [with_singular_values(4, 4, [2.0, 1.0, 0.3, 0.01])],
             lambda a: L.matrix_rank(a, atol=0.1), args={'atol': 0.1}),
        case('matrix_rank/rtol', 'matrix_rank', [with_singular_values(4, 4, [2.0, 1.0, 0.3, 0.01])],
             lambda a: L.matrix_rank(a, rtol=0.1), args={'rtol': 0.1}),
        # PyTorch's default CPU driver: QR with column pivoting; no singular values, no residuals
        *[case(f'lstsq/gelsy-{name}', 'lstsq', inputs, lambda a, b: tuple(L.lstsq(a, b, driver='gelsy')), args={'driver': 'gelsy'}, seed=seed)
          for name, inputs, seed in [
              ('tall', [randn(6, 3), randn(6, 2)], [True] + res[1:]),
              ('square', [randn(4, 4), randn(4, 1)], [True] + res[1:]),
              ('wide-min-norm', [randn(3, 5), randn(3, 2)], [True] + res[1:]),
              ('batched', [randn(2, 5, 3), randn(2, 5, 2)], [True] + res[1:]),
              ('60x36', [randn(60, 36), randn(60, 2)], [True] + res[1:]),
              ('36x60', [randn(36, 60), randn(36, 3)], [True] + res[1:]),
              ('rank-deficient', [rank2, randn(5, 2)], res),
          ]],
    ]


def cond(a, p):
    """torch.linalg.cond; for p other than ±2 by its definition, since torch 1.13's cond backward fails there."""
    if p in (None, 2.0, -2.0):
        return L.cond(a, p)
    out = L.matrix_norm(a, p) * L.matrix_norm(L.inv(a), p)
    assert torch.allclose(out.detach(), L.cond(a.detach(), p), rtol=1e-12, atol=0)
    return out


def norms_family():
    torch.manual_seed(4)
    cases = []
    x = randn(3, 4)
    for o in [2.0, 1.0, 3.0, 0.5, math.inf, -math.inf, 0.0, -1.0, -2.5]:
        cases.append(case(f'vector_norm/all/ord={o}', 'vector_norm', [x], lambda a, o=o: L.vector_norm(a, o), args={'ord': o},
                          seed=[o != 0.0]))
    cases.append(case('vector_norm/dim1-keepdim', 'vector_norm', [x], lambda a: L.vector_norm(a, 2.0, dim=1, keepdim=True),
                      args={'ord': 2.0, 'dim': 1, 'keepdim': True}))
    cases.append(case('vector_norm/dims-0-2', 'vector_norm', [randn(2, 3, 4)], lambda a: L.vector_norm(a, 1.0, dim=(0, 2)),
                      args={'ord': 1.0, 'dim': [0, 2]}))
    A = randn(4, 4)
    for o in ['fro', 'nuc', 1.0, -1.0, 2.0, -2.0, math.inf, -math.inf]:
        cases.append(case(f'matrix_norm/ord={o}', 'matrix_norm', [A], lambda a, o=o: L.matrix_norm(a, o), args={'ord': o}))
    cases.append(case('matrix_norm/batched-nuc', 'matrix_norm', [randn(2, 3, 5)], lambda a: L.matrix_norm(a, 'nuc'), args={'ord': 'nuc'}))
    cases.append(case('matrix_norm/dim-0-2-keepdim', 'matrix_norm', [randn(3, 2, 4)],
                      lambda a: L.matrix_norm(a, 2.0, dim=(0, 2), keepdim=True), args={'ord': 2.0, 'dim': [0, 2], 'keepdim': True}))
    cases.append(case('norm/default-flatten', 'norm', [randn(2, 3, 2)], lambda a: L.norm(a), args={}))
    cases.append(case('norm/2d-ord-inf', 'norm', [A], lambda a: L.norm(a, math.inf), args={'ord': math.inf}))
    cases.append(case('norm/1d-ord-3', 'norm', [randn(5)], lambda a: L.norm(a, 3.0), args={'ord': 3.0}))
    cases.append(case('norm/dim-1', 'norm', [randn(3, 4)], lambda a: L.norm(a, dim=1), args={'dim': [1]}))
    cases.append(case('norm/dim-pair-nuc', 'norm', [randn(2, 3, 3)], lambda a: L.norm(a, 'nuc', dim=(1, 2)), args={'ord': 'nuc', 'dim': [1, 2]}))
    for p in [None, 2.0, -2.0, 'fro', 'nuc', 1.0, -1.0, math.inf, -math.inf]:
        args = {} if p is None else {'p': p}
        cases.append(case(f'cond/p={p}', 'cond', [A], lambda a, p=p: cond(a, p), args=args))
    cases.append(case('cond/tall', 'cond', [randn(5, 3)], lambda a: L.cond(a)))
    cases.append(case('cond/batched-ill', 'cond', [torch.stack([hilbert(4), randn(4, 4)])], lambda a: cond(a, 1.0), args={'p': 1.0},
                      tol=1e-10, grad_tol=1e-8, grad_tol32=None))
    return cases


if __name__ == '__main__':
    families = {'solve': solve_family, 'decompose': decompose_family, 'lstsq': lstsq_family, 'norms': norms_family}
    wanted = set(sys.argv[1:]) or set(families)
    for name, make in families.items():
        if name in wanted:
            write(name, make())
