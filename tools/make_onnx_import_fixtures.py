"""ONNX import fixtures: PyTorch 1.13 models exported with torch.onnx.export (opset 17, eval mode), their inputs
and PyTorch's outputs, for test/io/onnx-import.test.ts (which runs the files with shendu's ops and compares).

  lenet.onnx   LeNet-5 (conv 5x5 pad 2, ReLU, max pool, conv, ReLU, max pool, flatten, 120, 84, 10)
  lstm.onnx    2-layer batch-first LSTM (5 -> 8) + Linear read-out of every step
  resnet.onnx  a CIFAR ResNet-20 (BasicBlocks, 1x1 conv + BN projection shortcuts), batch norm kept (no
               constant folding) so that the initializers carry the state-dict names
  transformer.onnx  nn.TransformerEncoder of two pre-norm GELU layers (d_model 16, 4 heads) and a final LayerNorm,
               batch first, with a bool src_key_padding_mask input ('pad'); PyTorch's own MHA decomposition

Writes test/fixtures/onnx/*.onnx and test/fixtures/onnx_import.json. Run: /usr/bin/python3 tools/make_onnx_import_fixtures.py
"""
import io
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_json import write_json_atomic

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(5, 8, num_layers=2, batch_first=True)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet20(nn.Module):
    def __init__(self, n=3, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for i, c in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(Block(cin, c, 2 if (b == 0 and i > 0) else 1))
                cin = c
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def randomize_bn(m):
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.2, 0.2)
            mod.running_var.uniform_(0.5, 1.5)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.2, 0.2)


def export(name, model, x, folding=True):
    model.eval()
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=17, input_names=['input'], output_names=['output'],
                      do_constant_folding=True, training=torch.onnx.TrainingMode.PRESERVE if not folding else torch.onnx.TrainingMode.EVAL, dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}})
    data = buf.getvalue()
    with open(os.path.join(OUT, 'onnx', name + '.onnx'), 'wb') as f:
        f.write(data)
    with torch.no_grad():
        y = model(x)
    return {'file': 'onnx/%s.onnx' % name, 'input': {'shape': list(x.shape), 'data': x.flatten().tolist()},
            'output': {'shape': list(y.shape), 'data': y.flatten().tolist()}, 'bytes': len(data),
            'stateKeys': sorted(model.state_dict().keys())}


def export_transformer():
    layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True, norm_first=True, activation='gelu')
    model = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(16)).eval()
    x = torch.randn(2, 5, 16)
    pad = torch.tensor([[False] * 5, [False, False, False, True, True]])
    buf = io.BytesIO()
    torch.onnx.export(model, (x, None, pad), buf, opset_version=17, input_names=['input', 'pad'], output_names=['output'],
                      dynamic_axes={'input': {0: 'N'}, 'pad': {0: 'N'}, 'output': {0: 'N'}})
    data = buf.getvalue()
    with open(os.path.join(OUT, 'onnx', 'transformer.onnx'), 'wb') as f:
        f.write(data)
    # with gradients on, as the export traced it: eval + no_grad would take PyTorch's nested-tensor fast path,
    # which writes zeros at padded positions
    y = model(x, src_key_padding_mask=pad).detach()
    return {'file': 'onnx/transformer.onnx', 'input': {'shape': list(x.shape), 'data': x.flatten().tolist()},
            'pad': {'shape': list(pad.shape), 'data': pad.flatten().tolist()},
            'output': {'shape': list(y.shape), 'data': y.flatten().tolist()}, 'bytes': len(data),
            'stateKeys': sorted(model.state_dict().keys())}


def main():
    torch.manual_seed(0)
    os.makedirs(os.path.join(OUT, 'onnx'), exist_ok=True)
    cases = {}
    cases['lenet'] = export('lenet', LeNet(), torch.rand(2, 1, 28, 28))
    cases['lstm'] = export('lstm', LSTMNet(), torch.randn(2, 6, 5))
    resnet = ResNet20()
    randomize_bn(resnet)
    cases['resnet'] = export('resnet', resnet, torch.rand(2, 3, 32, 32), folding=False)
    cases['transformer'] = export_transformer()
    write_json_atomic(os.path.join(OUT, 'onnx_import.json'), {'torch': torch.__version__, 'cases': cases})


if __name__ == '__main__':
    main()
