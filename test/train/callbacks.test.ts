/**
 * Callbacks and checkpoints (src/train/callbacks.ts, checkpoint.ts, store.ts): EarlyStopping's counting
 * (Keras semantics), modes and weight restoring; ModelCheckpoint's best and last files (weights loadable into a
 * fresh model, metadata, training state); loadCheckpoint on weights-only, missing and corrupt files; the CSV,
 * JSON-lines and learning-rate loggers, including trimming rows after the epoch a run resumes from.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, F, Tensor, ValueError, clone, decodeSafetensors, encodeSafetensors, manualSeed, nn, noGrad, optim } from '../../src/index.js';
import { CSVLogger, EarlyStopping, JSONLinesLogger, LRLogger, LambdaCallback } from '../../src/train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { fit } from '../../src/train/fit.js';
import { MemoryFileStore, checkFileName } from '../../src/train/store.js';
import type { EpochLogs, FitContext, TrainingState } from '../../src/train/types.js';
import { MLP, assertSameBits, loaders } from './helpers.js';

const snapshot = (m: nn.Module) => noGrad(() => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, clone(t)])));

/** A FitContext for driving a callback by hand. */
function fakeCtx(model: nn.Linear, over: Partial<FitContext> = {}): FitContext & { stopReason: string | null; epoch: number } {
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const ctx = {
    model, optimizer, scheduler: null, epochs: 10, initialEpoch: 0, epoch: 0, step: 0, batchesPerEpoch: 3, history: [] as EpochLogs[], stopReason: null as string | null,
    stop(reason: string) {
      ctx.stopReason ??= reason;
    },
    trainingState(): TrainingState {
      throw new Error('not used');
    },
    ...over,
  };
  return ctx;
}

const logs = (epoch: number, values: Record<string, number>) => ({ epoch, ...values }) as EpochLogs;

