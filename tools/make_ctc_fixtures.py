#!/usr/bin/env python3
"""Writes test/fixtures/nn/ctc.json: torch.nn.functional.ctc_loss on seeded logits, for padded and concatenated
targets, every reduction, repeated labels, empty targets, impossible alignments with and without zero_infinity,
a blank that is not 0, and an unbatched input. Each case holds the logits [T, N, C] (the loss is taken of
log_softmax(logits, -1), so gradients are compared w.r.t. the logits, where shendu's exact gradient and PyTorch's
agree), the loss and the logits' gradient for an upstream gradient `gradOut`, in float64 and in float32 (torch
computing in that dtype), and PyTorch's raw gradient w.r.t. the log-probabilities (float64), which differs from
the exact one by exp(logProbs) * gradOut on the frames used.
Run: /usr/bin/python3 tools/make_ctc_fixtures.py
"""
import os

import torch
import torch.nn.functional as F

from fixtures.common import enc, write_json_atomic

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'nn', 'ctc.json')


def padded(seqs, width):
    return [s + [1] * (width - len(s)) for s in seqs]


def case(name, T, C, seqs, input_lengths, layout='padded', blank=0, reduction='mean', zero_infinity=False, unbatched=False):
    return dict(name=name, T=T, C=C, seqs=seqs, input_lengths=input_lengths, layout=layout, blank=blank,
                reduction=reduction, zero_infinity=zero_infinity, unbatched=unbatched)


CASES = [
    case('padded/mean', 12, 5, [[1, 2, 3, 4], [2, 4], [3, 1, 2]], [12, 10, 8]),
    case('concatenated/sum', 10, 6, [[1, 5, 2], [4], [3, 3, 1, 2]], [10, 7, 9], layout='concat', reduction='sum'),
    case('repeated-labels/none', 9, 4, [[1, 1, 2, 2], [3, 3, 3], [2, 1, 2]], [9, 9, 6], reduction='none'),
    case('empty-target/mean', 8, 5, [[2, 3], [], [4]], [8, 5, 3]),
    case('impossible/none', 6, 4, [[1, 1, 1], [2, 3], [1, 2, 3, 1]], [4, 6, 3], reduction='none'),
    case('impossible/zero-infinity/mean', 6, 4, [[1, 1, 1], [2, 3], [1, 2, 3, 1]], [4, 6, 3], zero_infinity=True),
    case('impossible/zero-infinity/sum-concat', 5, 4, [[2, 2], [1, 2, 3]], [2, 5], layout='concat', reduction='sum', zero_infinity=True),
    case('blank-last/mean', 11, 6, [[0, 1, 4, 4], [3, 0], [2, 2, 0, 1, 3]], [11, 9, 11], blank=5),
    case('blank-middle/none-concat', 7, 5, [[0, 4], [1, 1], [4, 0, 3]], [7, 5, 6], layout='concat', blank=2, reduction='none'),
    case('unbatched/mean', 10, 5, [[1, 3, 3, 2]], [10], unbatched=True),
    case('unbatched/none', 6, 4, [[2, 1]], [5], unbatched=True, reduction='none'),
    case('long/mean', 50, 8, [[1, 2, 3, 4, 5, 6, 7, 1, 2, 3], [7, 7, 6], [4] * 6, [2, 5, 2, 5, 2]], [50, 41, 33, 20]),
]


def run(c, dtype):
    g = torch.Generator().manual_seed(sum(map(ord, c['name'])))
    N = len(c['seqs'])
    logits64 = torch.randn(c['T'], N, c['C'], dtype=torch.float64, generator=g)
    logits = logits64.to(dtype).requires_grad_(True)
    lens = [len(s) for s in c['seqs']]
    if c['layout'] == 'padded':
        width = max(max(lens), 1)
        targets = torch.tensor(padded(c['seqs'], width), dtype=torch.long)
    else:
        targets = torch.tensor([x for s in c['seqs'] for x in s], dtype=torch.long)
    il = torch.tensor(c['input_lengths'], dtype=torch.long)
    tl = torch.tensor(lens, dtype=torch.long)
    lp_in = logits
    if c['unbatched']:
        lp_in = logits[:, 0]
        targets = targets.reshape(-1)
        il, tl = il[0], tl[0]
    lp = F.log_softmax(lp_in, -1)
    lp.retain_grad()
    loss = F.ctc_loss(lp, targets, il, tl, blank=c['blank'], reduction=c['reduction'], zero_infinity=c['zero_infinity'])
    gout = torch.randn(loss.shape, dtype=torch.float64, generator=g).to(dtype)
    loss.backward(gout)
    return logits64, targets, loss, gout, logits.grad, lp.grad


def main():
    out = []
    for c in CASES:
        logits, targets, loss64, gout, grad64, raw64 = run(c, torch.float64)
        _, _, loss32, _, grad32, _ = run(c, torch.float32)
        out.append(dict(
            name=c['name'], blank=c['blank'], reduction=c['reduction'], zeroInfinity=c['zero_infinity'],
            unbatched=c['unbatched'], layout=c['layout'], inputLengths=c['input_lengths'],
            targetLengths=[len(s) for s in c['seqs']], logits=enc(logits), targets=enc(targets.to(torch.int32)),
            gradOut=enc(gout), loss64=enc(loss64), grad64=enc(grad64), loss32=enc(loss32), grad32=enc(grad32),
            rawGrad64=enc(raw64)))
    write_json_atomic(OUT, {'cases': out})
    print(f'wrote {len(out)} cases to {OUT}')


if __name__ == '__main__':
    main()
