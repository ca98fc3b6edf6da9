/**
 * Containers (src/nn/containers.ts): Sequential, ModuleList and ModuleDict, as PyTorch's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Tensor, ValueError, add, fill_, manualSeed, matmul, mul, nn, noGrad, randn, relu, tensor } from '../../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);
const names = (entries: [string, unknown][]): string[] => entries.map((e) => e[0]);

/** Records its tag in `log` and applies y = a * x + b, so the order of calls changes the result. */
class Affine extends nn.Module implements nn.Layer {
  constructor(readonly a: number, readonly b: number, readonly log: string[] = [], readonly tag = '') {
    super();
  }

  forward(x: Tensor): Tensor {
    this.log.push(this.tag);
    return add(mul(x, this.a), this.b);
  }
}

describe('Sequential', () => {
  test('runs its layers in order, feeding each output to the next', () => {
    const log: string[] = [];
    const seq = new nn.Sequential(new Affine(2, 0, log, 'double'), new Affine(1, 3, log, 'plus3'), new Affine(-1, 0, log, 'negate'));
    assert.deepEqual(vals(seq.forward(tensor([1, 2]))), [-5, -7]); // -(2x + 3)
    assert.deepEqual(log, ['double', 'plus3', 'negate']);
  });

  test('equals the layers applied by hand', () => {
    manualSeed(0);
    const l1 = new nn.Linear(3, 4);
    const l2 = new nn.Linear(4, 2);
    const seq = new nn.Sequential(l1, new nn.ReLU(), l2);
    const x = randn([5, 3]);
    const byHand = add(matmul(relu(add(matmul(x, l1.weight.mT), l1.bias!)), l2.weight.mT), l2.bias!);
    const got = vals(seq.forward(x));
    vals(byHand).forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6));
  });

  test('an empty Sequential is the identity', () => {
    const x = tensor([1, 2, 3]);
    assert.equal(new nn.Sequential().forward(x), x);
    assert.equal(new nn.Sequential().length, 0);
  });

  test('at(), negative indices, length and append', () => {
    const a = new nn.Linear(2, 3);
    const r = new nn.ReLU();
    const seq = new nn.Sequential(a, r);
    assert.equal(seq.length, 2);
    assert.equal(seq.at(0), a);
    assert.equal(seq.at(-1), r);
    assert.equal(seq.at(-2), a);
    const b = new nn.Linear(3, 1);
    assert.equal(seq.append(b), seq);
    assert.equal(seq.length, 3);
    assert.equal(seq.at(2), b);
    assert.deepEqual(names(seq.namedChildren()), ['0', '1', '2']);
    assert.deepEqual(vals(seq.forward(tensor([[1, 1]]))).length, 1);
    for (const i of [3, -4, 0.5]) {
      assert.throws(() => seq.at(i), (e: Error) => e instanceof ValueError && e.message.includes(`index ${i}`) && e.message.includes('3 layers'));
    }
  });

  test('more than ten layers keep numeric order', () => {
    const log: string[] = [];
    const layers = Array.from({ length: 12 }, (_, i) => new Affine(1, i, log, String(i)));
    const seq = new nn.Sequential(...layers);
    seq.forward(tensor([0]));
    assert.deepEqual(log, layers.map((_, i) => String(i)));
    assert.equal(seq.at(11), layers[11]);
    assert.deepEqual(names(seq.namedChildren()), layers.map((_, i) => String(i)));
  });

  test('nested Sequentials name parameters by position', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 1)));
    assert.deepEqual(names(seq.namedParameters()), ['0.weight', '0.bias', '1.1.weight', '1.1.bias']);
    assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias', '1.1.weight', '1.1.bias']);
    assert.equal(seq.parameterCount(), 9 + 4);
  });

  test('rejects arguments that are not modules, naming the position', () => {
    assert.throws(() => new nn.Sequential(new nn.ReLU(), ((x: Tensor) => x) as unknown as nn.Layer), (e: Error) => e instanceof ValueError && /argument 1/.test(e.message));
    assert.throws(() => new nn.Sequential().append({ forward: (x: Tensor) => x } as unknown as nn.Layer), ValueError);
  });
});

