/**
 * The resnet20_train benchmark workload (bench/workloads/spec.ts, synthetic.ts, select.ts): its spec and
 * selection, and the synthetic batches every runner trains on — the hash must agree with bench/torch_train.py's,
 * so PyTorch sees the same images. (Timing a ResNet-20 step takes seconds, so the step itself is left to the bench.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RUNNERS } from '../../bench/runners.js';
import { parseSelection } from '../../bench/select.js';
import { SYNTHETIC_BATCHES, hash32, syntheticBatch } from '../../bench/workloads/synthetic.js';
import { CIFAR_SHAPE, RESNET_BATCH, WORKLOADS, workloadSpec } from '../../bench/workloads/spec.js';

describe('resnet20_train spec', () => {
  test('is a peers workload of 128 CIFAR-sized samples per step, with a longer child timeout', () => {
    const w = workloadSpec('resnet20_train')!;
    assert.equal(w.unit, 'samples/s');
    assert.equal(w.perStep, RESNET_BATCH);
    assert.deepEqual(CIFAR_SHAPE, [3, 32, 32]);
    assert.ok((w.timeoutSeconds ?? 0) > 120);
  });

  test('runners left out of a workload are real runners, each with a reason', () => {
    for (const w of WORKLOADS) {
      for (const [name, why] of Object.entries(w.notRun ?? {})) {
        assert.ok(RUNNERS.some((r) => r.name === name), `${w.name}: notRun names unknown runner ${name}`);
        assert.match(why, /^not run: .{20,}/);
      }
    }
  });

  test('`npm run bench -- resnet20_train torch-2t --seconds=5` selects that row only', () => {
    const sel = parseSelection(['resnet20_train', 'torch-2t', '--seconds=5']);
    assert.deepEqual([...sel.suites.entries()], [['peers', ['resnet20_train']]]);
    assert.deepEqual(sel.runners.map((r) => r.name), ['torch-2t']);
    assert.equal(sel.seconds, 5);
  });

  test('bad selections name the argument', () => {
    assert.throws(() => parseSelection(['peers/resnet21_train']), /^Error: bench: suite peers has no workload 'resnet21_train', expected one of: .*resnet20_train/);
    assert.throws(() => parseSelection(['resnet20_train', '--seconds=0']), /^Error: bench: --seconds must be a positive number, got '0'/);
  });
});

describe('synthetic batches', () => {
  test('hash32 gives the values of bench/torch_train.py hash32 (indices taken mod 2^32)', () => {
    // printed by: python3 -c "from torch_train import hash32; print(hash32(torch.tensor([0, 1, 2, 3, 2**32 - 1, 2**32])))"
    assert.deepEqual([0, 1, 2, 3, 2 ** 32 - 1, 2 ** 32].map(hash32), [0, 824515495, 1722258072, 3753300549, 539527247, 0]);
  });

  test('batch k: pixels in [0, 1] from the hash, labels cycling over the classes, repeating every SYNTHETIC_BATCHES', () => {
    const pixels = 3 * 32 * 32;
    const b = syntheticBatch(1, 4, pixels, 10);
    assert.equal(b.x.length, 4 * pixels);
    assert.equal(b.x[0], Math.fround(hash32(4 * pixels) / 2 ** 32));
    assert.ok(b.x.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(Array.from(b.y), [4, 5, 6, 7]);
    const again = syntheticBatch(1 + SYNTHETIC_BATCHES, 4, pixels, 10);
    assert.deepEqual(again.x, b.x);
    assert.deepEqual(again.y, b.y);
    const mean = b.x.reduce((s, v) => s + v, 0) / b.x.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});
