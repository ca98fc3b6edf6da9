/**
 * Layers start as PyTorch's do (the reset_parameters of each torch.nn layer), and their constructors refuse bad
 * arguments with typed errors that name the layer and the value. Weight statistics use large layers so that the
 * tolerances (many standard errors wide) cannot flake while the wrong fan or bound is far outside them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, Tensor, ValueError, manualSeed, nn, select, zeros } from '../../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = vals(t);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, std, min: v.reduce((a, b) => Math.min(a, b), Infinity), max: v.reduce((a, b) => Math.max(a, b), -Infinity) };
}

/**
 * U(-b, b): inside the bound (b rounded to the tensor's float32, which no stored value can pass), reaching
 * within `reach` of both ends, and, when `stdTol` is given, with std b / sqrt(3) within that fraction.
 */
function assertUniform(t: Tensor, b: number, reach: number, stdTol?: number): void {
  const s = stats(t);
  const edge = t.dtype === 'float32' ? Math.fround(b) : b;
  assert.ok(s.min >= -edge && s.max <= edge, `values in [${s.min}, ${s.max}] exceed ±${b}`);
  assert.ok(s.min < -reach * b && s.max > reach * b, `values in [${s.min}, ${s.max}] do not reach ±${reach}·${b}`);
  if (stdTol !== undefined) {
    assert.ok(Math.abs(s.std / (b / Math.sqrt(3)) - 1) < stdTol, `std ${s.std}, expected ${b / Math.sqrt(3)}`);
    assert.ok(Math.abs(s.mean) < 0.05 * b, `mean ${s.mean}`);
  }
}

