#!/usr/bin/env python3
"""Writes golden values for shendu's image transforms (test/fixtures/data/transforms.json).

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_data_fixtures.py
torchvision is not needed: the few functions used are transcribed below from torchvision's tensor backend
(transforms/functional.py and _functional_tensor.py) and run on torch: center_crop, the inverse affine matrix
and the affine grid fed to grid_sample. CI never runs this: it reads the committed JSON.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'data', 'transforms.json')


def center_crop(img, crop_height, crop_width):
    """torchvision.transforms.functional.center_crop on a CHW tensor."""
    _, image_height, image_width = img.shape
    if crop_width > image_width or crop_height > image_height:
        padding_ltrb = [
            (crop_width - image_width) // 2 if crop_width > image_width else 0,
            (crop_height - image_height) // 2 if crop_height > image_height else 0,
            (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
            (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
        ]
        left, top, right, bottom = padding_ltrb
        img = F.pad(img, [left, right, top, bottom], value=0.0)  # torchvision's pad reorders ltrb the same way
        _, image_height, image_width = img.shape
        if crop_width == image_width and crop_height == image_height:
            return img
    crop_top = int(round((image_height - crop_height) / 2.0))
    crop_left = int(round((image_width - crop_width) / 2.0))
    return img[:, crop_top:crop_top + crop_height, crop_left:crop_left + crop_width]


def inverse_affine_matrix(center, angle, translate, scale, shear):
    """torchvision's _get_inverse_affine_matrix (inverted=True)."""
    rot = math.radians(angle)
    sx = math.radians(shear[0])
    sy = math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    matrix = [d, -b, 0.0, -c, a, 0.0]
    matrix = [x / scale for x in matrix]
    matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty)
    matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty)
    matrix[2] += cx
    matrix[5] += cy
    return matrix


def affine_grid(theta, w, h):
    """torchvision's _gen_affine_grid with output size = input size."""
    d = 0.5
    base = torch.empty(1, h, w, 3, dtype=theta.dtype)
    base[..., 0].copy_(torch.linspace(-w * 0.5 + d, w * 0.5 + d - 1, steps=w, dtype=theta.dtype))
    base[..., 1].copy_(torch.linspace(-h * 0.5 + d, h * 0.5 + d - 1, steps=h, dtype=theta.dtype).unsqueeze_(-1))
    base[..., 2].fill_(1)
    rescaled = theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], dtype=theta.dtype)
    return base.view(1, h * w, 3).bmm(rescaled).view(1, h, w, 2)


def tv_affine(img, angle, translate, scale, interpolation, fill):
    """torchvision.transforms.functional.affine on a CHW float64 tensor (shear 0, centre of the image).

    Outside the image counts as `fill`: torchvision's grid_sample with zero padding run on (img - fill), plus fill.
    For fill 0 that is exactly torchvision's affine with fill=None. (With a fill list torchvision instead blends
    the zero-padded interpolation with fill by the interpolated mask, img * mask + (1 - mask) * fill, which
    attenuates bilinear edge pixels twice; nearest sampling gives the same result either way.)
    """
    matrix = inverse_affine_matrix([0.0, 0.0], angle, [float(t) for t in translate], scale, [0.0, 0.0])
    theta = torch.tensor(matrix, dtype=img.dtype).reshape(1, 2, 3)
    _, h, w = img.shape
    grid = affine_grid(theta, w, h)
    x = F.grid_sample((img - fill)[None], grid, mode=interpolation, padding_mode='zeros', align_corners=False)
    return x[0] + fill


def image(c, h, w):
    return (torch.arange(c * h * w, dtype=torch.float64) + 1).reshape(c, h, w)


def main():
    crops = []
    for (h_img, w_img) in [(3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (5, 8), (2, 2), (3, 4)]:
        for (ch, cw) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 5), (4, 1), (6, 3)]:
            img = image(1, h_img, w_img)
            out = center_crop(img, ch, cw)
            assert tuple(out.shape) == (1, ch, cw)
            crops.append({'imageShape': [1, h_img, w_img], 'size': [ch, cw], 'out': out.flatten().tolist()})

    # Our convention: positive angles turn counter-clockwise in both randomRotation and randomAffine, i.e.
    # torchvision's F.rotate(angle) = F.affine(-angle); the cases store our angle.
    affines = []
    for (shape, angle, translate, scale, mode, fill) in [
        # (a non-square image turned by 90 degrees samples exact half-pixel ties, decided by rounding noise: avoided)
        ([1, 5, 5], 90.0, [0, 0], 1.0, 'nearest', 0.0),
        ([1, 6, 6], -90.0, [0, 0], 1.0, 'nearest', 0.0),
        ([1, 5, 6], 180.0, [0, 0], 1.0, 'nearest', 0.0),
        ([1, 5, 6], 30.0, [0, 0], 1.0, 'nearest', 0.0),
        ([2, 5, 6], 30.0, [0, 0], 1.0, 'bilinear', 0.0),
        ([1, 6, 5], -45.0, [0, 0], 1.0, 'bilinear', -1.0),
        ([1, 5, 6], 0.0, [2, -1], 1.0, 'nearest', 0.0),
        ([1, 5, 5], 0.0, [0, 0], 2.0, 'nearest', 0.0),
        ([1, 6, 6], 0.0, [0, 0], 1.5, 'bilinear', 0.0),
        ([1, 6, 6], 0.0, [0, 0], 0.5, 'bilinear', 0.5),
        ([2, 6, 7], 20.0, [1, 2], 1.2, 'bilinear', 0.0),
        ([1, 7, 6], -15.0, [-2, 1], 0.8, 'nearest', -3.0),
    ]:
        img = image(*shape)
        out = tv_affine(img, -angle, translate, scale, mode, fill)
        affines.append({'imageShape': shape, 'angle': angle, 'translate': translate, 'scale': scale, 'interpolation': mode, 'fill': fill,
                        'out': out.flatten().tolist()})

    resizes = []
    for (shape, size) in [([1, 5, 6], [8, 9]), ([2, 3, 4], [7, 5]), ([1, 4, 4], [4, 4])]:
        img = image(*shape)
        out = F.interpolate(img[None], size=size, mode='bilinear', align_corners=False)[0]
        resizes.append({'imageShape': shape, 'size': size, 'out': out.flatten().tolist()})

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'generator': f'tools/make_data_fixtures.py, torch {torch.__version__}', 'centerCrop': crops, 'affine': affines, 'resize': resizes}, f)
        f.write('\n')
    print(f'{OUT}: {len(crops)} crops, {len(affines)} affines, {len(resizes)} resizes')


if __name__ == '__main__':
    main()
