"""PyTorch twins of examples/spam.ts and examples/sentiment.ts (issue 13's text classification): the zoo's text
classifier in PyTorch, trained on the token indices (and, for sentiment, the word2vec table) the examples export.

    node dist/examples/spam.js --export /tmp/spam.json ...
    /usr/bin/python3 bench/torch_text_classifier.py --data /tmp/spam.json --task spam [--out bench/results/spam-torch.json]
    node dist/examples/sentiment.js --export /tmp/sentiment.json ...
    /usr/bin/python3 bench/torch_text_classifier.py --data /tmp/sentiment.json --task sentiment [--out ...]

Model: nn.Embedding(V, E, padding_idx=1); encoder 'bag': the mean of the token embeddings; 'bilstm': a bidirectional
LSTM over the packed batch, its last forward and backward states concatenated; then nn.Linear to 2 classes.
PyTorch's default initialization, seed 0; Adam at the exported lr, bucketed batches (bench/torch_text_common.py),
cross-entropy, one thread. Spam reports F1 of the spam class; sentiment reports accuracy for the embeddings
'random', 'pretrained' (word2vec, fine-tuned) and 'frozen'.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import limit_threads  # noqa: E402
from torch_text_common import bucket_batches, pad  # noqa: E402


class TextClassifier(nn.Module):
    def __init__(self, vocab, classes, r):
        super().__init__()
        self.embedding = nn.Embedding(vocab, r['embedDim'], padding_idx=1)
        self.encoder = r['encoder']
        width = r['embedDim']
        if self.encoder == 'bilstm':
            self.rnn = nn.LSTM(r['embedDim'], r['hiddenSize'], batch_first=True, bidirectional=True)
            width = 2 * r['hiddenSize']
        self.fc = nn.Linear(width, classes)

    def forward(self, x, lengths):
        e = self.embedding(x)
        if self.encoder == 'bag':
            v = e.sum(1) / lengths.unsqueeze(1).to(e.dtype)
        else:
            _, (h, _) = self.rnn(pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False))
            v = torch.cat([h[0], h[1]], 1)
        return self.fc(v)


def run(d, pretrained=None, freeze=False, label=''):
    r = d['recipe']
    torch.manual_seed(r['seed'])
    g = torch.Generator().manual_seed(r['seed'])
    model = TextClassifier(d['vocabSize'], d['numClasses'], r)
    if pretrained is not None:
        with torch.no_grad():
            model.embedding.weight.copy_(pretrained)
            model.embedding.weight[1].zero_()
        model.embedding.weight.requires_grad_(not freeze)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=r['lr'])
    xs, ys = d['train']['x'], d['train']['y']
    t0 = time.perf_counter()
    for epoch in range(1, d['epochs'] + 1):
        total = 0.0
        for idx in bucket_batches([len(s) for s in xs], r['batchSize'], g):
            x, lengths = pad([xs[i] for i in idx], 1)
            y = torch.tensor([ys[i] for i in idx])
            loss = F.cross_entropy(model(x, lengths), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f'  torch {label} epoch {epoch}: loss {total / len(xs):.4f}, {time.perf_counter() - t0:.1f} s', flush=True)
    model.eval()
    preds = []
    with torch.no_grad():
        tx = d['test']['x']
        for s in range(0, len(tx), 256):
            x, lengths = pad(tx[s:s + 256], 1)
            preds += model(x, lengths).argmax(1).tolist()
    return preds, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--task', required=True, choices=['spam', 'sentiment'])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out')
    a = p.parse_args()
    threads = limit_threads(a.threads)
    d = json.load(open(a.data))
    target = d['test']['y']
    acc = lambda preds: sum(int(q == t) for q, t in zip(preds, target)) / len(target)  # noqa: E731
    result = {'framework': 'pytorch', 'torch': torch.__version__, 'threads': threads, 'task': a.task, 'epochs': d['epochs'], 'recipe': d['recipe']}
    if a.task == 'spam':
        preds, seconds = run(d, label='spam')
        tp = sum(1 for q, t in zip(preds, target) if q == 1 and t == 1)
        fp = sum(1 for q, t in zip(preds, target) if q == 1 and t != 1)
        fn = sum(1 for q, t in zip(preds, target) if q != 1 and t == 1)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f'held-out spam F1 {f1:.4f} (precision {precision:.4f}, recall {recall:.4f}), accuracy {acc(preds):.4f}, training {seconds:.0f} s')
        result.update({'heldOutF1': f1, 'precision': precision, 'recall': recall, 'heldOutAccuracy': acc(preds), 'trainSeconds': seconds})
    else:
        table = torch.tensor(d['pretrained'], dtype=torch.float32).view(d['vocabSize'], -1)
        accs = {}
        for variant in ['random', 'pretrained', 'frozen']:
            preds, _ = run(d, None if variant == 'random' else table, variant == 'frozen', variant)
            accs[variant] = acc(preds)
            print(f'{variant}: held-out accuracy {accs[variant]:.4f}')
        result['heldOutAccuracy'] = accs
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
