#!/usr/bin/env python3
"""Writes test/fixtures/nn/packed.json: torch.nn.utils.rnn packing and LSTM/GRU/RNN over PackedSequences.

`pack` cases: a padded input and lengths -> pack_padded_sequence's data, batch_sizes, sorted/unsorted indices,
pad_packed_sequence's output (with padding_value and total_length) and the gradient of sum(data * w) w.r.t. the
padded input. `rnn` cases: a layer's state dict, a padded input packed with the given lengths (enforce_sorted as
given), an optional initial state; the packed output's data, h_n (c_n), and the gradients of
sum(out.data * w0) + sum(h_n * w1) (+ sum(c_n * w2)) w.r.t. the padded input, the initial state and every parameter.
float64 throughout (the TS test checks float32 too, with looser tolerances).
Run: /usr/bin/python3 tools/make_packed_fixtures.py
"""
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixtures.common import enc, write_json_atomic

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'nn', 'packed.json')


def enc_int(t):
    return None if t is None else [int(v) for v in t.tolist()]


def pack_case(name, shape, lengths, batch_first=False, enforce_sorted=True, padding_value=0.0, total_length=None):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    p = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    padded, out_lengths = pad_packed_sequence(p, batch_first=batch_first, padding_value=padding_value, total_length=total_length)
    w = torch.randn(p.data.shape, dtype=torch.float64)
    (g,) = torch.autograd.grad((p.data * w).sum(), [x])
    return {
        'name': name, 'input': enc(x), 'lengths': lengths, 'batchFirst': batch_first, 'enforceSorted': enforce_sorted,
        'paddingValue': padding_value, 'totalLength': total_length,
        'data': enc(p.data), 'batchSizes': enc_int(p.batch_sizes), 'sortedIndices': enc_int(p.sorted_indices),
        'unsortedIndices': enc_int(p.unsorted_indices), 'padded': enc(padded), 'paddedLengths': enc_int(out_lengths),
        'gradWeight': enc(w), 'inputGrad': enc(g),
    }


def rnn_case(name, make, cls, args, shape, lengths, batch_first=False, enforce_sorted=True, with_state=False):
    layer = make().double()
    named = list(layer.named_parameters())
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    n = len(lengths)
    layers = layer.num_layers * (2 if layer.bidirectional else 1)
    states = []
    if with_state:
        states = [torch.randn([layers, n, layer.hidden_size], dtype=torch.float64, requires_grad=True) for _ in range(2 if cls == 'LSTM' else 1)]
    p = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    if cls == 'LSTM':
        out, (h, c) = layer(p, tuple(states) if states else None)
        finals = [h, c]
    else:
        out, h = layer(p, states[0] if states else None)
        finals = [h]
    outs = [out.data] + finals
    weights = [torch.randn(o.shape, dtype=torch.float64) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights))
    grads = torch.autograd.grad(loss, [x] + states + [q for _, q in named])
    return {
        'name': name, 'cls': cls, 'args': args, 'lengths': lengths, 'batchFirst': batch_first, 'enforceSorted': enforce_sorted,
        'state': {k: enc(v) for k, v in layer.state_dict().items()},
        'input': enc(x), 'initialState': [enc(s) for s in states] if states else None,
        'outputs': [enc(o) for o in outs], 'batchSizes': enc_int(out.batch_sizes),
        'gradOutputs': [enc(w) for w in weights], 'inputGrad': enc(grads[0]),
        'stateGrads': [enc(g) for g in grads[1:1 + len(states)]],
        'paramGrads': {k: enc(g) for (k, _), g in zip(named, grads[1 + len(states):])},
    }


def main():
    torch.manual_seed(0)
    packs = [
        pack_case('sorted', [5, 4, 3], [5, 3, 3, 1]),
        pack_case('batch-first-total-length', [3, 4, 2], [4, 4, 2], batch_first=True, padding_value=-1.5, total_length=6),
        pack_case('unsorted', [5, 4, 2], [2, 5, 1, 3], enforce_sorted=False, padding_value=7.0),
        pack_case('unsorted-batch-first-1d-features', [4, 3, 1], [1, 3, 2, 2], batch_first=True, enforce_sorted=False),
    ]
    rnns = [
        rnn_case('LSTM/sorted', lambda: nn.LSTM(3, 4), 'LSTM', [3, 4], [5, 3, 3], [5, 3, 1]),
        rnn_case('LSTM/2-layer-bidirectional-unsorted-state', lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True), 'LSTM',
                 [3, 4, {'numLayers': 2, 'bidirectional': True}], [5, 4, 3], [2, 5, 1, 4], enforce_sorted=False, with_state=True),
        rnn_case('GRU/bidirectional-batch-first-unsorted-state', lambda: nn.GRU(3, 4, bidirectional=True, batch_first=True), 'GRU',
                 [3, 4, {'bidirectional': True, 'batchFirst': True}], [4, 6, 3], [3, 6, 2, 5], batch_first=True, enforce_sorted=False, with_state=True),
        rnn_case('GRU/2-layer-sorted', lambda: nn.GRU(2, 3, num_layers=2), 'GRU', [2, 3, {'numLayers': 2}], [4, 3, 2], [4, 2, 2]),
        rnn_case('RNN/tanh-2-layer-unsorted', lambda: nn.RNN(3, 4, num_layers=2), 'RNN', [3, 4, {'numLayers': 2}], [5, 3, 3], [1, 5, 3], enforce_sorted=False),
        rnn_case('RNN/relu-bidirectional-state', lambda: nn.RNN(2, 3, nonlinearity='relu', bidirectional=True), 'RNN',
                 [2, 3, {'nonlinearity': 'relu', 'bidirectional': True}], [4, 3, 2], [4, 4, 2], with_state=True),
        rnn_case('LSTM/no-bias-equal-lengths', lambda: nn.LSTM(2, 3, bias=False), 'LSTM', [2, 3, {'bias': False}], [3, 2, 2], [3, 3]),
    ]
    data = {'generator': 'tools/make_packed_fixtures.py', 'torch': torch.__version__, 'pack': packs, 'rnn': rnns}
    write_json_atomic(OUT, data)
    print(f'{OUT}: {len(packs)} pack cases, {len(rnns)} rnn cases')


if __name__ == '__main__':
    main()
