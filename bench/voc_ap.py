"""The all-point VOC average precision (VOC2010+) shared by the detection twins in bench/: from the hit flags of a
class's detections in descending score order and the number of ground-truth objects of that class."""
import numpy as np


def all_point_ap(hits, npos):
    """Area under the interpolated precision-recall curve; `hits` is 1 for a true positive, 0 for a false one."""
    tp = np.cumsum(np.asarray(hits, dtype=np.float64))
    rec = tp / npos
    prec = tp / np.maximum(np.arange(1, len(tp) + 1), np.finfo(np.float64).eps)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for k in range(len(mpre) - 1, 0, -1):
        mpre[k - 1] = max(mpre[k - 1], mpre[k])
    idx = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]))
