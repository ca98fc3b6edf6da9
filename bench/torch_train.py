"""PyTorch side of the `peers` benchmark suite: one workload on one thread count, printed as one JSON row.

Run by bench/peers/torch.ts as
    python3 torch_train.py <workload> --threads N --mnist-dir DIR --tokens FILE [--seconds S]
The models, sizes, batches and data are those of bench/workloads/*.ts: MNIST from the same IDX files,
the text as the symbol file the node side wrote.
"""
import argparse
import gzip
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROW_MARKER = '@@row '
GEMM_N = 1024
MNIST_BATCH = 64
VOCAB, EMBED_DIM, HIDDEN, SEQ_LEN, TEXT_BATCH = 64, 64, 128, 64, 32
UNITS = {'gemm': 'GFLOP/s', 'mlp_train': 'samples/s', 'lenet5_train': 'samples/s', 'lstm_train': 'tokens/s'}
PER_STEP = {'gemm': 2 * GEMM_N ** 3 / 1e9, 'mlp_train': MNIST_BATCH, 'lenet5_train': MNIST_BATCH, 'lstm_train': TEXT_BATCH * SEQ_LEN}


def read_idx(directory, name, offset):
    """Bytes of an IDX file (plain or .gz) after its `offset`-byte header."""
    path = os.path.join(directory, name)
    data = open(path, 'rb').read() if os.path.exists(path) else gzip.open(path + '.gz', 'rb').read()
    return torch.frombuffer(bytearray(data[offset:]), dtype=torch.uint8)


def mnist_batches(directory):
    pixels = read_idx(directory, 'train-images-idx3-ubyte', 16).view(-1, 1, 28, 28)
    labels = read_idx(directory, 'train-labels-idx1-ubyte', 8).long()
    n_batches = pixels.shape[0] // MNIST_BATCH

    def batch(k):
        s = (k % n_batches) * MNIST_BATCH
        return pixels[s:s + MNIST_BATCH].float() / 255, labels[s:s + MNIST_BATCH]
    return batch


def text_batches(path):
    tokens = torch.frombuffer(bytearray(open(path, 'rb').read()), dtype=torch.uint8).long()
    span = tokens.shape[0] - SEQ_LEN - 1
    offs = torch.arange(SEQ_LEN + 1)

    def batch(k):
        starts = torch.tensor([((k * TEXT_BATCH + b) * SEQ_LEN) % span for b in range(TEXT_BATCH)])
        rows = tokens[starts[:, None] + offs[None, :]]
        return rows[:, :-1], rows[:, 1:].reshape(-1)
    return batch


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED_DIM)
        self.lstm = nn.LSTM(EMBED_DIM, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, VOCAB)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.head(out).reshape(-1, VOCAB)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def train_step(model, opt, batch):
    k = [0]

    def step():
        x, y = batch(k[0])
        k[0] += 1
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def prepare(workload, args):
    if workload == 'gemm':
        a, b = torch.randn(GEMM_N, GEMM_N), torch.randn(GEMM_N, GEMM_N)
        return lambda: a @ b
    if workload == 'mlp_train':
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        return train_step(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), mnist_batches(args.mnist_dir))
    if workload == 'lenet5_train':
        model = lenet5()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), mnist_batches(args.mnist_dir))
    if workload == 'lstm_train':
        model = CharLM()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), text_batches(args.tokens))
    raise ValueError(f'unknown workload {workload!r}')


def measure_steps(step, seconds, warmup_steps=3, warmup_seconds=3.0, min_steps=3):
    """Steady-state steps/s, as measureSteps in bench/timing.ts."""
    w0 = time.perf_counter()
    for i in range(warmup_steps):
        if i > 0 and time.perf_counter() - w0 >= warmup_seconds:
            break
        step()
    steps = 0
    t0 = time.perf_counter()
    while steps < min_steps or time.perf_counter() - t0 < seconds:
        step()
        steps += 1
    return steps / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('workload', choices=sorted(UNITS))
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--mnist-dir')
    p.add_argument('--tokens')
    p.add_argument('--seconds', type=float, default=2.5)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    row = {'workload': args.workload, 'runner': f'torch-{args.threads}t', 'value': None, 'unit': UNITS[args.workload],
           'note': f'torch {torch.__version__}, threads={torch.get_num_threads()}'}
    try:
        rate = measure_steps(prepare(args.workload, args), args.seconds)
        row['value'] = rate * PER_STEP[args.workload]
    except Exception as e:  # reported in the table, like every runner's error
        row['error'] = f'{type(e).__name__}: {e}'.split('\n')[0]
    sys.stdout.write(ROW_MARKER + json.dumps(row) + '\n')


if __name__ == '__main__':
    main()
