"""PyTorch side of the `peers` benchmark suite: one workload on one thread count, printed as one JSON row.

Run by bench/peers/torch.ts as
    python3 torch_train.py <workload> --threads N --mnist-dir DIR --tokens FILE [--seconds S]
The models, sizes, batches and data are those of bench/workloads/*.ts: MNIST from the same IDX files,
the text as the symbol file the node side wrote, the synthetic CIFAR-sized images from the same integer hash.
The CIFAR ResNets here (option A shortcuts) are also the model of bench/torch_resnet20_fashion.py.
"""
import argparse
import gzip
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import describe, limit_threads  # noqa: E402
from bench_timing import ROW_MARKER, measure_steps  # noqa: E402

GEMM_N = 1024
MNIST_BATCH = 64
VOCAB, EMBED_DIM, HIDDEN, SEQ_LEN, TEXT_BATCH = 64, 64, 128, 64, 32
CIFAR_SHAPE, RESNET_BATCH, RESNET_CLASSES, RESNET_LR, RESNET_MOMENTUM = (3, 32, 32), 128, 10, 0.1, 0.9
SYNTHETIC_BATCHES = 8
UNITS = {'gemm': 'GFLOP/s', 'mlp_train': 'samples/s', 'lenet5_train': 'samples/s', 'lstm_train': 'tokens/s',
         'resnet20_train': 'samples/s'}
PER_STEP = {'gemm': 2 * GEMM_N ** 3 / 1e9, 'mlp_train': MNIST_BATCH, 'lenet5_train': MNIST_BATCH, 'lstm_train': TEXT_BATCH * SEQ_LEN,
            'resnet20_train': RESNET_BATCH}
# issue 13: transformer_train (TR_* as in bench/workloads/spec.ts)
TR_DIM, TR_HEADS, TR_FF, TR_LAYERS, TR_DROPOUT = 64, 4, 128, 2, 0.1
UNITS['transformer_train'] = 'tokens/s'
PER_STEP['transformer_train'] = TEXT_BATCH * SEQ_LEN
# issue 13: charlm_train (CHARLM of bench/workloads/spec.ts: the zoo's char LM with a 2-layer GRU)
CHARLM_LAYERS, CHARLM_HIDDEN = 2, 128
UNITS['charlm_train'] = 'tokens/s'
PER_STEP['charlm_train'] = TEXT_BATCH * SEQ_LEN
# issue 14: vae_train (VAE of bench/workloads/spec.ts; the model and loss of bench/torch_vae_mnist.py)
VAE_BATCH, VAE_LR = 128, 1e-3
UNITS['vae_train'] = 'samples/s'
PER_STEP['vae_train'] = VAE_BATCH
# issue 14: GANs (DCGAN of bench/workloads/spec.ts)
DCGAN_LATENT, DCGAN_WIDTH, DCGAN_LR, DCGAN_BETAS = 100, 32, 2e-4, (0.5, 0.999)
UNITS['dcgan_train'] = 'samples/s'
PER_STEP['dcgan_train'] = MNIST_BATCH
# issue 15: yolo_train (YOLO and workloads/detection.ts of bench/; the model and loss of bench/torch_yolo_canvas.py)
YOLO_BATCH, YOLO_LR, YOLO_SIZE, YOLO_CLASSES, YOLO_OBJECTS = 32, 1e-3, 96, 10, 3
UNITS['yolo_train'] = 'samples/s'
PER_STEP['yolo_train'] = YOLO_BATCH


def read_idx(directory, name, offset):
    """Bytes of an IDX file (plain or .gz) after its `offset`-byte header."""
    path = os.path.join(directory, name)
    data = open(path, 'rb').read() if os.path.exists(path) else gzip.open(path + '.gz', 'rb').read()
    return torch.frombuffer(bytearray(data[offset:]), dtype=torch.uint8)


def mnist_batches(directory, size=MNIST_BATCH):
    pixels = read_idx(directory, 'train-images-idx3-ubyte', 16).view(-1, 1, 28, 28)
    labels = read_idx(directory, 'train-labels-idx1-ubyte', 8).long()
    n_batches = pixels.shape[0] // size

    def batch(k):
        s = (k % n_batches) * size
        return pixels[s:s + size].float() / 255, labels[s:s + size]
    return batch


def text_batches(path):
    tokens = torch.frombuffer(bytearray(open(path, 'rb').read()), dtype=torch.uint8).long()
    span = tokens.shape[0] - SEQ_LEN - 1
    offs = torch.arange(SEQ_LEN + 1)

    def batch(k):
        starts = torch.tensor([((k * TEXT_BATCH + b) * SEQ_LEN) % span for b in range(TEXT_BATCH)])
        rows = tokens[starts[:, None] + offs[None, :]]
        return rows[:, :-1], rows[:, 1:].reshape(-1)
    return batch


