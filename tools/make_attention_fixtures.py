#!/usr/bin/env python3
"""Writes test/fixtures/nn/attention.json: nn.MultiheadAttention, TransformerEncoderLayer / DecoderLayer,
TransformerEncoder / Decoder and Transformer from PyTorch 1.13 with seeded weights, in eval mode with autograd on
(so torch takes its composite path, not the inference fast path). Each case holds the constructor arguments in
shendu's spelling, torch's state dict (in its order), the inputs, the masks (bool or float), the outputs, random
upstream gradients w_k for the loss sum_k sum(out_k * w_k), and the gradients of that loss w.r.t. every input
and parameter. float64 throughout; the TS test (test/nn/attention.test.ts) also runs float32 against these.
Run: /usr/bin/python3 tools/make_attention_fixtures.py
"""
import os

import torch
import torch.nn as nn

from fixtures.common import enc, write_json_atomic

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'nn', 'attention.json')
torch.manual_seed(13)


def short(t):
    """Rounds to 6 decimals, so inputs and weights are stored short and read back exactly."""
    return torch.round(t * 1e6) / 1e6


def rnd(*shape):
    return short(torch.randn(*shape, dtype=torch.float64))


def causal(n):
    return torch.triu(torch.full((n, n), float('-inf'), dtype=torch.float64), diagonal=1)


def pad_mask(n, s, lengths):
    """[n, s] bool, True past each row's length (padding at the end, so no query loses every key)."""
    return torch.arange(s)[None, :] >= torch.tensor(lengths)[:, None]


def mha_call(m, x, masks, opts):
    out, w = m(x['query'], x['key'], x['value'], key_padding_mask=masks.get('keyPaddingMask'),
               attn_mask=masks.get('attnMask'), need_weights=opts.get('needWeights', True),
               average_attn_weights=opts.get('averageAttnWeights', True))
    return [out] if w is None else [out, w]


def enc_layer_call(m, x, masks, opts):
    return [m(x['src'], src_mask=masks.get('srcMask'), src_key_padding_mask=masks.get('srcKeyPaddingMask'))]


def dec_call(m, x, masks, opts):
    return [m(x['tgt'], x['memory'], tgt_mask=masks.get('tgtMask'), memory_mask=masks.get('memoryMask'),
              tgt_key_padding_mask=masks.get('tgtKeyPaddingMask'), memory_key_padding_mask=masks.get('memoryKeyPaddingMask'))]


def encoder_call(m, x, masks, opts):
    return [m(x['src'], mask=masks.get('mask'), src_key_padding_mask=masks.get('srcKeyPaddingMask'))]


def transformer_call(m, x, masks, opts):
    return [m(x['src'], x['tgt'], src_mask=masks.get('srcMask'), tgt_mask=masks.get('tgtMask'),
              src_key_padding_mask=masks.get('srcKeyPaddingMask'), memory_key_padding_mask=masks.get('memoryKeyPaddingMask'))]


def layer_kw(o):
    """torch keyword arguments of a layer from shendu's options."""
    return dict(dim_feedforward=o.get('dimFeedforward', 2048), dropout=o.get('dropout', 0.1), activation=o.get('activation', 'relu'),
                layer_norm_eps=o.get('layerNormEps', 1e-5), batch_first=o.get('batchFirst', False), norm_first=o.get('normFirst', False))


