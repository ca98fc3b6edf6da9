#!/usr/bin/env python3
"""Writes the golden values of shendu's src/vision (issue 15) from torchvision 0.14 and a VOC reference:

- test/fixtures/ops/vision_ops.json (the op-family format of tools/fixtures/common.py, read by checkFamily):
  box_area, box_convert, box_iou, generalized_box_iou, clip_boxes_to_image, the detection BoxCoder's encode and
  decode, roi_align, roi_pool and a spatial-pyramid-pooling composition (adaptive max/avg pooling, flatten, cat):
  values and input gradients in float64, and some cases computed by torch in float32; ties and degenerate boxes.
- test/fixtures/vision/nms.json: torchvision.ops.nms / batched_nms / remove_small_boxes keep indices
  (random, tied scores, zero-area and identical boxes, IoU exactly at the threshold, float32, empty).
- test/fixtures/vision/anchors.json: AnchorGenerator anchors for several sizes/ratios/feature-map layouts.
- test/fixtures/vision/voc_ap.json: seeded detections and ground truth (with difficult flags) and the expected
  per-class recall, precision and AP (11-point and all-point) from the py-faster-rcnn voc_eval / voc_ap algorithm,
  written out below from its published description; the one change is a stable sort of tied scores (numpy's
  default argsort leaves their order unspecified).
Run: /usr/bin/python3 tools/make_vision_fixtures.py
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection._utils import BoxCoder
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import (batched_nms, box_area, box_convert, box_iou, clip_boxes_to_image, generalized_box_iou, nms,
                             remove_small_boxes, roi_align, roi_pool)
from torchvision.ops.boxes import _batched_nms_vanilla

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures.common import In, case, enc, write_family, write_json_atomic  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
_rng = np.random.RandomState(15)


def rand_boxes(n, hi=20.0, min_wh=0.5, max_wh=10.0, integer=False):
    """[n, 4] valid xyxy boxes (x2 > x1, y2 > y1) as nested lists."""
    xy = _rng.uniform(0, hi, size=(n, 2))
    wh = _rng.uniform(min_wh, max_wh, size=(n, 2))
    b = np.concatenate([xy, xy + wh], 1)
    if integer:
        b = np.round(b)
        b[:, 2:] = np.maximum(b[:, 2:], b[:, :2] + 1)
    return b.tolist()


class Shaped(In):
    """An explicit-values input reshaped to its declared shape (so that an empty list is [0, 4], not [0])."""

    def make(self):
        return super().make().reshape(self.shape)


def B(values, dtype='float64', grad=None):
    return Shaped([len(values), len(values[0])] if values else [0, 4], 'values', dtype=dtype, grad=grad, values=values)


def rois(rows, dtype='float64'):
    return In([len(rows), 5], 'values', dtype=dtype, grad=False, values=rows)


def roi_rows(n, batch, hi, max_wh, min_wh=0.3):
    return [[float(_rng.randint(batch))] + b for b in rand_boxes(n, hi=hi, min_wh=min_wh, max_wh=max_wh)]


# ---- box ops ----
TIE_A = [[0, 0, 4, 4], [2, 2, 6, 6], [0, 0, 4, 4], [1, 0, 3, 4]]
TIE_B = [[0, 0, 4, 4], [2, 0, 6, 4], [4, 4, 8, 8]]
DEGEN_A = [[1, 1, 1, 1], [0, 0, 3, 3], [2, 2, 2, 5], [5, 5, 5, 5]]
DEGEN_B = [[1, 1, 1, 1], [0, 0, 2, 2], [6, 6, 6, 6]]


def conv(b, inFmt, outFmt):
    return box_convert(b, inFmt, outFmt)


def clip(b, size):
    return clip_boxes_to_image(b, tuple(size))


def encode(ref, prop, weights):
    return BoxCoder(tuple(weights)).encode_single(ref, prop)


def decode(rel, boxes, weights, bboxXformClip=None):
    c = BoxCoder(tuple(weights)) if bboxXformClip is None else BoxCoder(tuple(weights), bboxXformClip)
    return c.decode_single(rel, boxes)


def decode_list(rel, b0, b1, weights):
    return BoxCoder(tuple(weights)).decode(rel, [b0, b1])


def ra(x, r, outputSize, spatialScale=1.0, samplingRatio=-1, aligned=False):
    return roi_align(x, r, outputSize, spatialScale, samplingRatio, aligned)


def ra_list(x, b0, b1, outputSize, spatialScale=1.0, samplingRatio=-1, aligned=False):
    return roi_align(x, [b0, b1], outputSize, spatialScale, samplingRatio, aligned)


def rp(x, r, outputSize, spatialScale=1.0):
    return roi_pool(x, r, outputSize, spatialScale)


def rp_list(x, b0, b1, outputSize, spatialScale=1.0):
    return roi_pool(x, [b0, b1], outputSize, spatialScale)


def spp(x, levels, mode='max'):
    pool = F.adaptive_max_pool2d if mode == 'max' else F.adaptive_avg_pool2d
    start = x.dim() - 3
    return torch.cat([pool(x, n).flatten(start) for n in levels], start)


def rel_codes(n, k):
    r = _rng.normal(0, 0.5, size=(n, 4 * k))
    r[0, 2] = 30.0  # dw beyond bboxXformClip / ww: clipped, zero gradient
    return In([n, 4 * k], 'values', values=r.tolist())


BOX_CASES = [
    case('boxArea/random', 'box_area', [B(rand_boxes(6))], box_area),
    case('boxArea/degenerate', 'box_area', [B(DEGEN_A)], box_area),
    case('boxIou/random', 'box_iou', [B(rand_boxes(5)), B(rand_boxes(4))], box_iou),
    case('boxIou/ties', 'box_iou', [B(TIE_A), B(TIE_B)], box_iou, gradcheck=False),
    case('boxIou/degenerate', 'box_iou', [B(DEGEN_A), B(DEGEN_B)], box_iou, gradcheck=False),
    case('boxIou/empty', 'box_iou', [B([]), B(rand_boxes(3))], box_iou, gradcheck=False),
    case('boxIou/float32', 'box_iou', [B(rand_boxes(5), 'float32', True), B(rand_boxes(3), 'float32', True)], box_iou, gradcheck=False, float32=False, atol=1e-6),
    case('gIou/random', 'generalized_box_iou', [B(rand_boxes(5)), B(rand_boxes(4))], generalized_box_iou),
    case('gIou/ties', 'generalized_box_iou', [B(TIE_A), B(TIE_B)], generalized_box_iou, gradcheck=False),
    case('gIou/degenerate', 'generalized_box_iou', [B(DEGEN_A), B(DEGEN_B)], generalized_box_iou, gradcheck=False),
    case('gIou/float32', 'generalized_box_iou', [B(rand_boxes(4), 'float32', True), B(rand_boxes(4), 'float32', True)], generalized_box_iou, gradcheck=False, float32=False, atol=1e-6),
    *[case(f'boxConvert/{a}-{b}', 'box_convert', [B(rand_boxes(5))], conv, args={'inFmt': a, 'outFmt': b})
      for a in ['xyxy', 'xywh', 'cxcywh'] for b in ['xyxy', 'xywh', 'cxcywh']],
    case('boxConvert/batched-cxcywh-xywh', 'box_convert', [In([2, 3, 4], 'positive')], conv, args={'inFmt': 'cxcywh', 'outFmt': 'xywh'}),
    case('clipBoxes/random', 'clip_boxes', [In([6, 4], 'values', values=(_rng.uniform(-6, 26, size=(6, 4))).tolist())], clip, args={'size': [15, 18]}),
    case('clipBoxes/batched', 'clip_boxes', [In([2, 3, 4], 'values', values=(_rng.uniform(-6, 26, size=(2, 3, 4))).tolist())], clip, args={'size': [20, 9]}),
    case('boxCoder/encode-10-10-5-5', 'box_encode', [B(rand_boxes(6)), B(rand_boxes(6))], encode, args={'weights': [10, 10, 5, 5]}),
    case('boxCoder/encode-1-1-1-1', 'box_encode', [B(rand_boxes(4)), B(rand_boxes(4))], encode, args={'weights': [1, 1, 1, 1]}),
    case('boxCoder/decode-2-classes', 'box_decode', [rel_codes(5, 2), B(rand_boxes(5))], decode, args={'weights': [10, 10, 5, 5]}),
    case('boxCoder/decode-clip-1', 'box_decode', [rel_codes(3, 1), B(rand_boxes(3))], decode, args={'weights': [1, 2, 1, 0.5], 'bboxXformClip': 1.0}),
    case('boxCoder/decode-list', 'box_decode_list', [rel_codes(5, 3), B(rand_boxes(2)), B(rand_boxes(3))], decode_list, args={'weights': [10, 10, 5, 5]}),
    case('boxCoder/encode-float32', 'box_encode', [B(rand_boxes(4), 'float32', True), B(rand_boxes(4), 'float32', True)], encode, args={'weights': [10, 10, 5, 5]}, gradcheck=False, float32=False, atol=1e-6),
]

# ---- RoI ops ----
ROI_LEGACY = roi_rows(5, 2, 7, 5) + [[1.0, 5.2, 4.1, 3.3, 2.0], [0.0, -3.0, -2.5, 1.4, 2.2], [1.0, 10.5, 9.0, 14.0, 12.0]]
ROI_SCALED = roi_rows(5, 2, 14, 12) + [[0.0, -4.0, 3.0, 20.0, 6.1]]
ROI_TINY = [[0.0, 1.2, 1.3, 1.5, 1.4], [1.0, 2.05, 0.4, 2.3, 3.6], [0.0, 4.0, 4.0, 4.0, 4.0]]
BOX_LIST_0 = rand_boxes(2, hi=6, max_wh=4)
BOX_LIST_1 = rand_boxes(3, hi=6, max_wh=4)

ROI_CASES = [
    case('roiAlign/legacy-3x3', 'roi_align', [In([2, 3, 6, 7]), rois(ROI_LEGACY)], ra, args={'outputSize': [3, 3]}),
    case('roiAlign/aligned-sr2-scale0.5', 'roi_align', [In([2, 2, 7, 6]), rois(ROI_SCALED)], ra,
         args={'outputSize': [2, 3], 'spatialScale': 0.5, 'samplingRatio': 2, 'aligned': True}),
    case('roiAlign/adaptive-sr0-scale0.5', 'roi_align', [In([2, 2, 7, 6]), rois(ROI_SCALED)], ra,
         args={'outputSize': [3, 2], 'spatialScale': 0.5, 'samplingRatio': 0}),
    case('roiAlign/aligned-tiny-boxes', 'roi_align', [In([2, 2, 5, 5]), rois(ROI_TINY)], ra, args={'outputSize': [2, 2], 'aligned': True}),
    case('roiAlign/legacy-tiny-boxes-sr1', 'roi_align', [In([2, 2, 5, 5]), rois(ROI_TINY)], ra, args={'outputSize': [2, 2], 'samplingRatio': 1}),
    case('roiAlign/1x1-map', 'roi_align', [In([1, 2, 1, 1]), rois([[0.0, -0.4, -0.3, 0.8, 0.6], [0.0, 0.2, 0.1, 2.5, 1.9]])], ra, args={'outputSize': [2, 2]}),
    case('roiAlign/box-list', 'roi_align_list', [In([2, 3, 6, 6]), B(BOX_LIST_0, grad=False), B(BOX_LIST_1, grad=False)], ra_list,
         args={'outputSize': [2, 2], 'samplingRatio': 2, 'aligned': True}),
    case('roiAlign/float32', 'roi_align', [In([2, 2, 6, 7], dtype='float32', grad=True), rois(ROI_LEGACY, 'float32')], ra,
         args={'outputSize': [2, 2], 'spatialScale': 0.75, 'aligned': True}, gradcheck=False, float32=False, atol=1e-6),
    case('roiPool/2x2', 'roi_pool', [In([2, 3, 6, 7]), rois(ROI_LEGACY)], rp, args={'outputSize': [2, 2]}),
    case('roiPool/3x2-scale0.5', 'roi_pool', [In([2, 2, 7, 6]), rois(ROI_SCALED)], rp, args={'outputSize': [3, 2], 'spatialScale': 0.5}),
    case('roiPool/ties-first-max', 'roi_pool', [In([2, 2, 6, 6], 'ties'), rois(roi_rows(4, 2, 4, 4))], rp, args={'outputSize': [2, 2]}, gradcheck=False),
    case('roiPool/outside-map-empty-bins', 'roi_pool', [In([1, 2, 4, 4]), rois([[0.0, 3.0, 3.0, 9.0, 9.0], [0.0, -5.0, -5.0, -1.0, -2.0], [0.0, 6.0, 0.0, 8.0, 2.0]])], rp,
         args={'outputSize': [3, 3]}),
    case('roiPool/box-list', 'roi_pool_list', [In([2, 3, 6, 6]), B(BOX_LIST_0, grad=False), B(BOX_LIST_1, grad=False)], rp_list,
         args={'outputSize': [2, 3], 'spatialScale': 0.8}),
    case('roiPool/float32', 'roi_pool', [In([2, 2, 6, 7], dtype='float32', grad=True), rois(ROI_LEGACY, 'float32')], rp,
         args={'outputSize': [2, 2], 'spatialScale': 0.75}, gradcheck=False, float32=False, atol=1e-6),
    case('spp/max-1-2-4', 'spp', [In([2, 3, 7, 5])], spp, args={'levels': [1, 2, 4]}),
    case('spp/max-3-1-unbatched', 'spp', [In([2, 5, 6])], spp, args={'levels': [3, 1]}),
    case('spp/avg-1-2', 'spp', [In([1, 2, 4, 3])], spp, args={'levels': [1, 2], 'mode': 'avg'}),
    case('spp/max-6-larger-than-map', 'spp', [In([1, 2, 4, 5])], spp, args={'levels': [6]}),
]


# ---- NMS ----
def cluster_boxes(n, centres, spread=3.0, size=8.0):
    c = np.array(centres)[_rng.randint(len(centres), size=n)]
    xy = c + _rng.normal(0, spread, size=(n, 2))
    wh = _rng.uniform(size * 0.6, size * 1.4, size=(n, 2))
    return np.concatenate([xy, xy + wh], 1)


def nms_case(name, boxes, scores, thr, dtype=torch.float64, idxs=None):
    b = torch.as_tensor(np.asarray(boxes, dtype=np.float64).reshape(-1, 4)).to(dtype)
    s = torch.as_tensor(np.asarray(scores, dtype=np.float64)).to(dtype)
    out = dict(name=name, boxes=enc(b), scores=enc(s), iouThreshold=thr)
    if idxs is None:
        out['keep'] = nms(b, s, thr).tolist()
    else:
        i = torch.as_tensor(idxs, dtype=torch.int64)
        keep = batched_nms(b, s, i, thr).tolist()
        vanilla = _batched_nms_vanilla(b, s, i, thr).tolist()
        assert keep == vanilla, f'{name}: torchvision paths differ: {keep} vs {vanilla}'
        out['idxs'] = enc(i.to(torch.int32))
        out['keep'] = keep
    return out


def nms_cases():
    cl = cluster_boxes(60, [[10, 10], [30, 12], [20, 30]])
    sc = _rng.uniform(size=60)
    ties = cluster_boxes(30, [[5, 5], [25, 25]])
    tie_scores = _rng.randint(0, 3, size=30).astype(float)
    degen = [[1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 2, 2], [0, 0, 2, 2], [3, 3, 3, 6], [0.5, 0.5, 1.5, 1.5], [5, 5, 9, 9], [5, 5, 9, 9]]
    at_thr = [[0, 0, 2, 1], [0, 0, 1, 1], [0, 0, 4, 1], [0, 0, 3, 1]]
    big = cluster_boxes(40, [[50, 50], [80, 60]], spread=6, size=20)
    out = [
        *[nms_case(f'nms/clusters-{t}', cl, sc, t) for t in [0.3, 0.5, 0.7]],
        nms_case('nms/clusters-0.5-float32', cl, sc, 0.5, torch.float32),
        nms_case('nms/threshold-0', cl[:20], sc[:20], 0.0),
        nms_case('nms/threshold-1', cl[:20], sc[:20], 1.0),
        nms_case('nms/tied-scores', ties, tie_scores, 0.4),
        nms_case('nms/all-tied-float32', ties, np.ones(30), 0.5, torch.float32),
        nms_case('nms/degenerate', degen, [0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.3, 0.3], 0.5),
        nms_case('nms/iou-exactly-threshold', at_thr, [0.9, 0.8, 0.7, 0.6], 0.5),
        nms_case('nms/large-coords-float32', big * 7.3, _rng.uniform(size=40), 0.45, torch.float32),
        nms_case('nms/float32-rounds-past-threshold', [[0, 0, 1, 1], [0, 0, 3, 1]], [0.9, 0.8], 1 / 3, torch.float32),
        nms_case('nms/float64-at-threshold', [[0, 0, 1, 1], [0, 0, 3, 1]], [0.9, 0.8], 1 / 3),
        nms_case('nms/empty', [], [], 0.5),
        nms_case('nms/one', [[1, 2, 3, 4]], [0.1], 0.5),
        nms_case('batchedNms/clusters', cl, sc, 0.5, idxs=_rng.randint(0, 4, size=60)),
        nms_case('batchedNms/tied-float32', ties, tie_scores, 0.3, torch.float32, idxs=_rng.randint(0, 2, size=30)),
        nms_case('batchedNms/one-class', cl[:25], sc[:25], 0.5, idxs=np.full(25, 7)),
        nms_case('batchedNms/empty', [], [], 0.5, idxs=np.zeros(0, dtype=int)),
    ]
    small = []
    for name, boxes, m in [('random', rand_boxes(12, min_wh=0.1, max_wh=3), 1.0),
                           ('degenerate', degen, 0.0), ('degenerate-min1', degen, 1.0), ('empty', [], 2.0)]:
        b = torch.tensor(boxes, dtype=torch.float64).reshape(-1, 4)
        small.append(dict(name=f'removeSmallBoxes/{name}', boxes=enc(b), minSize=m, keep=remove_small_boxes(b, m).tolist()))
    return out, small


# ---- anchors ----
def anchor_cases():
    configs = [
        ('default', dict(), [2, 3, 80, 112], [[2, 8, 5, 7]], 'float32'),
        ('fpn-3-levels', dict(sizes=((32,), (64,), (128,)), aspect_ratios=((0.5, 1.0, 2.0),) * 3), [1, 3, 70, 100], [[1, 4, 9, 12], [1, 4, 4, 6], [1, 4, 2, 3]], 'float32'),
        ('flat-sizes-odd-ratios', dict(sizes=(24, 40), aspect_ratios=(0.7, 1.3, 0.25)), [1, 1, 33, 47], [[1, 2, 4, 6], [1, 2, 3, 3]], 'float64'),
        ('half-rounding', dict(sizes=((5, 7, 9, 11),), aspect_ratios=((1.0, 4.0),)), [3, 1, 12, 16], [[3, 1, 3, 4]], 'float64'),
    ]
    out = []
    for name, kw, img, feats, dtype in configs:
        gen = AnchorGenerator(**kw)
        dt = getattr(torch, dtype)
        images = torchvision.models.detection.image_list.ImageList(torch.zeros(img, dtype=dt), [tuple(img[-2:])] * img[0])
        maps = [torch.zeros(f, dtype=dt) for f in feats]
        anchors = gen(images, maps)
        opts = {}
        if 'sizes' in kw:
            opts['sizes'] = [list(s) if isinstance(s, tuple) else s for s in kw['sizes']]
        if 'aspect_ratios' in kw:
            opts['aspectRatios'] = [list(a) if isinstance(a, tuple) else a for a in kw['aspect_ratios']]
        out.append(dict(name=name, options=opts, imageShape=img, featureShapes=feats, dtype=dtype,
                        numAnchorsPerLocation=gen.num_anchors_per_location(), anchors=enc(anchors[0]), numImages=len(anchors)))
    return out


# ---- VOC AP (the py-faster-rcnn algorithm) ----
def voc_ap(rec, prec, use_07_metric=False):
    if use_07_metric:
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):
            p = 0.0 if np.sum(rec >= t) == 0 else np.max(prec[rec >= t])
            ap = ap + p / 11.0
        return float(ap)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def voc_eval(dets, gts, images, classname, ovthresh, use_07_metric, one):
    class_recs = {}
    npos = 0
    for im in images:
        R = [g for g in gts if g['imageId'] == im and g['label'] == classname]
        bbox = np.array([g['box'] for g in R], dtype=np.float64).reshape(-1, 4)
        difficult = np.array([g['difficult'] for g in R], dtype=bool)
        npos += int(np.sum(~difficult))
        class_recs[im] = {'bbox': bbox, 'difficult': difficult, 'det': [False] * len(R)}
    D = [d for d in dets if d['label'] == classname]
    image_ids = [d['imageId'] for d in D]
    confidence = np.array([d['score'] for d in D], dtype=np.float64)
    BB = np.array([d['box'] for d in D], dtype=np.float64).reshape(-1, 4)
    sorted_ind = np.argsort(-confidence, kind='mergesort')
    BB = BB[sorted_ind, :]
    image_ids = [image_ids[x] for x in sorted_ind]
    nd = len(image_ids)
    tp = np.zeros(nd)
    fp = np.zeros(nd)
    for d in range(nd):
        R = class_recs[image_ids[d]]
        bb = BB[d, :]
        ovmax = -np.inf
        BBGT = R['bbox']
        if BBGT.size > 0:
            ixmin = np.maximum(BBGT[:, 0], bb[0])
            iymin = np.maximum(BBGT[:, 1], bb[1])
            ixmax = np.minimum(BBGT[:, 2], bb[2])
            iymax = np.minimum(BBGT[:, 3], bb[3])
            iw = np.maximum(ixmax - ixmin + one, 0.0)
            ih = np.maximum(iymax - iymin + one, 0.0)
            inters = iw * ih
            uni = ((bb[2] - bb[0] + one) * (bb[3] - bb[1] + one) + (BBGT[:, 2] - BBGT[:, 0] + one) * (BBGT[:, 3] - BBGT[:, 1] + one) - inters)
            overlaps = inters / uni
            ovmax = np.max(overlaps)
            jmax = np.argmax(overlaps)
        if ovmax > ovthresh:
            if not R['difficult'][jmax]:
                if not R['det'][jmax]:
                    tp[d] = 1.0
                    R['det'][jmax] = 1
                else:
                    fp[d] = 1.0
        else:
            fp[d] = 1.0
    fp = np.cumsum(fp)
    tp = np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    return rec, prec, voc_ap(rec, prec, use_07_metric), npos


def voc_data(n_images=14, classes=(0, 1, 2)):
    gts, dets = [], []
    for im in range(n_images):
        for _ in range(_rng.randint(0, 5)):
            c = int(_rng.choice(classes))
            x, y = _rng.randint(0, 300, size=2)
            w, h = _rng.randint(20, 150, size=2)
            box = [float(x), float(y), float(x + w), float(y + h)]
            gts.append(dict(imageId=f'img{im:03d}', label=c, box=box, difficult=bool(_rng.rand() < 0.15)))
    for g in gts:
        for _ in range(_rng.randint(0, 3)):  # hits, near misses and duplicates of each object
            jit = _rng.normal(0, 0.12, size=4) * (g['box'][2] - g['box'][0])
            b = np.round(np.array(g['box']) + jit)
            b[2:] = np.maximum(b[2:], b[:2])
            label = g['label'] if _rng.rand() < 0.9 else int(_rng.choice(classes))
            dets.append(dict(imageId=g['imageId'], label=label, score=float(_rng.rand()), box=b.tolist()))
    for _ in range(25):  # background false positives, some on images without objects
        im = _rng.randint(0, n_images + 2)
        x, y = _rng.randint(0, 300, size=2)
        w, h = _rng.randint(10, 100, size=2)
        dets.append(dict(imageId=f'img{im:03d}', label=int(_rng.choice(classes)), score=float(_rng.rand() * 0.6),
                         box=[float(x), float(y), float(x + w), float(y + h)]))
    for k in range(0, len(dets), 7):  # tied scores (ranked in input order)
        dets[k]['score'] = 0.5
    images = sorted({g['imageId'] for g in gts} | {d['imageId'] for d in dets})
    return dets, gts, images


def voc_cases():
    dets, gts, images = voc_data()
    configs = [('voc07-inclusive-0.5', 0.5, True, 1.0), ('all-point-inclusive-0.5', 0.5, False, 1.0),
               ('all-point-continuous-0.7', 0.7, False, 0.0), ('voc07-continuous-0.3', 0.3, True, 0.0)]
    evals = []
    for name, thr, use07, one in configs:
        per = []
        for c in (0, 1, 2):
            rec, prec, ap, npos = voc_eval(dets, gts, images, c, thr, use07, one)
            per.append(dict(label=c, ap=ap, recall=rec.tolist(), precision=prec.tolist(), numPositives=npos))
        evals.append(dict(name=name, iouThreshold=thr, use07Metric=use07, pixelInclusive=one == 1.0, classes=per,
                          mAP=float(np.mean([p['ap'] for p in per]))))
    curves = []
    for k in range(6):
        n = _rng.randint(1, 30)
        rec = np.sort(_rng.uniform(0, 1, size=n))
        if k == 1:
            rec = np.repeat(rec[: (n + 1) // 2], 2)[:n]
        prec = _rng.uniform(0, 1, size=n)
        curves.append(dict(recall=rec.tolist(), precision=prec.tolist(), ap07=voc_ap(rec, prec, True), ap=voc_ap(rec, prec, False)))
    return dict(detections=dets, groundTruth=gts, evaluations=evals, curves=curves)


def main():
    n = write_family(os.path.join(ROOT, 'ops', 'vision_ops.json'), BOX_CASES + ROI_CASES)
    print(f'test/fixtures/ops/vision_ops.json: {n} cases')
    meta = {'generator': 'tools/make_vision_fixtures.py', 'torch': torch.__version__, 'torchvision': torchvision.__version__}
    nms_out, small = nms_cases()
    write_json_atomic(os.path.join(ROOT, 'vision', 'nms.json'), {**meta, 'nms': nms_out, 'removeSmallBoxes': small})
    write_json_atomic(os.path.join(ROOT, 'vision', 'anchors.json'), {**meta, 'cases': anchor_cases()})
    write_json_atomic(os.path.join(ROOT, 'vision', 'voc_ap.json'), {**meta, **voc_cases()})
    print('test/fixtures/vision/{nms,anchors,voc_ap}.json written')


if __name__ == '__main__':
    main()
