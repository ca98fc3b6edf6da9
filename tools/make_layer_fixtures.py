#!/usr/bin/env python3
"""Writes test/fixtures/nn/layers.json: for each layer, PyTorch's parameters and buffers, an input, the output,
and the gradients of input and parameters for a random upstream gradient (plus buffers after the pass, for the
norms' running statistics). The TS test builds the same layer from `ts` (class name and constructor args),
loads the state, and compares. Run: /usr/bin/python3 tools/make_layer_fixtures.py
"""
import os

import torch
import torch.nn as nn

from fixtures.common import enc, write_json_atomic

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'nn', 'layers.json')


def case(name, torch_layer, ts_cls, ts_args, in_shape, train=True, input_kind='normal'):
    return dict(name=name, layer=torch_layer, cls=ts_cls, args=ts_args, in_shape=in_shape, train=train, input_kind=input_kind)


CASES = [
    case('Linear', lambda: nn.Linear(5, 3), 'Linear', [5, 3], [4, 5]),
    case('Linear/no-bias-3d', lambda: nn.Linear(5, 3, bias=False), 'Linear', [5, 3, {'bias': False}], [2, 4, 5]),
    case('Conv2d', lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), 'Conv2d', [3, 4, 3, {'stride': 2, 'padding': 1}], [2, 3, 7, 6]),
    case('Conv2d/groups-dilation', lambda: nn.Conv2d(4, 6, (3, 2), dilation=(1, 2), groups=2, bias=False), 'Conv2d',
         [4, 6, [3, 2], {'dilation': [1, 2], 'groups': 2, 'bias': False}], [1, 4, 6, 7]),
    case('Conv2d/same', lambda: nn.Conv2d(2, 3, 4, padding='same'), 'Conv2d', [2, 3, 4, {'padding': 'same'}], [1, 2, 5, 6]),
    case('Conv1d', lambda: nn.Conv1d(3, 5, 3, stride=2, padding=1), 'Conv1d', [3, 5, 3, {'stride': 2, 'padding': 1}], [2, 3, 9]),
    case('ConvTranspose2d', lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1), 'ConvTranspose2d',
         [4, 2, 3, {'stride': 2, 'padding': 1, 'outputPadding': 1}], [2, 4, 3, 4]),
    case('ConvTranspose1d', lambda: nn.ConvTranspose1d(3, 2, 4, stride=2), 'ConvTranspose1d', [3, 2, 4, {'stride': 2}], [2, 3, 5]),
    case('MaxPool2d', lambda: nn.MaxPool2d(2), 'MaxPool2d', [2], [2, 3, 6, 6]),
    case('MaxPool2d/overlap-ceil', lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), 'MaxPool2d',
         [3, {'stride': 2, 'padding': 1, 'ceilMode': True}], [1, 2, 7, 8]),
    case('MaxPool1d', lambda: nn.MaxPool1d(3, stride=2), 'MaxPool1d', [3, {'stride': 2}], [2, 3, 9]),
    case('AvgPool2d', lambda: nn.AvgPool2d(3, stride=2, padding=1), 'AvgPool2d', [3, {'stride': 2, 'padding': 1}], [2, 2, 7, 6]),
    case('AvgPool1d', lambda: nn.AvgPool1d(2), 'AvgPool1d', [2], [2, 3, 8]),
    case('AdaptiveAvgPool2d', lambda: nn.AdaptiveAvgPool2d((3, 2)), 'AdaptiveAvgPool2d', [[3, 2]], [2, 3, 7, 5]),
    case('AdaptiveMaxPool2d', lambda: nn.AdaptiveMaxPool2d(2), 'AdaptiveMaxPool2d', [2], [2, 3, 5, 6]),
    case('Upsample/nearest', lambda: nn.Upsample(scale_factor=2), 'Upsample', [{'scaleFactor': 2}], [1, 2, 3, 4]),
    case('Upsample/bilinear', lambda: nn.Upsample(size=(5, 7), mode='bilinear', align_corners=True), 'Upsample',
         [{'size': [5, 7], 'mode': 'bilinear', 'alignCorners': True}], [1, 2, 3, 4]),
    case('BatchNorm1d/train', lambda: nn.BatchNorm1d(4), 'BatchNorm1d', [4], [6, 4]),
    case('BatchNorm1d/3d-train', lambda: nn.BatchNorm1d(3, momentum=0.3), 'BatchNorm1d', [3, {'momentum': 0.3}], [4, 3, 5]),
    case('BatchNorm2d/train', lambda: nn.BatchNorm2d(3), 'BatchNorm2d', [3], [4, 3, 3, 2]),
    case('BatchNorm2d/eval', lambda: nn.BatchNorm2d(3), 'BatchNorm2d', [3], [4, 3, 3, 2], train=False),
    case('BatchNorm2d/no-affine', lambda: nn.BatchNorm2d(3, affine=False), 'BatchNorm2d', [3, {'affine': False}], [4, 3, 2, 2]),
    case('LayerNorm', lambda: nn.LayerNorm([3, 4]), 'LayerNorm', [[3, 4]], [2, 3, 4]),
    case('GroupNorm', lambda: nn.GroupNorm(2, 4), 'GroupNorm', [2, 4], [3, 4, 2, 3]),
    case('InstanceNorm2d', lambda: nn.InstanceNorm2d(3), 'InstanceNorm2d', [3], [2, 3, 4, 4]),
    case('InstanceNorm2d/affine-track', lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), 'InstanceNorm2d',
         [3, {'affine': True, 'trackRunningStats': True}], [2, 3, 4, 4]),
    case('LocalResponseNorm', lambda: nn.LocalResponseNorm(3, alpha=0.01, beta=0.75, k=2.0), 'LocalResponseNorm',
         [3, {'alpha': 0.01, 'beta': 0.75, 'k': 2.0}], [2, 5, 3, 3]),
    case('Dropout/eval', lambda: nn.Dropout(0.5), 'Dropout', [0.5], [3, 4], train=False),
    case('Embedding', lambda: nn.Embedding(7, 3, padding_idx=1), 'Embedding', [7, 3, {'paddingIdx': 1}], [2, 5], input_kind='index7'),
    case('Sigmoid', lambda: nn.Sigmoid(), 'Sigmoid', [], [3, 4]),
    case('Tanh', lambda: nn.Tanh(), 'Tanh', [], [3, 4]),
    case('ReLU', lambda: nn.ReLU(), 'ReLU', [], [3, 4]),
    case('LeakyReLU', lambda: nn.LeakyReLU(0.2), 'LeakyReLU', [0.2], [3, 4]),
    case('PReLU', lambda: nn.PReLU(), 'PReLU', [], [3, 4]),
    case('PReLU/channels', lambda: nn.PReLU(3, init=0.1), 'PReLU', [3, {'init': 0.1}], [2, 3, 4]),
    case('ELU', lambda: nn.ELU(0.5), 'ELU', [0.5], [3, 4]),
    case('GELU', lambda: nn.GELU(), 'GELU', [], [3, 4]),
    case('GELU/tanh', lambda: nn.GELU(approximate='tanh'), 'GELU', ['tanh'], [3, 4]),
    case('Softplus', lambda: nn.Softplus(beta=2, threshold=5), 'Softplus', [{'beta': 2, 'threshold': 5}], [3, 4]),
    case('Softmax', lambda: nn.Softmax(dim=1), 'Softmax', [1], [3, 4]),
    case('LogSoftmax', lambda: nn.LogSoftmax(dim=-1), 'LogSoftmax', [-1], [3, 4]),
    case('Flatten', lambda: nn.Flatten(), 'Flatten', [], [2, 3, 4]),
    case('Identity', lambda: nn.Identity(), 'Identity', [], [2, 3]),
    # conv/pool/resample parity (issue 10)
    case('Conv3d', lambda: nn.Conv3d(2, 3, (2, 3, 2), stride=(1, 2, 1), padding=1), 'Conv3d', [2, 3, [2, 3, 2], {'stride': [1, 2, 1], 'padding': 1}], [2, 2, 3, 4, 3]),
    case('Conv3d/groups-same', lambda: nn.Conv3d(4, 2, 2, padding='same', groups=2, bias=False), 'Conv3d', [4, 2, 2, {'padding': 'same', 'groups': 2, 'bias': False}], [1, 4, 3, 3, 3]),
    case('ConvTranspose3d', lambda: nn.ConvTranspose3d(2, 3, 2, stride=2, output_padding=1), 'ConvTranspose3d', [2, 3, 2, {'stride': 2, 'outputPadding': 1}], [1, 2, 2, 3, 2]),
    case('MaxPool3d', lambda: nn.MaxPool3d(2, stride=1, padding=1), 'MaxPool3d', [2, {'stride': 1, 'padding': 1}], [1, 2, 3, 3, 3]),
    case('AvgPool3d', lambda: nn.AvgPool3d(2, ceil_mode=True, count_include_pad=False), 'AvgPool3d', [2, {'ceilMode': True, 'countIncludePad': False}], [1, 2, 3, 5, 4]),
    case('AdaptiveAvgPool1d', lambda: nn.AdaptiveAvgPool1d(3), 'AdaptiveAvgPool1d', [3], [2, 3, 7]),
    case('AdaptiveAvgPool3d', lambda: nn.AdaptiveAvgPool3d((2, None, 3)), 'AdaptiveAvgPool3d', [[2, None, 3]], [1, 2, 3, 4, 5]),
    case('AdaptiveMaxPool1d', lambda: nn.AdaptiveMaxPool1d(3), 'AdaptiveMaxPool1d', [3], [2, 3, 7]),
    case('AdaptiveMaxPool3d', lambda: nn.AdaptiveMaxPool3d(2), 'AdaptiveMaxPool3d', [2], [1, 2, 3, 5, 4]),
    case('LPPool1d', lambda: nn.LPPool1d(2, 3, stride=2), 'LPPool1d', [2, 3, {'stride': 2}], [2, 3, 8]),
    case('LPPool2d', lambda: nn.LPPool2d(2, (2, 3)), 'LPPool2d', [2, [2, 3]], [1, 2, 4, 6]),
    case('Unfold', lambda: nn.Unfold(2, padding=1, stride=2), 'Unfold', [2, {'padding': 1, 'stride': 2}], [2, 3, 4, 5]),
    case('Fold', lambda: nn.Fold((4, 5), 2, padding=1, stride=2), 'Fold', [[4, 5], 2, {'padding': 1, 'stride': 2}], [2, 12, 9]),
    case('Upsample/bicubic', lambda: nn.Upsample(scale_factor=1.5, mode='bicubic'), 'Upsample', [{'scaleFactor': 1.5, 'mode': 'bicubic'}], [1, 2, 3, 4]),
    case('Upsample/trilinear', lambda: nn.Upsample(size=(3, 4, 5), mode='trilinear', align_corners=True), 'Upsample',
         [{'size': [3, 4, 5], 'mode': 'trilinear', 'alignCorners': True}], [1, 2, 2, 3, 3]),
    case('UpsamplingNearest2d', lambda: nn.UpsamplingNearest2d(scale_factor=1.5), 'UpsamplingNearest2d', [{'scaleFactor': 1.5}], [1, 2, 3, 4]),
    case('UpsamplingBilinear2d', lambda: nn.UpsamplingBilinear2d(size=(5, 3)), 'UpsamplingBilinear2d', [{'size': [5, 3]}], [1, 2, 3, 4]),
    # issue 10 (appended, so the cases above keep their random draws)
    case('EmbeddingBag/sum-padding', lambda: nn.EmbeddingBag(7, 3, mode='sum', padding_idx=1), 'EmbeddingBag',
         [7, 3, {'mode': 'sum', 'paddingIdx': 1}], [2, 5], input_kind='index7'),
    case('EmbeddingBag/max', lambda: nn.EmbeddingBag(7, 4, mode='max'), 'EmbeddingBag', [7, 4, {'mode': 'max'}], [3, 4], input_kind='index7'),
    case('PixelShuffle', lambda: nn.PixelShuffle(2), 'PixelShuffle', [2], [2, 8, 2, 3]),
    case('PixelUnshuffle', lambda: nn.PixelUnshuffle(2), 'PixelUnshuffle', [2], [2, 1, 4, 6]),
    case('Dropout1d/eval', lambda: nn.Dropout1d(0.5), 'Dropout1d', [0.5], [2, 3, 4], train=False),
    case('Dropout3d/eval', lambda: nn.Dropout3d(0.5), 'Dropout3d', [0.5], [1, 2, 2, 2, 2], train=False),
    case('AlphaDropout/eval', lambda: nn.AlphaDropout(0.5), 'AlphaDropout', [0.5], [3, 4], train=False),
    case('FeatureAlphaDropout/eval', lambda: nn.FeatureAlphaDropout(0.5), 'FeatureAlphaDropout', [0.5], [2, 3, 4], train=False),
]


