#!/usr/bin/env python3
"""Writes the PyTorch golden values of shendu's tensor-layer tests: test/fixtures/tensor/creation.json
(linspace, arange) and test/fixtures/tensor/format.json (how torch prints a tensor).

Run with Debian's PyTorch:  /usr/bin/python3 tools/make_tensor_fixtures.py
CI never runs this: it reads the committed JSON.
"""
import base64
import json
import math
import os
import re

import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'tensor')
DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int32, 'bool': torch.bool}


def enc(v):
    """A JSON-safe number: NaN and infinities as strings, as in test/fixtures/ops."""
    if isinstance(v, bool):
        return 1 if v else 0
    if isinstance(v, float):
        if math.isnan(v):
            return 'nan'
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
    return v


def flat(t):
    return [enc(v) for v in t.reshape(-1).tolist()]


def creation():
    linspace = []
    for start, end, steps, dtype in [
        (0, 1, 5, 'float32'), (-1, 1, 7, 'float32'), (0, 1, 10, 'float32'), (-3.7, 2.9, 11, 'float32'),
        (1, 0, 4, 'float32'), (0.1, 0.7, 13, 'float32'), (5, 5, 3, 'float32'), (2, 3, 1, 'float32'),
        (0, 1, 0, 'float32'), (-10, 10, 101, 'float32'), (0.3, 17.1, 1000, 'float32'), (1.1, -5.7, 64, 'float32'),
        (-1, 1, 7, 'float64'), (0.1, 0.7, 13, 'float64'), (-3.7, 2.9, 11, 'float64'), (0.3, 17.1, 1000, 'float64'),
        (0, 10, 4, 'int32'), (0, -10, 4, 'int32'), (-7, 20, 9, 'int32'),
    ]:
        t = torch.linspace(start, end, steps, dtype=DTYPES[dtype])
        linspace.append({'start': start, 'end': end, 'steps': steps, 'dtype': dtype, 'values': flat(t)})
    arange = []
    for args in [(5,), (2, 9), (0, 10, 3), (10, 0, -3), (-4, 4, 2), (0, 1, 0.1), (1, 0, -0.3), (-2.5, 2.5, 0.5),
                 (0.5, 3), (0, 2.2, 0.3), (3, -1.5, -0.7)]:
        fl = any(isinstance(a, float) for a in args)
        t = torch.arange(*args, dtype=torch.float32 if fl else torch.int32)
        arange.append({'args': list(args), 'dtype': 'float32' if fl else 'int32', 'values': flat(t)})
    return {'linspace': linspace, 'arange': arange}


def fmt_case(name, t):
    s = repr(t)
    # shendu prints shape and dtype itself; compare only the values part: tensor(<body>)
    s = re.sub(r',\s*dtype=torch\.\w+\)$', ')', s)
    dtype = [k for k, v in DTYPES.items() if v == t.dtype][0]
    # the exact elements, as the little-endian bytes of the matching JS typed array (bool: one byte each)
    raw = t.contiguous().numpy().tobytes()
    return {'name': name, 'shape': list(t.shape), 'dtype': dtype, 'base64': base64.b64encode(raw).decode('ascii'),
            'torch': s}


def fmt():
    nan, inf = float('nan'), float('inf')
    f = lambda v, dt=torch.float32: torch.tensor(v, dtype=dt)  # noqa: E731
    cases = [
        fmt_case('scalar', f(3.5)),
        fmt_case('scalar whole', f(2.0)),
        fmt_case('scalar int32', f(7, torch.int32)),
        fmt_case('scalar negative', f(-0.125)),
        fmt_case('vector whole', f([1.0, 2.0, 3.0])),
        fmt_case('matrix', f([[1.5, 2.0], [3.0, 4.0]])),
        fmt_case('nonfinite', f([nan, inf, -inf, 1.5])),
        fmt_case('nonfinite whole', f([nan, 2.0, -inf])),
        fmt_case('sci small', f([1e-5, 1.0, 1000.0])),
        fmt_case('sci large whole', f([1e10, 1.0])),
        fmt_case('sci ratio whole', f([1.0, 2000.0])),
        fmt_case('1e8 whole', f([1e8])),
        fmt_case('tiny', f([1.5e-10])),
        fmt_case('negative zero', f([-0.0, 1.5])),
        fmt_case('mixed width', f([123.456, 0.5])),
        fmt_case('zeros', f([0.0, 0.0])),
        fmt_case('sci with zero', f([0.0, 1e-6, -2.5e-5])),
        fmt_case('float64', f([1 / 3, 2 / 3], torch.float64)),
        fmt_case('float64 huge', f([1.5e100], torch.float64)),
        fmt_case('int32 matrix', f([[1, -20], [300, 4]], torch.int32)),
        fmt_case('bool', f([[True, False], [False, True]], torch.bool)),
        fmt_case('randn 4x5', torch.randn(4, 5)),
        fmt_case('randn 3x2x4', torch.randn(3, 2, 4)),
        fmt_case('wrapped row', torch.arange(30, dtype=torch.float32) / 7),
        fmt_case('wrapped int row', torch.arange(40, dtype=torch.int32) * 1000),
        fmt_case('wrapped rows 2-d', torch.randn(2, 15)),
        fmt_case('summarised int', torch.arange(2000, dtype=torch.int32)),
        fmt_case('summarised 1-d', torch.randn(1001)),
        fmt_case('summarised 2-d', torch.randn(32, 32)),
        fmt_case('summarised cols', torch.randn(3, 400)),
        fmt_case('summarised 3-d', torch.randn(11, 10, 10)),
        fmt_case('summarised float64', torch.randn(30, 35, dtype=torch.float64) * 1e-6),
        fmt_case('not summarised at threshold', torch.arange(1000, dtype=torch.float32).reshape(10, 100) / 8),
    ]
    return {'cases': cases}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, 'w') as fh:
        json.dump(obj, fh, allow_nan=False, separators=(',', ':'))
        fh.write('\n')
    print(path)


if __name__ == '__main__':
    write('creation.json', creation())
    write('format.json', fmt())
