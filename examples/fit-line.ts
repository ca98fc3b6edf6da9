/**
 * Fits y = w x + b to noisy samples of y = 3x + 2 by gradient descent with autograd, printing the loss as it
 * falls. The same code is the README's first example.
 * Run: npm run build && node dist/examples/fit-line.js
 * @module
 */
import { manualSeed, noGrad, randn, zeros } from '../src/index.js';

manualSeed(0);
const x = randn([200, 1]);
const y = x.mul(3).add(2).add(randn([200, 1]).mul(0.1)); // y = 3x + 2 + noise

const w = zeros([1, 1], { requiresGrad: true });
const b = zeros([1], { requiresGrad: true });
const lr = 0.1;

for (let step = 0; step <= 100; step++) {
  const loss = x.matmul(w).add(b).sub(y).square().mean(); // mean squared error
  loss.backward();
  noGrad(() => {
    w.sub_(w.grad!.mul(lr));
    b.sub_(b.grad!.mul(lr));
  });
  w.grad = null;
  b.grad = null;
  if (step % 20 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(5)}`);
}
console.log(`learned w = ${w.item().toFixed(3)}, b = ${b.item().toFixed(3)} (true: 3, 2)`);
