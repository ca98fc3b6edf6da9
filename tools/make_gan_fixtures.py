#!/usr/bin/env python3
"""Writes the golden values of issue 14's GAN pieces:
- test/fixtures/ops/loss_gan.json: the GAN losses (src/nn/loss-gan.ts) as the PyTorch expressions they equal
  (binary_cross_entropy_with_logits and relu forms), values and gradients, read by test/helpers/check-op.ts;
- test/fixtures/models/frechet.json: Frechet distances between Gaussians (src/models/generative/frechet.ts)
  computed with scipy.linalg.sqrtm, the reference FID code's formula, and the means/covariances numpy fits.
Run: /usr/bin/python3 tools/make_gan_fixtures.py
"""
import os
import sys

import numpy as np
import scipy.linalg
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fixtures.common import In, case, write_family  # noqa: E402
from fixture_json import write_json_atomic  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')


def d_loss(real, fake, kind='nonSaturating', reduction='mean'):
    if kind == 'hinge':
        lr, lf = F.relu(1 - real), F.relu(1 + fake)
        return lr + lf if reduction == 'none' else (lr.sum() + lf.sum() if reduction == 'sum' else lr.mean() + lf.mean())
    return (F.binary_cross_entropy_with_logits(real, torch.ones_like(real), reduction=reduction)
            + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake), reduction=reduction))


def g_loss(fake, kind='nonSaturating', reduction='mean'):
    red = {'none': lambda t: t, 'mean': torch.mean, 'sum': torch.sum}[reduction]
    if kind == 'minimax':
        return -F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake), reduction=reduction)
    if kind == 'nonSaturating':
        return F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake), reduction=reduction)
    return red(-fake)


def loss_cases():
    out = []
    big = In([6], 'values', values=[-40.0, -3.0, -0.5, 0.7, 3.0, 40.0])
    for kind in ['minimax', 'nonSaturating', 'hinge']:
        for red in ['mean', 'sum', 'none']:
            # hinge has kinks at +-1: the normal draws avoid them almost surely, but gradcheck steps could cross
            out.append(case(f'd/{kind}/{red}', 'gan_d', [In([4, 3]), In([4, 3])], d_loss, args={'kind': kind, 'reduction': red}))
            out.append(case(f'g/{kind}/{red}', 'gan_g', [In([5])], g_loss, args={'kind': kind, 'reduction': red}))
        out.append(case(f'd/{kind}/sizes-differ', 'gan_d', [In([8]), In([5])], d_loss, args={'kind': kind, 'reduction': 'mean'}))
        out.append(case(f'g/{kind}/large-logits', 'gan_g', [big], g_loss, args={'kind': kind, 'reduction': 'mean'}))
        out.append(case(f'd/{kind}/large-logits', 'gan_d', [big, big], d_loss, args={'kind': kind, 'reduction': 'sum'}))
    return out


def frechet_ref(mu1, c1, mu2, c2):
    covmean, _ = scipy.linalg.sqrtm(c1.dot(c2), disp=False)
    covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(c1) + np.trace(c2) - 2 * np.trace(covmean))


def frechet_cases():
    rng = np.random.default_rng(7)
    cases = []
    for name, d, n, rank_deficient in [('d3', 3, 50, False), ('d8', 8, 40, False), ('d6-singular', 6, 4, True)]:
        a = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
        b = rng.normal(size=(n, d)) * 0.7 + 0.3
        for x in (a, b):
            assert x.shape == (n, d)
        mu1, mu2 = a.mean(0), b.mean(0)
        c1, c2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        cases.append({
            'name': name, 'a': a.tolist(), 'b': b.tolist(),
            'muA': mu1.tolist(), 'covA': c1.tolist(), 'muB': mu2.tolist(), 'covB': c2.tolist(),
            'distance': frechet_ref(mu1, c1, mu2, c2), 'singular': rank_deficient,
        })
    same = cases[1]
    cases.append({**same, 'name': 'identical', 'a': [], 'b': [], 'muB': same['muA'], 'covB': same['covA'], 'distance': 0.0})
    return cases


def main():
    torch.manual_seed(0)
    n = write_family(os.path.join(ROOT, 'ops', 'loss_gan.json'), loss_cases())
    print(f'loss_gan.json: {n} cases')
    fc = frechet_cases()
    write_json_atomic(os.path.join(ROOT, 'models', 'frechet.json'), {'generator': 'tools/make_gan_fixtures.py', 'scipy': scipy.__version__, 'cases': fc})
    print(f'frechet.json: {len(fc)} cases', [round(c['distance'], 6) for c in fc])


if __name__ == '__main__':
    main()
