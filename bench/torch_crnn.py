"""The PyTorch twin of examples/crnn-digits.ts: the same CRNN (3 conv+BN+ReLU stages 16/32/48 with two 2x2 max
pools, BiLSTM 64, per-column scores of 10 digits + blank last), the same strips (written by the shendu example with
--data-dir), the same recipe (Adam lr 2e-3 with cosine decay to 0 over all steps, gradient norm clipped at 5,
batch 32, CTC loss with mean reduction and zero_infinity, greedy decoding), seed 0, one thread.

    /usr/bin/python3 bench/torch_crnn.py --data-dir /tmp/crnn-data --epochs 3 [--channels 16,32,48] [--hidden 64]
        [--batch 32] [--lr 2e-3] --out bench/results/crnn-torch.json
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(data_dir, name):
    with open(os.path.join(data_dir, name + '.json')) as f:
        meta = json.load(f)
    px = np.fromfile(os.path.join(data_dir, name + '.f32'), dtype='<f4')
    images = torch.from_numpy(px.reshape(-1, 1, meta['height'], meta['width']).copy())
    return images, meta['labels']


class CRNN(nn.Module):
    def __init__(self, num_classes=10, in_channels=1, image_height=14, channels=(16, 32, 48), hidden=64):
        super().__init__()
        c1, c2, c3 = channels

        def stage(i, o):
            return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
        self.cnn = nn.Sequential(*stage(in_channels, c1), nn.MaxPool2d(2), *stage(c1, c2), nn.MaxPool2d(2), *stage(c2, c3))
        feat_h = image_height // 2 // 2
        self.rnn = nn.LSTM(c3 * feat_h, hidden, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, num_classes + 1)
        self.blank = num_classes

    def forward(self, x):
        f = self.cnn(x)
        n, c, h, w = f.shape
        seq = f.permute(3, 0, 1, 2).reshape(w, n, c * h)
        out, _ = self.rnn(seq)
        return self.fc(out)


def greedy(log_probs, blank):
    best = log_probs.argmax(2).t().tolist()
    out = []
    for row in best:
        labels, prev = [], -1
        for c in row:
            if c != prev and c != blank:
                labels.append(c)
            prev = c
        out.append(labels)
    return out


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i]
        for j in range(1, len(b) + 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])))
        prev = cur
    return prev[len(b)]


def batch_of(images, labels, idx):
    x = images[idx]
    ls = [labels[i] for i in idx]
    S = max(len(l) for l in ls)
    t = torch.zeros(len(idx), S, dtype=torch.long)
    for j, l in enumerate(ls):
        t[j, :len(l)] = torch.tensor(l)
    return x, t, torch.tensor([len(l) for l in ls]), ls


def evaluate(model, images, labels):
    model.eval()
    exact = edits = ref = 0
    loss_sum = 0.0
    with torch.no_grad():
        for s in range(0, len(labels), 100):
            idx = list(range(s, min(s + 100, len(labels))))
            x, t, tl, ls = batch_of(images, labels, idx)
            lp = F.log_softmax(model(x), 2)
            T, N = lp.shape[:2]
            loss_sum += F.ctc_loss(lp, t, torch.full((N,), T, dtype=torch.long), tl, blank=model.blank, zero_infinity=True).item() * N
            for p, r in zip(greedy(lp, model.blank), ls):
                d = edit_distance(p, r)
                exact += d == 0
                edits += d
                ref += len(r)
    model.train()
    return exact / len(labels), edits / ref, loss_sum / len(labels)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data-dir', required=True)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--channels', default='16,32,48')
    ap.add_argument('--hidden', type=int, default=64)
    ap.add_argument('--out')
    a = ap.parse_args()
    channels = tuple(int(c) for c in a.channels.split(','))
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tr_x, tr_y = load(a.data_dir, 'train')
    te_x, te_y = load(a.data_dir, 'test')
    model = CRNN(image_height=tr_x.shape[2], channels=channels, hidden=a.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = math.ceil(len(tr_y) / a.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs * steps_per_epoch)
    params = sum(p.numel() for p in model.parameters())
    print(f'crnn (torch): {params} parameters, {len(tr_y)} training strips, {len(te_y)} held-out, {a.epochs} epochs')
    gen = torch.Generator().manual_seed(0)
    t0 = time.time()
    log = []
    for epoch in range(1, a.epochs + 1):
        te = time.time()
        order = torch.randperm(len(tr_y), generator=gen).tolist()
        total = 0.0
        for s in range(0, len(order), a.batch):
            x, t, tl, _ = batch_of(tr_x, tr_y, order[s:s + a.batch])
            lp = F.log_softmax(model(x), 2)
            T, N = lp.shape[:2]
            loss = F.ctc_loss(lp, t, torch.full((N,), T, dtype=torch.long), tl, blank=model.blank, zero_infinity=True)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5)
            opt.step()
            sched.step()
            total += loss.item() * N
        acc, cer, vloss = evaluate(model, te_x, te_y)
        row = {'epoch': epoch, 'loss': total / len(order), 'valLoss': vloss, 'valSeqAcc': acc, 'valCer': cer, 'seconds': time.time() - te}
        log.append(row)
        print(f"epoch {epoch}: loss {row['loss']:.4f}; held-out loss {vloss:.4f}, seq acc {acc:.4f}, CER {cer:.4f} ({row['seconds']:.0f} s)")
    acc, cer, vloss = evaluate(model, te_x, te_y)
    seconds = time.time() - t0
    print(f'held-out ({len(te_y)} strips): sequence accuracy {100 * acc:.2f}%, CER {100 * cer:.2f}% ({seconds:.0f} s)')
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'framework': 'torch ' + torch.__version__, 'threads': 1, 'model': 'crnn', 'parameters': params, 'train': len(tr_y), 'test': len(te_y),
                       'epochs': a.epochs, 'channels': list(channels), 'hidden': a.hidden, 'batch': a.batch, 'lr': a.lr, 'heldOutSeqAcc': acc, 'heldOutCer': cer, 'heldOutLoss': vloss,
                       'seconds': seconds, 'epochsLog': log}, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
