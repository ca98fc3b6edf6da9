"""PyTorch twin of examples/faster-rcnn-canvas.ts: torchvision 0.14's FasterRCNN with the same backbone, anchors,
heads and recipe, trained on the same canvases, for issue 15's side-by-side figure (held-out mAP@0.5, all-point).

    node dist/bench/export-canvas-detection.js --train 800 --test 1000 --out /tmp/canvas-detection
    /usr/bin/python3 bench/torch_faster_rcnn_canvas.py [--data /tmp/canvas-detection] [--epochs 3] [--batch 8]
        [--lr 0.002] [--val 50] [--limit N] [--test N] [--threads 1] [--seed 0] [--out result.json]

What it mirrors (src/models/detection/faster-rcnn/, the zoo's `fasterrcnn` defaults):
- data: the exported canvases (the first 800 training, all 1,000 test canvases of shendu's canvasDetection), pixels
  in [0, 1] unchanged (GeneralizedRCNNTransform with mean 0, std 1, min_size = max_size = 96: no resize), labels + 1
  (torchvision's class 0 is background); batches of 8 shuffled each epoch;
- backbone: conv3x3(1, 16, stride 2) + BN + ReLU, then torchvision's BasicBlock(16, 32, stride 2) and
  BasicBlock(32, 64, stride 2) with 1x1 conv + BN shortcuts: 64 channels at stride 8;
- RPN: anchors 20/32/48 x ratios 1/2/3 on one level, IoU 0.7/0.3, 256 anchors at half positive, top-n 400/300
  before NMS 0.7, 128/100 after (train/test), min size 1e-3;
- RoI heads: MultiScaleRoIAlign 7x7 sampling ratio 2, TwoMLPHead(64 * 49, 128), FastRCNNPredictor(128, 11), IoU 0.5,
  512 proposals at 25% positives, box weights (10, 10, 5, 5), score 0.05, NMS 0.5, 100 detections per image;
- training: Adam lr 0.002, lr x 0.1 for the last epoch; torchvision's default initialization;
- score: VOC AP per class at IoU 0.5, all-point (continuous coordinates, no +1), mean over classes.
Measured (2026-12-03, defaults, 1 thread, nice 5, beside the example's run): validation mAP 0.284, 0.557, 0.682 after
epochs 1-3, held-out test mAP@0.5 0.670 (shendu's example: 0.346, 0.618, 0.682; test 0.686); 1,172 s wall.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.resnet import BasicBlock
from torchvision.ops import MultiScaleRoIAlign

from voc_ap import all_point_ap


def backbone():
    def down(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 1, stride=2, bias=False), nn.BatchNorm2d(o))
    net = nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
        BasicBlock(16, 32, 2, down(16, 32)), BasicBlock(32, 64, 2, down(32, 64)))
    net.out_channels = 64
    return net


def build():
    return FasterRCNN(
        backbone(), num_classes=None, min_size=96, max_size=96, image_mean=[0.0], image_std=[1.0],
        rpn_anchor_generator=AnchorGenerator(sizes=((20, 32, 48),), aspect_ratios=((1.0, 2.0, 3.0),)),
        rpn_pre_nms_top_n_train=400, rpn_pre_nms_top_n_test=300, rpn_post_nms_top_n_train=128, rpn_post_nms_top_n_test=100,
        box_roi_pool=MultiScaleRoIAlign(['0'], 7, 2), box_head=TwoMLPHead(64 * 49, 128), box_predictor=FastRCNNPredictor(128, 11))


def load(data, split):
    targets = json.load(open(os.path.join(data, f'targets_{split}.json')))
    px = np.fromfile(os.path.join(data, f'images_{split}.f32'), dtype='<f4').reshape(len(targets), 1, 96, 96)
    return torch.from_numpy(px.copy()), [
        {'boxes': torch.tensor(t['boxes'], dtype=torch.float32).reshape(-1, 4), 'labels': torch.tensor(t['labels'], dtype=torch.int64) + 1}
        for t in targets]


def voc_map(dets, targets, num_classes=10, iou_thr=0.5):
    """Mean over classes with ground truth of the all-point VOC AP (detections sorted by score, greedy matching)."""
    aps = []
    for c in range(1, num_classes + 1):
        gts = {i: t['boxes'][t['labels'] == c].numpy() for i, t in enumerate(targets)}
        npos = sum(len(g) for g in gts.values())
        if npos == 0:
            continue
        found = {i: np.zeros(len(g), bool) for i, g in gts.items()}
        cand = [(float(s), i, b.numpy()) for i, d in enumerate(dets) for b, s, l in zip(d['boxes'], d['scores'], d['labels']) if int(l) == c]
        cand.sort(key=lambda x: -x[0])
        tp = np.zeros(len(cand))
        for k, (_, i, b) in enumerate(cand):
            g = gts[i]
            if len(g) == 0:
                continue
            iw = np.clip(np.minimum(g[:, 2], b[2]) - np.maximum(g[:, 0], b[0]), 0, None)
            ih = np.clip(np.minimum(g[:, 3], b[3]) - np.maximum(g[:, 1], b[1]), 0, None)
            inter = iw * ih
            iou = inter / ((b[2] - b[0]) * (b[3] - b[1]) + (g[:, 2] - g[:, 0]) * (g[:, 3] - g[:, 1]) - inter)
            j = int(np.argmax(iou))
            if iou[j] > iou_thr and not found[i][j]:
                tp[k] = 1
                found[i][j] = True
        aps.append(all_point_ap(tp, npos))
    return float(np.mean(aps))


def evaluate(model, images, targets, batch=50):
    model.eval()
    dets = []
    with torch.no_grad():
        for s in range(0, len(targets), batch):
            dets += model(list(images[s:s + batch]))
    model.train()
    return voc_map(dets, targets)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', default='/tmp/canvas-detection')
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--lr', type=float, default=0.002)
    p.add_argument('--val', type=int, default=50)
    p.add_argument('--limit', type=int, default=0, help='train on the first LIMIT canvases only (0: all exported)')
    p.add_argument('--test', type=int, default=0, help='score the first TEST test canvases only (0: all)')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default='')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ttr = load(a.data, 'train')
    xte, tte = load(a.data, 'test')
    if a.limit:
        xtr, ttr = xtr[:a.limit], ttr[:a.limit]
    if a.test:
        xte, tte = xte[:a.test], tte[:a.test]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, [a.epochs - 1], gamma=0.1)
    print(f'torchvision FasterRCNN: {sum(q.numel() for q in model.parameters())} parameters; {len(ttr)} training, {len(tte)} test canvases')
    history = []
    t0 = time.time()
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(len(ttr))
        sums, n = {}, 0
        te = time.time()
        for s in range(0, len(ttr), a.batch):
            idx = perm[s:s + a.batch].tolist()
            losses = model([xtr[i] for i in idx], [ttr[i] for i in idx])
            loss = sum(losses.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
            for k, v in losses.items():
                sums[k] = sums.get(k, 0.0) + v.item() * len(idx)
            n += len(idx)
        sched.step()
        train_time = time.time() - te
        val_map = evaluate(model, xte[:a.val], tte[:a.val])
        row = {'epoch': epoch, 'loss': sum(sums.values()) / n, **{k: v / n for k, v in sums.items()}, 'val_map': val_map, 'train_s': train_time}
        history.append(row)
        print(json.dumps(row), flush=True)
    te = time.time()
    test_map = evaluate(model, xte, tte)
    print(f'held-out test ({len(tte)} canvases): mAP@0.5 (all-point) {test_map:.4f}; detection {1000 * (time.time() - te) / len(tte):.1f} ms per canvas; total {time.time() - t0:.0f} s')
    if a.out:
        json.dump({'history': history, 'test_map': test_map}, open(a.out, 'w'), indent=1)


if __name__ == '__main__':
    main()
