#!/usr/bin/env python3
"""Writes golden values for shendu's colour transforms and Pad (test/fixtures/data/color.json).

Run with Debian's PyTorch and torchvision 0.14:  /usr/bin/python3 tools/make_color_fixtures.py
Fixed factors on a seeded random float32 image (a few pixels set gray, black and white to reach the special
cases of the HSV conversion), through torchvision.transforms.functional. CI never runs this: it reads the JSON.
"""
import os
import sys

import torch
import torchvision
import torchvision.transforms.functional as TF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'data', 'color.json')


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def main():
    torch.manual_seed(0)
    rgb = torch.rand(3, 5, 7)
    rgb[:, 0, 0] = 0.5  # gray: max == min
    rgb[:, 0, 1] = 0.0
    rgb[:, 0, 2] = 1.0
    rgb[:, 1, 0] = torch.tensor([0.9, 0.9, 0.2])  # max shared by R and G
    rgb[:, 1, 1] = torch.tensor([0.1, 0.7, 0.7])  # max shared by G and B
    gray = torch.rand(1, 5, 7)
    batch = torch.rand(2, 3, 4, 6)
    cases = []

    def add(fn, image_name, image, arg, out):
        cases.append({'fn': fn, 'image': image_name, 'arg': arg, 'shape': list(out.shape), 'out': flat(out)})

    for f in [0.0, 0.5, 1.0, 1.7]:
        add('adjustBrightness', 'rgb', rgb, f, TF.adjust_brightness(rgb, f))
    for f in [0.0, 0.5, 1.3]:
        add('adjustContrast', 'rgb', rgb, f, TF.adjust_contrast(rgb, f))
    for f in [0.0, 0.4, 2.0]:
        add('adjustSaturation', 'rgb', rgb, f, TF.adjust_saturation(rgb, f))
    for f in [-0.5, -0.23, 0.0, 0.1, 0.37, 0.5]:
        add('adjustHue', 'rgb', rgb, f, TF.adjust_hue(rgb, f))
    add('adjustBrightness', 'gray', gray, 1.4, TF.adjust_brightness(gray, 1.4))
    add('adjustContrast', 'gray', gray, 0.6, TF.adjust_contrast(gray, 0.6))
    add('adjustSaturation', 'gray', gray, 0.3, TF.adjust_saturation(gray, 0.3))
    add('adjustHue', 'gray', gray, 0.2, TF.adjust_hue(gray, 0.2))
    add('adjustContrast', 'batch', batch, 0.7, TF.adjust_contrast(batch, 0.7))
    add('adjustHue', 'batch', batch, -0.3, TF.adjust_hue(batch, -0.3))
    add('rgbToGrayscale', 'rgb', rgb, 1, TF.rgb_to_grayscale(rgb, 1))
    add('rgbToGrayscale', 'rgb', rgb, 3, TF.rgb_to_grayscale(rgb, 3))
    add('rgbToGrayscale', 'batch', batch, 1, TF.rgb_to_grayscale(batch, 1))
    add('pad', 'rgb', rgb, {'padding': [1, 2, 3, 0], 'fill': 0.25, 'mode': 'constant'}, TF.pad(rgb, [1, 2, 3, 0], fill=0.25))
    add('pad', 'rgb', rgb, {'padding': [2, 1], 'mode': 'reflect'}, TF.pad(rgb, [2, 1], padding_mode='reflect'))
    add('pad', 'rgb', rgb, {'padding': 3, 'mode': 'replicate'}, TF.pad(rgb, 3, padding_mode='edge'))
    mean, std = [0.4, 0.5, 0.6], [0.2, 0.25, 0.3]
    add('normalize', 'rgb', rgb, {'mean': mean, 'std': std}, TF.normalize(rgb, mean, std))

    write_json_atomic(OUT, {
        'torchvision': torchvision.__version__,
        'images': {'rgb': {'shape': list(rgb.shape), 'data': flat(rgb)},
                   'gray': {'shape': list(gray.shape), 'data': flat(gray)},
                   'batch': {'shape': list(batch.shape), 'data': flat(batch)}},
        'cases': cases,
    })
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
