"""Fixtures of YOLO v2's anchor-head loss (issue 15): bench/torch_yolov2.py's yolov2_loss (the PyTorch twin's, so the
test and the side-by-side run share one definition) on tiny float64 cases, with the gradient of the summed loss with
respect to the raw head output.

    /usr/bin/python3 tools/make_yolov2_fixtures.py   # writes test/fixtures/yolov2_loss.json
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'bench'))
sys.path.insert(0, HERE)
from fixture_json import write_json_atomic  # noqa: E402
from torch_yolov2 import yolov2_loss  # noqa: E402


def case(name, grid, anchors, nc, size, boxes, labels, seed, near=None, **kw):
    """Random raw outputs in [-2, 2]; `near` lists (img, i, j, a) predictions set close to their object so IoUs pass
    the ignore threshold and the rescore targets are large."""
    g = torch.Generator().manual_seed(seed)
    n = len(boxes)
    sh, sw = grid
    pred = torch.rand(n, sh, sw, len(anchors), 5 + nc, generator=g, dtype=torch.float64) * 4 - 2
    for img, i, j, a, k in near or []:
        x1, y1, x2, y2 = boxes[img][k]
        cw, ch = size[1] / sw, size[0] / sh
        fx, fy = (x1 + x2) / 2 / cw - j, (y1 + y2) / 2 / ch - i
        pred[img, i, j, a, 0] = torch.logit(torch.tensor(min(max(fx + 0.05, 0.01), 0.99), dtype=torch.float64))
        pred[img, i, j, a, 1] = torch.logit(torch.tensor(min(max(fy - 0.04, 0.01), 0.99), dtype=torch.float64))
        pred[img, i, j, a, 2] = torch.log(torch.tensor((x2 - x1) / anchors[a][0] * 1.1, dtype=torch.float64))
        pred[img, i, j, a, 3] = torch.log(torch.tensor((y2 - y1) / anchors[a][1] * 0.95, dtype=torch.float64))
    pred.requires_grad_()
    parts = yolov2_loss(pred, boxes, labels, size, anchors=anchors, **kw)
    sum(parts.values()).backward()
    return {
        'name': name, 'anchors': anchors, 'numClasses': nc, 'imageSize': list(size), 'options': kw,
        'boxes': boxes, 'labels': labels, 'pred': pred.detach().flatten().tolist(), 'predShape': list(pred.shape),
        'losses': {k: v.item() for k, v in parts.items()}, 'grad': pred.grad.flatten().tolist(),
    }


cases = [
    # 2x2 grid of 32x32 cells, 3 anchors: two objects share cell (0, 0) and pick different anchors, a third shares
    # cell and anchor with a larger one (the larger keeps it); one prediction near a non-owned object is ignored;
    # the second image has no objects (all no-object)
    case('shared cells, ignored near box and empty image', (2, 2), [[10.0, 20.0], [20.0, 14.0], [28.0, 30.0]], 3, (64, 64),
         [[[2, 2, 14, 24], [4, 6, 26, 18], [30, 33, 60, 62], [38, 40, 62, 64]], []], [[2, 0, 1, 2], []], 0,
         near=[(0, 0, 0, 0, 0), (0, 0, 0, 1, 1), (0, 1, 1, 2, 2), (0, 1, 1, 1, 3)]),
    # 3 x 2 grid of a 45 x 40 image (non-square cells), 2 anchors, weights and threshold changed, target 1 (no rescore)
    case('rectangular grid, other weights, no rescore', (3, 2), [[8.0, 8.0], [18.0, 30.0]], 2, (45, 40),
         [[[0, 0, 40, 45], [21, 16, 33, 28]]], [[1, 0]], 1, near=[(0, 1, 1, 0, 1)],
         lambda_coord=2.0, lambda_obj=1.5, lambda_noobj=0.5, lambda_class=3.0, ignore_threshold=0.3, rescore=False),
]
write_json_atomic(os.path.join(HERE, '..', 'test', 'fixtures', 'yolov2_loss.json'), {'torch': torch.__version__, 'cases': cases})
print('wrote test/fixtures/yolov2_loss.json')
for c in cases:
    print(c['name'], c['losses'])
