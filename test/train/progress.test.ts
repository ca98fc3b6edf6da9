/**
 * Progress display (src/train/progress.ts): a live bar redrawn in place on a terminal (throttled, with
 * samples/s, running values and ETA), one plain line per epoch when piped or under CI, number and time
 * formatting, and a real fit writing to a captured sink.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, optim } from '../../src/index.js';
import { fit } from '../../src/train/fit.js';
import { ProgressBar, formatBar, formatClock, formatNumber } from '../../src/train/progress.js';
import type { BatchLogs, EpochLogs, FitContext } from '../../src/train/types.js';
import { MLP, loaders } from './helpers.js';

class Sink {
  out = '';
  constructor(readonly isTTY: boolean, readonly columns?: number) {}
  write(s: string) {
    this.out += s;
    return true;
  }
}

function ctxOf(total: number | null, epoch = 2, stopReason: string | null = null): FitContext {
  return { epoch, epochs: 5, batchesPerEpoch: total, stopReason } as unknown as FitContext;
}

/** Drives one epoch of `batches` batches of 32 samples, 50 ms apart on a fake clock. */
function drive(bar: ProgressBar, clock: { t: number }, batches: number, total: number | null) {
  const ctx = ctxOf(total);
  bar.onEpochBegin();
  for (let b = 1; b <= batches; b++) {
    clock.t += 50;
    bar.onBatchEnd(b, { batch: b, size: 32, loss: 1 / b, accuracy: 0.5 + b / 100, lr: 0.1 } as BatchLogs, ctx);
  }
  clock.t += 100;
  bar.onEpochEnd(2, { epoch: 2, loss: 0.25, accuracy: 0.9, val_loss: 0.3, val_accuracy: 0.875, lr: 0.001, time: 0.6 } as EpochLogs, ctx);
}

describe('formatting', () => {
  test('numbers, clock times and bars', () => {
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(12), '12.0000');
    assert.equal(formatNumber(0), '0.0000');
    assert.equal(formatNumber(1e-5), '1.00e-5');
    assert.equal(formatNumber(2.5e7), '2.50e+7');
    assert.equal(formatNumber(NaN), 'nan');
    assert.equal(formatNumber(-Infinity), '-inf');
    assert.equal(formatClock(5), '0:05');
    assert.equal(formatClock(125.4), '2:05');
    assert.equal(formatClock(3725), '1:02:05');
    assert.equal(formatClock(NaN), '?');
    assert.equal(formatBar(0, 10, 10), '[>.........]  0/10');
    assert.equal(formatBar(5, 10, 10), '[=====>....]  5/10');
    assert.equal(formatBar(10, 10, 10), '[==========] 10/10');
    assert.equal(formatBar(7, null, 10), '7 batches');
  });
});

