"""The PyTorch twin of examples/yolo-canvas.ts: the same YOLO v1 (4 conv+BN+leaky-ReLU(0.1) stages 8/16/32/64 each
followed by a 2x2 max pool, one more conv 64 at 6x6, fc 256 + leaky ReLU, fc to 6x6x(2*5 + 10)), the same grid
layout and sum-squared loss (lambda_coord 5, lambda_noobj 0.5, sqrt w/h predicted, confidence target = IoU of the
responsible box), the same decoding (score = confidence x class probability > 0.01, per-class NMS at IoU 0.5 with
torchvision.ops.batched_nms, 100 per image), the same canvases (written by the shendu example with --data-dir),
the same recipe (Adam lr 1e-3 with cosine decay to 0 over all steps, batch 32, seed 0, one thread) and VOC mAP@0.5
all-point over the classes present (continuous coordinates, as torchvision's boxes).

    /usr/bin/python3 bench/torch_yolo_canvas.py --data-dir /tmp/yolo-data --epochs 7 --out bench/results/yolo-torch.json

tools/make_yolo_fixtures.py imports yolo_loss from here, so the test fixture and the twin share one definition.
--head v2 trains the twin of the zoo's `yolov2` instead (bench/torch_yolov2.py: the same backbone with v2's anchor head
and loss), as examples/yolo-canvas.ts --head v2 does.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision

from torch_yolov2 import YOLOv2, decode_v2, select_detections, yolo_backbone, yolov2_loss
from voc_ap import all_point_ap

S, B, C = 6, 2, 10


def load(data_dir, name):
    with open(os.path.join(data_dir, name + '.json')) as f:
        meta = json.load(f)
    px = np.fromfile(os.path.join(data_dir, name + '.f32'), dtype='<f4')
    images = torch.from_numpy(px.reshape(meta['shape']).copy())
    return images, meta['boxes'], meta['labels']


class YOLOv1(nn.Module):
    def __init__(self, in_channels=1, input_size=96, grid=S, boxes=B, classes=C, channels=(8, 16, 32, 64), hidden=256):
        super().__init__()
        self.features, c = yolo_backbone(in_channels, channels)
        self.head = nn.Sequential(nn.Linear(c * grid * grid, hidden), nn.LeakyReLU(0.1), nn.Dropout(0.0), nn.Linear(hidden, grid * grid * (5 * boxes + classes)))
        self.grid, self.boxes, self.classes = grid, boxes, classes

    def forward(self, x):
        n = x.shape[0]
        return self.head(self.features(x).reshape(n, -1)).reshape(n, self.grid, self.grid, 5 * self.boxes + self.classes)


def iou_cxcywh(a, b):
    ix = min(a[0] + a[2] / 2, b[0] + b[2] / 2) - max(a[0] - a[2] / 2, b[0] - b[2] / 2)
    iy = min(a[1] + a[3] / 2, b[1] + b[3] / 2) - max(a[1] - a[3] / 2, b[1] - b[3] / 2)
    inter = max(ix, 0) * max(iy, 0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def yolo_loss(pred, boxes, labels, image_size, grid=S, nb=B, nc=C, lambda_coord=5.0, lambda_noobj=0.5, rescore=True):
    """pred [N, S, S, 5B + C]; boxes[i] a list of [x1, y1, x2, y2] pixels, labels[i] their classes. Returns the four parts."""
    n = pred.shape[0]
    h, w = image_size
    p = pred.detach().double().numpy()
    resp = np.zeros((n, grid, grid, nb))
    coord_t = np.zeros((n, grid, grid, nb, 4))
    conf_t = np.zeros((n, grid, grid, nb))
    cell_mask = np.zeros((n, grid, grid, 1))
    class_t = np.zeros((n, grid, grid, nc))
    for img in range(n):
        cells = {}
        for k, (x1, y1, x2, y2) in enumerate(boxes[img]):
            j = min(max(int(math.floor((x1 + x2) / 2 / w * grid)), 0), grid - 1)
            i = min(max(int(math.floor((y1 + y2) / 2 / h * grid)), 0), grid - 1)
            area = (x2 - x1) * (y2 - y1)
            prev = cells.get((i, j))
            if prev is None or area > prev[1]:
                cells[(i, j)] = (k, area)
        for (i, j), (k, _) in cells.items():
            x1, y1, x2, y2 = boxes[img][k]
            cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
            enc = [cx / w * grid - j, cy / h * grid - i, math.sqrt((x2 - x1) / w), math.sqrt((y2 - y1) / h)]
            truth = [(j + enc[0]) / grid, (i + enc[1]) / grid, enc[2] ** 2, enc[3] ** 2]
            best, best_iou = 0, -1.0
            for b in range(nb):
                o = p[img, i, j, 5 * b:5 * b + 4]
                iou = iou_cxcywh([(j + o[0]) / grid, (i + o[1]) / grid, o[2] ** 2, o[3] ** 2], truth)
                if iou > best_iou:
                    best, best_iou = b, iou
            resp[img, i, j, best] = 1
            coord_t[img, i, j, best] = enc
            conf_t[img, i, j, best] = best_iou if rescore else 1.0
            cell_mask[img, i, j, 0] = 1
            class_t[img, i, j, labels[img][k]] = 1
    t = lambda v: torch.from_numpy(v).to(pred.dtype)
    bx = pred[..., :5 * nb].reshape(n, grid, grid, nb, 5)
    conf = bx[..., 4]
    resp_t = t(resp)
    return {
        'loss_coord': lambda_coord * ((bx[..., :4] - t(coord_t)) ** 2 * resp_t[..., None]).sum() / n,
        'loss_obj': ((conf - t(conf_t)) ** 2 * resp_t).sum() / n,
        'loss_noobj': lambda_noobj * (conf ** 2 * (1 - resp_t)).sum() / n,
        'loss_class': ((pred[..., 5 * nb:] - t(class_t)) ** 2 * t(cell_mask)).sum() / n,
    }


def decode(pred, image_size, grid=S, nb=B, nc=C, score_threshold=0.01, nms_threshold=0.5, max_det=100):
    h, w = image_size
    n = pred.shape[0]
    ii = torch.arange(grid, dtype=pred.dtype).view(1, grid, 1, 1)
    jj = torch.arange(grid, dtype=pred.dtype).view(1, 1, grid, 1)
    bx = pred[..., :5 * nb].reshape(n, grid, grid, nb, 5)
    cx = (jj + bx[..., 0]) / grid
    cy = (ii + bx[..., 1]) / grid
    bw, bh = bx[..., 2] ** 2, bx[..., 3] ** 2
    xyxy = torch.stack([((cx - bw / 2) * w).clamp(0, w), ((cy - bh / 2) * h).clamp(0, h), ((cx + bw / 2) * w).clamp(0, w), ((cy + bh / 2) * h).clamp(0, h)], -1)
    scores = bx[..., 4:5] * pred[..., None, 5 * nb:]  # [N, S, S, B, C]
    return select_detections(xyxy, scores, score_threshold, nms_threshold, max_det)


def voc_map(dets, gt_boxes, gt_labels, nc=C, thr=0.5):
    aps = []
    for c in range(nc):
        gts = {i: [b for b, l in zip(gt_boxes[i], gt_labels[i]) if l == c] for i in range(len(gt_boxes))}
        npos = sum(len(v) for v in gts.values())
        if npos == 0:
            continue
        used = {i: [False] * len(v) for i, v in gts.items()}
        cand = [(float(s), i, b.tolist()) for i, (bb, ss, ll) in enumerate(dets) for b, s, l in zip(bb, ss, ll) if int(l) == c]
        cand.sort(key=lambda z: -z[0])
        tp = []
        for _, i, b in cand:
            best, ov = -1, -math.inf
            for k, g in enumerate(gts[i]):
                iw = min(b[2], g[2]) - max(b[0], g[0])
                ih = min(b[3], g[3]) - max(b[1], g[1])
                inter = max(iw, 0) * max(ih, 0)
                union = (b[2] - b[0]) * (b[3] - b[1]) + (g[2] - g[0]) * (g[3] - g[1]) - inter
                o = inter / union if union > 0 else 0
                if o > ov:
                    best, ov = k, o
            if ov > thr and not used[i][best]:
                used[i][best] = True
                tp.append(1)
            else:
                tp.append(0)
        aps.append(all_point_ap(tp, npos))
    return float(np.mean(aps)) if aps else float('nan')


def evaluate(model, images, boxes, labels, loss_fn=None, decode_fn=None):
    loss_fn, decode_fn = loss_fn or yolo_loss, decode_fn or decode
    model.eval()
    dets, loss_sum = [], 0.0
    with torch.no_grad():
        for s in range(0, len(boxes), 100):
            e = min(s + 100, len(boxes))
            pred = model(images[s:e])
            loss_sum += sum(v.item() for v in loss_fn(pred, boxes[s:e], labels[s:e], images.shape[2:]).values()) * (e - s)
            dets += decode_fn(pred, images.shape[2:])
    model.train()
    return voc_map(dets, boxes, labels), loss_sum / len(boxes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data-dir', required=True)
    ap.add_argument('--epochs', type=int, default=7)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--out')
    ap.add_argument('--head', choices=['v1', 'v2'], default='v1')
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tr_x, tr_b, tr_l = load(a.data_dir, 'train')
    te_x, te_b, te_l = load(a.data_dir, 'test')
    model = YOLOv2() if a.head == 'v2' else YOLOv1()
    loss_fn, decode_fn = (yolov2_loss, decode_v2) if a.head == 'v2' else (yolo_loss, decode)
    name = 'yolov2' if a.head == 'v2' else 'yolo'
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = math.ceil(len(tr_b) / a.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs * steps_per_epoch)
    params = sum(p.numel() for p in model.parameters())
    print(f'{name} (torch): {params} parameters, {len(tr_b)} training canvases, {len(te_b)} held-out, {a.epochs} epochs')
    gen = torch.Generator().manual_seed(0)
    t0 = time.time()
    log = []
    for epoch in range(1, a.epochs + 1):
        te = time.time()
        order = torch.randperm(len(tr_b), generator=gen).tolist()
        sums = {}
        for s in range(0, len(order), a.batch):
            idx = order[s:s + a.batch]
            parts = loss_fn(model(tr_x[idx]), [tr_b[i] for i in idx], [tr_l[i] for i in idx], tr_x.shape[2:])
            loss = sum(parts.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v.item() * len(idx)
            sums['loss'] = sums.get('loss', 0.0) + loss.item() * len(idx)
        row = {'epoch': epoch, **{k: v / len(order) for k, v in sums.items()}, 'seconds': time.time() - te}
        log.append(row)
        print(f"epoch {epoch}: loss {row['loss']:.4f} (coord {row['loss_coord']:.3f}, obj {row['loss_obj']:.3f}, noobj {row['loss_noobj']:.3f}, class {row['loss_class']:.3f}) ({row['seconds']:.0f} s)")
    train_seconds = time.time() - t0
    t1 = time.time()
    m, vloss = evaluate(model, te_x, te_b, te_l, loss_fn, decode_fn)
    test_seconds = time.time() - t1
    print(f'held-out ({len(te_b)} canvases): mAP@0.5 (all-point) {m:.4f}, loss {vloss:.4f}; training {train_seconds:.0f} s, testing {test_seconds:.1f} s')
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'framework': 'torch ' + torch.__version__, 'threads': 1, 'model': name, 'parameters': params, 'train': len(tr_b), 'test': len(te_b),
                       'epochs': a.epochs, 'batch': a.batch, 'lr': a.lr, 'heldOutMap': m, 'heldOutLoss': vloss,
                       'trainSeconds': train_seconds, 'testSeconds': test_seconds, 'epochsLog': log}, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
