/**
 * The VAE and the max-unpooling conv auto-encoder against PyTorch twins (tools/make_generative_fixtures.py):
 * with the same float64 weights, the posterior parameters, decoded means, the example's loss (summed BCE + KL) and
 * a weight gradient; the conv AE's reconstruction (odd pooled sizes unpooled back), its code and a gradient.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { F, models, tensor, type Tensor } from '../../src/index.js';

interface Enc { shape: number[]; data: number[] }
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/models/generative.json', import.meta.url), 'utf8'));
const t = (e: Enc): Tensor => tensor(e.data, { dtype: 'float64' }).reshape(e.shape);
const state = (s: Record<string, Enc>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, t(v)]));

function assertClose(actual: Tensor | number, expected: Enc | number, label: string, tol = 1e-10): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual.toTypedArray());
  const e = typeof expected === 'number' ? [expected] : expected.data;
  if (typeof actual !== 'number' && typeof expected !== 'number') assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.equal(a.length, e.length, label);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= tol * Math.max(1, Math.abs(e[i])), `${label}[${i}]: ${v} vs ${e[i]}`));
}

test("vae: PyTorch example's encode, decode, summed BCE + KL and the fc1 gradient", () => {
  const f = fx.vae;
  const m = new models.VAE({ inputSize: 4, hidden: 8, latentDim: 3 }).double();
  m.loadStateDict(state(f.state));
  const x = t(f.x);
  const [mu, logvar] = m.encode(x);
  assertClose(mu, f.mu, 'mu');
  assertClose(logvar, f.logvar, 'logvar');
  const decoded = m.decode(t(f.z));
  assertClose(decoded.reshape([4, 16]), f.decoded, 'decoded');
  const bce = m.nll(decoded, x);
  const kld = F.klStandardNormal(mu, logvar, { reduction: 'sum' });
  assertClose(bce.item(), f.bce, 'bce');
  assertClose(kld.item(), f.kld, 'kld');
  bce.add(kld).backward();
  assertClose(m.fc1.weight.grad!, f.fc1_weight_grad, 'fc1.weight.grad');
});

test('convae: max-unpooling with the encoder indices (odd sizes), code, MSE and a gradient as PyTorch', () => {
  const f = fx.convae;
  const m = new models.ConvAutoEncoder({ channels: [2, 3] }).double();
  m.loadStateDict(state(f.state));
  const x = t(f.x);
  const { output, code } = m.forwardWithCode(x);
  assertClose(output, f.output, 'output');
  assertClose(code, f.code, 'code');
  const loss = F.mseLoss(output, x);
  assertClose(loss.item(), f.mse, 'mse');
  loss.backward();
  const w = (m.encoder.at(0) as unknown as { weight: Tensor }).weight;
  assertClose(w.grad!, f.encoder0_weight_grad, 'encoder.0.weight.grad');
});
