#!/usr/bin/env python3
"""Writes test/fixtures/models/zoo.json: for each model of the vision zoo, torchvision's (or, for the CIFAR nets
torchvision lacks, a PyTorch twin's) parameter count, a hash of its state-dict keys and shapes, and its float32
logits in eval mode for one input, with every parameter and buffer filled by a formula of its key and index that
the TS test reproduces bit for bit (test/models/zoo-weights.ts) - so no weight file is committed. Also the
conv + linear multiply-adds at 224x224 of the models whose figures torchvision publishes.
And test/fixtures/models/resnet20.safetensors: a PyTorch-initialized ResNet-20's state dict as a file (float16).
Run: /usr/bin/python3 tools/make_zoo_fixtures.py (all; about 8 minutes), with `safetensors` for that file only, or
with case names (e.g. googlenet/published) to regenerate those cases only.
"""
import hashlib
import math
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm
from torchvision.models.densenet import _DenseBlock, _Transition
from torchvision.models.resnet import BasicBlock
from torchvision.models.vgg import cfgs as vgg_cfgs, make_layers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import write_json_atomic  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models', 'zoo.json')
M32 = np.uint64(0xFFFFFFFF)


def fnv1a(key):
    h = 0x811C9DC5
    for c in key.encode():
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h


def uniform01(key, n):
    """u[i] in [0, 1): a murmur3-style mix of i and the key's FNV-1a hash (uint32 arithmetic, as Math.imul)."""
    out = np.empty(n, dtype=np.float64)
    seed = np.uint64(fnv1a(key))
    for start in range(0, n, 1 << 22):
        x = np.arange(start, min(n, start + (1 << 22)), dtype=np.uint64)
        x = (x * np.uint64(0x9E3779B1) + seed) & M32
        x ^= x >> np.uint64(16)
        x = (x * np.uint64(0x85EBCA6B)) & M32
        x ^= x >> np.uint64(13)
        x = (x * np.uint64(0xC2B2AE35)) & M32
        x ^= x >> np.uint64(16)
        out[start:start + len(x)] = x.astype(np.float64) / 4294967296.0
    return out


def formula(key, shape):
    """The value of state-dict entry `key` of `shape` (float64, rounded to float32 by the caller)."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniform01(key, n)
    if len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        v = (2 * u - 1) * math.sqrt(6 / fan_in)
    elif key.endswith('running_var'):
        v = 0.5 + u
    elif key.endswith('running_mean'):
        v = (2 * u - 1) * 0.1
    elif key.endswith('weight'):
        v = 0.8 + 0.4 * u
    else:
        v = (2 * u - 1) * 0.1
    return v.reshape(shape)


def fill(model):
    with torch.no_grad():
        for k, t in model.state_dict().items():
            if k.endswith('num_batches_tracked'):
                continue
            t.copy_(torch.from_numpy(formula(k, list(t.shape))).to(t.dtype))


def keys_hash(model):
    lines = sorted(f"{k}:{'x'.join(str(s) for s in t.shape)}" for k, t in model.state_dict().items())
    return hashlib.sha256('\n'.join(lines).encode()).hexdigest(), len(lines)


def mult_adds(model, size):
    """Conv and linear multiply-adds of one [1, 3, size, size] forward, as torchvision's GFLOPS figures count."""
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            total[0] += out.numel() * m.weight[0].numel()
        elif isinstance(m, nn.Linear):
            total[0] += out.numel() // m.out_features * m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in hs:
        h.remove()
    return total[0]


# --- PyTorch twins of the CIFAR nets (He et al. 2016 sec. 4.2; DenseNet-BC; VGG with BN), named as shendu's ---

