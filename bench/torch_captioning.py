"""The PyTorch twin of examples/captioning.ts: the same captioner (3 conv+BN+ReLU+2x2 max-pool stages 16/32/64 to a
feature grid; h0, c0 = tanh(Linear(mean feature)); additive attention v^T tanh(W_a a_i + U_a h) over the grid; an
LSTMCell on [word embedding 32; context]; logits from [h; context]), the same data (written by the shendu example
with --data-dir), the same recipe (Adam with cosine decay to 0 over all steps, gradient norm clipped at 5, batch 32,
teacher forcing, cross-entropy with padding 0 ignored, greedy decoding of at most 16 words), seed 0, one thread.
Held-out corpus BLEU-4 and BLEU-1 as the paper defines them (clipped n-gram counts, brevity penalty against the
closest reference length; the same definition as shendu's text.corpusBleu), exact-match rate.

    /usr/bin/python3 bench/torch_captioning.py --data-dir /tmp/caption-canvas --epochs 6 --out bench/results/captioning-canvas-torch.json
"""
import argparse
import collections
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


def load(data_dir, name):
    with open(os.path.join(data_dir, name + '.json')) as f:
        meta = json.load(f)
    px = np.fromfile(os.path.join(data_dir, name + '.f32'), dtype='<f4')
    images = torch.from_numpy(px.reshape(-1, *meta['imageShape']).copy())
    # captions: decoder ids (<unk> 3 for words outside the table); references: the same with -1 there (never matched)
    return images, meta['captions'], meta['words'], meta.get('references', meta['captions'])