describe('default initialization, as PyTorch', () => {
  test('Linear: weight and bias U(±1/sqrt(inFeatures)), std bound/sqrt(3)', () => {
    manualSeed(0);
    const lin = new nn.Linear(512, 1024); // weight [1024, 512]: 524,288 samples; bias 1024
    assert.deepEqual(lin.weight.shape, [1024, 512]);
    assert.deepEqual(lin.bias!.shape, [1024]);
    const b = 1 / Math.sqrt(512);
    assertUniform(lin.weight, b, 0.99, 0.02);
    assertUniform(lin.bias!, b, 0.9, 0.1);
    assert.equal(lin.weight.dtype, 'float32');
    assert.ok(lin.weight.requiresGrad && lin.bias!.requiresGrad);
    assert.equal(new nn.Linear(3, 2, { bias: false }).bias, null);
    assert.equal(new nn.Linear(3, 2, { dtype: 'float64' }).weight.dtype, 'float64');
  });

  test('Linear.resetParameters draws again', () => {
    manualSeed(1);
    const lin = new nn.Linear(8, 8);
    const before = vals(lin.weight);
    const w = lin.weight;
    lin.resetParameters();
    assert.equal(lin.weight, w, 'in place');
    assert.notDeepEqual(vals(lin.weight), before);
    assertUniform(lin.weight, 1 / Math.sqrt(8), 0.5);
  });

  test('Conv2d: fanIn = inChannels/groups · kh · kw', () => {
    manualSeed(2);
    const conv = new nn.Conv2d(64, 128, 3); // fanIn 576, 73,728 weights
    assertUniform(conv.weight, 1 / 24, 0.99, 0.02);
    assertUniform(conv.bias!, 1 / 24, 0.5);
    const grouped = new nn.Conv2d(64, 128, 3, { groups: 4 }); // weight [128, 16, 3, 3], fanIn 144
    assert.deepEqual(grouped.weight.shape, [128, 16, 3, 3]);
    assertUniform(grouped.weight, 1 / 12, 0.99, 0.03);
    assertUniform(grouped.bias!, 1 / 12, 0.5);
    const rect = new nn.Conv2d(16, 64, [3, 5]); // fanIn 240
    assertUniform(rect.weight, 1 / Math.sqrt(240), 0.99, 0.03);
  });

  test('Conv1d: fanIn = inChannels/groups · kernelSize', () => {
    manualSeed(3);
    const conv = new nn.Conv1d(32, 64, 5); // fanIn 160, 10,240 weights
    assert.deepEqual(conv.weight.shape, [64, 32, 5]);
    assertUniform(conv.weight, 1 / Math.sqrt(160), 0.99, 0.04);
    assertUniform(conv.bias!, 1 / Math.sqrt(160), 0.5);
  });

  test('ConvTranspose: fan in is taken from weight dim 1 (outChannels/groups · kernel), as PyTorch', () => {
    manualSeed(4);
    // weight [16, 256, 3, 3]: PyTorch's fan in is 256·9 = 2304 (bound 1/48), not 16·9 (bound 1/12)
    const ct = new nn.ConvTranspose2d(16, 256, 3);
    assert.deepEqual(ct.weight.shape, [16, 256, 3, 3]);
    assertUniform(ct.weight, 1 / 48, 0.99, 0.03);
    assertUniform(ct.bias!, 1 / 48, 0.5);
    // ConvTranspose1d weight [8, 64, 4]: fan in 256 -> 1/16
    const ct1 = new nn.ConvTranspose1d(8, 64, 4);
    assert.deepEqual(ct1.weight.shape, [8, 64, 4]);
    assertUniform(ct1.weight, 1 / 16, 0.99, 0.05);
    assertUniform(ct1.bias!, 1 / 16, 0.5);
  });

  test('BatchNorm: weight 1, bias 0, running mean 0, running variance 1, no batches tracked', () => {
    for (const bn of [new nn.BatchNorm1d(5), new nn.BatchNorm2d(5)]) {
      assert.deepEqual(vals(bn.weight!), [1, 1, 1, 1, 1]);
      assert.deepEqual(vals(bn.bias!), [0, 0, 0, 0, 0]);
      assert.deepEqual(vals(bn.runningMean!), [0, 0, 0, 0, 0]);
      assert.deepEqual(vals(bn.runningVar!), [1, 1, 1, 1, 1]);
      assert.equal(bn.numBatchesTracked!.item(), 0);
      assert.equal(bn.numBatchesTracked!.dtype, 'int32');
      assert.ok(bn.weight!.requiresGrad && !bn.runningMean!.requiresGrad);
    }
    const plain = new nn.BatchNorm2d(3, { affine: false, trackRunningStats: false });
    assert.equal(plain.weight, null);
    assert.equal(plain.runningMean, null);
    assert.equal(plain.parameterCount(), 0);
  });

  test('LayerNorm and GroupNorm: weight ones, bias zeros; InstanceNorm2d: none by default', () => {
    const ln = new nn.LayerNorm([4, 5]);
    assert.deepEqual(ln.weight!.shape, [4, 5]);
    assert.ok(vals(ln.weight!).every((v) => v === 1));
    assert.ok(vals(ln.bias!).every((v) => v === 0));
    assert.deepEqual(new nn.LayerNorm(6).weight!.shape, [6]);
    assert.equal(new nn.LayerNorm(6, { elementwiseAffine: false }).weight, null);
    const gn = new nn.GroupNorm(2, 6);
    assert.deepEqual(vals(gn.weight!), [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(vals(gn.bias!), [0, 0, 0, 0, 0, 0]);
    const inorm = new nn.InstanceNorm2d(3);
    assert.equal(inorm.weight, null);
    assert.equal(inorm.runningMean, null);
    assert.deepEqual(Object.keys(inorm.stateDict()), []);
  });

  test('Embedding: N(0, 1) with the padding row zero', () => {
    manualSeed(5);
    const emb = new nn.Embedding(1000, 64, { paddingIdx: 3 }); // 64,000 samples
    assert.deepEqual(emb.weight.shape, [1000, 64]);
    const s = stats(emb.weight);
    // std of the 999 random rows plus one zero row is sqrt(999/1000) of 1; within 3 % either way
    assert.ok(Math.abs(s.std - 1) < 0.03, `std ${s.std}`);
    assert.ok(Math.abs(s.mean) < 0.03, `mean ${s.mean}`);
    assert.ok(s.max > 3 && s.min < -3, 'normal tails, not a bounded uniform');
    assert.deepEqual(vals(select(emb.weight, 0, 3)), Array(64).fill(0));
    assert.ok(vals(select(emb.weight, 0, 2)).every((v) => v !== 0));
    const last = new nn.Embedding(10, 4, { paddingIdx: -1 });
    assert.equal(last.paddingIdx, 9);
    assert.deepEqual(vals(select(last.weight, 0, 9)), [0, 0, 0, 0]);
    assert.equal(new nn.Embedding(10, 4).paddingIdx, null);
  });

  test('PReLU: slopes start at 0.25', () => {
    assert.deepEqual(vals(new nn.PReLU().weight), [0.25]);
    assert.deepEqual(vals(new nn.PReLU(8).weight), Array(8).fill(0.25));
    assert.deepEqual(vals(new nn.PReLU(2, { init: 0.1 }).weight), [Math.fround(0.1), Math.fround(0.1)]);
  });

  test('default hyper-parameters: Dropout p 0.5, LeakyReLU slope 0.01, BatchNorm eps 1e-5 momentum 0.1', () => {
    assert.equal(new nn.Dropout().p, 0.5);
    assert.equal(new nn.LeakyReLU().negativeSlope, 0.01);
    assert.match(new nn.BatchNorm2d(2).extraRepr(), /eps=0\.00001|eps=1e-5/);
    assert.match(new nn.BatchNorm2d(2).extraRepr(), /momentum=0\.1/);
  });
});

/** Asserts `fn` throws an instance of `type` whose message mentions every one of `parts`. */
function throwsNaming(fn: () => unknown, type: typeof ValueError | typeof ShapeError, parts: string[]): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.name}: ${e.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

describe('layer constructors and forwards reject bad arguments', () => {
  test('negative or fractional sizes', () => {
    throwsNaming(() => new nn.Linear(-1, 2), ValueError, ['Linear', 'inFeatures', '-1']);
    throwsNaming(() => new nn.Linear(4, 2.5), ValueError, ['Linear', 'outFeatures', '2.5']);
    throwsNaming(() => new nn.Conv2d(3.5, 8, 3), ValueError, ['Conv2d', 'inChannels', '3.5']);
    throwsNaming(() => new nn.Conv2d(3, 8, [3, -1]), ValueError, ['Conv2d', 'kernelSize', '-1']);
    throwsNaming(() => new nn.Conv2d(3, 8, 0), ValueError, ['Conv2d', 'kernelSize', '0']);
    throwsNaming(() => new nn.Conv1d(4, 4, 0), ValueError, ['Conv1d', 'kernelSize', '0']);
    throwsNaming(() => new nn.ConvTranspose2d(4, -6, 3), ValueError, ['ConvTranspose2d', 'outChannels', '-6']);
    throwsNaming(() => new nn.BatchNorm2d(-2), ValueError, ['BatchNorm2d', 'numFeatures', '-2']);
    throwsNaming(() => new nn.BatchNorm1d(1.5), ValueError, ['BatchNorm1d', '1.5']);
    throwsNaming(() => new nn.Embedding(10, 2.5), ValueError, ['Embedding', 'embeddingDim', '2.5']);
    throwsNaming(() => new nn.LayerNorm([4, -1]), ValueError, ['LayerNorm', '-1']);
    throwsNaming(() => new nn.PReLU(0), ValueError, ['PReLU', '0']);
    throwsNaming(() => new nn.LocalResponseNorm(0), ValueError, ['LocalResponseNorm', '0']);
  });

  test('groups that do not divide the channels', () => {
    throwsNaming(() => new nn.Conv2d(6, 4, 3, { groups: 4 }), ValueError, ['Conv2d', '6', 'groups 4']);
    throwsNaming(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), ValueError, ['Conv2d', '6', 'groups 4']);
    throwsNaming(() => new nn.Conv2d(4, 4, 3, { groups: 0 }), ValueError, ['Conv2d', 'groups', '0']);
    throwsNaming(() => new nn.Conv1d(4, 4, 3, { groups: 1.5 }), ValueError, ['Conv1d', 'groups', '1.5']);
    throwsNaming(() => new nn.ConvTranspose2d(4, 6, 3, { groups: 4 }), ValueError, ['ConvTranspose2d', '6', 'groups 4']);
    throwsNaming(() => new nn.GroupNorm(3, 8), ValueError, ['GroupNorm', '8', '3']);
  });

  test('dropout probability outside [0, 1]', () => {
    for (const p of [1.5, -0.1, NaN]) {
      throwsNaming(() => new nn.Dropout(p), ValueError, ['Dropout', String(p)]);
      throwsNaming(() => new nn.Dropout2d(p), ValueError, ['Dropout2d', String(p)]);
      throwsNaming(() => new nn.DropBlock2d(p, 3), ValueError, ['DropBlock2d', String(p)]);
    }
    throwsNaming(() => new nn.DropBlock2d(0.1, 0), ValueError, ['DropBlock2d', 'blockSize', '0']);
    // the ends are allowed
    assert.equal(new nn.Dropout(0).p, 0);
    assert.equal(new nn.Dropout(1).p, 1);
  });

  test('an out-of-range padding index', () => {
    throwsNaming(() => new nn.Embedding(10, 4, { paddingIdx: 10 }), ValueError, ['Embedding', 'paddingIdx', '10']);
    throwsNaming(() => new nn.Embedding(10, 4, { paddingIdx: -11 }), ValueError, ['Embedding', '-11']);
  });

  test('BatchNorm given the wrong rank or channel count', () => {
    throwsNaming(() => new nn.BatchNorm2d(3).forward(zeros([2, 3, 4])), ShapeError, ['BatchNorm2d', '4-D', '[2, 3, 4]']);
    throwsNaming(() => new nn.BatchNorm2d(3).forward(zeros([2, 4, 2, 2])), ShapeError, ['BatchNorm2d', '3 channels', '[2, 4, 2, 2]']);
    throwsNaming(() => new nn.BatchNorm1d(3).forward(zeros([2, 3, 4, 4])), ShapeError, ['BatchNorm1d', '[2, 3, 4, 4]']);
    throwsNaming(() => new nn.InstanceNorm2d(3).forward(zeros([3, 4, 4])), ShapeError, ['InstanceNorm2d', '[3, 4, 4]']);
  });

  test('a failed forward leaves batch norm statistics alone', () => {
    const bn = new nn.BatchNorm2d(3);
    assert.throws(() => bn.forward(zeros([2, 3, 4])), ShapeError);
    assert.equal(bn.numBatchesTracked!.item(), 0);
    assert.deepEqual(vals(bn.runningMean!), [0, 0, 0]);
  });

  test('Linear and Conv2d given the wrong number of input features', () => {
    // the message comes from the functional op ('linear' / 'conv2d') and names both sizes and the shape
    throwsNaming(() => new nn.Linear(4, 2).forward(zeros([3, 5])), ShapeError, ['linear', '4', '[3, 5]']);
    throwsNaming(() => new nn.Conv2d(3, 8, 3).forward(zeros([1, 4, 8, 8])), ShapeError, ['conv2d', '3 input channels', '[1, 4, 8, 8]']);
    throwsNaming(() => new nn.PReLU(2).forward(zeros([2, 3])), ShapeError, ['PReLU', '[2, 3]']);
  });

  test('other bad arguments', () => {
    throwsNaming(() => new nn.Softmax(1.5), ValueError, ['Softmax', '1.5']);
    throwsNaming(() => new nn.LogSoftmax(0.5), ValueError, ['LogSoftmax', '0.5']);
    throwsNaming(() => new nn.DropConnect(new nn.ReLU() as unknown as nn.Linear, 0.5), ValueError, ['DropConnect', 'weight']);
  });
});
