"""ONNX import fixture of torchvision's ResNet-18 itself (11.7M parameters), without committing its 46 MB of weights.

Every parameter and buffer of torchvision.models.resnet18() is overwritten by a formula that Python and TypeScript
compute bit-identically in float64 (only IEEE multiply, add, floor) before rounding to float32:

    u(i, k) = 2 * frac(i * A + k * B) - 1          (i: element index in row-major order, k: the tensor's number)
    value   = float32(offset + scale * u(i, k))

a Weyl sequence (A, B irrational) that keeps activations in a sane range through the 18 layers: convolutions and
fc.weight get He-like scales sqrt(3) * sqrt(2 / fan_in), batch-norm weights 0.8 +- 0.2, biases and running means
+-0.1, running variances 1 +- 0.25 (positive). The input is the same formula (k = 1000, 0.5 +- 0.5).

The model is exported with torch.onnx.export (opset 17, eval mode, no constant folding so initializers keep their
state-dict names), its initializers of 1024 bytes or more moved to ONNX external data ('resnet18.weights', which is
NOT kept), and only the graph is written: test/fixtures/onnx/resnet18.onnx (tens of KB), with
test/fixtures/onnx_resnet18.json (formula, per-tensor k/scale/offset, input spec, PyTorch's logits).
test/io/onnx-resnet18.test.ts fills the external initializers from the formula.

Run: /usr/bin/python3 tools/make_onnx_resnet18_fixtures.py
"""
import math
import os
import tempfile

import numpy as np
import onnx
import torch
import torchvision
from onnx.external_data_helper import convert_model_to_external_data

from fixture_json import write_json_atomic

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
A = 0.6180339887498949  # (sqrt(5) - 1) / 2
B = 0.7548776662466927  # 1 / plastic number
INPUT_K = 1000
THRESHOLD = 1024


def formula(n, k, scale, offset):
    """float32 values of the formula for n elements of tensor k (the float64 steps as the TypeScript test does them)."""
    i = np.arange(n, dtype=np.float64)
    x = i * A + float(k) * B
    u = 2.0 * (x - np.floor(x)) - 1.0
    return (offset + scale * u).astype(np.float32)


def spec_of(name, t):
    """(scale, offset) of a state-dict tensor."""
    if name.endswith('running_var'):
        return 0.25, 1.0
    if name.endswith('running_mean'):
        return 0.1, 0.0
    if t.ndim == 1 and name != 'fc.bias':  # batch-norm weight / bias
        return (0.1, 0.0) if name.endswith('bias') else (0.2, 0.8)
    if name == 'fc.bias':
        return 0.05, 0.0
    return math.sqrt(3.0) * math.sqrt(2.0 / t[0].numel()), 0.0


def main():
    model = torchvision.models.resnet18().eval()
    tensors = []
    k = 0
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            scale, offset = spec_of(name, t)
            t.copy_(torch.from_numpy(formula(t.numel(), k, scale, offset).reshape(t.shape)))
            tensors.append({'name': name, 'k': k, 'shape': list(t.shape), 'scale': scale, 'offset': offset})
            k += 1
    shape = [2, 3, 64, 64]
    x = torch.from_numpy(formula(int(np.prod(shape)), INPUT_K, 0.5, 0.5).reshape(shape))
    with torch.no_grad():
        y = model(x)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, 'full.onnx')
        torch.onnx.export(model, x, full, opset_version=17, input_names=['input'], output_names=['output'],
                          do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE,
                          dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}})
        proto = onnx.load(full)
        convert_model_to_external_data(proto, all_tensors_to_one_file=True, location='resnet18.weights', size_threshold=THRESHOLD)
        onnx.save_model(proto, os.path.join(tmp, 'resnet18.onnx'))
        graph_only = open(os.path.join(tmp, 'resnet18.onnx'), 'rb').read()
        weights_bytes = os.path.getsize(os.path.join(tmp, 'resnet18.weights'))
        onnx.checker.check_model(os.path.join(tmp, 'resnet18.onnx'))
    with open(os.path.join(OUT, 'onnx', 'resnet18.onnx'), 'wb') as f:
        f.write(graph_only)
    external = sum(1 for t in proto.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL)
    print('resnet18.onnx: %d bytes, %d of %d initializers external (%d bytes not kept)' % (
        len(graph_only), external, len(proto.graph.initializer), weights_bytes))
    write_json_atomic(os.path.join(OUT, 'onnx_resnet18.json'), {
        'torch': torch.__version__, 'torchvision': torchvision.__version__,
        'file': 'onnx/resnet18.onnx', 'externalLocation': 'resnet18.weights', 'externalBytes': weights_bytes,
        'formula': {'a': A, 'b': B, 'text': 'float32(offset + scale * (2 * frac(i * a + k * b) - 1)), float64 steps'},
        'input': {'shape': shape, 'k': INPUT_K, 'scale': 0.5, 'offset': 0.5},
        'tensors': tensors,
        'output': {'shape': list(y.shape), 'data': y.flatten().tolist()},
    })


if __name__ == '__main__':
    main()
