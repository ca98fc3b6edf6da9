/** Module.registerForwardHook, as PyTorch's register_forward_hook. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError, nn, randn, tensor, type Tensor } from '../../src/index.js';
import { expectError } from '../helpers/check-errors.js';

function net(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
}

test('a forward hook sees the module, its inputs and its output; remove() takes it off', () => {
  const model = net();
  const relu = model.at(1);
  const seen: [nn.Module, unknown[], unknown][] = [];
  const handle = relu.registerForwardHook((m, inputs, out) => void seen.push([m, inputs, out]));
  const x = randn([5, 3]);
  const y = model.forward(x);
  assert.equal(seen.length, 1);
  assert.equal(seen[0][0], relu);
  assert.deepEqual((seen[0][1][0] as Tensor).shape, [5, 4]);
  assert.deepEqual([...(seen[0][2] as Tensor).toTypedArray()], [...(seen[0][1][0] as Tensor).relu().toTypedArray()]);
  handle.remove();
  handle.remove(); // a second remove does nothing
  model.forward(x);
  assert.equal(seen.length, 1, 'removed hooks no longer run');
  assert.ok(!Object.hasOwn(relu, 'forward'), 'the original forward is back');
  assert.deepEqual([...model.forward(x).toTypedArray()], [...y.toTypedArray()]);
});

test('hooks run in registration order, a returned value replaces the output, and state dicts are unchanged', () => {
  const model = net();
  const keys = Object.keys(model.stateDict());
  const order: string[] = [];
  const a = model.at(2).registerForwardHook(() => void order.push('a'));
  const b = model.at(2).registerForwardHook((_m, _i, out) => {
    order.push('b');
    return (out as Tensor).mul(0);
  });
  const y = model.forward(randn([2, 3]));
  assert.deepEqual(order, ['a', 'b']);
  assert.deepEqual([...y.toTypedArray()], [0, 0, 0, 0]);
  assert.deepEqual(Object.keys(model.stateDict()), keys);
  assert.equal(model.namedModules().length, 4);
  b.remove();
  assert.notDeepEqual([...model.forward(tensor([[1, 2, 3]])).toTypedArray()], [0, 0]);
  a.remove();
});

test('a hook called once per call of a module used twice; summary still works on a hooked model', () => {
  const relu = new nn.ReLU();
  let calls = 0;
  const h = relu.registerForwardHook(() => void calls++);
  relu.forward(relu.forward(randn([3])));
  assert.equal(calls, 2);
  const model = net();
  const g = model.at(0).registerForwardHook(() => void calls++);
  const s = nn.summary(model, [1, 3]);
  assert.equal(s.rows.length, 3);
  assert.equal(calls, 3, 'the hook ran inside summary');
  g.remove();
  h.remove();
  assert.ok(!Object.hasOwn(model.at(0), 'forward'));
});

test('bad hooks raise ValueError', () => {
  expectError(() => new nn.ReLU().registerForwardHook(42 as never), ValueError, /^registerForwardHook: hook must be a function .*got number/);
  expectError(() => new nn.Module().registerForwardHook(() => undefined), ValueError, /^registerForwardHook: Module has no forward method to hook/);
});