class Captioner(nn.Module):
    def __init__(self, vocab, in_channels=1, channels=(16, 32, 64), embed=32, hidden=128, att=64, max_length=16):
        super().__init__()
        layers, c = [], in_channels
        for o in channels:
            layers += [nn.Conv2d(c, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]
            c = o
        self.encoder = nn.Sequential(*layers)
        self.initH = nn.Linear(c, hidden)
        self.initC = nn.Linear(c, hidden)
        self.embed = nn.Embedding(vocab, embed)
        self.featProj = nn.Linear(c, att)
        self.queryProj = nn.Linear(hidden, att, bias=False)
        self.score = nn.Linear(att, 1, bias=False)
        self.cell = nn.LSTMCell(embed + c, hidden)
        self.out = nn.Linear(hidden + c, vocab)
        self.max_length = max_length

    def features(self, images):
        f = self.encoder(images)
        b, d, h, w = f.shape
        return f.reshape(b, d, h * w).permute(0, 2, 1)

    def start(self, feats):
        m = feats.mean(1)
        return torch.tanh(self.initH(m)), torch.tanh(self.initC(m))

    def step(self, feats, keys, prev, state):
        e = torch.tanh(keys + self.queryProj(state[0]).unsqueeze(1))
        attn = torch.softmax(self.score(e).squeeze(2), 1)
        ctx = torch.bmm(attn.unsqueeze(1), feats).squeeze(1)
        h, c = self.cell(torch.cat([self.embed(prev), ctx], 1), state)
        return self.out(torch.cat([h, ctx], 1)), attn, (h, c)

    def forward(self, images, target_in):
        feats = self.features(images)
        keys = self.featProj(feats)
        state = self.start(feats)
        logits = []
        for t in range(target_in.shape[1]):
            lo, _, state = self.step(feats, keys, target_in[:, t], state)
            logits.append(lo)
        return torch.stack(logits, 1)

    @torch.no_grad()
    def decode(self, images):
        feats = self.features(images)
        keys = self.featProj(feats)
        state = self.start(feats)
        b = images.shape[0]
        prev = torch.full((b,), BOS, dtype=torch.long)
        out, done = [[] for _ in range(b)], [False] * b
        for _ in range(self.max_length):
            lo, _, state = self.step(feats, keys, prev, state)
            prev = lo.argmax(1)
            for i, w in enumerate(prev.tolist()):
                if done[i]:
                    continue
                if w == EOS:
                    done[i] = True
                else:
                    out[i].append(w)
            if all(done):
                break
        return out


def batch(images, captions, idx):
    refs = [captions[i] for i in idx]
    L = max(len(r) for r in refs) + 1
    tin = torch.zeros(len(idx), L, dtype=torch.long)
    tout = torch.zeros(len(idx), L, dtype=torch.long)
    for j, r in enumerate(refs):
        tin[j, 0] = BOS
        tin[j, 1:len(r) + 1] = torch.tensor(r, dtype=torch.long)
        tout[j, :len(r)] = torch.tensor(r, dtype=torch.long)
        tout[j, len(r)] = EOS
    return images[idx], tin, tout


def corpus_bleu(refs, hyps, n_max=4):
    """Papineni et al.'s corpus BLEU with uniform weights, one reference per hypothesis (as shendu's corpusBleu)."""
    matches, totals, c, r = [0] * n_max, [0] * n_max, 0, 0
    for ref, hyp in zip(refs, hyps):
        for n in range(1, n_max + 1):
            hc = collections.Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
            rc = collections.Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
            matches[n - 1] += sum(min(v, rc[k]) for k, v in hc.items())
            totals[n - 1] += sum(hc.values())
        c += len(hyp)
        r += len(ref)
    if min(matches) == 0:
        return 0.0
    bp = 1.0 if c > r else (0.0 if c == 0 else math.exp(1 - r / c))
    return bp * math.exp(sum(math.log(m / t) for m, t in zip(matches, totals)) / n_max)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data-dir', required=True)
    p.add_argument('--epochs', type=int, default=6)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=0.003)
    p.add_argument('--out')
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tr_x, tr_y, words, _ = load(a.data_dir, 'train')
    te_x, te_y, _, te_refs = load(a.data_dir, 'test')
    model = Captioner(len(words), in_channels=tr_x.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = math.ceil(len(tr_y) / a.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs * steps)
    params = sum(q.numel() for q in model.parameters())
    print(f'torch captioner: {params} parameters, {len(tr_y)} training / {len(te_y)} held-out images, {steps} steps per epoch')
    t0 = time.time()
    log = []
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(len(tr_y)).tolist()
        tot, n, te = 0.0, 0, time.time()
        for s in range(0, len(perm), a.batch):
            x, tin, tout = batch(tr_x, tr_y, perm[s:s + a.batch])
            logits = model(x, tin)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tout.reshape(-1), ignore_index=PAD)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5)
            opt.step()
            sched.step()
            tot += loss.item() * x.shape[0]
            n += x.shape[0]
        log.append({'epoch': epoch, 'loss': tot / n, 'seconds': time.time() - te})
        print(f'epoch {epoch}: loss {tot / n:.4f} ({time.time() - te:.0f} s)')
    model.eval()
    hyps = []
    for s in range(0, len(te_y), 100):
        hyps += model.decode(te_x[s:s + 100])
    bleu4, bleu1 = corpus_bleu(te_refs, hyps), corpus_bleu(te_refs, hyps, 1)
    exact = sum(h == r for h, r in zip(hyps, te_refs)) / len(te_y)
    secs = time.time() - t0
    print(f'held-out ({len(te_y)} images, greedy): BLEU-4 {100 * bleu4:.2f}, BLEU-1 {100 * bleu1:.2f}, exact match {100 * exact:.2f}% ({secs:.0f} s)')
    for h, r in list(zip(hyps, te_refs))[:5]:
        print('  ', ' '.join(words[i] for i in h), '| ref:', ' '.join(words[i] if i >= 0 else '<oov>' for i in r))
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'framework': 'pytorch', 'model': 'captioner', 'parameters': params, 'train': len(tr_y), 'test': len(te_y), 'epochs': a.epochs,
                       'batch': a.batch, 'lr': a.lr, 'heldOutBleu4': bleu4, 'heldOutBleu1': bleu1, 'heldOutExact': exact, 'seconds': secs, 'epochsLog': log}, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