class ZeroPadShortcut(nn.Module):
    def __init__(self, in_c, out_c, stride):
        super().__init__()
        self.in_c, self.out_c, self.stride = in_c, out_c, stride

    def forward(self, x):
        y = x[:, :, ::self.stride, ::self.stride]
        extra = self.out_c - self.in_c
        return F.pad(y, (0, 0, 0, 0, extra // 2, extra - extra // 2))


class PlainBlock(BasicBlock):
    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


class CifarResNet(nn.Module):
    def __init__(self, depth, plain=False, shortcut='A', num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()

        def stage(in_c, out_c, stride):
            blocks = []
            for i in range(n):
                bi, s = (in_c, stride) if i == 0 else (out_c, 1)
                if plain:
                    blocks.append(PlainBlock(bi, out_c, s))
                    continue
                down = None
                if s != 1 or bi != out_c:
                    down = ZeroPadShortcut(bi, out_c, s) if shortcut == 'A' else nn.Sequential(
                        nn.Conv2d(bi, out_c, 1, stride=s, bias=False), nn.BatchNorm2d(out_c))
                blocks.append(BasicBlock(bi, out_c, s, down))
            return nn.Sequential(*blocks)

        self.layer1 = stage(16, 16, 1)
        self.layer2 = stage(16, 32, 2)
        self.layer3 = stage(32, 64, 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        y = self.layer3(self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x))))))
        return self.fc(torch.flatten(self.avgpool(y), 1))


