#!/usr/bin/env python3
"""Writes test/fixtures/train/roc_iou.json: scikit-learn's roc_curve / roc_auc_score on scores with and without
ties (drop_intermediate true and false), and its jaccard_score (per class and macro) and accuracy on label maps,
the references of src/train/roc.ts and src/train/iou.ts. scikit-learn 1.2 marks the first ROC threshold as
max(score) + 1 (1.3 and later write inf there); the fixture records what the installed version gives.
Run: /usr/bin/python3 tools/make_segmentation_fixtures.py
"""
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, jaccard_score, roc_auc_score, roc_curve

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'train', 'roc_iou.json')


def roc_case(name, y, s):
    out = {'name': name, 'y': [int(v) for v in y], 'score': [float(v) for v in s], 'auc': float(roc_auc_score(y, s))}
    for drop in (True, False):
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
        out['drop' if drop else 'full'] = {'fpr': fpr.tolist(), 'tpr': tpr.tolist(), 'thresholds': thr.tolist()}
    return out


def iou_case(name, t, p, classes):
    t = np.asarray(t)
    p = np.asarray(p)
    return {
        'name': name, 'shape': list(t.shape), 'classes': classes,
        'target': t.reshape(-1).tolist(), 'pred': p.reshape(-1).tolist(),
        'perClass': jaccard_score(t.reshape(-1), p.reshape(-1), labels=list(range(classes)), average=None, zero_division=0).tolist(),
        'macro': float(jaccard_score(t.reshape(-1), p.reshape(-1), average='macro')),
        'pixelAccuracy': float(accuracy_score(t.reshape(-1), p.reshape(-1))),
    }


def main():
    rng = np.random.default_rng(14)
    y1 = rng.integers(0, 2, 40)
    s1 = rng.normal(size=40) + y1
    y2 = rng.integers(0, 2, 60)
    s2 = np.round(rng.uniform(size=60) * 0.6 + 0.4 * y2, 1)  # many ties, some across classes
    y3 = np.array([0, 1, 0, 1, 1, 0])
    s3 = np.full(6, 0.3)
    y4 = np.array([0, 0, 0, 1, 1])
    s4 = np.array([-2.0, -1.0, 0.5, 3.0, 4.0])
    y5 = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    s5 = np.array([0.9, 0.8, 0.8, 0.8, 0.1, 0.1, 0.05, 0.7])
    roc = [roc_case('normal', y1, s1), roc_case('rounded ties', y2, s2), roc_case('all tied', y3, s3),
           roc_case('separated', y4, s4), roc_case('ties across classes', y5, s5)]
    t1 = rng.integers(0, 4, (2, 5, 6))
    p1 = np.where(rng.uniform(size=t1.shape) < 0.6, t1, rng.integers(0, 4, t1.shape))
    t2 = rng.integers(0, 3, (3, 4, 4))  # class 3 and 4 never true; 4 predicted
    p2 = np.where(rng.uniform(size=t2.shape) < 0.5, t2, rng.integers(0, 5, t2.shape))
    iou = [iou_case('four classes', t1, p1, 4), iou_case('absent classes', t2, p2, 6)]
    write_json_atomic(OUT, {'sklearn': sklearn.__version__, 'roc': roc, 'iou': iou})


if __name__ == '__main__':
    main()
