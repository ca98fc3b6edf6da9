/**
 * The GAN losses of src/nn/loss-gan.ts against the PyTorch expressions they equal (tools/make_gan_fixtures.py):
 * values, gradients for the fixture's upstream gradient, float32, non-contiguous inputs and gradcheck, on every
 * backend; plus the identities between the kinds and the bad inputs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('loss_gan', {
  gan_d: ([real, fake], o) => F.ganDiscriminatorLoss(real, fake, o),
  gan_g: ([fake], o) => F.ganGeneratorLoss(fake, o),
});

test('the discriminator loss is the same for minimax and nonSaturating; D and G pull opposite ways under minimax', () => {
  const r = sd.tensor([0.3, -1.2, 2], { dtype: 'float64' });
  const f = sd.tensor([-0.5, 1.5, 0.1], { dtype: 'float64' });
  assert.equal(F.ganDiscriminatorLoss(r, f, { kind: 'minimax' }).item(), F.ganDiscriminatorLoss(r, f).item());
  // minimax: the generator's loss is minus the discriminator's fake term, log(1 - D(G(z)))
  const fakeTerm = F.ganDiscriminatorLoss(sd.full([3], 50, { dtype: 'float64' }), f).item();
  assert.ok(Math.abs(F.ganGeneratorLoss(f, { kind: 'minimax' }).item() + fakeTerm) < 1e-12);
  // extreme logits stay finite
  for (const kind of ['minimax', 'nonSaturating', 'hinge'] as const) {
    const big = sd.tensor([-1e4, 1e4], { dtype: 'float32' });
    assert.ok(Number.isFinite(F.ganGeneratorLoss(big, { kind }).item()), kind);
    assert.ok(Number.isFinite(F.ganDiscriminatorLoss(big, big, { kind }).item()), kind);
  }
});

{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  checkErrors('loss_gan', [
    ['ganGeneratorLoss: unknown kind', () => F.ganGeneratorLoss(z([2]), { kind: 'wasserstein' as never }), sd.ValueError, /^ganGeneratorLoss: kind must be one of 'minimax', 'nonSaturating', 'hinge', got 'wasserstein'$/],
    ['ganDiscriminatorLoss: unknown reduction', () => F.ganDiscriminatorLoss(z([2]), z([2]), { reduction: 'avg' as never }), sd.ValueError, /^ganDiscriminatorLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'$/],
    ['ganDiscriminatorLoss: int logits', () => F.ganDiscriminatorLoss(z([2], 'int32'), z([2])), sd.DTypeError, /^ganDiscriminatorLoss: input must be a floating-point tensor, got dtype int32$/],
    ['ganDiscriminatorLoss: shapes differ under none', () => F.ganDiscriminatorLoss(z([3]), z([2]), { reduction: 'none' }), sd.ShapeError, /^ganDiscriminatorLoss: with reduction 'none' real and fake logits must have one shape, got \[3\] and \[2\]$/],
    ['ganGeneratorLoss: null logits', () => F.ganGeneratorLoss(null as never), sd.ValueError, /^ganGeneratorLoss: input must be a Tensor, got null$/],
  ]);
}
