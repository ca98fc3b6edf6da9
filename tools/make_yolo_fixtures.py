"""Fixtures of YOLO v1's loss (issue 15): bench/torch_yolo_canvas.py's yolo_loss (the PyTorch twin's, so the test
and the side-by-side run share one definition) on tiny float64 cases, with the gradient of the summed loss.

    /usr/bin/python3 tools/make_yolo_fixtures.py   # writes test/fixtures/yolo_loss.json
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'bench'))
sys.path.insert(0, HERE)
from fixture_json import write_json_atomic  # noqa: E402
from torch_yolo_canvas import yolo_loss  # noqa: E402


def case(name, grid, nb, nc, size, boxes, labels, seed, **kw):
    g = torch.Generator().manual_seed(seed)
    n = len(boxes)
    pred = (torch.rand(n, grid, grid, 5 * nb + nc, generator=g, dtype=torch.float64) * 1.2 - 0.1).requires_grad_()
    parts = yolo_loss(pred, boxes, labels, size, grid=grid, nb=nb, nc=nc, **kw)
    total = sum(parts.values())
    total.backward()
    return {
        'name': name, 'grid': grid, 'numBoxes': nb, 'numClasses': nc, 'imageSize': list(size), 'options': kw,
        'boxes': boxes, 'labels': labels, 'pred': pred.detach().flatten().tolist(), 'predShape': list(pred.shape),
        'losses': {k: v.item() for k, v in parts.items()}, 'grad': pred.grad.flatten().tolist(),
    }


cases = [
    # two images of 32x32 on a 2x2 grid: the first has two objects whose centres share cell (0, 0) (the larger wins)
    # and one in cell (1, 1); the second has no objects
    case('shared cell and empty image', 2, 2, 3, (32, 32), [[[1, 2, 12, 14], [3, 3, 9, 8], [18, 20, 30, 31]], []], [[2, 0, 1], []], 0),
    case('3x3 grid, B=1, no rescore, lambdas 2 and 1', 3, 1, 2, (30, 45), [[[0, 0, 45, 30], [30, 10, 44, 29]]], [[1, 0]], 1,
         lambda_coord=2.0, lambda_noobj=1.0, rescore=False),
]
write_json_atomic(os.path.join(HERE, '..', 'test', 'fixtures', 'yolo_loss.json'), {'torch': torch.__version__, 'cases': cases})
print('wrote test/fixtures/yolo_loss.json')
