"""The PyTorch twin of examples/g2p-cmudict.ts: the same G2P encoder-decoder (letter embedding, BiGRU over packed
words, bridge tanh(Linear) of the final states, GRU-cell decoder with Luong "general" attention and input feeding,
tanh(Linear([context; state])) read-out), the same word/phoneme pairs (written by the shendu example with
--data-dir), the same recipe (Adam with cosine decay over all steps, gradient norm clipped at 5, teacher forcing 1,
token cross-entropy ignoring padding), greedy decoding up to 32 phonemes; seed 0, one thread. --arch transformer trains the twin of shendu's
G2PTransformer instead (bench/torch_g2p_transformer.py: nn.TransformerEncoder/Decoder, same names and sizes), with
the same recipe; --warmup N then ramps the rate linearly over the first N steps before the cosine decay (LambdaLR,
as the shendu example does).

    /usr/bin/python3 bench/torch_g2p.py --data-dir /tmp/g2p-data --epochs 2 --out bench/results/g2p-torch.json
    /usr/bin/python3 bench/torch_g2p.py --data-dir /tmp/g2p-data --arch transformer --lr 0.001 --out bench/results/g2p-transformer-torch.json
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from torch_g2p_transformer import G2PTransformer

BOS, EOS = 1, 2


class G2P(nn.Module):
    def __init__(self, num_letters, num_classes, embed, hidden):
        super().__init__()
        h2 = 2 * hidden
        self.hidden = hidden
        self.srcEmbed = nn.Embedding(num_letters, embed, padding_idx=0)
        self.encoder = nn.GRU(embed, hidden, bidirectional=True, batch_first=True)
        self.bridge = nn.Linear(h2, h2)
        self.tgtEmbed = nn.Embedding(num_classes, embed)
        self.keyProj = nn.Linear(h2, h2, bias=False)
        self.cell = nn.GRUCell(embed + h2, h2)
        self.combine = nn.Linear(2 * h2, h2, bias=False)
        self.out = nn.Linear(h2, num_classes)

    def encode(self, src, lengths):
        packed = pack_padded_sequence(self.srcEmbed(src), lengths, batch_first=True, enforce_sorted=False)
        out, hn = self.encoder(packed)
        memory, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        last = hn.permute(1, 0, 2).reshape(src.shape[0], 2 * self.hidden)
        pad = torch.arange(src.shape[1])[None, :] >= torch.tensor(lengths)[:, None]
        return memory, self.keyProj(memory), pad, torch.tanh(self.bridge(last))

    def step(self, memory, keys, pad, prev, h, feed):
        h = self.cell(torch.cat([self.tgtEmbed(prev), feed], 1), h)
        scores = torch.bmm(keys, h.unsqueeze(2)).squeeze(2).masked_fill(pad, -1e9)
        attn = F.softmax(scores, 1)
        ctx = torch.bmm(attn.unsqueeze(1), memory).squeeze(1)
        feed = torch.tanh(self.combine(torch.cat([ctx, h], 1)))
        return self.out(feed), h, feed

    def forward(self, src, lengths, tgt_in):
        memory, keys, pad, h = self.encode(src, lengths)
        feed = torch.zeros_like(h)
        logits = []
        for t in range(tgt_in.shape[1]):
            lo, h, feed = self.step(memory, keys, pad, tgt_in[:, t], h, feed)
            logits.append(lo)
        return torch.stack(logits, 1)

    @torch.no_grad()
    def decode(self, src, lengths, max_len=32):
        memory, keys, pad, h = self.encode(src, lengths)
        feed = torch.zeros_like(h)
        prev = torch.full((src.shape[0],), BOS, dtype=torch.long)
        out = [[] for _ in lengths]
        done = [False] * len(lengths)
        for _ in range(max_len):
            lo, h, feed = self.step(memory, keys, pad, prev, h, feed)
            prev = lo.argmax(1)
            for b, c in enumerate(prev.tolist()):
                if done[b]:
                    continue
                if c == EOS:
                    done[b] = True
                else:
                    out[b].append(c)
            if all(done):
                break
        return out


def load(data_dir, name):
    with open(os.path.join(data_dir, name + '.json')) as f:
        return json.load(f)


def batch_of(d, letter_id, phoneme_id, idx):
    src = [[letter_id[c] for c in d['entries'][i]['word']] for i in idx]
    refs = [[phoneme_id[p] for p in d['entries'][i]['phonemes']] for i in idx]
    Ls, Lt = max(map(len, src)), max(map(len, refs)) + 1
    s = torch.zeros(len(idx), Ls, dtype=torch.long)
    ti = torch.zeros(len(idx), Lt, dtype=torch.long)
    to = torch.zeros(len(idx), Lt, dtype=torch.long)
    for j, (a, r) in enumerate(zip(src, refs)):
        s[j, :len(a)] = torch.tensor(a)
        ti[j, :len(r) + 1] = torch.tensor([BOS] + r)
        to[j, :len(r) + 1] = torch.tensor(r + [EOS])
    return s, [len(a) for a in src], ti, to, refs


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i]
        for j in range(1, len(b) + 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])))
        prev = cur
    return prev[len(b)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data-dir', required=True)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--embed', type=int, default=32)
    ap.add_argument('--hidden', type=int, default=64)
    ap.add_argument('--arch', choices=['gru', 'transformer'], default='gru')
    ap.add_argument('--d-model', type=int, default=64)
    ap.add_argument('--nhead', type=int, default=4)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--ff', type=int, default=256)
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--positions', choices=['sinusoidal', 'learned'], default='sinusoidal')
    ap.add_argument('--warmup', type=int, default=0)
    ap.add_argument('--out')
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    train, test = load(a.data_dir, 'train'), load(a.data_dir, 'test')
    letter_id = {c: i for i, c in enumerate(train['letters'])}
    phoneme_id = {p: i for i, p in enumerate(train['phonemes'])}
    if a.arch == 'gru':
        model = G2P(len(train['letters']), len(train['phonemes']), a.embed, a.hidden)
    else:
        model = G2PTransformer(len(train['letters']), len(train['phonemes']), a.d_model, a.nhead, a.layers, a.layers, a.ff, a.dropout, a.positions)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    n = len(train['entries'])
    total_steps = a.epochs * math.ceil(n / a.batch)
    if a.warmup > 0:
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / a.warmup) * 0.5 * (1 + math.cos(math.pi * s / total_steps)))
    else:
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, total_steps)
    params = sum(p.numel() for p in model.parameters())
    print(f'g2p {a.arch} (torch): {params} parameters, {n} training words, {len(test["entries"])} held-out, {a.epochs} epochs, lr {a.lr}, warm-up {a.warmup}')
    gen = torch.Generator().manual_seed(0)
    t0 = time.time()

    def evaluate():
        model.eval()
        exact = edits = ref = 0
        for s in range(0, len(test['entries']), 200):
            idx = list(range(s, min(s + 200, len(test['entries']))))
            src, lens, _, _, refs = batch_of(test, letter_id, phoneme_id, idx)
            for p, r in zip(model.decode(src, lens), refs):
                d = edit_distance(p, r)
                exact += d == 0
                edits += d
                ref += len(r)
        model.train()
        return exact / len(test['entries']), edits / ref

    log = []
    for epoch in range(1, a.epochs + 1):
        te = time.time()
        order = torch.randperm(n, generator=gen).tolist()
        total = 0.0
        for s in range(0, n, a.batch):
            src, lens, ti, to, _ = batch_of(train, letter_id, phoneme_id, order[s:s + a.batch])
            logits = model(src, lens, ti)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), to.reshape(-1), ignore_index=0)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5)
            opt.step()
            sched.step()
            total += loss.item() * src.shape[0]
        acc, per = evaluate()
        log.append({'epoch': epoch, 'loss': total / n, 'valWordAcc': acc, 'valPer': per, 'seconds': time.time() - te})
        print(f'epoch {epoch}: loss {total / n:.4f}; held-out word accuracy {acc:.4f}, PER {per:.4f} ({time.time() - te:.0f} s)')
    acc, per = evaluate()
    seconds = time.time() - t0
    print(f'held-out ({len(test["entries"])} words): word accuracy {100 * acc:.2f}%, PER {100 * per:.2f}% ({seconds:.0f} s)')
    if a.out:
        with open(a.out, 'w') as f:
            sizes = ({'model': 'g2p', 'attention': 'luong', 'embedDim': a.embed, 'hiddenSize': a.hidden} if a.arch == 'gru' else
                     {'model': 'g2p_transformer', 'dModel': a.d_model, 'nhead': a.nhead, 'layers': a.layers, 'dimFeedforward': a.ff,
                      'dropout': a.dropout, 'positions': a.positions})
            json.dump({'framework': 'torch ' + torch.__version__, 'threads': 1, 'arch': a.arch, **sizes, 'parameters': params, 'train': n,
                       'test': len(test['entries']), 'epochs': a.epochs, 'batch': a.batch, 'lr': a.lr, 'warmup': a.warmup,
                       'heldOutWordAcc': acc, 'heldOutPer': per, 'seconds': seconds, 'epochsLog': log}, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
