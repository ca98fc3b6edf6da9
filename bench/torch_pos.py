"""PyTorch twin of examples/pos-brown.ts (issue 13's POS tagger on the Brown corpus).

    node dist/examples/pos-brown.js --export /tmp/pos-brown.json ...      # writes the encoded split
    /usr/bin/python3 bench/torch_pos.py --data /tmp/pos-brown.json [--threads 1] [--out bench/results/pos-brown-torch.json]

The same sentences, features (word, suffix, shape indices) and tags as shendu's run, exported by the example;
the same model (word embedding 64, suffix 16, shape 4, padding index 1, BiLSTM 64 per direction over packed
sequences, linear read-out), PyTorch's default initialization, seed 0; Adam lr 1e-2 (from the export), batches of 64 sentences
bucketed by length (buckets of 50 batches, shuffled), cross-entropy with padding ignored (-100); token accuracy on
the held-out documents.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import limit_threads  # noqa: E402
from torch_text_common import bucket_batches, pad  # noqa: E402


class POSTagger(nn.Module):
    def __init__(self, vocab, suffixes, tags, r):
        super().__init__()
        self.embedding = nn.Embedding(vocab, r['embedDim'], padding_idx=1)
        self.suffix_embedding = nn.Embedding(suffixes, r['suffixDim'], padding_idx=1)
        self.shape_embedding = nn.Embedding(4, r['shapeDim'])
        self.rnn = nn.LSTM(r['embedDim'] + r['suffixDim'] + r['shapeDim'], r['hiddenSize'], batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * r['hiddenSize'], tags)

    def forward(self, x, lengths):
        e = torch.cat([self.embedding(x[:, :, 0]), self.suffix_embedding(x[:, :, 1]), self.shape_embedding(x[:, :, 2])], 2)
        out, _ = self.rnn(pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False))
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return self.fc(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out')
    a = p.parse_args()
    threads = limit_threads(a.threads)
    d = json.load(open(a.data))
    r = d['recipe']
    torch.manual_seed(r['seed'])
    g = torch.Generator().manual_seed(r['seed'])
    model = POSTagger(d['vocabSize'], d['suffixVocabSize'], d['numTags'], r)
    opt = torch.optim.Adam(model.parameters(), lr=r['lr'])
    xs, ys = d['train']['x'], d['train']['y']
    t0 = time.perf_counter()
    for epoch in range(1, d['epochs'] + 1):
        total, count = 0.0, 0
        for idx in bucket_batches([len(s) for s in xs], r['batchSize'], g):
            x, lengths = pad([xs[i] for i in idx], 1)
            y, _ = pad([ys[i] for i in idx], -100)
            logits = model(x, lengths)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            opt.step()
            n = int((y != -100).sum())
            total += loss.item() * n
            count += n
        print(f'  torch postagger epoch {epoch}: loss {total / count:.4f}, {time.perf_counter() - t0:.1f} s', flush=True)
    seconds = time.perf_counter() - t0
    model.eval()
    right = tokens = 0
    with torch.no_grad():
        tx, ty = d['test']['x'], d['test']['y']
        for s in range(0, len(tx), 256):
            x, lengths = pad(tx[s:s + 256], 1)
            y, _ = pad(ty[s:s + 256], -100)
            pred = model(x, lengths).argmax(-1)
            mask = y != -100
            right += int((pred[mask] == y[mask]).sum())
            tokens += int(mask.sum())
    acc = right / tokens
    print(f"held-out token accuracy after {d['epochs']} epochs: {acc:.4f} ({tokens} tokens), training {seconds:.0f} s")
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'framework': 'pytorch', 'torch': torch.__version__, 'threads': threads, 'task': 'pos-brown', 'epochs': d['epochs'],
                       'recipe': r, 'trainSentences': len(xs), 'testTokens': tokens, 'heldOutAccuracy': acc, 'trainSeconds': seconds}, f, indent=2)


if __name__ == '__main__':
    main()