def cases():
    out = []
    # MultiheadAttention
    q, k, v = rnd(4, 3, 8), rnd(5, 3, 8), rnd(5, 3, 8)
    out.append(dict(name='MHA/seq-first', cls='MultiheadAttention', args=[8, 2], make=lambda: nn.MultiheadAttention(8, 2),
                    inputs=dict(query=q, key=k, value=v), masks={}, opts={}, call=mha_call))
    q, k = rnd(3, 4, 8), rnd(3, 5, 8)
    out.append(dict(name='MHA/batch-first-bool-masks-per-head', cls='MultiheadAttention', args=[8, 4, {'batchFirst': True, 'dropout': 0.2}],
                    make=lambda: nn.MultiheadAttention(8, 4, batch_first=True, dropout=0.2),
                    inputs=dict(query=q, key=k, value=k.clone()),
                    masks=dict(attnMask=torch.rand(4, 5) < 0.3, keyPaddingMask=pad_mask(3, 5, [5, 3, 4])),
                    opts=dict(averageAttnWeights=False), call=mha_call))
    q, k, v = rnd(4, 2, 6), rnd(3, 2, 5), rnd(3, 2, 7)
    float_mask = rnd(2 * 3, 4, 3)
    out.append(dict(name='MHA/kdim-vdim-float-3d-mask', cls='MultiheadAttention', args=[6, 3, {'kdim': 5, 'vdim': 7}],
                    make=lambda: nn.MultiheadAttention(6, 3, kdim=5, vdim=7),
                    inputs=dict(query=q, key=k, value=v), masks=dict(attnMask=float_mask), opts={}, call=mha_call))
    x = rnd(5, 4)
    out.append(dict(name='MHA/unbatched-no-bias-causal-no-weights', cls='MultiheadAttention', args=[4, 2, {'bias': False}],
                    make=lambda: nn.MultiheadAttention(4, 2, bias=False),
                    inputs=dict(query=x, key=x.clone(), value=x.clone()), masks=dict(attnMask=causal(5)),
                    opts=dict(needWeights=False), call=mha_call))
    x = rnd(4, 6)
    out.append(dict(name='MHA/unbatched-key-padding', cls='MultiheadAttention', args=[6, 2],
                    make=lambda: nn.MultiheadAttention(6, 2),
                    inputs=dict(query=rnd(3, 6), key=x, value=x.clone()), masks=dict(keyPaddingMask=torch.tensor([False, False, True, False])),
                    opts={}, call=mha_call))
    q, k = rnd(3, 2, 6), rnd(4, 2, 6)
    out.append(dict(name='MHA/bias-kv-zero-attn-masks', cls='MultiheadAttention', args=[6, 2, {'addBiasKv': True, 'addZeroAttn': True}],
                    make=lambda: nn.MultiheadAttention(6, 2, add_bias_kv=True, add_zero_attn=True),
                    inputs=dict(query=q, key=k, value=k.clone()),
                    masks=dict(attnMask=torch.rand(3, 4) < 0.3, keyPaddingMask=pad_mask(2, 4, [4, 2])), opts={}, call=mha_call))
    q = rnd(2, 3, 4)
    out.append(dict(name='MHA/bias-kv-batch-first-float-mask', cls='MultiheadAttention', args=[4, 2, {'addBiasKv': True, 'batchFirst': True}],
                    make=lambda: nn.MultiheadAttention(4, 2, add_bias_kv=True, batch_first=True),
                    inputs=dict(query=q, key=q.clone(), value=q.clone()), masks=dict(attnMask=causal(3)), opts={}, call=mha_call))
    # encoder and decoder layers
    o = dict(dimFeedforward=16, dropout=0.1)
    out.append(dict(name='EncoderLayer/post-norm-relu-masks', cls='TransformerEncoderLayer', args=[8, 2, o],
                    make=lambda: nn.TransformerEncoderLayer(8, 2, **layer_kw(o)),
                    inputs=dict(src=rnd(5, 3, 8)), masks=dict(srcMask=causal(5), srcKeyPaddingMask=pad_mask(3, 5, [5, 4, 2])), opts={}, call=enc_layer_call))
    o2 = dict(dimFeedforward=12, dropout=0.1, activation='gelu', normFirst=True, batchFirst=True, layerNormEps=1e-3)
    out.append(dict(name='EncoderLayer/pre-norm-gelu-batch-first', cls='TransformerEncoderLayer', args=[6, 3, o2],
                    make=lambda: nn.TransformerEncoderLayer(6, 3, **layer_kw(o2)),
                    inputs=dict(src=rnd(2, 4, 6)), masks={}, opts={}, call=enc_layer_call))
    out.append(dict(name='DecoderLayer/post-norm-relu-masks', cls='TransformerDecoderLayer', args=[8, 2, o],
                    make=lambda: nn.TransformerDecoderLayer(8, 2, **layer_kw(o)),
                    inputs=dict(tgt=rnd(4, 2, 8), memory=rnd(6, 2, 8)),
                    masks=dict(tgtMask=causal(4), memoryKeyPaddingMask=pad_mask(2, 6, [6, 3]), tgtKeyPaddingMask=pad_mask(2, 4, [4, 3])),
                    opts={}, call=dec_call))
    out.append(dict(name='DecoderLayer/pre-norm-gelu-batch-first-memory-mask', cls='TransformerDecoderLayer', args=[6, 3, o2],
                    make=lambda: nn.TransformerDecoderLayer(6, 3, **layer_kw(o2)),
                    inputs=dict(tgt=rnd(2, 3, 6), memory=rnd(2, 5, 6)), masks=dict(memoryMask=torch.rand(3, 5) < 0.3), opts={}, call=dec_call))
    # stacks
    o3 = dict(dimFeedforward=8, dropout=0.1)
    out.append(dict(name='TransformerEncoder/2-layers-norm', cls='TransformerEncoder', args=[4, 2, o3], numLayers=2, norm=True,
                    make=lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, **layer_kw(o3)), 2, norm=nn.LayerNorm(4), enable_nested_tensor=False),
                    inputs=dict(src=rnd(5, 2, 4)), masks=dict(mask=causal(5), srcKeyPaddingMask=pad_mask(2, 5, [5, 3])), opts={}, call=encoder_call))
    out.append(dict(name='TransformerDecoder/2-layers', cls='TransformerDecoder', args=[6, 3, o2], numLayers=2, norm=False,
                    make=lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(6, 3, **layer_kw(o2)), 2),
                    inputs=dict(tgt=rnd(2, 4, 6), memory=rnd(2, 3, 6)), masks=dict(tgtMask=causal(4)), opts={}, call=dec_call))
    ot = dict(dModel=4, nhead=2, numEncoderLayers=2, numDecoderLayers=1, dimFeedforward=8, dropout=0.1)
    out.append(dict(name='Transformer/small', cls='Transformer', args=[ot],
                    make=lambda: nn.Transformer(4, 2, 2, 1, 8, 0.1),
                    inputs=dict(src=rnd(5, 2, 4), tgt=rnd(4, 2, 4)),
                    masks=dict(tgtMask=causal(4), srcKeyPaddingMask=pad_mask(2, 5, [5, 4]), memoryKeyPaddingMask=pad_mask(2, 5, [5, 4])),
                    opts={}, call=transformer_call))
    return out