describe('EarlyStopping', () => {
  test('stops when val_loss has not improved by minDelta for `patience` epochs', () => {
    const ctx = fakeCtx(new nn.Linear(2, 2));
    const es = new EarlyStopping({ patience: 2, minDelta: 0.02 });
    const series = [1.0, 0.8, 0.85, 0.79, 0.9];
    for (let e = 1; e <= series.length && ctx.stopReason === null; e++) {
      ctx.epoch = e;
      es.onEpochEnd(e, logs(e, { loss: 0, val_loss: series[e - 1] }), ctx);
    }
    // 0.79 is better than 0.8 but not by 0.02: the second epoch without improvement
    assert.equal(es.stoppedEpoch, 4);
    assert.equal(es.bestEpoch, 2);
    assert.equal(es.best, 0.8);
    assert.equal(ctx.stopReason, 'EarlyStopping: val_loss did not improve for 2 epochs (best 0.8 at epoch 2)');
  });

  test("mode 'auto' maximizes accuracy-like values; NaN never improves; without validation it watches loss", () => {
    const ctx = fakeCtx(new nn.Linear(2, 2));
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    es.onEpochEnd(1, logs(1, { val_accuracy: 0.5 }), ctx);
    es.onEpochEnd(2, logs(2, { val_accuracy: 0.7 }), ctx);
    es.onEpochEnd(3, logs(3, { val_accuracy: NaN }), ctx);
    assert.equal(es.best, 0.7);
    assert.equal(es.stoppedEpoch, 3);
    const byLoss = new EarlyStopping();
    byLoss.onEpochEnd(1, logs(1, { loss: 2 }), fakeCtx(new nn.Linear(1, 1)));
    assert.equal(byLoss.best, 2);
  });

  test('a monitor missing from the logs is a ValueError listing the keys; bad options are refused', () => {
    const es = new EarlyStopping({ monitor: 'val_acc' });
    assert.throws(() => es.onEpochEnd(1, logs(1, { loss: 1, val_loss: 1, val_accuracy: 0.5 }), fakeCtx(new nn.Linear(1, 1))), /monitor 'val_acc' is not in the epoch's logs; available: epoch, loss, val_loss, val_accuracy/);
    assert.throws(() => new EarlyStopping({ patience: -1 }), ValueError);
    assert.throws(() => new EarlyStopping({ mode: 'up' as 'min' }), ValueError);
  });

  test('restoreBestWeights loads the best epoch back at the end, and its state (with the weights) round-trips', () => {
    const model = new nn.Linear(2, 2);
    const ctx = fakeCtx(model);
    const es = new EarlyStopping({ restoreBestWeights: true, patience: 5 });
    const at: Record<string, Tensor>[] = [];
    [0.5, 0.3, 0.4].forEach((v, i) => {
      noGrad(() => model.weight.fill_(i + 1));
      at.push(snapshot(model));
      ctx.epoch = i + 1;
      es.onEpochEnd(i + 1, logs(i + 1, { loss: v }), ctx);
    });
    const copy = new EarlyStopping({ restoreBestWeights: true, patience: 5 });
    copy.loadStateDict(es.stateDict());
    es.onTrainEnd(ctx);
    assertSameBits(model.stateDict(), at[1]);
    assert.equal(copy.bestEpoch, 2);
    assert.equal(copy.wait, 1);
    assertSameBits(copy.bestWeights!, at[1]);
    assert.throws(() => copy.loadStateDict({ bestWeights: { w: 3 } }), ValueError);
  });

  test('inside fit: stops, reports why, and restores the best weights', () => {
    manualSeed(20);
    const model = new MLP();
    const { train } = loaders();
    const epochWeights: Record<string, Tensor>[] = [];
    // 'max' on a falling loss: epoch 1 is the best, epoch 2 is the first without improvement
    const h = fit(model, {
      trainLoader: train, loss: F.crossEntropy, optimizer: new optim.Adam(model.parameters(), { lr: 0.02 }), epochs: 10,
      callbacks: [new LambdaCallback({ onEpochEnd: (_e, _l, ctx) => void epochWeights.push(snapshot(ctx.model)) }), new EarlyStopping({ monitor: 'loss', mode: 'max', restoreBestWeights: true })],
    });
    assert.equal(h.epochs.length, 2);
    assert.ok(h.epochs[1].loss < h.epochs[0].loss);
    assert.match(h.stopReason ?? '', /^EarlyStopping: loss did not improve for 1 epoch \(best [\d.]+ at epoch 1\)$/);
    assertSameBits(model.stateDict(), epochWeights[0]);
  });
});

describe('ModelCheckpoint and loadCheckpoint', () => {
  test('best (by val_loss) and last checkpoints: weights a fresh model loads, metadata, training state', () => {
    manualSeed(21);
    const model = new MLP();
    const { train, val } = loaders();
    const store = new MemoryFileStore();
    const weights: Record<string, Tensor>[] = [];
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
    const h = fit(model, {
      trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer, epochs: 4, metrics: ['accuracy'],
      callbacks: [new ModelCheckpoint({ store, metadata: { model: 'mlp', classes: '3' } }), new LambdaCallback({ onEpochEnd: (_e, _l, ctx) => void weights.push(snapshot(ctx.model)) })],
    });
    const vals = h.epochs.map((e) => e.val_loss);
    const bestEpoch = vals.indexOf(Math.min(...vals)) + 1;
    const best = loadCheckpoint(store, 'best');
    assert.ok(best);
    assert.equal(best.state, null);
    assert.equal(best.metadata['shendu.epoch'], String(bestEpoch));
    assert.equal(best.metadata['shendu.monitor'], 'val_loss');
    assert.equal(Number(best.metadata['shendu.value']), vals[bestEpoch - 1]);
    assert.equal(best.metadata.model, 'mlp');
    assert.equal(best.metadata.format, 'pt');
    assertSameBits(best.weights, weights[bestEpoch - 1]);
    manualSeed(99);
    const fresh = new MLP();
    fresh.loadStateDict(best.weights);
    assertSameBits(fresh.stateDict(), weights[bestEpoch - 1]);

    // last.safetensors is a plain weights file; last.state.safetensors holds the training state
    const plain = decodeSafetensors(store.read('last.safetensors')!);
    assert.deepEqual(Object.keys(plain.tensors).sort(), Object.keys(model.stateDict()).sort());
    assert.deepEqual(plain.metadata, { model: 'mlp', classes: '3', format: 'pt', 'shendu.epoch': '4', 'shendu.step': '60' });
    const last = loadCheckpoint(store, 'last');
    assert.ok(last?.state);
    assertSameBits(last.weights, model.stateDict());
    assert.equal(last.state.epoch, 4);
    assert.equal(last.state.step, 60);
    assert.deepEqual(last.state.history.map((e) => e.val_loss), vals);
    assert.deepEqual(last.state.callbacks.ModelCheckpoint, { best: Math.min(...vals), bestEpoch });
    assert.deepEqual(Object.keys(last.state.optimizers!), ['optimizer']);
    assert.equal(last.state.optimizers!.optimizer.optimizer, 'Adam');
    const saved = last.state.optimizers!.optimizer.state[0].expAvg as Tensor;
    assertSameBits({ m: saved }, { m: optimizer.state.get(model.l1.weight)!.expAvg as Tensor });
  });

  test('best is only rewritten on improvement; mode and monitor are honoured', () => {
    const model = new nn.Linear(2, 2);
    const store = new MemoryFileStore();
    const cp = new ModelCheckpoint({ store, monitor: 'val_accuracy', saveLast: false });
    const ctx = fakeCtx(model);
    const writes: number[] = [];
    [0.5, 0.7, 0.6, 0.7, 0.9].forEach((acc, i) => {
      const before = store.read('best.safetensors');
      cp.onCheckpoint(i + 1, logs(i + 1, { loss: 1, val_accuracy: acc }), ctx);
      const after = store.read('best.safetensors');
      if (before === null || Buffer.compare(before, after!) !== 0) writes.push(i + 1);
    });
    assert.deepEqual(writes, [1, 2, 5]);
    assert.equal(cp.best, 0.9);
    assert.equal(store.read('last.state.safetensors'), null);
    assert.throws(() => new ModelCheckpoint({} as never), /opts.store must be a FileStore/);
  });

  test('weights-only and missing checkpoints; corrupt state files are DataErrors naming the file', () => {
    const store = new MemoryFileStore();
    assert.equal(loadCheckpoint(store, 'last'), null);
    const model = new nn.Linear(3, 1);
    saveCheckpoint(store, 'w', model, { metadata: { note: 'x' } });
    const w = loadCheckpoint(store, 'w');
    assert.equal(w?.state, null);
    assert.deepEqual(w?.metadata, { note: 'x', format: 'pt' });
    assertSameBits(w!.weights, model.stateDict());
    store.write('last.state.safetensors', store.read('w.safetensors')!.slice(0, 40));
    assert.throws(() => loadCheckpoint(store, 'last'), (e: Error) => e instanceof DataError && /^last\.state\.safetensors: truncated/.test(e.message));
    store.write('last.state.safetensors', encodeSafetensors({}, { format: 'pt' }));
    assert.throws(() => loadCheckpoint(store, 'last'), /no 'shendu.training_state' metadata/);
    store.write('last.state.safetensors', encodeSafetensors({}, { 'shendu.training_state': '{"epoch": -1}' }));
    assert.throws(() => loadCheckpoint(store, 'last'), /the training state is corrupt: epoch must be a non-negative integer, got -1/);
    store.write('last.state.safetensors', encodeSafetensors({}, { 'shendu.training_state': '{"optimizer": {"$tensor": "nope"}}' }));
    assert.throws(() => loadCheckpoint(store, 'last'), /refers to tensor 'nope'/);
  });

  test('non-finite numbers and nested tensors survive the state encoding', () => {
    const store = new MemoryFileStore();
    const model = new nn.Linear(1, 1);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const state: TrainingState = {
      epoch: 2, step: 7, optimizer: optimizer.stateDict(), scheduler: { best: Infinity, worst: -Infinity, lastLr: [0.1] },
      rng: { default: [1, 2, 3, 4, NaN, 0], extra: [[5, 6, 7, 8, 0.25, 9]] },
      callbacks: { X: { nested: { t: model.weight, list: [model.bias, NaN] } } },
      history: [{ epoch: 1, loss: NaN, val_loss: 2 } as EpochLogs],
    };
    saveCheckpoint(store, 'last', model, { state });
    const back = loadCheckpoint(store, 'last')!.state!;
    assert.deepEqual(back.scheduler, { best: Infinity, worst: -Infinity, lastLr: [0.1] });
    assert.ok(Number.isNaN(back.rng.default[4]));
    assert.deepEqual(back.rng.extra, [[5, 6, 7, 8, 0.25, 9]]);
    assert.ok(Number.isNaN(back.history[0].loss));
    const nested = back.callbacks.X.nested as { t: Tensor; list: [Tensor, number] };
    assertSameBits({ a: nested.t, b: nested.list[0] }, { a: model.weight, b: model.bias! });
    assert.ok(Number.isNaN(nested.list[1]));
  });
});

describe('loggers', () => {
  test('CSVLogger writes a header and one row per epoch, and trims rows after the resumed epoch', () => {
    const store = new MemoryFileStore();
    const ctx = fakeCtx(new nn.Linear(1, 1));
    const csv = new CSVLogger({ store });
    csv.onTrainBegin(ctx);
    for (let e = 1; e <= 3; e++) csv.onEpochEnd(e, logs(e, { loss: 1 / e, accuracy: e / 4, lr: 0.1 }));
    assert.equal(store.readText('metrics.csv'), 'epoch,loss,accuracy,lr\n1,1,0.25,0.1\n2,0.5,0.5,0.1\n3,0.3333333333333333,0.75,0.1\n');
    store.append('metrics.csv', '4,0.2'); // a row torn by a crash
    const resumed = new CSVLogger({ store });
    resumed.onTrainBegin(fakeCtx(new nn.Linear(1, 1), { initialEpoch: 2 }));
    resumed.onEpochEnd(3, logs(3, { loss: NaN, accuracy: 1, lr: 0.1 }));
    assert.equal(store.readText('metrics.csv'), 'epoch,loss,accuracy,lr\n1,1,0.25,0.1\n2,0.5,0.5,0.1\n3,NaN,1,0.1\n');
    const fresh = new CSVLogger({ store, separator: ';' });
    fresh.onTrainBegin(ctx);
    fresh.onEpochEnd(1, logs(1, { loss: 2 }));
    assert.equal(store.readText('metrics.csv'), 'epoch;loss\n1;2\n');
    assert.throws(() => new CSVLogger({ store, separator: '"' }), ValueError);
    assert.throws(() => new CSVLogger({ store, name: '../x.csv' }), /must be a relative path/);
  });

  test('JSONLinesLogger writes one object per epoch (NaN as null) and trims on resume', () => {
    const store = new MemoryFileStore();
    const j = new JSONLinesLogger({ store });
    j.onTrainBegin(fakeCtx(new nn.Linear(1, 1)));
    j.onEpochEnd(1, logs(1, { loss: 0.5 }));
    j.onEpochEnd(2, logs(2, { loss: NaN }));
    j.onEpochEnd(3, logs(3, { loss: 0.25 }));
    assert.equal(store.readText('metrics.jsonl'), '{"epoch":1,"loss":0.5}\n{"epoch":2,"loss":null}\n{"epoch":3,"loss":0.25}\n');
    store.append('metrics.jsonl', '{"epoch":4,"lo');
    new JSONLinesLogger({ store }).onTrainBegin(fakeCtx(new nn.Linear(1, 1), { initialEpoch: 2 }));
    assert.equal(store.readText('metrics.jsonl'), '{"epoch":1,"loss":0.5}\n{"epoch":2,"loss":null}\n');
  });

  test('LRLogger records every group\'s lr per epoch, as CSV too, inside fit', () => {
    manualSeed(22);
    const model = new MLP();
    const { train } = loaders();
    const optimizer = new optim.SGD([{ params: model.l1.parameters() }, { params: model.l2.parameters(), lr: 0.01 }], { lr: 0.1 });
    const store = new MemoryFileStore();
    const lr = new LRLogger({ store });
    fit(model, { trainLoader: train, loss: F.crossEntropy, optimizer, scheduler: new optim.ExponentialLR(optimizer, 0.5), epochs: 3, callbacks: [lr] });
    assert.deepEqual(lr.records, [
      { epoch: 1, step: 0, lr: [0.1, 0.01] },
      { epoch: 2, step: 15, lr: [0.05, 0.005] },
      { epoch: 3, step: 30, lr: [0.025, 0.0025] },
    ]);
    assert.equal(store.readText('lr.csv'), 'epoch,step,lr0,lr1\n1,0,0.1,0.01\n2,15,0.05,0.005\n3,30,0.025,0.0025\n');
  });
});

describe('stores', () => {
  test('MemoryFileStore copies bytes in and out; file names must stay inside the store', () => {
    const s = new MemoryFileStore();
    const b = Uint8Array.from([1, 2, 3]);
    s.write('a/b.bin', b);
    b[0] = 9;
    const r = s.read('a/b.bin')!;
    assert.deepEqual(Array.from(r), [1, 2, 3]);
    r[1] = 9;
    assert.deepEqual(Array.from(s.read('a/b.bin')!), [1, 2, 3]);
    s.append('log.txt', 'x');
    s.append('log.txt', 'δ');
    assert.equal(s.readText('log.txt'), 'xδ');
    assert.equal(s.read('missing'), null);
    for (const bad of ['', '/etc/passwd', '../up', 'a/../b', 'a//b', './a', 'C:\\x']) assert.throws(() => checkFileName('t', bad), ValueError, bad);
  });
});
