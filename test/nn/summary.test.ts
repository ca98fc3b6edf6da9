/**
 * summary(model, inputShape) (src/nn/summary.ts) on LeNet-5, whose numbers are well known: 61,706 parameters,
 * and per-layer output shapes and multiply-adds that can be worked out by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, Tensor, ValueError, manualSeed, nn, relu, zeros } from '../../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);

function leNet5(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(),
    new nn.Linear(120, 84), new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

// name, type, output shape, parameters, multiply-adds
const expected: [string, string, number[], number, number][] = [
  ['0', 'Conv2d', [1, 6, 28, 28], 156, 6 * 28 * 28 * 25], // 117,600
  ['1', 'ReLU', [1, 6, 28, 28], 0, 0],
  ['2', 'MaxPool2d', [1, 6, 14, 14], 0, 0],
  ['3', 'Conv2d', [1, 16, 10, 10], 2416, 16 * 10 * 10 * 150], // 240,000
  ['4', 'ReLU', [1, 16, 10, 10], 0, 0],
  ['5', 'MaxPool2d', [1, 16, 5, 5], 0, 0],
  ['6', 'Flatten', [1, 400], 0, 0],
  ['7', 'Linear', [1, 120], 48120, 48000],
  ['8', 'ReLU', [1, 120], 0, 0],
  ['9', 'Linear', [1, 84], 10164, 10080],
  ['10', 'ReLU', [1, 84], 0, 0],
  ['11', 'Linear', [1, 10], 850, 840],
];

describe('summary of LeNet-5', () => {
  test('61,706 parameters, and every layer with its output shape, parameters and multiply-adds', () => {
    const s = nn.summary(leNet5(), [1, 1, 28, 28]);
    assert.equal(s.totalParams, 61706);
    assert.equal(s.trainableParams, 61706);
    assert.equal(s.rows.length, expected.length);
    s.rows.forEach((r, i) => {
      const [name, type, shape, params, multAdds] = expected[i];
      assert.deepEqual(r, { name, type, outputShape: shape, params, multAdds }, `row ${i}`);
    });
    assert.equal(s.rows[0].multAdds, 117600);
    assert.equal(s.rows[3].multAdds, 240000);
    assert.equal(s.totalMultAdds, 117600 + 240000 + 48000 + 10080 + 840);
  });

  test('multiply-adds scale with the batch', () => {
    const s = nn.summary(leNet5(), [4, 1, 28, 28]);
    assert.deepEqual(s.rows[0].outputShape, [4, 6, 28, 28]);
    assert.equal(s.rows[0].multAdds, 4 * 117600);
    assert.equal(s.rows[11].multAdds, 4 * 840);
    assert.equal(s.totalParams, 61706);
  });

  test('the printed table contains the rows and the totals', () => {
    const text = nn.summary(leNet5(), [1, 1, 28, 28]).toString();
    const lines = text.split('\n');
    assert.match(lines[0], /Layer \(type\)\s+Output shape\s+Param #\s+Mult-adds/);
    const row = (prefix: string) => lines.find((l) => l.startsWith(prefix));
    assert.match(row('0 (Conv2d)') ?? '', /\[1, 6, 28, 28\]\s+156\s+117,600$/);
    assert.match(row('3 (Conv2d)') ?? '', /\[1, 16, 10, 10\]\s+2,416\s+240,000$/);
    assert.match(row('5 (MaxPool2d)') ?? '', /\[1, 16, 5, 5\]\s+0\s+0$/);
    assert.match(row('7 (Linear)') ?? '', /\[1, 120\]\s+48,120\s+48,000$/);
    assert.match(row('9 (Linear)') ?? '', /\[1, 84\]\s+10,164\s+10,080$/);
    assert.match(row('11 (Linear)') ?? '', /\[1, 10\]\s+850\s+840$/);
    assert.ok(lines.includes('Total params: 61,706'));
    assert.ok(lines.includes('Trainable params: 61,706'));
    assert.ok(lines.includes('Non-trainable params: 0'));
    assert.ok(lines.includes('Mult-adds: 416,520'));
    assert.ok(lines.includes('Input shape: [1, 1, 28, 28]'));
    // the columns line up: every row is as wide as the header rule
    const rule = lines.find((l) => /^-+$/.test(l))!;
    for (const [name, type] of expected) assert.equal(row(`${name} (${type})`)!.length, rule.length);
  });

  test('frozen parameters count as non-trainable', () => {
    const model = leNet5();
    model.at(0).requiresGrad_(false);
    const s = nn.summary(model, [1, 1, 28, 28]);
    assert.equal(s.totalParams, 61706);
    assert.equal(s.trainableParams, 61706 - 156);
    assert.ok(s.toString().includes('Non-trainable params: 156'));
  });

  test('accepts an input tensor instead of a shape', () => {
    const s = nn.summary(leNet5(), zeros([2, 1, 28, 28]));
    assert.deepEqual(s.rows[11].outputShape, [2, 10]);
  });
});

describe('summary leaves the model as it was', () => {
  test('train or eval mode is restored on every module', () => {
    const model = leNet5();
    nn.summary(model, [1, 1, 28, 28]);
    assert.ok(model.modules().every((m) => m.training));
    model.eval();
    nn.summary(model, [1, 1, 28, 28]);
    assert.ok(model.modules().every((m) => !m.training));
    // mixed modes (one layer kept in eval while the rest trains) come back as they were
    model.train();
    model.at(3).eval();
    nn.summary(model, [1, 1, 28, 28]);
    assert.deepEqual(model.modules().map((m) => m.training), model.modules().map((m) => m !== model.at(3)));
  });

  test('forward methods are restored (and running statistics untouched: it runs in eval mode)', () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.Dropout(0.5));
    nn.summary(model, [2, 4]);
    for (const m of model.modules()) assert.ok(!Object.hasOwn(m, 'forward'), `${m.constructor.name} keeps no own forward`);
    assert.equal(model.at(0).forward, nn.Linear.prototype.forward);
    const bn = model.at(1) as nn.BatchNorm1d;
    assert.equal(bn.numBatchesTracked!.item(), 0);
    assert.deepEqual(vals(bn.runningMean!), [0, 0, 0]);
    assert.ok(model.training);
  });

  test('a forward defined as an instance field (arrow function) survives', () => {
    class Scale extends nn.Module implements nn.Layer {
      forward = (x: Tensor): Tensor => relu(x);
    }
    const scale = new Scale();
    const own = scale.forward;
    const s = nn.summary(new nn.Sequential(new nn.Linear(2, 2), scale), [1, 2]);
    assert.equal(s.rows[1].type, 'Scale');
    assert.equal(scale.forward, own);
    assert.ok(Object.hasOwn(scale, 'forward'));
  });

  test('when the forward pass throws, modes and forwards are still restored', () => {
    const model = leNet5();
    assert.throws(() => nn.summary(model, [1, 3, 28, 28]), ShapeError);
    assert.ok(model.modules().every((m) => m.training));
    for (const m of model.modules()) assert.ok(!Object.hasOwn(m, 'forward'));
    assert.equal(nn.summary(model, [1, 1, 28, 28]).rows.length, 12);
  });
});

describe('other models', () => {
  test('nested containers show their leaf layers by dotted name; a shared layer shows each call', () => {
    const act = new nn.ReLU();
    class Net extends nn.Module implements nn.Layer {
      features = new nn.Sequential(new nn.Conv2d(3, 4, 3, { padding: 1 }), act);
      head = new nn.Sequential(new nn.Flatten(), new nn.Linear(4 * 8 * 8, 5));
      forward(x: Tensor): Tensor {
        return act.forward(this.head.forward(this.features.forward(x)));
      }
    }
    const s = nn.summary(new Net(), [1, 3, 8, 8]);
    assert.deepEqual(s.rows.map((r) => r.name), ['features.0', 'features.1', 'head.0', 'head.1', 'features.1']);
    assert.equal(s.rows[0].multAdds, 4 * 8 * 8 * 27);
    assert.equal(s.rows[3].multAdds, 256 * 5);
    assert.equal(s.totalParams, 4 * 27 + 4 + 256 * 5 + 5);
  });

  test('a single layer is its own row', () => {
    const s = nn.summary(new nn.Linear(4, 2), [3, 4]);
    assert.deepEqual(s.rows, [{ name: '', type: 'Linear', outputShape: [3, 2], params: 10, multAdds: 24 }]);
    assert.ok(s.toString().split('\n').some((l) => /^Linear\s+\[3, 2\]\s+10\s+24$/.test(l)));
  });

  test('transposed convolutions count multiply-adds per input element, 1-D convolutions per output element', () => {
    const t = nn.summary(new nn.ConvTranspose2d(4, 2, 2, { stride: 2 }), [1, 4, 5, 5]);
    // each of the 4·5·5 inputs is multiplied by 2·2·2 weights
    assert.deepEqual(t.rows[0].outputShape, [1, 2, 10, 10]);
    assert.equal(t.rows[0].multAdds, 100 * 8);
    assert.equal(t.rows[0].params, 4 * 2 * 4 + 2);
    const c = nn.summary(new nn.Conv1d(2, 3, 3), [1, 2, 10]);
    // 3·8 outputs, each a sum over 2·3 taps
    assert.deepEqual(c.rows[0].outputShape, [1, 3, 8]);
    assert.equal(c.rows[0].multAdds, 24 * 6);
  });

  test('rejects a model without forward', () => {
    assert.throws(() => nn.summary(new nn.Module() as unknown as nn.Layer, [1]), ValueError);
    assert.throws(() => nn.summary({ forward: (x: Tensor) => x } as unknown as nn.Layer, [1]), ValueError);
  });
});
