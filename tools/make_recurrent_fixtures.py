#!/usr/bin/env python3
"""Writes test/fixtures/nn/recurrent.json: for each recurrent layer or cell config, PyTorch's parameters (its
state dict, in order), an input, an optional initial state, the outputs in the order shendu returns them
(LSTM: output, h_n, c_n; GRU/RNN: output, h_n; LSTMCell: h, c; GRUCell/RNNCell: h), random weights w_k for the
loss sum_k sum(out_k * w_k) (the upstream gradients), and the gradients of that loss w.r.t. the input, each
initial-state tensor and every parameter. float64 throughout. The TS test (test/nn/recurrent.test.ts) builds
the layer from `cls` and `args`, loads the state dict and compares.
Run: /usr/bin/python3 tools/make_recurrent_fixtures.py
"""
import os

import torch
import torch.nn as nn

from fixtures.common import enc, write_json_atomic

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'nn', 'recurrent.json')


def case(name, make, cls, args, in_shape, state_shapes=None):
    """state_shapes: None (no initial state), or a list of shapes ([h] for GRU/RNN/cells, [h, c] for LSTM)."""
    return dict(name=name, make=make, cls=cls, args=args, in_shape=in_shape, state_shapes=state_shapes)


CASES = [
    case('LSTM/1-layer', lambda: nn.LSTM(5, 4), 'LSTM', [5, 4], [6, 3, 5]),
    case('LSTM/2-layer-state', lambda: nn.LSTM(5, 4, num_layers=2), 'LSTM', [5, 4, {'numLayers': 2}], [5, 2, 5], [[2, 2, 4], [2, 2, 4]]),
    case('LSTM/batch-first', lambda: nn.LSTM(3, 4, batch_first=True), 'LSTM', [3, 4, {'batchFirst': True}], [2, 5, 3]),
    case('LSTM/bidirectional-2-layer-state', lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True), 'LSTM',
         [3, 4, {'numLayers': 2, 'bidirectional': True}], [4, 2, 3], [[4, 2, 4], [4, 2, 4]]),
    case('LSTM/bidirectional-batch-first', lambda: nn.LSTM(3, 2, bidirectional=True, batch_first=True), 'LSTM',
         [3, 2, {'bidirectional': True, 'batchFirst': True}], [3, 4, 3]),
    case('LSTM/unbatched-state', lambda: nn.LSTM(3, 4), 'LSTM', [3, 4], [5, 3], [[1, 4], [1, 4]]),
    case('LSTM/unbatched-batch-first-bidirectional', lambda: nn.LSTM(3, 2, bidirectional=True, batch_first=True), 'LSTM',
         [3, 2, {'bidirectional': True, 'batchFirst': True}], [4, 3]),
    case('LSTM/no-bias', lambda: nn.LSTM(3, 4, bias=False), 'LSTM', [3, 4, {'bias': False}], [4, 2, 3], [[1, 2, 4], [1, 2, 4]]),
    case('GRU/1-layer', lambda: nn.GRU(5, 4), 'GRU', [5, 4], [6, 3, 5]),
    case('GRU/2-layer-bidirectional-batch-first-state', lambda: nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True), 'GRU',
         [3, 4, {'numLayers': 2, 'bidirectional': True, 'batchFirst': True}], [2, 5, 3], [[4, 2, 4]]),
    case('GRU/no-bias-state', lambda: nn.GRU(3, 4, bias=False), 'GRU', [3, 4, {'bias': False}], [4, 2, 3], [[1, 2, 4]]),
    case('GRU/unbatched', lambda: nn.GRU(3, 4, num_layers=2), 'GRU', [3, 4, {'numLayers': 2}], [5, 3]),
    case('RNN/tanh-2-layer', lambda: nn.RNN(5, 4, num_layers=2), 'RNN', [5, 4, {'numLayers': 2}], [6, 3, 5]),
    case('RNN/relu-bidirectional-batch-first-state', lambda: nn.RNN(3, 4, nonlinearity='relu', bidirectional=True, batch_first=True), 'RNN',
         [3, 4, {'nonlinearity': 'relu', 'bidirectional': True, 'batchFirst': True}], [2, 5, 3], [[2, 2, 4]]),
    case('RNN/unbatched-state-no-bias', lambda: nn.RNN(3, 4, bias=False), 'RNN', [3, 4, {'bias': False}], [5, 3], [[1, 4]]),
    case('LSTMCell/state', lambda: nn.LSTMCell(5, 4), 'LSTMCell', [5, 4], [3, 5], [[3, 4], [3, 4]]),
    case('LSTMCell/zero-state', lambda: nn.LSTMCell(5, 4), 'LSTMCell', [5, 4], [3, 5]),
    case('LSTMCell/unbatched-state', lambda: nn.LSTMCell(3, 2), 'LSTMCell', [3, 2], [3], [[2], [2]]),
    case('GRUCell/state', lambda: nn.GRUCell(5, 4), 'GRUCell', [5, 4], [3, 5], [[3, 4]]),
    case('GRUCell/zero-state', lambda: nn.GRUCell(5, 4), 'GRUCell', [5, 4], [3, 5]),
    case('GRUCell/unbatched-no-bias', lambda: nn.GRUCell(3, 2, bias=False), 'GRUCell', [3, 2, {'bias': False}], [3], [[2]]),
    case('RNNCell/tanh-state', lambda: nn.RNNCell(5, 4), 'RNNCell', [5, 4], [3, 5], [[3, 4]]),
    case('RNNCell/relu-unbatched', lambda: nn.RNNCell(3, 4, nonlinearity='relu'), 'RNNCell', [3, 4, {'nonlinearity': 'relu'}], [3]),
]


