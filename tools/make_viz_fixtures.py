#!/usr/bin/env python3
"""Writes test/fixtures/viz/attribution.json: the class saliency map (Simonyan et al. 2014) and Grad-CAM maps
(Selvaraju et al. 2017) of a small conv net for one fixed input, computed with PyTorch. The net's weights and the
input are filled by the formula of tools/make_zoo_fixtures.py (a function of the state-dict key and element index),
so test/viz/attribution.test.ts rebuilds the same net in shendu bit for bit without a weight file.
Run: /usr/bin/python3 tools/make_viz_fixtures.py
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402
from make_zoo_fixtures import fill, uniform01  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'viz', 'attribution.json')
SIZE = 12


def net():
    """The test's net, layer for layer (Sequential names '0'..'10')."""
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
        nn.Conv2d(4, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 8, 3), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5),
    )


def saliency(model, x, k):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    k = int(logits.argmax(1)) if k is None else k
    (g,) = torch.autograd.grad(logits[0, k], [x])
    return g.abs().amax(1)[0], k


def grad_cam(model, x, layer, k):
    acts = []
    h = dict(model.named_modules())[layer].register_forward_hook(lambda m, i, o: acts.append(o))
    logits = model(x.clone().requires_grad_(True))
    h.remove()
    k = int(logits.argmax(1)) if k is None else k
    a = acts[-1]
    (g,) = torch.autograd.grad(logits[0, k], [a])
    cam = F.relu((g.mean((2, 3), keepdim=True) * a).sum(1, keepdim=True))
    cam = F.interpolate(cam, size=x.shape[2:], mode='bilinear', align_corners=False)[0, 0]
    lo, hi = cam.min(), cam.max()
    return ((cam - lo) / (hi - lo) if hi > lo else torch.zeros_like(cam)), k


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.set_num_threads(1)
    model = net()
    fill(model)
    model.eval()
    x = torch.from_numpy((2 * uniform01('viz-input', 3 * SIZE * SIZE) - 1).astype(np.float32)).reshape(1, 3, SIZE, SIZE)
    logits = model(x)
    cases = []
    for k in (None, 2):
        s, used = saliency(model, x, k)
        cases.append({'kind': 'saliency', 'classIndex': k, 'used': used, 'map': flat(s)})
    for layer, k in (('7', None), ('6', 3), ('4', 1)):
        c, used = grad_cam(model, x, layer, k)
        assert float(c.max()) > 0, f'Grad-CAM of layer {layer} is all zero: pick another case'
        cases.append({'kind': 'gradCam', 'layer': layer, 'classIndex': k, 'used': used, 'map': flat(c)})
    print('logits', flat(logits[0]))
    write_json_atomic(OUT, {'torch': torch.__version__, 'inputSize': SIZE, 'logits': flat(logits[0]), 'cases': cases})
    print('wrote', OUT)


if __name__ == '__main__':
    main()
