"""The PyTorch twin of the `yolov2` zoo model (src/models/detection/yolov2.ts and yolov2-head.ts): the same backbone as
the v1 twin (4 conv+BN+leaky-ReLU(0.1) stages 8/16/32/64 each followed by a 2x2 max pool, one more conv 64 at 6x6),
v2's conv head (3x3 conv 128 + BN + leaky ReLU, 1x1 conv to A(5 + C), read as [N, S, S, A, 5 + C]), the same loss
(responsible anchor by best anchor-shape IoU in the centre's cell, larger object wins a shared cell+anchor;
coordinate SSE on sigmoid(tx, ty) and raw (tw, th) weighted (2 - w*h); objectness SSE against the IoU (rescore);
no-object SSE for non-responsible predictions whose best IoU is at most 0.6; softmax cross-entropy of the classes;
Darknet yolo-voc.cfg weights 1/5/1/1) and the same decoding (score = sigmoid(to) x softmax class prob > 0.01,
per-class NMS at 0.5, 100 per image). torch_yolo_canvas.py --head v2 trains it; tools/make_yolov2_fixtures.py
takes its loss for the test fixture.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torchvision

# YOLOV2_CANVAS_ANCHORS of src/models/detection/yolov2.ts (k-means with 1 - IoU on the canvas set's training boxes)
ANCHORS = [[8.17, 24.17], [15.13, 20.28], [22.81, 24.37], [20.07, 32.43], [31.1, 35.37]]
WH_CLAMP = math.log(1000 / 16)


def yolo_backbone(in_channels, channels):
    """yoloBackbone of src/models/detection/yolo.ts, shared by the v1 and v2 twins: per width a 3x3 conv + BN + leaky
    ReLU + 2x2 max pool, then one more conv at the grid's size. Returns the Sequential and its output channels."""
    layers, c = [], in_channels
    for o in channels:
        layers += [nn.Conv2d(c, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.LeakyReLU(0.1), nn.MaxPool2d(2)]
        c = o
    layers += [nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.LeakyReLU(0.1)]
    return nn.Sequential(*layers), c


class YOLOv2(nn.Module):
    def __init__(self, in_channels=1, classes=10, anchors=ANCHORS, channels=(8, 16, 32, 64), head_channels=128):
        super().__init__()
        self.features, c = yolo_backbone(in_channels, channels)
        na = len(anchors)
        self.head = nn.Sequential(nn.Conv2d(c, head_channels, 3, padding=1, bias=False), nn.BatchNorm2d(head_channels), nn.LeakyReLU(0.1),
                                  nn.Conv2d(head_channels, na * (5 + classes), 1))
        self.anchors, self.classes = anchors, classes

    def forward(self, x):
        y = self.head(self.features(x))
        n, _, sh, sw = y.shape
        return y.reshape(n, len(self.anchors), 5 + self.classes, sh, sw).permute(0, 3, 4, 1, 2)


def _decode_box(p, i, j, pw, ph, cw, ch):
    sig = lambda v: 1 / (1 + math.exp(-v))
    cx, cy = (j + sig(p[0])) * cw, (i + sig(p[1])) * ch
    bw, bh = pw * math.exp(min(p[2], WH_CLAMP)), ph * math.exp(min(p[3], WH_CLAMP))
    return [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2]


def _iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def yolov2_loss(pred, boxes, labels, image_size, anchors=ANCHORS, lambda_coord=1.0, lambda_obj=5.0, lambda_noobj=1.0,
                lambda_class=1.0, ignore_threshold=0.6, rescore=True):
    """pred [N, Sh, Sw, A, 5 + C] raw; boxes[i] a list of [x1, y1, x2, y2] pixels, labels[i] their classes. Returns the four parts."""
    n, sh, sw, na, d = pred.shape
    nc = d - 5
    h, w = image_size
    cw, ch = w / sw, h / sh
    p = pred.detach().double().numpy()
    coord_w = np.zeros((n, sh, sw, na, 1))
    xy_t = np.zeros((n, sh, sw, na, 2))
    wh_t = np.zeros((n, sh, sw, na, 2))
    obj_t = np.zeros((n, sh, sw, na))
    resp = np.zeros((n, sh, sw, na))
    noobj = np.zeros((n, sh, sw, na))
    class_t = np.zeros((n, sh, sw, na, nc))
    for img in range(n):
        owner = {}
        for k, (x1, y1, x2, y2) in enumerate(boxes[img]):
            bw, bh = x2 - x1, y2 - y1
            j = min(max(int(math.floor((x1 + bw / 2) / cw)), 0), sw - 1)
            i = min(max(int(math.floor((y1 + bh / 2) / ch)), 0), sh - 1)
            best, best_iou = 0, -1.0
            for a, (pw, ph) in enumerate(anchors):
                inter = min(bw, pw) * min(bh, ph)
                s = inter / (bw * bh + pw * ph - inter)
                if s > best_iou:
                    best, best_iou = a, s
            prev = owner.get((i, j, best))
            if prev is None or bw * bh > (boxes[img][prev][2] - boxes[img][prev][0]) * (boxes[img][prev][3] - boxes[img][prev][1]):
                owner[(i, j, best)] = k
        for i in range(sh):
            for j in range(sw):
                for a, (pw, ph) in enumerate(anchors):
                    box = _decode_box(p[img, i, j, a], i, j, pw, ph, cw, ch)
                    most = max([_iou(box, b) for b in boxes[img]], default=0.0)
                    k = owner.get((i, j, a))
                    if k is None:
                        if most <= ignore_threshold:
                            noobj[img, i, j, a] = 1
                        continue
                    x1, y1, x2, y2 = boxes[img][k]
                    bw, bh = x2 - x1, y2 - y1
                    resp[img, i, j, a] = 1
                    coord_w[img, i, j, a, 0] = 2 - bw * bh / (w * h)
                    xy_t[img, i, j, a] = [(x1 + bw / 2) / cw - j, (y1 + bh / 2) / ch - i]
                    wh_t[img, i, j, a] = [math.log(bw / pw), math.log(bh / ph)]
                    obj_t[img, i, j, a] = _iou(box, boxes[img][k]) if rescore else 1.0
                    class_t[img, i, j, a, labels[img][k]] = 1
    t = lambda v: torch.from_numpy(v).to(pred.dtype)
    cwt = t(coord_w)
    obj = torch.sigmoid(pred[..., 4])
    return {
        'loss_coord': lambda_coord * (((torch.sigmoid(pred[..., :2]) - t(xy_t)) ** 2 * cwt).sum() + ((pred[..., 2:4] - t(wh_t)) ** 2 * cwt).sum()) / n,
        'loss_obj': lambda_obj * ((obj - t(obj_t)) ** 2 * t(resp)).sum() / n,
        'loss_noobj': lambda_noobj * (obj ** 2 * t(noobj)).sum() / n,
        'loss_class': -lambda_class * (torch.log_softmax(pred[..., 5:], -1) * t(class_t)).sum() / n,
    }


def select_detections(xyxy, scores, score_threshold, nms_threshold, max_det):
    """Per image: the (box, class) pairs scoring above score_threshold on a non-empty box, per-class NMS, at most
    max_det kept; xyxy [N, ..., 4] and scores [N, ..., C] (every YOLO head's last step, as yoloV1Decode/yoloV2Decode)."""
    n, nc = xyxy.shape[0], scores.shape[-1]
    out = []
    for img in range(n):
        bb = xyxy[img].reshape(-1, 4)
        sc = scores[img].reshape(-1, nc)
        valid = (bb[:, 2] > bb[:, 0]) & (bb[:, 3] > bb[:, 1])
        bi, ci = torch.nonzero((sc > score_threshold) & valid[:, None], as_tuple=True)
        b, s, l = bb[bi].float(), sc[bi, ci].float(), ci
        keep = torchvision.ops.batched_nms(b, s, l, nms_threshold)[:max_det]
        out.append((b[keep], s[keep], l[keep]))
    return out


def decode_v2(pred, image_size, anchors=ANCHORS, score_threshold=0.01, nms_threshold=0.5, max_det=100):
    n, sh, sw, na, d = pred.shape
    nc = d - 5
    h, w = image_size
    an = torch.tensor(anchors, dtype=pred.dtype)
    ii = torch.arange(sh, dtype=pred.dtype).view(1, sh, 1, 1)
    jj = torch.arange(sw, dtype=pred.dtype).view(1, 1, sw, 1)
    cx = (jj + torch.sigmoid(pred[..., 0])) * (w / sw)
    cy = (ii + torch.sigmoid(pred[..., 1])) * (h / sh)
    bw = an[:, 0] * torch.exp(pred[..., 2].clamp(max=WH_CLAMP))
    bh = an[:, 1] * torch.exp(pred[..., 3].clamp(max=WH_CLAMP))
    xyxy = torch.stack([(cx - bw / 2).clamp(0, w), (cy - bh / 2).clamp(0, h), (cx + bw / 2).clamp(0, w), (cy + bh / 2).clamp(0, h)], -1)
    scores = torch.sigmoid(pred[..., 4:5]) * torch.softmax(pred[..., 5:], -1)
    return select_detections(xyxy, scores, score_threshold, nms_threshold, max_det)
