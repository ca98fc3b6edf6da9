#!/usr/bin/env python3
"""Writes the PyTorch golden values of the generative models' losses: test/fixtures/ops/loss_generative.json
(KL divergences of diagonal Gaussians, from torch.distributions.kl_divergence; family tools/fixtures/loss_generative.py).

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_generative_fixtures.py
CI never runs this: it reads the committed JSON.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fixtures import common, loss_generative  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ops', 'loss_generative.json')

if __name__ == '__main__':
    n = common.write_family(OUT, loss_generative.CASES)
    print(f'{OUT}: {n} cases')
