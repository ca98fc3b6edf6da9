"""PyTorch side of the `core` benchmark: the same workloads, printed as JSON rows. Run by bench/run.ts.

`python3 torch_core.py [workload ...]` runs only the named workloads (default: all).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import time_it  # noqa: E402
from torch_threads import describe, limit_threads  # noqa: E402


def main():
    only = set(sys.argv[1:])
    rows = []
    n = 1 << 20
    for threads in (1, 2):
        note = describe(limit_threads(threads))
        runner = f'torch-{threads}t'
        a = torch.randn(n)
        b = torch.randn(n)
        ops = {'add': lambda: a + b, 'mul': lambda: a * b, 'exp': lambda: torch.exp(a), 'relu': lambda: torch.relu(a)}
        for name, fn in ops.items():
            if only and f'elementwise_{name}' not in only:
                continue
            s = time_it(fn, min_seconds=0.5)
            rows.append({'workload': f'elementwise_{name}', 'runner': runner, 'value': n / s, 'unit': 'elements/s', 'note': note})
        for size in (256, 1024):
            if only and f'matmul_{size}' not in only:
                continue
            x = torch.randn(size, size)
            y = torch.randn(size, size)
            s = time_it(lambda: x @ y, warmup=1, min_seconds=1.0, min_runs=3)
            rows.append({'workload': f'matmul_{size}', 'runner': runner, 'value': 2 * size ** 3 / s / 1e9, 'unit': 'GFLOP/s', 'note': note})
    json.dump({'torch': torch.__version__, 'rows': rows}, sys.stdout)


if __name__ == '__main__':
    main()