class CifarVGG(nn.Module):
    def __init__(self, cfg='D', num_classes=10):
        super().__init__()
        self.features = make_layers(vgg_cfgs[cfg], batch_norm=True)
        self.classifier = nn.Linear(512, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class DenseNetBC(nn.Module):
    def __init__(self, depth=100, growth_rate=12, num_classes=10):
        super().__init__()
        n = (depth - 4) // 6
        f = 2 * growth_rate
        self.features = nn.Sequential(OrderedDict([('conv0', nn.Conv2d(3, f, 3, padding=1, bias=False))]))
        for i in range(3):
            self.features.add_module(f'denseblock{i + 1}', _DenseBlock(n, f, 4, growth_rate, 0))
            f += n * growth_rate
            if i < 2:
                self.features.add_module(f'transition{i + 1}', _Transition(f, f // 2))
                f //= 2
        self.features.add_module('norm5', nn.BatchNorm2d(f))
        self.classifier = nn.Linear(f, num_classes)

    def forward(self, x):
        y = F.adaptive_avg_pool2d(F.relu(self.features(x)), 1)
        return self.classifier(torch.flatten(y, 1))


# name, shendu options, builder, input size of the logits check
IMAGENET = [
    ('alexnet', {}, lambda: tvm.alexnet(), 64),
    *[(f'vgg{d}{bn}', {}, (lambda d=d, bn=bn: getattr(tvm, f'vgg{d}{bn}')()), 32) for d in (11, 13, 16, 19) for bn in ('', '_bn')],
    ('googlenet', {}, lambda: tvm.googlenet(aux_logits=True, init_weights=False), 64),
    # the layout of torchvision's published weights: no auxiliary classifiers, transform_input on
    ('googlenet/published', {'auxLogits': False, 'transformInput': True},
     lambda: tvm.googlenet(aux_logits=False, transform_input=True, init_weights=False), 64),
    *[(f'resnet{d}', {}, (lambda d=d: getattr(tvm, f'resnet{d}')()), 64) for d in (18, 34, 50, 101, 152)],
    *[(f'densenet{d}', {}, (lambda d=d: getattr(tvm, f'densenet{d}')()), 64) for d in (121, 161, 169, 201)],
]
CIFAR = [
    *[(f'resnet{d}', {}, (lambda d=d: CifarResNet(d)), 32) for d in (20, 32, 44, 56, 110)],
    ('resnet20/B', {'shortcut': 'B'}, lambda: CifarResNet(20, shortcut='B'), 32),
    *[(f'plain{d}', {}, (lambda d=d: CifarResNet(d, plain=True)), 32) for d in (20, 32, 44, 56, 110)],
    ('vgg_cifar', {}, lambda: CifarVGG(), 32),
    ('densenet_bc', {}, lambda: DenseNetBC(), 32),
]


def run(name, opts, build, size):
    torch.manual_seed(0)
    model = build().float().eval()
    params = sum(p.numel() for p in model.parameters())
    h, nkeys = keys_hash(model)
    fill(model)
    x = torch.from_numpy((2 * uniform01('input', 3 * size * size) - 1).reshape(1, 3, size, size)).float()
    with torch.no_grad():
        y = model(x)
    print(f'{name}: {params} parameters, {nkeys} keys, logits at {size}x{size}, max |y| {y.abs().max().item():.3g}', flush=True)
    return {'name': name, 'model': name.split('/')[0], 'options': opts, 'params': params, 'keysHash': h, 'keys': nkeys,
            'inputSize': size, 'logits': [float(f'{v:.7g}') for v in y[0].tolist()]}


def write_safetensors(path, tensors, metadata):
    """A safetensors file as the format specifies it (8-byte header length, JSON header, raw little-endian data)."""
    import json
    codes = {torch.float16: 'F16', torch.float32: 'F32', torch.int64: 'I64'}
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for k, t in tensors.items():
        b = t.contiguous().numpy().tobytes()
        header[k] = {'dtype': codes[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(len(h).to_bytes(8, 'little') + h + b''.join(blobs))
    os.replace(tmp, path)


def safetensors_case():
    """ResNet-20 as PyTorch initializes it (BN statistics made non-trivial), saved as a torch state dict would be
    exported: float16 weights (half the size; the TS side reads F16 as float32) and int64 num_batches_tracked;
    the float32 logits of those (float16-rounded) weights for the formula input go into the metadata."""
    torch.manual_seed(20)
    model = CifarResNet(20)
    with torch.no_grad():
        for k, t in model.state_dict().items():
            if k.endswith('running_mean'):
                t.copy_(torch.randn_like(t) * 0.1)
            elif k.endswith('running_var'):
                t.copy_(torch.rand_like(t) + 0.5)
            elif k.endswith('num_batches_tracked'):
                t.fill_(7)
            elif k.endswith('bn1.weight') or k.endswith('bn2.weight'):
                t.copy_(torch.rand_like(t) * 0.4 + 0.8)
        state = {k: (t if t.dtype == torch.int64 else t.half()) for k, t in model.state_dict().items()}
        model.load_state_dict({k: (t if t.dtype == torch.int64 else t.float()) for k, t in state.items()})
    model.eval()
    x = torch.from_numpy((2 * uniform01('input', 3 * 32 * 32) - 1).reshape(1, 3, 32, 32)).float()
    with torch.no_grad():
        y = model(x)
    meta = {'model': 'resnet20', 'inputSize': '32', 'logits': ','.join(f'{v:.7g}' for v in y[0].tolist())}
    write_safetensors(os.path.join(os.path.dirname(OUT), 'resnet20.safetensors'), state, meta)
    print('resnet20.safetensors written, logits', meta['logits'])


def main():
    torch.set_num_threads(1)
    if sys.argv[1:] == ['safetensors']:
        return safetensors_case()
    only = set(sys.argv[1:])
    if only:
        # regenerate the named cases only, keeping the others' in their order
        import json
        with open(OUT) as f:
            old = json.load(f)
        new = {c[0]: run(*c) for c in IMAGENET + CIFAR if c[0] in only}
        names = [c[0] for c in IMAGENET + CIFAR]
        kept = {c['name']: c for c in old['cases']}
        cases = [new.get(n) or kept[n] for n in names if n in new or n in kept]
        write_json_atomic(OUT, {**old, 'torch': torch.__version__, 'cases': cases})
        return
    safetensors_case()
    cases = [run(*c) for c in IMAGENET + CIFAR]
    flops = {n: mult_adds(getattr(tvm, n)().eval(), 224) for n in ('resnet152', 'vgg19', 'resnet18')}
    print('mult-adds at 224:', flops)
    write_json_atomic(OUT, {'torch': torch.__version__, 'cases': cases, 'multAdds224': flops})


if __name__ == '__main__':
    main()