def call(layer, cls, x, states):
    """Runs the torch layer and returns its outputs as a flat list in shendu's order."""
    if cls == 'LSTM':
        out, (h, c) = layer(x, tuple(states) if states else None)
        return [out, h, c]
    if cls in ('GRU', 'RNN'):
        out, h = layer(x, states[0] if states else None)
        return [out, h]
    if cls == 'LSTMCell':
        h, c = layer(x, tuple(states) if states else None)
        return [h, c]
    return [layer(x, states[0] if states else None)]


def run(c):
    layer = c['make']().double()
    named = list(layer.named_parameters())
    state = {k: enc(v) for k, v in layer.state_dict().items()}
    x = torch.randn(c['in_shape'], dtype=torch.float64, requires_grad=True)
    states = [torch.randn(s, dtype=torch.float64, requires_grad=True) for s in (c['state_shapes'] or [])]
    outs = call(layer, c['cls'], x, states)
    weights = [torch.randn(o.shape, dtype=torch.float64) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights))
    grads = torch.autograd.grad(loss, [x] + states + [p for _, p in named])
    return {
        'name': c['name'], 'cls': c['cls'], 'args': c['args'],
        'state': state, 'stateKeys': list(layer.state_dict().keys()),
        'input': enc(x), 'initialState': [enc(s) for s in states] if c['state_shapes'] else None,
        'outputs': [enc(o) for o in outs], 'gradOutputs': [enc(w) for w in weights],
        'inputGrad': enc(grads[0]), 'stateGrads': [enc(g) for g in grads[1:1 + len(states)]],
        'paramGrads': {name: enc(g) for (name, _), g in zip(named, grads[1 + len(states):])},
    }


def main():
    torch.manual_seed(0)
    data = {'generator': 'tools/make_recurrent_fixtures.py', 'torch': torch.__version__, 'cases': [run(c) for c in CASES]}
    names = [c['name'] for c in data['cases']]
    if len(set(names)) != len(names):
        raise ValueError('duplicate case names')
    write_json_atomic(OUT, data)
    print(f'{OUT}: {len(CASES)} cases')


if __name__ == '__main__':
    main()
