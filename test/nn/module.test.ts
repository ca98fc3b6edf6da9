/**
 * Module and Parameter (src/nn/module.ts): registration by assignment, dotted names, buffers and the state dict,
 * train/eval, freezing, apply, zeroGrad, loadStateDict (in place, strict, atomic) and dtype conversion.
 * Expected behaviour is PyTorch's nn.Module.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ShapeError, Tensor, ValueError, fill_, full, manualSeed, nn, noGrad, ones, randn, sum, tensor, zeros,
} from '../../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);
const names = (entries: [string, unknown][]): string[] => entries.map((e) => e[0]);

class Inner extends nn.Module {
  conv = new nn.Conv2d(2, 3, 3);
  bn = new nn.BatchNorm2d(3);

  forward(x: Tensor): Tensor {
    return this.bn.forward(this.conv.forward(x));
  }
}

class Outer extends nn.Module {
  block = new Inner();
  head = new nn.Linear(3, 2);
}

describe('registration by assignment', () => {
  test('children and parameters are found in assignment order, not declaration or name order', () => {
    class Net extends nn.Module {
      declare second: nn.Linear;
      declare first: nn.Linear;
      declare scale: nn.Parameter;
      constructor() {
        super();
        this.first = new nn.Linear(3, 4);
        this.scale = new nn.Parameter(ones([4]));
        this.second = new nn.Linear(4, 2);
      }
    }
    const net = new Net();
    assert.deepEqual(names(net.namedChildren()), ['first', 'second']);
    assert.deepEqual(net.children(), [net.first, net.second]);
    // own parameters first, then each child's, as PyTorch's named_parameters
    assert.deepEqual(names(net.namedParameters()), ['scale', 'first.weight', 'first.bias', 'second.weight', 'second.bias']);
    assert.deepEqual(net.parameters(), [net.scale, net.first.weight, net.first.bias, net.second.weight, net.second.bias]);

    class Fields extends nn.Module {
      zeta = new nn.ReLU();
      alpha = new nn.Tanh();
    }
    assert.deepEqual(names(new Fields().namedChildren()), ['zeta', 'alpha']);
  });

  test('plain tensors, numbers and arrays of modules are not registered (as PyTorch; use ModuleList)', () => {
    class Net extends nn.Module {
      plain = zeros([3]);
      k = 3;
      list = [new nn.Linear(2, 2)];
      p = new nn.Parameter(zeros([2]));
    }
    const net = new Net();
    assert.deepEqual(names(net.namedParameters()), ['p']);
    assert.equal(net.children().length, 0);
    assert.deepEqual(Object.keys(net.stateDict()), ['p']);
  });

  test('re-assigning a property replaces the child; null removes it', () => {
    class Net extends nn.Module {
      fc: nn.Linear | null = new nn.Linear(2, 2);
      out = new nn.Linear(2, 1);
    }
    const net = new Net();
    const old = net.fc!;
    net.fc = new nn.Linear(2, 2, { bias: false });
    assert.ok(!net.parameters().includes(old.weight));
    assert.deepEqual(names(net.namedParameters()), ['fc.weight', 'out.weight', 'out.bias']);
    net.fc = null;
    assert.deepEqual(names(net.namedParameters()), ['out.weight', 'out.bias']);
    assert.deepEqual(names(net.namedChildren()), ['out']);
  });

  test('nested modules get dotted names', () => {
    const m = new Outer();
    assert.deepEqual(names(m.namedModules()), ['', 'block', 'block.conv', 'block.bn', 'head']);
    assert.equal(m.modules().length, 5);
    assert.deepEqual(names(m.namedParameters()), [
      'block.conv.weight', 'block.conv.bias', 'block.bn.weight', 'block.bn.bias', 'head.weight', 'head.bias',
    ]);
    assert.deepEqual(names(m.namedBuffers()), ['block.bn.running_mean', 'block.bn.running_var', 'block.bn.num_batches_tracked']);
    assert.equal(m.buffers()[0], m.block.bn.runningMean);
  });

  test('Parameter shares the storage of the tensor it wraps and requires grad; integers are refused', () => {
    const t = zeros([2, 3]);
    const p = new nn.Parameter(t);
    assert.equal(p.storage, t.storage);
    assert.equal(p.requiresGrad, true);
    assert.equal(p.isLeaf, true);
    assert.equal(new nn.Parameter(t, false).requiresGrad, false);
    assert.throws(() => new nn.Parameter(zeros([2], { dtype: 'int32' })), (e: Error) => e instanceof ValueError && /int32/.test(e.message));
    assert.throws(() => new nn.Parameter([1, 2] as unknown as Tensor), ValueError);
  });
});

describe('shared parameters and modules', () => {
  test('a tied parameter is listed and counted once; the state dict names it under both keys (as PyTorch)', () => {
    class Tied extends nn.Module {
      enc = new nn.Linear(4, 4);
      dec = new nn.Linear(4, 4);
    }
    const m = new Tied();
    m.dec.weight = m.enc.weight;
    assert.deepEqual(names(m.namedParameters()), ['enc.weight', 'enc.bias', 'dec.bias']);
    assert.equal(m.parameters().length, 3);
    assert.equal(m.parameterCount(), 16 + 4 + 4);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), ['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias']);
    assert.equal(sd['enc.weight'], sd['dec.weight']);
  });

  test('a module held under two names is visited once; its state appears under both prefixes (as PyTorch)', () => {
    class Twice extends nn.Module {
      a = new nn.Linear(2, 2);
      b = this.a;
    }
    const m = new Twice();
    assert.deepEqual(names(m.namedModules()), ['', 'a']);
    assert.deepEqual(names(m.namedParameters()), ['a.weight', 'a.bias']);
    assert.equal(m.parameterCount(), 6);
    assert.deepEqual(Object.keys(m.stateDict()), ['a.weight', 'a.bias', 'b.weight', 'b.bias']);
    // loading its own state back works (both keys are expected)
    m.loadStateDict(m.stateDict());
  });

  test('a module that refers back to its parent does not loop', () => {
    class Child extends nn.Module {
      fc = new nn.Linear(2, 2);
      parent: nn.Module | null = null;
    }
    class Parent extends nn.Module {
      child = new Child();
    }
    const p = new Parent();
    p.child.parent = p;
    assert.deepEqual(names(p.namedModules()), ['', 'child', 'child.fc']);
    assert.deepEqual(Object.keys(p.stateDict()), ['child.fc.weight', 'child.fc.bias']);
  });
});

describe('buffers', () => {
  test("BatchNorm's buffers are in the state dict under PyTorch's names, after weight and bias", () => {
    const bn = new nn.BatchNorm1d(3);
    const sd = bn.stateDict();
    assert.deepEqual(Object.keys(sd), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    assert.equal(sd.running_mean, bn.runningMean);
    assert.equal(sd.running_var, bn.runningVar);
    assert.equal(sd.num_batches_tracked.dtype, 'int32');
    assert.deepEqual(sd.num_batches_tracked.shape, []);
    assert.deepEqual(names(bn.namedParameters()), ['weight', 'bias']);
    assert.equal(bn.buffers().length, 3);
  });

  test('null buffers (trackRunningStats false) and absent parameters (affine false) are left out', () => {
    assert.deepEqual(Object.keys(new nn.BatchNorm2d(2, { trackRunningStats: false }).stateDict()), ['weight', 'bias']);
    assert.deepEqual(Object.keys(new nn.BatchNorm2d(2, { affine: false }).stateDict()), ['running_mean', 'running_var', 'num_batches_tracked']);
  });

  test('non-persistent buffers are buffers but not in the state dict, and loading does not ask for them', () => {
    class Masked extends nn.Module {
      declare mask: Tensor;
      declare count: Tensor;
      declare later: Tensor | null;
      fc = new nn.Linear(2, 2);
      constructor() {
        super();
        this.registerBuffer('mask', ones([2]), { persistent: false });
        this.registerBuffer('count', zeros([1]));
        this.registerBuffer('later', null);
      }
    }
    const m = new Masked();
    assert.deepEqual(names(m.namedBuffers()), ['mask', 'count']);
    assert.deepEqual(Object.keys(m.stateDict()), ['count', 'fc.weight', 'fc.bias']);
    m.loadStateDict(new Masked().stateDict());
    // a registered name picks up a tensor assigned to it later, as PyTorch's buffer attributes do
    m.later = tensor([3]);
    assert.deepEqual(names(m.namedBuffers()), ['mask', 'count', 'later']);
    assert.ok('later' in m.stateDict());
  });

  test('a stateKey renames a buffer in the state dict, and loading by that key fills the property', () => {
    class Tracker extends nn.Module {
      declare avgLoss: Tensor;
      constructor() {
        super();
        this.registerBuffer('avgLoss', zeros([2]), { stateKey: 'avg_loss' });
      }
    }
    const t = new Tracker();
    assert.deepEqual(Object.keys(t.stateDict()), ['avg_loss']);
    assert.deepEqual(names(t.namedBuffers()), ['avg_loss']);
    const buf = t.avgLoss;
    t.loadStateDict({ avg_loss: tensor([1.5, 2.5]) });
    assert.equal(t.avgLoss, buf, 'loaded in place');
    assert.deepEqual(vals(t.avgLoss), [1.5, 2.5]);
    assert.throws(() => t.loadStateDict({ avgLoss: tensor([1, 2]) }), /missing keys: avg_loss; unexpected keys: avgLoss/);
  });

  test('registerBuffer rejects bad names and non-tensors', () => {
    const m = new nn.Module();
    assert.throws(() => m.registerBuffer('a.b', zeros([1])), (e: Error) => e instanceof ValueError && /a\.b/.test(e.message));
    assert.throws(() => m.registerBuffer('', zeros([1])), ValueError);
    assert.throws(() => m.registerBuffer('x', [1, 2] as unknown as Tensor), (e: Error) => e instanceof ValueError && /'x'/.test(e.message));
  });
});

describe('train() and eval()', () => {
  class Net extends nn.Module {
    body = new nn.Sequential(new nn.Linear(8, 8), new nn.BatchNorm1d(8), new nn.Dropout(0.5));
    heads = new nn.ModuleList([new nn.Linear(8, 2), new nn.Dropout(0.2)]);
  }

  test('propagate to every module below, and return the module', () => {
    const net = new Net();
    assert.ok(net.modules().every((m) => m.training));
    assert.equal(net.eval(), net);
    assert.equal(net.modules().length, 8);
    assert.ok(net.modules().every((m) => !m.training));
    assert.equal(net.train(), net);
    assert.ok(net.modules().every((m) => m.training));
    net.train(false);
    assert.ok(net.modules().every((m) => !m.training));
  });

  test('switch dropout between masking and identity', () => {
    manualSeed(0);
    const drop = new nn.Dropout(0.5);
    const x = ones([4000]);
    const y = vals(drop.forward(x));
    const zerosCount = y.filter((v) => v === 0).length;
    assert.ok(y.every((v) => v === 0 || v === 2), 'kept elements are scaled by 1/(1-p)');
    assert.ok(zerosCount > 1700 && zerosCount < 2300, `about half dropped, got ${zerosCount}`);
    drop.eval();
    assert.deepEqual(vals(drop.forward(x)), vals(x));
  });

  test('switch batch norm between batch statistics (updating running ones) and running statistics', () => {
    manualSeed(1);
    const bn = new nn.BatchNorm1d(2);
    const x = tensor([[1, 10], [3, 20], [5, 60]]);
    const yTrain = vals(bn.forward(x));
    // channel 0: mean 3, biased var 8/3 -> normalized (x - 3) / sqrt(8/3 + 1e-5)
    const s0 = Math.sqrt(8 / 3 + 1e-5);
    assert.ok(Math.abs(yTrain[0] - -2 / s0) < 1e-5 && Math.abs(yTrain[4] - 2 / s0) < 1e-5);
    // running stats moved by momentum 0.1 toward the batch mean and the unbiased variance
    assert.ok(Math.abs(vals(bn.runningMean!)[0] - 0.3) < 1e-6);
    assert.ok(Math.abs(vals(bn.runningVar!)[0] - (0.9 + 0.1 * 4)) < 1e-6);
    assert.equal(bn.numBatchesTracked!.item(), 1);
    bn.eval();
    const rm = vals(bn.runningMean!);
    const rv = vals(bn.runningVar!);
    const yEval = vals(bn.forward(x));
    assert.ok(Math.abs(yEval[0] - (1 - rm[0]) / Math.sqrt(rv[0] + 1e-5)) < 1e-5);
    assert.ok(Math.abs(yEval[5] - (60 - rm[1]) / Math.sqrt(rv[1] + 1e-5)) < 1e-4);
    assert.deepEqual(vals(bn.runningMean!), rm, 'eval does not update the running statistics');
    assert.equal(bn.numBatchesTracked!.item(), 1);
  });
});

describe('gradients', () => {
  test('requiresGrad_(false) freezes: frozen parameters get no gradient, the rest do', () => {
    manualSeed(2);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const first = model.at(0) as nn.Linear;
    const last = model.at(2) as nn.Linear;
    assert.equal(first.requiresGrad_(false), first);
    assert.equal(first.weight.requiresGrad, false);
    assert.equal(model.parameterCount(), 16 + 10);
    assert.equal(model.parameterCount({ trainableOnly: true }), 10);
    sum(model.forward(randn([5, 3]))).backward();
    assert.equal(first.weight.grad, null);
    assert.equal(first.bias!.grad, null);
    assert.ok(last.weight.grad instanceof Tensor);
    assert.deepEqual(last.weight.grad.shape, [2, 4]);
    model.requiresGrad_();
    assert.ok(model.parameters().every((p) => p.requiresGrad));
  });

  test('gradients accumulate across backward calls until zeroGrad clears them', () => {
    manualSeed(3);
    const model = new nn.Sequential(new nn.Linear(3, 2));
    const x = randn([4, 3]);
    sum(model.forward(x)).backward();
    const g1 = vals(model.parameters()[0].grad!);
    sum(model.forward(x)).backward();
    const g2 = vals(model.parameters()[0].grad!);
    g1.forEach((g, i) => assert.ok(Math.abs(g2[i] - 2 * g) < 1e-5));
    model.zeroGrad();
    assert.ok(model.parameters().every((p) => p.grad === null));
    sum(model.forward(x)).backward();
    assert.deepEqual(vals(model.parameters()[0].grad!), g1);
  });
});

describe('apply', () => {
  test('visits every child before its parent (post-order), and returns the module', () => {
    const inner = new nn.Sequential(new nn.ReLU(), new nn.Linear(2, 2));
    const model = new nn.Sequential(new nn.Linear(2, 2), inner);
    const seen: nn.Module[] = [];
    assert.equal(model.apply((m) => seen.push(m)), model);
    assert.deepEqual(seen, [model.at(0), inner.at(0), inner.at(1), inner, model]);
  });

  test('is how custom initialization is written', () => {
    const model = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 1));
    model.apply((m) => {
      if (m instanceof nn.Linear) noGrad(() => { fill_(m.weight, 0.5); fill_(m.bias!, 0); });
    });
    assert.deepEqual(vals((model.at(2) as nn.Linear).weight), [0.5, 0.5, 0.5]);
    assert.deepEqual(vals(model.forward(ones([1, 3]))), [2.25]);
  });
});

describe('parameterCount', () => {
  test('counts parameter elements', () => {
    assert.equal(new nn.Linear(10, 5).parameterCount(), 55);
    assert.equal(new nn.Linear(10, 5, { bias: false }).parameterCount(), 50);
    assert.equal(new nn.Conv2d(3, 8, 3).parameterCount(), 8 * 3 * 9 + 8);
    assert.equal(new nn.BatchNorm2d(4).parameterCount(), 8, 'buffers are not parameters');
    assert.equal(new Outer().parameterCount(), 2 * 3 * 9 + 3 + 3 + 3 + 3 * 2 + 2);
  });
});

describe('stateDict', () => {
  test('holds the parameters themselves, so writing into it writes into the model', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    const sd = model.stateDict();
    assert.deepEqual(Object.keys(sd), ['0.weight', '0.bias', '2.weight', '2.bias']);
    const lin = model.at(0) as nn.Linear;
    assert.equal(sd['0.weight'], lin.weight);
    assert.equal(sd['0.weight'].storage, lin.weight.storage);
    noGrad(() => fill_(sd['0.weight'], 3));
    assert.deepEqual(vals(lin.weight), [3, 3, 3, 3, 3, 3]);
  });
});

describe('loadStateDict', () => {
  function pair(): [nn.Sequential, nn.Sequential] {
    manualSeed(10);
    const a = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
    manualSeed(11);
    const b = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
    a.forward(randn([6, 3])); // move a's running statistics away from their defaults
    return [a, b];
  }

  test('copies values in place: the same Parameter objects keep working and do not alias the source', () => {
    const [a, b] = pair();
    const before = b.parameters();
    const w = (b.at(0) as nn.Linear).weight;
    b.loadStateDict(a.stateDict());
    assert.deepEqual(b.parameters(), before, 'same Parameter objects');
    assert.equal((b.at(0) as nn.Linear).weight, w);
    const sa = a.stateDict();
    const sb = b.stateDict();
    for (const k of Object.keys(sa)) {
      assert.deepEqual(vals(sb[k]), vals(sa[k]), k);
      assert.notEqual(sb[k].storage, sa[k].storage, `${k} is copied, not shared`);
    }
    assert.deepEqual(vals((b.at(1) as nn.BatchNorm1d).runningMean!), vals((a.at(1) as nn.BatchNorm1d).runningMean!));
    assert.equal((b.at(1) as nn.BatchNorm1d).numBatchesTracked!.item(), 1);
    a.eval();
    b.eval();
    const x = randn([2, 3]);
    assert.deepEqual(vals(b.forward(x)), vals(a.forward(x)));
    // later changes to the source do not reach the loaded model
    noGrad(() => fill_((a.at(0) as nn.Linear).weight, 0));
    assert.notDeepEqual(vals(w), vals((a.at(0) as nn.Linear).weight));
    // and the loaded parameter still trains
    sum(b.forward(x)).backward();
    assert.ok(w.grad instanceof Tensor);
  });

  test('converts values to the parameter dtype (float64 state into a float32 model)', () => {
    const m = new nn.Linear(2, 1);
    m.loadStateDict({ weight: tensor([[0.1, 0.2]], { dtype: 'float64' }), bias: tensor([0.3], { dtype: 'float64' }) });
    assert.equal(m.weight.dtype, 'float32');
    assert.deepEqual(vals(m.weight), [Math.fround(0.1), Math.fround(0.2)]);
  });

  test('strict: false tolerates missing and unexpected keys and loads the rest', () => {
    const m = new nn.Linear(2, 2);
    const bias = vals(m.bias!);
    m.loadStateDict({ weight: tensor([[1, 2], [3, 4]]), extra: zeros([5]) }, { strict: false });
    assert.deepEqual(vals(m.weight), [1, 2, 3, 4]);
    assert.deepEqual(vals(m.bias!), bias);
  });

  test('errors list every missing, unexpected and mis-shaped key, and change nothing', () => {
    const m = new nn.Linear(3, 2);
    const w = vals(m.weight);
    const b = vals(m.bias!);
    assert.throws(
      () => m.loadStateDict({ weight: zeros([2, 4]), extra: zeros([1]), other: zeros([1]) }),
      (e: Error) => {
        assert.ok(e instanceof ValueError, `got ${e.name}`);
        assert.match(e.message, /Linear/);
        assert.match(e.message, /missing keys: bias/);
        assert.match(e.message, /unexpected keys: extra, other/);
        assert.match(e.message, /weight: expected shape \[2, 3\], got \[2, 4\]/);
        return true;
      },
    );
    assert.deepEqual(vals(m.weight), w);
    assert.deepEqual(vals(m.bias!), b);
  });

  test('a mis-shaped key stops the load before any good key is copied (ShapeError, even when not strict)', () => {
    const m = new nn.Linear(3, 2);
    const w = vals(m.weight);
    const good = { weight: full([2, 3], 7), bias: zeros([3]) };
    for (const strict of [true, false]) {
      assert.throws(() => m.loadStateDict(good, { strict }), (e: Error) => e instanceof ShapeError && /bias: expected shape \[2\], got \[3\]/.test(e.message));
      assert.deepEqual(vals(m.weight), w, `weight unchanged (strict ${strict})`);
    }
    assert.throws(() => m.loadStateDict({ weight: [[1, 2, 3], [4, 5, 6]] as unknown as Tensor, bias: zeros([2]) }), /weight: expected a Tensor/);
    assert.deepEqual(vals(m.weight), w);
    assert.throws(() => m.loadStateDict(null as unknown as nn.StateDict), ValueError);
  });

  test('refuses the state of a different model, naming the keys', () => {
    const mlp = new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 8), new nn.ReLU(), new nn.Linear(8, 2));
    const cnn = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(16, 2));
    const before = vals((cnn.at(0) as nn.Conv2d).weight);
    assert.throws(() => cnn.loadStateDict(mlp.stateDict()), (e: Error) => {
      assert.ok(e instanceof ValueError);
      assert.match(e.message, /Sequential/);
      assert.match(e.message, /missing keys: 0\.weight, 0\.bias;/);
      assert.match(e.message, /unexpected keys: 1\.weight, 1\.bias;/);
      assert.match(e.message, /mis-shaped keys: 3\.weight: expected shape \[2, 16\], got \[2, 8\]$/);
      return true;
    });
    assert.deepEqual(vals((cnn.at(0) as nn.Conv2d).weight), before);
  });

  test('a key named like an Object.prototype member is still unexpected', () => {
    const m = new nn.Linear(1, 1);
    assert.throws(() => m.loadStateDict({ ...m.stateDict(), constructor: zeros([1]) } as nn.StateDict), /unexpected keys: constructor/);
  });
});

describe('to(dtype), double(), float()', () => {
  test('convert parameters and floating buffers, keep integer buffers, requiresGrad and ties', () => {
    manualSeed(4);
    class Net extends nn.Module {
      fc = new nn.Linear(3, 3);
      bn = new nn.BatchNorm1d(3);
      out = new nn.Linear(3, 3);
    }
    const net = new Net();
    net.out.weight = net.fc.weight;
    net.bn.requiresGrad_(false);
    const w = vals(net.fc.weight);
    assert.equal(net.double(), net);
    for (const p of net.parameters()) {
      assert.ok(p instanceof nn.Parameter);
      assert.equal(p.dtype, 'float64');
    }
    assert.deepEqual(vals(net.fc.weight), w, 'values kept exactly');
    assert.equal(net.fc.weight.requiresGrad, true);
    assert.equal(net.bn.weight!.requiresGrad, false);
    assert.equal(net.out.weight, net.fc.weight, 'a tied weight stays tied');
    assert.equal(net.bn.runningMean!.dtype, 'float64');
    assert.equal(net.bn.runningVar!.dtype, 'float64');
    assert.equal(net.bn.numBatchesTracked!.dtype, 'int32');
    const y = net.out.forward(net.bn.forward(net.fc.forward(randn([4, 3], { dtype: 'float64' }))));
    assert.equal(y.dtype, 'float64');
    net.float();
    assert.ok(net.parameters().every((p) => p.dtype === 'float32'));
    assert.equal(net.bn.runningMean!.dtype, 'float32');
    assert.deepEqual(vals(net.fc.weight), w);
    net.to('float64');
    assert.equal(net.fc.bias!.dtype, 'float64');
  });

  test('refuses a non-floating dtype without changing anything', () => {
    class Net extends nn.Module {
      declare scale: Tensor;
      body = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 2));
      constructor() {
        super();
        this.registerBuffer('scale', ones([2]));
      }
    }
    const net = new Net();
    const params = net.parameters();
    assert.throws(() => net.to('int32'), (e: Error) => e instanceof ValueError && /Module\.to/.test(e.message) && /int32/.test(e.message));
    assert.deepEqual(net.parameters(), params);
    assert.ok(net.parameters().every((p) => p.dtype === 'float32'));
    assert.equal(net.scale.dtype, 'float32', 'the buffer before the first parameter is not converted either');
  });
});

describe('toString', () => {
  test('prints the tree like PyTorch', () => {
    const s = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU()).toString();
    assert.equal(s, 'Sequential(\n  (0): Linear(inFeatures=4, outFeatures=3, bias=true)\n  (1): ReLU()\n)');
  });
});
