#!/usr/bin/env python3
"""Writes test/fixtures/models/rcnn_loss.json: Fast R-CNN's multi-task loss (torchvision 0.14's
roi_heads.fastrcnn_loss: cross-entropy over K + 1 classes plus smooth L1 with beta 1/9 on the positives' own-class
box offsets, summed over the number of RoIs) on small float64 cases, with the gradients of the summed loss
w.r.t. the class logits and the box regression. Cases: mixed labels over two images, no positives, all positives.
Run: /usr/bin/python3 tools/make_rcnn_fixtures.py
"""
import os
import sys

import torch
from torchvision.models.detection.roi_heads import fastrcnn_loss

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')


def case(name, labels_per_image, num_classes, gen):
    r = sum(len(l) for l in labels_per_image)
    c = num_classes + 1
    logits = torch.randn(r, c, generator=gen, dtype=torch.float64, requires_grad=True)
    box = (0.3 * torch.randn(r, 4 * c, generator=gen, dtype=torch.float64)).requires_grad_(True)
    targets = [0.3 * torch.randn(len(l), 4, generator=gen, dtype=torch.float64) for l in labels_per_image]
    labels = [torch.tensor(l, dtype=torch.int64) for l in labels_per_image]
    loss_cls, loss_box = fastrcnn_loss(logits, box, labels, targets)
    (loss_cls + loss_box).backward()
    return {
        'name': name, 'numClasses': num_classes,
        'classLogits': logits.detach().tolist(), 'boxRegression': box.detach().tolist(),
        'labels': torch.cat(labels).tolist(), 'regressionTargets': torch.cat(targets).tolist(),
        'lossClassifier': loss_cls.item(), 'lossBoxReg': loss_box.item(),
        'gradClassLogits': logits.grad.tolist(), 'gradBoxRegression': box.grad.tolist(),
    }


def main():
    gen = torch.Generator().manual_seed(15)
    cases = [
        case('two images, mixed labels', [[0, 2, 1, 0], [3, 0]], 3, gen),
        case('no positives', [[0, 0, 0]], 2, gen),
        case('all positives', [[1, 2], [2]], 2, gen),
    ]
    write_json_atomic(os.path.join(ROOT, 'models', 'rcnn_loss.json'), {'torchvision': __import__('torchvision').__version__, 'cases': cases})


if __name__ == '__main__':
    main()