def run(c):
    layer = c['layer']().double()
    # make parameters non-trivial (e.g. norms start at ones/zeros) so they are really tested
    with torch.no_grad():
        for name, p in layer.named_parameters():
            if c['cls'] not in ('PReLU',):
                p.add_(torch.randn_like(p) * 0.1)
    state = {k: enc(v) for k, v in layer.state_dict().items()}
    layer.train(c['train'])
    if c['input_kind'] == 'index7':
        x = torch.randint(0, 7, c['in_shape'])
        x[0, 0] = 1
        xin = x
    else:
        x = torch.randn(c['in_shape'], dtype=torch.float64, requires_grad=True)
        xin = x
    out = layer(xin)
    g = torch.randn(out.shape, dtype=torch.float64)
    params = [p for _, p in layer.named_parameters()]
    wrt = ([x] if x.is_floating_point() else []) + params
    grads = torch.autograd.grad(out, wrt, g, allow_unused=True) if wrt else []
    grads = list(grads)
    input_grad = grads.pop(0) if x.is_floating_point() else None
    param_grads = {name: enc(gr if gr is not None else torch.zeros_like(p)) for (name, p), gr in zip(layer.named_parameters(), grads)}
    return {
        'name': c['name'], 'cls': c['cls'], 'args': c['args'], 'train': c['train'],
        'state': state, 'input': enc(x), 'output': enc(out), 'gradOutput': enc(g),
        'inputGrad': enc(input_grad), 'paramGrads': param_grads,
        'stateAfter': {k: enc(v) for k, v in layer.state_dict().items()},
    }


def main():
    torch.manual_seed(0)
    data = {'generator': 'tools/make_layer_fixtures.py', 'torch': torch.__version__, 'cases': [run(c) for c in CASES]}
    write_json_atomic(OUT, data)
    print(f'{OUT}: {len(CASES)} cases')


if __name__ == '__main__':
    main()