describe('ModuleList', () => {
  test('registers its modules so their parameters are found and trained', () => {
    class Net extends nn.Module {
      layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2, { bias: false })]);
    }
    const net = new Net();
    assert.deepEqual(names(net.namedParameters()), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight']);
    net.eval();
    assert.ok(net.layers.children().every((m) => !m.training));
  });

  test('iterates in order; length, at() and append', () => {
    const a = new nn.ReLU();
    const b = new nn.Tanh();
    const list = new nn.ModuleList([a]);
    assert.equal(list.append(b), list);
    assert.equal(list.length, 2);
    assert.deepEqual([...list], [a, b]);
    const seen: nn.Module[] = [];
    for (const m of list) seen.push(m);
    assert.deepEqual(seen, [a, b]);
    assert.equal(list.at(-1), b);
    assert.throws(() => list.at(2), (e: Error) => e instanceof ValueError && /index 2/.test(e.message));
    assert.equal(new nn.ModuleList().length, 0);
  });

  test('rejects non-modules', () => {
    assert.throws(() => new nn.ModuleList([new nn.ReLU(), 3 as unknown as nn.Module]), ValueError);
    assert.throws(() => new nn.ModuleList().append(tensor([1]) as unknown as nn.Module), ValueError);
  });
});

describe('ModuleDict', () => {
  test('registers modules under their keys, in insertion order (numeric-looking keys too, as PyTorch)', () => {
    const d = new nn.ModuleDict({ b: new nn.Linear(1, 1), 2: new nn.ReLU(), a: new nn.Linear(1, 2) });
    d.set('1', new nn.Tanh());
    // a JS object literal itself lists integer-like keys first ('2', 'b', 'a'); after that, insertion order holds:
    // '1' goes last although a plain object would put it first
    assert.deepEqual(d.keys(), ['2', 'b', 'a', '1']);
    assert.equal(d.length, 4);
    assert.deepEqual(names(d.namedParameters()), ['b.weight', 'b.bias', 'a.weight', 'a.bias']);
  });

  test('keeps insertion order for keys set one by one', () => {
    const d = new nn.ModuleDict();
    for (const k of ['conv', '10', 'head', '3']) d.set(k, new nn.ReLU());
    assert.deepEqual(d.keys(), ['conv', '10', 'head', '3']);
    assert.deepEqual([...d], ['conv', '10', 'head', '3']);
    assert.deepEqual(names(d.namedModules()), ['', 'conv', '10', 'head', '3']);
  });

  test('get, has, set replacing in place, values and entries', () => {
    const enc = new nn.Linear(4, 2);
    const dec = new nn.Linear(2, 4);
    const d = new nn.ModuleDict({ enc, dec });
    assert.equal(d.get('enc'), enc);
    assert.ok(d.has('dec'));
    assert.ok(!d.has('nothing'));
    assert.ok(!d.has('keys'));
    assert.deepEqual(d.values(), [enc, dec]);
    assert.deepEqual(d.entries(), [['enc', enc], ['dec', dec]]);
    const enc2 = new nn.Linear(4, 2, { bias: false });
    assert.equal(d.set('enc', enc2), d);
    assert.deepEqual(d.keys(), ['enc', 'dec'], 'a replaced key keeps its place');
    assert.equal(d.get('enc'), enc2);
    assert.deepEqual(names(d.namedParameters()), ['enc.weight', 'dec.weight', 'dec.bias']);
    noGrad(() => fill_(enc2.weight, 1));
    assert.deepEqual(vals(d.stateDict()['enc.weight']), Array(8).fill(1));
  });

  test('get of a missing key lists the keys', () => {
    const d = new nn.ModuleDict({ a: new nn.ReLU(), b: new nn.ReLU() });
    assert.throws(() => d.get('c'), (e: Error) => e instanceof ValueError && /'c'/.test(e.message) && /a, b/.test(e.message));
    assert.throws(() => d.get('keys'), ValueError);
    assert.throws(() => d.get('training'), ValueError);
  });

  test('rejects non-modules and keys that are empty, dotted, or name a member of the module', () => {
    const d = new nn.ModuleDict();
    assert.throws(() => d.set('x', 1 as unknown as nn.Module), (e: Error) => e instanceof ValueError && /'x'/.test(e.message));
    for (const key of ['', 'a.b', 'training', 'parameters', 'keys', 'set', 'constructor', '__proto__', 'toString', '_order', '_bufferNames', 'length']) {
      assert.throws(() => d.set(key, new nn.ReLU()), ValueError, `key ${JSON.stringify(key)}`);
    }
    assert.equal(d.length, 0);
    // the module still works after the refusals
    d.registerBuffer('buf', tensor([1]));
    assert.deepEqual(names(d.namedBuffers()), ['buf']);
    assert.equal(d.training, true);
    assert.throws(() => new nn.ModuleDict({ 'a.b': new nn.ReLU() }), ValueError);
  });
});
