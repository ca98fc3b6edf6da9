/**
 * ONNX export's refusals (src/io/onnx): an op with no ONNX form, or traced with options ONNX cannot express, is
 * an UnsupportedOpError naming the op; the model's training mode survives an export; Node's exportModel writes
 * the file through a temporary name and leaves none behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { F, adaptiveAvgPool2d, batchNorm, conv2d, manualSeed, maxPool2d, maxUnpool2d, nn, pad, rand, randint, type Tensor } from '../../src/index.js';
import { exportModelBytes, UnsupportedOpError } from '../../src/io/onnx/index.js';
import { exportModel } from '../../src/node/onnx.js';
import { expectError } from '../helpers/check-errors.js';

manualSeed(0);
const dir = mkdtempSync(join(tmpdir(), 'shendu-onnx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('onnx export errors', () => {
  const m = new nn.Module() as nn.Module & { forward(x: Tensor): Tensor };
  const exp = (forward: (...x: Tensor[]) => unknown, inputs: Tensor[] = [rand([1, 3, 5, 5])]) => () => exportModelBytes(m, inputs, { forward });
  // not a child of m, so the export's eval() leaves it training
  const drop = new nn.MultiheadAttention(8, 2, { dropout: 0.2 });
  const cases: [string, () => unknown, RegExp][] = [
    ['a loss in the graph', exp((x, t) => F.crossEntropy(x, t), [rand([2, 3]), randint(0, 3, [2])]), /^onnx export: op 'crossEntropy' has no ONNX form: no converter is written for it/],
    ['adaptive pooling to a size that does not divide', exp((x) => adaptiveAvgPool2d(x, 3)), /^onnx export: op 'adaptiveAvgPool2d' has no ONNX form: output size \[3,3\] does not divide the input size \[5,5\]/],
    ['unpooling with indices no traced max pool made', exp((x) => maxUnpool2d(maxPool2d(x, 2), randint(0, 4, [1, 3, 2, 2]), 2)), /^onnx export: op 'maxUnpool2d' has no ONNX form: only with the indices of a traced maxPool2d/],
    ['circular padding', exp((x) => pad(x, [1, 1], { mode: 'circular' })), /^onnx export: op 'pad' has no ONNX form: mode 'circular'/],
    ['batch norm without running statistics', exp((x) => batchNorm(x, null, null)), /^onnx export: op 'batchNorm' has no ONNX form: without running statistics/],
    ['attention with dropout traced in training mode', exp((x) => drop.forward(x, x, x)[0], [rand([2, 3, 8])]), /^onnx export: op 'multiheadAttention' has no ONNX form: traced in training mode with attention dropout; call model.eval\(\) first/],
    ['an unbatched convolution', exp((x) => conv2d(x, rand([2, 3, 3, 3])), [rand([3, 5, 5])]), /^onnx export: op 'conv2d' has no ONNX form: input must be batched \[N, C, H, W\] \(rank 4\), got rank 3/],
  ];
  for (const [label, call, message] of cases) test(label, () => {
    expectError(call, UnsupportedOpError, message, label);
  });

  test('export traces in eval mode and gives the model back in its mode', () => {
    const net = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.5));
    assert.equal(net.training, true);
    exportModelBytes(net, rand([2, 3]));
    assert.equal(net.training, true);
  });

  test('exportModel writes the file through a temporary name and returns its size', () => {
    const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh());
    const path = join(dir, 'net.onnx');
    const n = exportModel(net, rand([2, 3]), path, { dynamicAxes: true });
    assert.equal(readFileSync(path).length, n);
    assert.deepEqual(readdirSync(dir), ['net.onnx']);
    assert.deepEqual([...readFileSync(path)], [...exportModelBytes(net, rand([2, 3]), { dynamicAxes: true })]);
  });
});
