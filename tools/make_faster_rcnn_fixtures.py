#!/usr/bin/env python3
"""Writes test/fixtures/models/faster_rcnn.json: torchvision 0.14's RegionProposalNetwork and RoIHeads with fixed,
seeded weights on tiny cases, for test/models/detection/faster-rcnn-parity.test.ts.

- rpn: features [2, 8, 4, 4] of 32x32 images (stride 8), anchors sizes (8, 16) x ratios (1, 2), image 0 with two
  boxes, image 1 with none (torchvision's empty-target path); 64 anchors per image, so the 256-anchor sampler takes
  every labelled anchor and the losses do not depend on the random draw. Expected: loss_objectness,
  loss_rpn_box_reg, and the training-mode proposals (pre-NMS top 50, NMS 0.7, post-NMS top 20).
- roi: features [2, 4, 8, 8] of 64x64 images (scale 1/8), given proposals, image 0 with two boxes, image 1 with none,
  TwoMLPHead(4 * 49, 16) and FastRCNNPredictor(16, 4); 512 >= proposals + ground truth, so every one is sampled.
  Expected: loss_classifier, loss_box_reg, and the eval-mode detections (score 0.05, NMS 0.5, 100 per image).
Labels are written 0-based (shendu's; torchvision's are these + 1). Weights are written under shendu's module names.
Run: /usr/bin/python3 tools/make_faster_rcnn_fixtures.py
"""
import os
import sys
from collections import OrderedDict

import torch
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.roi_heads import RoIHeads
from torchvision.models.detection.rpn import RegionProposalNetwork, RPNHead
from torchvision.ops import MultiScaleRoIAlign

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models', 'faster_rcnn.json')


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def randomize(module, names, std):
    """Seeded normal weights (std) and biases (std / 2); returns {shendu name: flat values}."""
    out = {}
    for (key, p), name in zip(module.state_dict().items(), names):
        with torch.no_grad():
            p.copy_(torch.randn(p.shape) * (std if key.endswith('weight') else std / 2))
        out[name] = {'shape': list(p.shape), 'data': flat(p)}
    return out


def target(boxes, labels):
    return {'boxes': torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4), 'labels': torch.tensor(labels, dtype=torch.int64) + 1}


def rpn_case():
    torch.manual_seed(1)
    head = RPNHead(8, 4)
    weights = randomize(head, ['head.conv.weight', 'head.conv.bias', 'head.clsLogits.weight', 'head.clsLogits.bias', 'head.bboxPred.weight', 'head.bboxPred.bias'], 0.1)
    anchors = AnchorGenerator(sizes=((8, 16),), aspect_ratios=((1.0, 2.0),))
    rpn = RegionProposalNetwork(anchors, head, 0.7, 0.3, 256, 0.5, dict(training=50, testing=50), dict(training=20, testing=20), 0.7)
    rpn.train()
    feats = torch.randn(2, 8, 4, 4)
    images = ImageList(torch.zeros(2, 1, 32, 32), [(32, 32), (32, 32)])
    boxes = [[[3.5, 4.25, 14.0, 19.5], [17.0, 12.5, 29.75, 22.0]], []]
    labels = [[0, 2], []]
    targets = [target(b, l) for b, l in zip(boxes, labels)]
    proposals, losses = rpn(images, OrderedDict([('0', feats)]), targets)
    return {
        'imageSize': [32, 32], 'anchorSizes': [8, 16], 'aspectRatios': [1.0, 2.0], 'weights': weights,
        'features': {'shape': list(feats.shape), 'data': flat(feats)}, 'boxes': boxes, 'labels': labels,
        'lossObjectness': losses['loss_objectness'].item(), 'lossRpnBoxReg': losses['loss_rpn_box_reg'].item(),
        'proposals': [flat(p) for p in proposals],
    }


def roi_case():
    torch.manual_seed(2)
    box_head = TwoMLPHead(4 * 49, 16)
    predictor = FastRCNNPredictor(16, 4)
    weights = randomize(box_head, ['boxHead.fc6.weight', 'boxHead.fc6.bias', 'boxHead.fc7.weight', 'boxHead.fc7.bias'], 0.1)
    weights.update(randomize(predictor, ['boxPredictor.clsScore.weight', 'boxPredictor.clsScore.bias', 'boxPredictor.bboxPred.weight', 'boxPredictor.bboxPred.bias'], 0.3))
    heads = RoIHeads(MultiScaleRoIAlign(['0'], 7, 2), box_head, predictor, 0.5, 0.5, 512, 0.25, None, 0.05, 0.5, 100)
    feats = torch.randn(2, 4, 8, 8)
    g = torch.Generator().manual_seed(3)

    def props(n):
        xy = torch.rand(n, 2, generator=g) * 40
        wh = 6 + torch.rand(n, 2, generator=g) * 20
        return torch.cat([xy, (xy + wh).clamp(max=64)], 1)
    proposals = [props(10), props(6)]
    boxes = [[[5.0, 6.0, 30.0, 33.0], [20.0, 24.0, 50.0, 60.0]], []]
    labels = [[1, 2], []]
    # make some proposals overlap the ground truth well, so both losses have foreground
    proposals[0][0] = torch.tensor([6.0, 5.0, 29.0, 35.0])
    proposals[0][1] = torch.tensor([22.0, 25.0, 48.0, 58.0])
    targets = [target(b, l) for b, l in zip(boxes, labels)]
    fmap = OrderedDict([('0', feats)])
    sizes = [(64, 64), (64, 64)]
    heads.train()
    _, losses = heads(fmap, [p.clone() for p in proposals], sizes, targets)
    heads.eval()
    with torch.no_grad():
        dets, _ = heads(fmap, [p.clone() for p in proposals], sizes)
    return {
        'imageSize': [64, 64], 'numClasses': 4, 'representationSize': 16, 'weights': weights,
        'features': {'shape': list(feats.shape), 'data': flat(feats)}, 'proposals': [flat(p) for p in proposals],
        'boxes': boxes, 'labels': labels,
        'lossClassifier': losses['loss_classifier'].item(), 'lossBoxReg': losses['loss_box_reg'].item(),
        'detections': [{'boxes': flat(d['boxes']), 'scores': flat(d['scores']), 'labels': [int(v) - 1 for v in d['labels'].tolist()]} for d in dets],
    }


def main():
    data = {'rpn': rpn_case(), 'roi': roi_case()}
    write_json_atomic(OUT, data)
    print(f'wrote {OUT}: rpn losses {data["rpn"]["lossObjectness"]:.6f} {data["rpn"]["lossRpnBoxReg"]:.6f}, '
          f'roi losses {data["roi"]["lossClassifier"]:.6f} {data["roi"]["lossBoxReg"]:.6f}, '
          f'{[len(d["scores"]) for d in data["roi"]["detections"]]} detections')


if __name__ == '__main__':
    main()
