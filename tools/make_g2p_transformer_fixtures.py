#!/usr/bin/env python3
"""Writes test/fixtures/models/g2p_transformer.json: one forward pass of the whole Transformer G2P in PyTorch 1.13
(bench/torch_g2p_transformer.py, the twin of shendu's G2PTransformer) with seeded weights, in eval mode with autograd
on (so torch takes its composite path, not the inference fast path), for a padded batch of three words and padded
decoder inputs; once with sinusoidal and once with learned positions. Each case holds the options in shendu's
spelling, the state dict, the inputs, the logits [B, Lt, V] (float32) and the greedy decoding of the batch.
Run: /usr/bin/python3 tools/make_g2p_transformer_fixtures.py
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'bench'))
from fixture_json import write_json_atomic  # noqa: E402
from torch_g2p_transformer import G2PTransformer  # noqa: E402

OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'models', 'g2p_transformer.json')


def enc(t, digits=6):
    t = t.detach()
    dtype = {torch.float32: 'float32', torch.int64: 'int32', torch.bool: 'bool'}[t.dtype]
    flat = t.reshape(-1).tolist()
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [int(v) for v in flat] if dtype != 'float32' else [round(v, digits) for v in flat]}


def case(name, positions, seed):
    torch.manual_seed(seed)
    opts = dict(numLetters=9, numClasses=8, dModel=8, nhead=2, numEncoderLayers=2, numDecoderLayers=2, dimFeedforward=16,
                dropout=0.0, positions=positions, maxPositions=12, maxLength=6)
    m = G2PTransformer(9, 8, 8, 2, 2, 2, 16, 0.0, positions, 12, False, 6).eval()
    with torch.no_grad():
        for p in m.parameters():  # LayerNorm weights and biases off 1 and 0, so a swapped norm shows
            if p.dim() == 1:
                p.add_(0.1 * torch.randn_like(p))
            # 4 decimals, so the JSON is short and the float32 weights read back exactly (k / 1e4 is correctly rounded)
            p.copy_(torch.round(p * 1e4) / 1e4)
    lengths = [5, 3, 1]
    src = torch.tensor([[3, 4, 5, 6, 7], [8, 1, 2, 0, 0], [5, 0, 0, 0, 0]])
    tgt_in = torch.tensor([[1, 3, 4, 5], [1, 6, 0, 0], [1, 7, 3, 0]])
    logits = m(src, lengths, tgt_in)
    decoded = m.decode(src, lengths)
    return {'name': name, 'options': opts, 'stateKeys': list(m.state_dict().keys()),
            'state': {k: enc(v, 4) for k, v in m.state_dict().items()}, 'source': enc(src), 'sourceLengths': lengths,
            'targetIn': enc(tgt_in), 'logits': enc(logits), 'decoded': decoded}


def main():
    cases = [case('sinusoidal positions', 'sinusoidal', 1), case('learned positions', 'learned', 2)]
    write_json_atomic(OUT, {'torch': torch.__version__, 'cases': cases})
    print(f'wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