def run(c):
    m = c['make']().double().eval()
    # non-trivial biases and norms (torch starts them at 0 and 1)
    with torch.no_grad():
        for name, p in m.named_parameters():
            if 'bias' in name or 'norm' in name:
                p.add_(0.1 * torch.randn_like(p))
            p.copy_(short(p))
    state = m.state_dict()
    x = {k: t.clone().requires_grad_(True) for k, t in c['inputs'].items()}
    outs = c['call'](m, x, c['masks'], c['opts'])
    ws = [torch.randn_like(o) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, ws))
    params = dict(m.named_parameters())
    grads = torch.autograd.grad(loss, list(x.values()) + list(params.values()), allow_unused=True)
    gi = grads[:len(x)]
    gp = grads[len(x):]
    return dict(
        name=c['name'], cls=c['cls'], args=c['args'], numLayers=c.get('numLayers'), norm=c.get('norm'),
        stateKeys=list(state.keys()), state={k: enc(v) for k, v in state.items()},
        inputs=[[k, enc(v)] for k, v in c['inputs'].items()], masks={k: enc(v) for k, v in c['masks'].items()}, opts=c['opts'],
        outputs=[enc(o) for o in outs], gradOutputs=[enc(w) for w in ws],
        inputGrads=[enc(g if g is not None else torch.zeros_like(t)) for g, t in zip(gi, c['inputs'].values())],
        paramGrads={k: enc(g if g is not None else torch.zeros_like(p)) for (k, p), g in zip(params.items(), gp)})


def main():
    out = [run(c) for c in cases()]
    write_json_atomic(OUT, {'cases': out})
    print(f'wrote {len(out)} cases to {OUT}')


if __name__ == '__main__':
    main()