def hash32(u):
    """hash32 of bench/workloads/synthetic.ts on an int64 tensor of indices (taken mod 2^32)."""
    h = u & 0xFFFFFFFF
    h = ((h ^ (h >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    h = ((h ^ (h >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    return h ^ (h >> 16)


def synthetic_batches(batch, shape, classes):
    """syntheticBatch of bench/workloads/synthetic.ts: batch k as [batch, *shape] float32 in [0, 1], labels."""
    pixels = shape[0] * shape[1] * shape[2]

    def make(k):
        base = (k % SYNTHETIC_BATCHES) * batch * pixels
        x = (hash32(torch.arange(base, base + batch * pixels, dtype=torch.int64)).double() / 2 ** 32).float()
        y = ((k % SYNTHETIC_BATCHES) * batch + torch.arange(batch)) % classes
        return x.view(batch, *shape), y
    return make


class ZeroPadShortcut(nn.Module):
    """Option A shortcut (He et al. 2016, 4.2): identity subsampled by `stride`, extra channels zero-padded half
    before, half after (as ZeroPadShortcut of src/models/vision/cifar.ts); no parameters."""

    def __init__(self, in_c, out_c, stride):
        super().__init__()
        self.extra, self.stride = out_c - in_c, stride

    def forward(self, x):
        y = x[:, :, ::self.stride, ::self.stride] if self.stride != 1 else x
        lo = self.extra // 2
        return F.pad(y, (0, 0, 0, 0, lo, self.extra - lo)) if self.extra else y


class BasicBlock(nn.Module):
    def __init__(self, in_c, out_c, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(in_c, out_c, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_c)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(out_c, out_c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_c)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (self.downsample(x) if self.downsample is not None else x))


class CifarResNet(nn.Module):
    """CifarResNet of src/models/vision/cifar.ts, same module names (so state dicts match): 6n + 2 layers, 16/32/64
    channels, option A ('A') or 1x1 conv + BN ('B') shortcuts where the shape changes. PyTorch's default init, as
    shendu's layers (no re-initialization in either)."""

    def __init__(self, depth=20, in_channels=3, num_classes=10, shortcut='A'):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()

        def stage(in_c, out_c, stride):
            blocks = []
            for i in range(n):
                bi, s = (in_c, stride) if i == 0 else (out_c, 1)
                down = None
                if s != 1 or bi != out_c:
                    down = ZeroPadShortcut(bi, out_c, s) if shortcut == 'A' else nn.Sequential(
                        nn.Conv2d(bi, out_c, 1, stride=s, bias=False), nn.BatchNorm2d(out_c))
                blocks.append(BasicBlock(bi, out_c, s, down))
            return nn.Sequential(*blocks)
        self.layer1 = stage(16, 16, 1)
        self.layer2 = stage(16, 32, 2)
        self.layer3 = stage(32, 64, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        return self.fc(torch.flatten(self.avgpool(self.layer3(self.layer2(self.layer1(y)))), 1))


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED_DIM)
        self.lstm = nn.LSTM(EMBED_DIM, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, VOCAB)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.head(out).reshape(-1, VOCAB)


class GruCharLM(nn.Module):
    """charlmTrain of bench/runners/shendu.ts: the zoo's charlm (embedding, stacked GRU, linear decoder)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(VOCAB, EMBED_DIM)
        self.rnn = nn.GRU(EMBED_DIM, CHARLM_HIDDEN, num_layers=CHARLM_LAYERS, batch_first=True)
        self.decoder = nn.Linear(CHARLM_HIDDEN, VOCAB)

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out).reshape(-1, VOCAB)


class TransformerLM(nn.Module):
    """transformerTrain of bench/runners/shendu.ts: token + learned position embeddings, a causal post-norm
    TransformerEncoder, a linear head."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, TR_DIM)
        self.pos = nn.Embedding(SEQ_LEN, TR_DIM)
        layer = nn.TransformerEncoderLayer(TR_DIM, TR_HEADS, TR_FF, TR_DROPOUT, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, TR_LAYERS, enable_nested_tensor=False)
        self.head = nn.Linear(TR_DIM, VOCAB)
        self.register_buffer('positions', torch.arange(SEQ_LEN))
        self.register_buffer('causal', torch.triu(torch.full((SEQ_LEN, SEQ_LEN), float('-inf')), diagonal=1))

    def forward(self, x):
        h = self.encoder(self.embed(x) + self.pos(self.positions), mask=self.causal)
        return self.head(h).reshape(-1, VOCAB)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def dcgan(latent=DCGAN_LATENT, w=DCGAN_WIDTH):
    """The zoo's 'gan' (src/models/generative/gan.ts) for 28x28 images: generator and discriminator, DCGAN init."""
    g = nn.Sequential(
        nn.Unflatten(1, (latent, 1, 1)),
        nn.ConvTranspose2d(latent, 2 * w, 7, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),
        nn.ConvTranspose2d(w, 1, 4, 2, 1, bias=False), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(2 * w * 49, 1))
    for m in list(g.modules()) + list(d.modules()):
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1, 0.02)
            nn.init.zeros_(m.bias)
    return g, d


def gan_step(g, d, batch):
    """One step of the GAN task (src/train/tasks/gan.ts): a discriminator step, then a non-saturating generator step."""
    opt_g = torch.optim.Adam(g.parameters(), lr=DCGAN_LR, betas=DCGAN_BETAS)
    opt_d = torch.optim.Adam(d.parameters(), lr=DCGAN_LR, betas=DCGAN_BETAS)
    k = [0]

    def step():
        x, _ = batch(k[0])
        k[0] += 1
        x = x * 2 - 1
        opt_d.zero_grad()
        real = d(x).view(-1)
        fake = g(torch.randn(x.shape[0], DCGAN_LATENT))
        d_loss = F.softplus(-real).mean() + F.softplus(d(fake.detach()).view(-1)).mean()
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = F.softplus(-d(fake).view(-1)).mean()
        g_loss.backward()
        opt_g.step()
        d.zero_grad()
        return d_loss.item() + g_loss.item()
    return step


def vae_step(batch):
    """One step of the VAE task (src/train/tasks/vae.ts) on PyTorch's example VAE."""
    from torch_vae_mnist import VAE, loss_function
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=VAE_LR)
    k = [0]

    def step():
        x, _ = batch(k[0])
        k[0] += 1
        recon, mu, logvar = model(x)
        bce, kld = loss_function(recon, x, mu, logvar)
        loss = bce + kld
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def yolo_step():
    """One step of the detection task on YOLO v1 with the synthetic canvases of bench/workloads/detection.ts."""
    from torch_yolo_canvas import YOLOv1, yolo_loss
    images = synthetic_batches(YOLO_BATCH, (1, YOLO_SIZE, YOLO_SIZE), YOLO_CLASSES)
    model = YOLOv1()
    opt = torch.optim.Adam(model.parameters(), lr=YOLO_LR)
    k = [0]

    def targets(kk):
        boxes, labels = [], []
        for b in range(YOLO_BATCH):
            i = (kk % SYNTHETIC_BATCHES) * YOLO_BATCH + b
            bx, lb = [], []
            for j in range(YOLO_OBJECTS):
                s = 16 + (5 * i + 7 * j) % 33
                x1, y1 = (13 * i + 29 * j) % (YOLO_SIZE - s), (17 * i + 11 * j) % (YOLO_SIZE - s)
                bx.append([x1, y1, x1 + s, y1 + s])
                lb.append((i + 3 * j) % YOLO_CLASSES)
            boxes.append(bx)
            labels.append(lb)
        return boxes, labels

    def step():
        x, _ = images(k[0])
        boxes, labels = targets(k[0])
        k[0] += 1
        loss = sum(yolo_loss(model(x), boxes, labels, (YOLO_SIZE, YOLO_SIZE)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def train_step(model, opt, batch):
    k = [0]

    def step():
        x, y = batch(k[0])
        k[0] += 1
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def prepare(workload, args):
    if workload == 'gemm':
        a, b = torch.randn(GEMM_N, GEMM_N), torch.randn(GEMM_N, GEMM_N)
        return lambda: a @ b
    if workload == 'mlp_train':
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        return train_step(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), mnist_batches(args.mnist_dir))
    if workload == 'lenet5_train':
        model = lenet5()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), mnist_batches(args.mnist_dir))
    if workload == 'lstm_train':
        model = CharLM()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), text_batches(args.tokens))
    if workload == 'resnet20_train':
        model = CifarResNet(20, CIFAR_SHAPE[0], RESNET_CLASSES)
        opt = torch.optim.SGD(model.parameters(), lr=RESNET_LR, momentum=RESNET_MOMENTUM)
        return train_step(model, opt, synthetic_batches(RESNET_BATCH, CIFAR_SHAPE, RESNET_CLASSES))
    if workload == 'transformer_train':
        model = TransformerLM()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), text_batches(args.tokens))
    if workload == 'charlm_train':
        model = GruCharLM()
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), text_batches(args.tokens))
    if workload == 'vae_train':
        return vae_step(mnist_batches(args.mnist_dir, VAE_BATCH))
    if workload == 'dcgan_train':
        return gan_step(*dcgan(), mnist_batches(args.mnist_dir))
    if workload == 'yolo_train':
        return yolo_step()
    raise ValueError(f'unknown workload {workload!r}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('workload', choices=sorted(UNITS))
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--mnist-dir')
    p.add_argument('--tokens')
    p.add_argument('--seconds', type=float, default=2.5)
    args = p.parse_args()
    threads = limit_threads(args.threads)
    torch.manual_seed(0)
    row = {'workload': args.workload, 'runner': f'torch-{args.threads}t', 'value': None, 'unit': UNITS[args.workload],
           'note': f'torch {torch.__version__}, {describe(threads)}'}
    try:
        rate = measure_steps(prepare(args.workload, args), args.seconds)
        row['value'] = rate * PER_STEP[args.workload]
    except Exception as e:  # reported in the table, like every runner's error
        row['error'] = f'{type(e).__name__}: {e}'.split('\n')[0]
    sys.stdout.write(ROW_MARKER + json.dumps(row) + '\n')


if __name__ == '__main__':
    main()
