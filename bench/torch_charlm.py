"""PyTorch twin of bench/charlm-moby-dick.ts (issue 13's character language model).

    node dist/bench/charlm-moby-dick.js --tokens /tmp/moby.bin ...   # writes the symbols
    /usr/bin/python3 bench/torch_charlm.py --tokens /tmp/moby.bin [--epochs 5] [--cell lstm] [--seq-len 100] [--lr 2e-3]
        [--cosine] [--dropout 0] [--hidden 256] [--seed 0] [--threads 2] [--out r.json]

The same symbols (one byte each, 64 kinds), the last 10% held out; the stream cut into 32 rows (held out: 10 rows)
as PyTorch's word_language_model example batchifies, batches of --seq-len steps (default 100) with the last one shorter, the recurrent
state carried across batches (detached) and reset each epoch and each evaluation; model: Embedding(64, 64) ->
2-layer LSTM/GRU/RNN(256, batch_first) -> Linear(256, 64), PyTorch's default initialization, seed --seed (default 0); Adam lr --lr
(default 2e-3; with --cosine decayed to 0 by CosineAnnealingLR over all steps, stepped per batch), gradient norm
clipped at 1; evaluation always in batches of 100 steps; cross-entropy per symbol; bits per character = nats / ln 2, averaged over all targets.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import describe, limit_threads  # noqa: E402

VOCAB, EMBED, HIDDEN, LAYERS, BATCH, SEQ, EVAL_BATCH, LR, CLIP = 64, 64, 256, 2, 32, 100, 10, 2e-3, 1.0


class CharLM(nn.Module):
    """shendu's CharLM: dropout on the embeddings, between the recurrent layers and before the read-out."""
    def __init__(self, cell, dropout=0.0, hidden=HIDDEN):
        super().__init__()
        self.encoder = nn.Embedding(VOCAB, EMBED)
        rnn = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}[cell]
        self.rnn = rnn(EMBED, hidden, LAYERS, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, VOCAB)

    def forward(self, x, state):
        out, state = self.rnn(self.drop(self.encoder(x)), state)
        return self.decoder(self.drop(out)), state


def rows(symbols, n):
    """The stream cut into n rows of equal length (the tail dropped), as a [n, len] tensor."""
    length = symbols.shape[0] // n
    return symbols[:n * length].view(n, length)


def batches(r, seq=SEQ):
    length = r.shape[1]
    for start in range(0, length - 1, seq):
        end = min(start + seq, length - 1)
        yield r[:, start:end], r[:, start + 1:end + 1]


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def evaluate(model, r):
    model.eval()
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for x, y in batches(r):
            logits, state = model(x, state)
            total += F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1), reduction='sum').item()
            count += y.numel()
    model.train()
    return total / count / math.log(2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--tokens', required=True)
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--cell', default='lstm', choices=['lstm', 'gru', 'rnn'])
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seq-len', type=int, default=SEQ)
    p.add_argument('--lr', type=float, default=LR)
    p.add_argument('--cosine', action='store_true')
    p.add_argument('--dropout', type=float, default=0.0)
    p.add_argument('--hidden', type=int, default=HIDDEN)
    p.add_argument('--seed', type=int, default=0, help='torch.manual_seed before the model is built (default 0)')
    p.add_argument('--out')
    a = p.parse_args()
    threads = limit_threads(a.threads)
    symbols = torch.frombuffer(bytearray(open(a.tokens, 'rb').read()), dtype=torch.uint8).long()
    cut = int(symbols.shape[0] * 0.9)
    train, held = rows(symbols[:cut], BATCH), rows(symbols[cut:], EVAL_BATCH)
    torch.manual_seed(a.seed)
    model = CharLM(a.cell, a.dropout, a.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = math.ceil((train.shape[1] - 1) / a.seq_len)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs * steps_per_epoch) if a.cosine else None
    print(f'charlm {a.cell}: {symbols.shape[0]} symbols, {steps_per_epoch} steps per epoch, {a.epochs} epochs, {describe(threads)}', flush=True)
    log = []
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        total, count, state = 0.0, 0, None
        for x, y in batches(train, a.seq_len):
            logits, state = model(x, state)
            loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), CLIP)
            opt.step()
            if sched is not None:
                sched.step()
            state = detach(state)
            total += loss.item() * y.numel()
            count += y.numel()
        val = evaluate(model, held)
        seconds = time.perf_counter() - t0
        row = {'epoch': epoch, 'bpc': total / count / math.log(2), 'valBpc': val, 'seconds': seconds}
        log.append(row)
        print(f"epoch {epoch}: train {row['bpc']:.4f} bpc, held-out {val:.4f} bpc, {seconds:.1f} s", flush=True)
    result = {'framework': 'pytorch', 'torch': torch.__version__, 'threads': threads, 'cell': a.cell, 'epochs': a.epochs,
              'seqLen': a.seq_len, 'lr': a.lr, 'cosine': a.cosine, 'dropout': a.dropout, 'hidden': a.hidden, 'seed': a.seed,
              'steps': a.epochs * steps_per_epoch, 'heldOutBpc': log[-1]['valBpc'], 'epochsLog': log}
    print(f"held-out bits per character after {a.epochs} epochs: {result['heldOutBpc']:.4f}")
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
