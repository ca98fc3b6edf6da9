import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, Generator, nn, ones, randn, Tensor, ValueError } from '../../src/index.js';

test('DropConnect drops weights (not activations) in training and restores the layer afterwards', () => {
  const linear = new nn.Linear(200, 100).double();
  const dc = new nn.DropConnect(linear, 0.3, { generator: new Generator(5) });
  const w = linear.weight;
  const x = ones([1, 200], { dtype: 'float64' });
  const y = dc.forward(x);
  assert.equal(linear.weight, w, 'the wrapped layer keeps its own Parameter');
  // recover the mask the layer used from the gradient of the weight: d y_j / d W_jk = mask_jk / (1 - p)
  y.sum().backward();
  const g = w.grad!.toTypedArray();
  const kept = g.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-12), 'kept weights are scaled by 1/(1-p)');
  const frac = kept.length / g.length;
  assert.ok(Math.abs(frac - 0.7) < 5 * Math.sqrt((0.7 * 0.3) / g.length), `kept fraction ${frac} near 0.7`);
  // the output is the layer applied with the dropped weights
  const masked = w.detach().mul(w.grad!); // W * mask / (1 - p)
  const expect = F.linear(x, masked, linear.bias!.detach()).toTypedArray();
  y.toTypedArray().forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-9));
});

test('DropConnect in eval mode is the wrapped layer, and bad arguments are refused', () => {
  const linear = new nn.Linear(5, 3);
  const dc = new nn.DropConnect(linear, 0.5).eval();
  const x = randn([4, 5]);
  assert.deepEqual(dc.forward(x).toArray(), linear.forward(x).toArray());
  assert.deepEqual(dc.parameters(), linear.parameters(), 'parameters are the wrapped layer\'s');
  assert.throws(() => new nn.DropConnect(linear, 1.5), (e: Error) => e instanceof ValueError && /DropConnect: .*p must be in \[0, 1\], got 1.5/.test(e.message));
  assert.throws(() => new nn.DropConnect(new nn.ReLU() as unknown as nn.Linear, 0.5), (e: Error) => e instanceof ValueError && /weight/.test(e.message));
  assert.ok(dc.forward(x) instanceof Tensor);
});
