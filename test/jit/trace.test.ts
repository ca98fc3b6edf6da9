/**
 * Graph capture (src/jit/trace.ts, src/ops/trace-hook.ts): the op-level graph of a forward pass — op names,
 * attributes, parameter names, shapes, the dynamic batch symbol — with composite ops recorded once (softmax,
 * layerNorm, crossEntropy, an LSTM), no tracer left active afterwards, and typed errors for what cannot be traced.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as P from '../../src/autograd/primitives.js';
import { F, jit, manualSeed, nn, rand, randint, relu, ShapeError, softmax, ValueError, add, mul, layerNorm, type Tensor } from '../../src/index.js';
import { tracing } from '../../src/ops/trace-hook.js';
import { expectError } from '../helpers/check-errors.js';

manualSeed(0);

describe('jit.trace', () => {
  test('records the ops of an MLP with module-named parameters; eval dropout adds nothing', () => {
    const m = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(8, 3)).eval();
    const g = jit.trace(m, rand([2, 4]), { forward: (x) => softmax(m.forward(x), 1) });
    assert.deepEqual(g.nodes.map((n) => n.op), ['linear', 'relu', 'linear', 'softmax']);
    assert.deepEqual(g.nodes[0].inputs, ['input', '0.weight', '0.bias']);
    assert.deepEqual(g.nodes[2].inputs, ['relu_1', '3.weight', '3.bias']);
    assert.deepEqual(g.nodes[3].attrs, { dim: 1 });
    assert.deepEqual(g.initializers.map((p) => [p.name, p.kind]), [['0.weight', 'parameter'], ['0.bias', 'parameter'], ['3.weight', 'parameter'], ['3.bias', 'parameter']]);
    assert.deepEqual(g.inputs, [{ name: 'input', shape: [2, 4], dtype: 'float32' }]);
    assert.deepEqual(g.outputs, [{ name: 'output', shape: [2, 3], dtype: 'float32' }]);
    assert.equal(g.nodes[3].outputs[0].name, 'output');
    assert.equal(g.batchSize, 2);
  });

  test('dynamicBatch makes dim 0 of inputs and outputs the symbol N', () => {
    const m = new nn.Linear(4, 3);
    const g = jit.trace(m, rand([5, 4]), { dynamicBatch: true });
    assert.deepEqual(g.inputs[0].shape, ['N', 4]);
    assert.deepEqual(g.outputs[0].shape, ['N', 3]);
    assert.deepEqual(g.nodes[0].outputs[0].shape, [5, 3]);
  });

  test('composite ops are recorded once, not the ops they are built from', () => {
    const m = new nn.Module();
    const g = jit.trace(m as jit.Traceable, [rand([3, 4]), randint(0, 4, [3])], { forward: (x, t) => F.crossEntropy(layerNorm(x, [4]), t) });
    assert.deepEqual(g.nodes.map((n) => n.op), ['layerNorm', 'crossEntropy']);
    assert.deepEqual(g.nodes[1].attrs, { reduction: 'mean', ignoreIndex: -100, labelSmoothing: 0 });
    assert.deepEqual(g.inputs.map((v) => [v.name, v.dtype]), [['input0', 'float32'], ['input1', 'int32']]);
  });

  test('an LSTM is one node with its weights as inputs and [output, h_n, c_n] as outputs', () => {
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, batchFirst: true });
    const g = jit.trace(lstm as unknown as jit.Traceable, rand([2, 7, 3]));
    assert.equal(g.nodes.length, 1);
    const n = g.nodes[0];
    assert.equal(n.op, 'lstm');
    assert.deepEqual(n.inputs.slice(0, 4), ['input', null, null, 'weight_ih_l0']);
    assert.equal(n.inputs.length, 3 + 8);
    assert.deepEqual(n.outputs.map((o) => o.shape), [[2, 7, 5], [2, 2, 5], [2, 2, 5]]);
    assert.deepEqual(g.outputs.map((o) => o.name), ['output0', 'output1', 'output2']);
    assert.equal(n.attrs.batchFirst, true);
    assert.equal(n.attrs.numLayers, 2);
  });

  test('conv and batch-norm attributes; buffers are held as buffers; JS numbers become constants', () => {
    const m = new nn.Sequential(new nn.Conv2d(1, 4, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(4)).eval();
    const g = jit.trace(m, rand([1, 1, 8, 8]), { forward: (x) => mul(add(m.forward(x), 2), 0.5) });
    assert.deepEqual(g.nodes.map((n) => n.op), ['conv2d', 'batchNorm', 'add', 'mul']);
    assert.deepEqual(g.nodes[0].attrs, { stride: 2, padding: 1, dilation: 1, groups: 1, outputPadding: 0 });
    assert.equal(g.nodes[1].attrs.training, false);
    const kinds = Object.fromEntries(g.initializers.map((p) => [p.name, p.kind]));
    assert.equal(kinds['1.running_mean'], 'buffer');
    assert.equal(kinds['0.weight'], 'parameter');
    const consts = g.initializers.filter((p) => p.kind === 'constant');
    assert.deepEqual(consts.map((p) => p.tensor.item()), [2, 0.5]);
  });

  test('no tracer is active outside trace, also after a failed one', () => {
    assert.equal(tracing.tracer, null);
    const m = new nn.Linear(2, 2);
    assert.throws(() => jit.trace(m, rand([1, 2]), { forward: () => { throw new ValueError('boom'); } }), /boom/);
    assert.equal(tracing.tracer, null);
    jit.trace(m, rand([1, 2]));
    assert.equal(tracing.tracer, null);
  });

  describe('bad input raises typed errors', () => {
    const m = new nn.Linear(2, 2);
    const cases: [string, () => unknown, typeof ValueError | typeof ShapeError, RegExp][] = [
      ['a primitive bypassing the ops layer', () => jit.trace(m, rand([1, 2]), { forward: (x) => relu(P.unary('exp', x)) }), ValueError, /^jit\.trace: op 'relu' got a tensor computed by 'ExpBackward', which does not report to the tracer/],
      ['an output made by a primitive', () => jit.trace(m, rand([1, 2]), { forward: (x) => P.unary('exp', m.forward(x)) }), ValueError, /^jit\.trace: output 0 was computed by 'ExpBackward'/],
      ['a non-tensor input', () => jit.trace(m, [null as unknown as Tensor]), ValueError, /^jit\.trace: exampleInputs\[0\] must be a Tensor, got null/],
      ['a forward returning a number', () => jit.trace(m, rand([1, 2]), { forward: () => 3 }), ValueError, /^jit\.trace: the forward pass must return tensors or arrays of them, got number/],
      ['dynamicBatch with a 0-d input', () => jit.trace(m, rand([]), { dynamicBatch: true }), ShapeError, /^jit\.trace: dynamicBatch needs inputs with a batch dim 0, got a 0-d input/],
    ];
    for (const [label, call, cls, message] of cases) test(label, () => {
      expectError(call, cls, message, label);
    });
  });
});
