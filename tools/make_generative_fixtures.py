#!/usr/bin/env python3
"""Writes the PyTorch golden values of the generative models: test/fixtures/ops/loss_generative.json (KL divergences
of diagonal Gaussians, from torch.distributions.kl_divergence; family tools/fixtures/loss_generative.py) and
test/fixtures/models/generative.json (small twins of the VAE of pytorch/examples and of the max-unpooling conv
auto-encoder: weights, inputs, outputs, loss and a gradient, in float64).

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_generative_fixtures.py
CI never runs this: it reads the committed JSON.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from fixture_json import write_json_atomic  # noqa: E402
from fixtures import common, loss_generative  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
OUT = os.path.join(ROOT, 'ops', 'loss_generative.json')
MODELS_OUT = os.path.join(ROOT, 'models', 'generative.json')


def enc(t):
    return {'shape': list(t.shape), 'data': t.detach().reshape(-1).tolist()}


class VAE(nn.Module):
    """pytorch/examples vae/main.py's VAE with small sizes: 16-8-3-8-16."""

    def __init__(self, d=16, h=8, k=3):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(d, h), nn.Linear(h, k), nn.Linear(h, k)
        self.fc3, self.fc4 = nn.Linear(k, h), nn.Linear(h, d)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))


class ConvAE(nn.Module):
    """The max-unpooling conv auto-encoder (src/models/generative/conv-ae.ts) with channels [2, 3]."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList([nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(2, 3, 3, padding=1)])
        self.decoder = nn.ModuleList([nn.Conv2d(3, 2, 3, padding=1), nn.Conv2d(2, 1, 3, padding=1)])

    def forward(self, x):
        records = []
        h = x
        for conv in self.encoder:
            h = F.relu(conv(h))
            size = h.shape[-2:]
            h, idx = F.max_pool2d(h, 2, return_indices=True)
            records.append((idx, size))
        code = h
        for j, conv in enumerate(self.decoder):
            idx, size = records[len(records) - 1 - j]
            h = conv(F.max_unpool2d(h, idx, 2, output_size=size))
            h = F.relu(h) if j < len(self.decoder) - 1 else torch.sigmoid(h)
        return h, code


def model_fixtures():
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    vae = VAE()
    x = torch.rand(4, 1, 4, 4)
    z = torch.randn(4, 3)
    mu, logvar = vae.encode(x.view(-1, 16))
    decoded = vae.decode(z)
    bce = F.binary_cross_entropy(decoded, x.view(-1, 16), reduction='sum')
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    (bce + kld).backward()
    out = {'vae': {
        'state': {k: enc(v) for k, v in vae.state_dict().items()}, 'x': enc(x), 'z': enc(z), 'mu': enc(mu), 'logvar': enc(logvar),
        'decoded': enc(decoded), 'bce': bce.item(), 'kld': kld.item(), 'fc1_weight_grad': enc(vae.fc1.weight.grad),
    }}
    ae = ConvAE()
    # odd sizes on purpose: 6x10 -> pooled 3x5 -> 1x2, unpooled back to 3x5 and 6x10
    x = torch.rand(2, 1, 6, 10)
    y, code = ae(x)
    loss = F.mse_loss(y, x)
    loss.backward()
    out['convae'] = {
        'state': {k: enc(v) for k, v in ae.state_dict().items()}, 'x': enc(x), 'output': enc(y), 'code': enc(code),
        'mse': loss.item(), 'encoder0_weight_grad': enc(ae.encoder[0].weight.grad),
    }
    torch.set_default_dtype(torch.float32)
    write_json_atomic(MODELS_OUT, {'generator': 'tools/make_generative_fixtures.py', 'torch': torch.__version__, **out})


if __name__ == '__main__':
    n = common.write_family(OUT, loss_generative.CASES)
    print(f'{OUT}: {n} cases')
    model_fixtures()
    print(f'{MODELS_OUT}: vae, convae')