describe('ProgressBar', () => {
  test('on a terminal: a bar redrawn in place, throttled, then a summary line', () => {
    const sink = new Sink(true);
    const clock = { t: 0 };
    const bar = new ProgressBar({ sink, now: () => clock.t, refreshMs: 120, barWidth: 10 });
    drive(bar, clock, 10, 10);
    const frames = sink.out.split('\r').filter(Boolean);
    // batches at 50 ms steps, redrawn when 120 ms have passed (batches 1, 4, 7) and at the last; then the summary
    assert.equal(frames.length, 5);
    assert.equal(frames[0], 'Epoch 2/5 [=>........]  1/10 - 640 samples/s - loss 1.0000 - accuracy 0.5100 - ETA 0:00\x1b[K');
    assert.equal(frames[1], 'Epoch 2/5 [====>.....]  4/10 - 640 samples/s - loss 0.2500 - accuracy 0.5400 - ETA 0:00\x1b[K');
    assert.equal(frames[4], 'Epoch 2/5 [==========] 10/10 - 0.6s - 640 samples/s - loss 0.2500 - accuracy 0.9000 - val_loss 0.3000 - val_accuracy 0.8750 - lr 0.0010\x1b[K\n');
    assert.equal(sink.out.split('\n').length - 1, 1, 'one finished line per epoch');
  });

  test('the ETA counts the batches left; an unknown total shows the count', () => {
    const sink = new Sink(true);
    const clock = { t: 0 };
    const bar = new ProgressBar({ sink, now: () => clock.t, refreshMs: 0 });
    bar.onEpochBegin();
    clock.t = 2000;
    bar.onBatchEnd(1, { batch: 1, size: 10, loss: 1 } as BatchLogs, ctxOf(91));
    assert.match(sink.out, / 1\/91 - 5 samples\/s - loss 1\.0000 - ETA 3:00\x1b\[K$/);
    const s2 = new Sink(true);
    const b2 = new ProgressBar({ sink: s2, now: () => clock.t, refreshMs: 0 });
    b2.onEpochBegin();
    b2.onBatchEnd(3, { batch: 3, size: 10, loss: 1 } as BatchLogs, ctxOf(null));
    assert.match(s2.out, /^\rEpoch 2\/5 3 batches - /);
    assert.doesNotMatch(s2.out, /ETA/);
  });

  test('a narrow terminal gets lines cut to its width', () => {
    const sink = new Sink(true, 40);
    const clock = { t: 0 };
    const bar = new ProgressBar({ sink, now: () => clock.t, refreshMs: 0 });
    bar.onEpochBegin();
    clock.t = 10;
    bar.onBatchEnd(1, { batch: 1, size: 10, loss: 1, accuracy: 0.5 } as BatchLogs, ctxOf(100));
    assert.equal(sink.out.replace('\r', '').replace('\x1b[K', '').length, 39);
  });

  test('piped output, or CI on a terminal: exactly one plain line per epoch', () => {
    for (const [sink, ci] of [[new Sink(false), false], [new Sink(true), true]] as const) {
      const clock = { t: 0 };
      const bar = new ProgressBar({ sink, ci, now: () => clock.t });
      drive(bar, clock, 10, 10);
      drive(bar, clock, 10, 10);
      bar.onTrainEnd(ctxOf(10, 2, 'EarlyStopping: val_loss did not improve for 2 epochs (best 0.3 at epoch 1)'));
      assert.doesNotMatch(sink.out, /\r|\x1b/);
      assert.deepEqual(sink.out.split('\n'), [
        'Epoch 2/5 - 10 batches - 0.6s - 640 samples/s - loss 0.2500 - accuracy 0.9000 - val_loss 0.3000 - val_accuracy 0.8750 - lr 0.0010',
        'Epoch 2/5 - 10 batches - 0.6s - 640 samples/s - loss 0.2500 - accuracy 0.9000 - val_loss 0.3000 - val_accuracy 0.8750 - lr 0.0010',
        'EarlyStopping: val_loss did not improve for 2 epochs (best 0.3 at epoch 1)',
        '',
      ]);
    }
  });

  test('inside fit, piped: one line per epoch with the logged values', () => {
    const model = new MLP();
    const { train, val } = loaders();
    const sink = new Sink(false);
    fit(model, {
      trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 3,
      metrics: ['accuracy'], callbacks: [new ProgressBar({ sink })],
    });
    const lines = sink.out.trim().split('\n');
    assert.equal(lines.length, 3);
    lines.forEach((l, i) => assert.match(l, new RegExp(`^Epoch ${i + 1}/3 - 15 batches - \\d+\\.\\ds - \\d+ samples/s - loss \\d\\.\\d{4} - accuracy \\d\\.\\d{4} - val_loss \\d\\.\\d{4} - val_accuracy \\d\\.\\d{4} - lr 0\\.1000$`)));
  });

  test('a sink without write is refused', () => {
    assert.throws(() => new ProgressBar({ sink: {} as never }), /opts.sink must have a write\(text\) method/);
  });
});
