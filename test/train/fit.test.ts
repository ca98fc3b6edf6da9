/**
 * fit / evaluate / predict (src/train/fit.ts) and checkLabels (src/train/labels.ts): learning a small problem, the logs, modes, the
 * scheduler rule (per epoch, per batch for OneCycleLR, ReduceLROnPlateau on val_loss), gradient accumulation
 * (equal to one big batch), gradient clipping (equal to a hand-written loop), NaN loss (TrainingError with the
 * step, checkpoint untouched), label checks before training, and argument errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ConcatDataset, DataError, DataLoader, F, Subset, Tensor, TensorDataset, ValueError, clone, manualSeed, mul, nn, noGrad, optim, tensor,
} from '../../src/index.js';
import { LambdaCallback, LRLogger } from '../../src/train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { TrainingError, evaluate, fit, predict } from '../../src/train/fit.js';
import { checkLabels } from '../../src/train/labels.js';
import { MemoryFileStore } from '../../src/train/store.js';
import type { EpochLogs } from '../../src/train/types.js';
import { MLP, assertSameBits, blobs, differ, loaders } from './helpers.js';

const snapshot = (m: nn.Module) => noGrad(() => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, clone(t)])));

describe('fit learns and reports', () => {
  test('a small MLP learns the 3-class problem; logs hold loss, metrics, validation, lr and time', () => {
    manualSeed(0);
    const model = new MLP();
    const { train, val } = loaders();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 });
    const seen: string[] = [];
    const history = fit(model, {
      trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer, epochs: 8, metrics: ['accuracy', 'top2_accuracy'],
      callbacks: [new LambdaCallback({
        onTrainBegin: () => seen.push('train'),
        onEpochBegin: (e, ctx) => {
          seen.push(`epoch ${e}`);
          assert.equal(ctx.model.training, true);
        },
        onEpochEnd: (e, logs, ctx) => {
          assert.equal(ctx.history.at(-1), logs);
          assert.equal(ctx.step, e * 15);
        },
        onTrainEnd: () => seen.push('end'),
      })],
    });
    assert.equal(history.stopReason, null);
    assert.equal(history.epochs.length, 8);
    assert.deepEqual(seen, ['train', ...Array.from({ length: 8 }, (_, i) => `epoch ${i + 1}`), 'end']);
    const first = history.epochs[0];
    const last = history.epochs[7];
    assert.deepEqual(Object.keys(last), ['epoch', 'loss', 'accuracy', 'top2_accuracy', 'val_loss', 'val_accuracy', 'val_top2_accuracy', 'lr', 'time']);
    assert.equal(last.epoch, 8);
    assert.ok(last.loss < first.loss / 2, `loss ${first.loss} → ${last.loss}`);
    assert.ok(last.val_accuracy > 0.9, `val accuracy ${last.val_accuracy}`);
    assert.ok(last.val_top2_accuracy >= last.val_accuracy);
    assert.equal(last.lr, 0.02);
    assert.ok(last.time >= 0);
    assert.equal(model.training, true, 'the mode before fit is restored');
    // evaluate on the same loader after training gives the last epoch's validation values
    const ev = evaluate(model, val, { loss: F.crossEntropy, metrics: ['accuracy'] });
    assert.equal(ev.loss, last.val_loss);
    assert.equal(ev.accuracy, last.val_accuracy);
    assert.equal(model.training, true);
  });

  test('predict: eval mode, no graph, the same from a tensor (in batches) or a loader', () => {
    manualSeed(1);
    const model = new MLP();
    const { x } = blobs(50, 3);
    const a = predict(model, x, { batchSize: 16 });
    const b = predict(model, new DataLoader(new TensorDataset(x), { batchSize: 7 }));
    const c = noGrad(() => model.eval().forward(x));
    model.train();
    assert.deepEqual(a.shape, [50, 3]);
    assert.equal(a.requiresGrad, false);
    assert.deepEqual(Array.from(a.toTypedArray()), Array.from(c.toTypedArray()));
    assert.deepEqual(Array.from(b.toTypedArray()), Array.from(c.toTypedArray()));
    assert.equal(model.training, true);
    assert.throws(() => predict(model, tensor([]).reshape([0, 4])), /no inputs/);
  });

  test('a loss module works as well as a function; batches may be {input, target}', () => {
    manualSeed(2);
    const model = new MLP();
    const { x, y } = blobs(32, 4);
    const batches = [{ input: x.narrow(0, 0, 16), target: y.narrow(0, 0, 16) }, { input: x.narrow(0, 16, 16), target: y.narrow(0, 16, 16) }];
    const h = fit(model, { trainLoader: batches, loss: new nn.CrossEntropyLoss(), optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2 });
    assert.equal(h.epochs.length, 2);
    assert.ok(Number.isFinite(h.epochs[1].loss));
  });
});

describe('schedulers', () => {
  test('an epoch scheduler steps once per epoch after validation; logs.lr is the lr the epoch used', () => {
    manualSeed(3);
    const model = new MLP();
    const { train } = loaders();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const scheduler = new optim.StepLR(optimizer, 2, { gamma: 0.5 });
    const h = fit(model, { trainLoader: train, loss: F.crossEntropy, optimizer, scheduler, epochs: 5 });
    assert.deepEqual(h.epochs.map((e) => e.lr), [0.1, 0.1, 0.05, 0.05, 0.025]);
    assert.equal(scheduler.lastEpoch, 5);
  });

  test('OneCycleLR steps after every optimizer step (the per-batch rule); LRLogger perBatch sees each lr', () => {
    manualSeed(4);
    const model = new MLP();
    const { train } = loaders();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const scheduler = new optim.OneCycleLR(optimizer, { maxLr: 0.5, epochs: 3, stepsPerEpoch: 15 });
    const lrs = new LRLogger({ perBatch: true });
    fit(model, { trainLoader: train, loss: F.crossEntropy, optimizer, scheduler, epochs: 3, callbacks: [lrs] });
    assert.equal(scheduler.lastEpoch, 45);
    assert.equal(lrs.records.length, 45);
    const peak = Math.max(...lrs.records.map((r) => r.lr[0]));
    assert.ok(Math.abs(peak - 0.5) < 0.02, `peak ${peak}`);
    assert.ok(lrs.records[44].lr[0] < 0.001);
    assert.deepEqual(lrs.records.slice(0, 3).map((r) => r.step), [0, 1, 2]);
  });

  test('ReduceLROnPlateau gets val_loss (or the plateauMonitor)', () => {
    manualSeed(5);
    const model = new MLP();
    const { train, val } = loaders();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 });
    const got: number[] = [];
    class Spy extends optim.ReduceLROnPlateau {
      override step(metric: number | Tensor): void {
        got.push(metric as number);
        super.step(metric);
      }
    }
    const h = fit(model, { trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer, scheduler: new Spy(optimizer), epochs: 3 });
    assert.deepEqual(got, h.epochs.map((e) => e.val_loss));
    const got2: number[] = [];
    const spy2 = new Spy(optimizer);
    got.length = 0;
    const h2 = fit(model, { trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer, scheduler: spy2, epochs: 2, plateauMonitor: 'loss', metrics: ['accuracy'] });
    got2.push(...got);
    assert.deepEqual(got2, h2.epochs.map((e) => e.loss));
    assert.throws(() => fit(model, { trainLoader: train, loss: F.crossEntropy, optimizer, scheduler: new Spy(optimizer), epochs: 1, plateauMonitor: 'val_f1' }), /plateauMonitor 'val_f1' is not in the epoch's logs; available: epoch, loss, lr/);
  });
});

describe('gradient accumulation and clipping', () => {
  function linearSetup(seed: number) {
    manualSeed(seed);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 3)).double();
    const { x, y } = blobs(36, 9);
    return { model, x: x.double(), y };
  }

  test('2 batches of 4 per step equal one batch of 8, including the short last group (36 samples)', () => {
    const a = linearSetup(10);
    const b = linearSetup(10);
    const steps: number[] = [];
    const optA = new optim.SGD(a.model.parameters(), { lr: 0.3, momentum: 0.9 });
    fit(a.model, {
      trainLoader: new DataLoader(new TensorDataset(a.x, a.y), { batchSize: 4 }), loss: F.crossEntropy, optimizer: optA, epochs: 3, gradAccumulation: 2,
      callbacks: [new LambdaCallback({ onEpochEnd: (_e, _l, ctx) => steps.push(ctx.step) })],
    });
    const optB = new optim.SGD(b.model.parameters(), { lr: 0.3, momentum: 0.9 });
    fit(b.model, { trainLoader: new DataLoader(new TensorDataset(b.x, b.y), { batchSize: 8 }), loss: F.crossEntropy, optimizer: optB, epochs: 3 });
    assert.deepEqual(steps, [5, 10, 15], '9 batches of 4 make 5 optimizer steps per epoch');
    const sa = a.model.stateDict();
    const sb = b.model.stateDict();
    for (const k of Object.keys(sa)) {
      const va = sa[k].toTypedArray();
      const vb = sb[k].toTypedArray();
      for (let i = 0; i < va.length; i++) assert.ok(Math.abs(va[i] - vb[i]) < 1e-12, `${k}[${i}]: ${va[i]} vs ${vb[i]}`);
    }
  });

  test('accumulation over a loader of unknown length steps the partial group at the epoch end', () => {
    const a = linearSetup(11);
    const batches = Array.from({ length: 5 }, (_, i) => [a.x.narrow(0, i * 4, 4), a.y.narrow(0, i * 4, 4)]);
    const iterable = { *[Symbol.iterator]() { yield* batches; } };
    let steps = 0;
    fit(a.model, {
      trainLoader: iterable, loss: F.crossEntropy, optimizer: new optim.SGD(a.model.parameters(), { lr: 0.1 }), epochs: 1, gradAccumulation: 2,
      callbacks: [new LambdaCallback({ onTrainEnd: (ctx) => (steps = ctx.step) })],
    });
    assert.equal(steps, 3);
  });

  test('clipGradNorm equals a hand-written loop with optim.clipGradNorm_, and does clip', () => {
    const a = linearSetup(12);
    const b = linearSetup(12);
    const c = linearSetup(12);
    const loader = (s: typeof a) => new DataLoader(new TensorDataset(s.x, s.y), { batchSize: 6 });
    fit(a.model, { trainLoader: loader(a), loss: F.crossEntropy, optimizer: new optim.SGD(a.model.parameters(), { lr: 0.5 }), epochs: 2, clipGradNorm: 0.05 });
    const optB = new optim.SGD(b.model.parameters(), { lr: 0.5 });
    let clipped = 0;
    for (let e = 0; e < 2; e++) {
      for (const [x, y] of loader(b) as Iterable<Tensor[]>) {
        optB.zeroGrad();
        F.crossEntropy(b.model.forward(x), y).backward();
        if (optim.clipGradNorm_(b.model.parameters(), 0.05) > 0.05) clipped++;
        optB.step();
      }
    }
    assert.ok(clipped > 0, 'the norm exceeded the limit at least once');
    assertSameBits(a.model.stateDict(), b.model.stateDict());
    fit(c.model, { trainLoader: loader(c), loss: F.crossEntropy, optimizer: new optim.SGD(c.model.parameters(), { lr: 0.5 }), epochs: 2 });
    assert.ok(differ(a.model.stateDict(), c.model.stateDict()), 'without clipping the weights differ');
  });
});

describe('a non-finite loss stops training with the step number and keeps the last checkpoint', () => {
  test('TrainingError at step 21 (epoch 2, batch 6); last.* still hold epoch 1', () => {
    manualSeed(13);
    const model = new MLP();
    const { train } = loaders();
    const store = new MemoryFileStore();
    let calls = 0;
    const loss = (out: Tensor, t: Tensor) => {
      calls++;
      const l = F.crossEntropy(out, t);
      return calls === 21 ? mul(l, NaN) : l;
    };
    let atEpoch1: Record<string, Tensor> = {};
    const before = new Map<string, Uint8Array>();
    assert.throws(
      () => fit(model, {
        trainLoader: train, loss, optimizer: new optim.Adam(model.parameters()), epochs: 5,
        callbacks: [new ModelCheckpoint({ store, monitor: 'loss' }), new LambdaCallback({
          onCheckpoint: (e, _l, ctx) => {
            if (e !== 1) return;
            atEpoch1 = snapshot(ctx.model);
            for (const [k, v] of store.files) before.set(k, v.slice());
          },
        })],
      }),
      (e: Error) => {
        assert.ok(e instanceof TrainingError, String(e));
        assert.match(e.message, /the loss is NaN at step 21 \(epoch 2, batch 6\)/);
        assert.deepEqual([e.epoch, e.batch, e.step], [2, 6, 21]);
        return true;
      },
    );
    assert.deepEqual([...store.files.keys()].sort(), ['best.safetensors', 'last.safetensors', 'last.state.safetensors']);
    for (const [k, v] of store.files) assert.deepEqual(v, before.get(k), `${k} was not rewritten`);
    const ck = loadCheckpoint(store, 'last');
    assert.equal(ck?.state?.epoch, 1);
    assertSameBits(ck!.weights, atEpoch1);
  });

  test('parameters that became non-finite are caught at the epoch end, before any checkpoint', () => {
    manualSeed(14);
    const model = new nn.Linear(4, 3);
    const { x, y } = blobs(8, 5);
    const store = new MemoryFileStore();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const poison = new LambdaCallback({ onBatchEnd: (b, _l, ctx) => { if (b === 2) noGrad(() => (ctx.model as nn.Linear).weight.fill_(Infinity)); } });
    assert.throws(
      () => fit(model, { trainLoader: new DataLoader(new TensorDataset(x, y), { batchSize: 4 }), loss: F.crossEntropy, optimizer: opt, epochs: 1, callbacks: [poison, new ModelCheckpoint({ store })] }),
      /parameter 'weight' became Infinity by step 2 \(epoch 1\)/,
    );
    assert.equal(store.files.size, 0);
  });
});

describe('labels outside the classes are refused before training', () => {
  const x = tensor([[0, 0], [1, 1], [2, 2], [3, 3]]);
  test('checkLabels on tensors, TensorDataset, Subset, ConcatDataset, DataLoader and generic datasets', () => {
    const y = tensor(Int32Array.from([0, 2, 1, 2]));
    const ds = new TensorDataset(x, y);
    assert.deepEqual(checkLabels(y, 3), [1, 1, 2]);
    assert.deepEqual(checkLabels(ds, 3), [1, 1, 2]);
    assert.deepEqual(checkLabels(new Subset(ds, [1, 3]), 3), [0, 0, 2]);
    assert.deepEqual(checkLabels(new ConcatDataset([ds, new Subset(ds, [0])]), 3), [2, 1, 2]);
    assert.deepEqual(checkLabels(new DataLoader(ds, { batchSize: 2, shuffle: true }), 4), [1, 1, 2, 0]);
    const generic = { length: 3, get: (i: number) => ({ input: x.select(0, i), target: [5, 1, 0][i] }) };
    assert.throws(() => checkLabels(generic, 3), (e: Error) => e instanceof DataError && /label 5 of item 0 is outside the 3 classes \[0, 2\]/.test(e.message));
    assert.throws(() => checkLabels(new TensorDataset(x, tensor(Int32Array.from([0, 1, 10, 1]))), 10), /label 10 of item 2 is outside the 10 classes \[0, 9\]/);
    assert.throws(() => checkLabels(new TensorDataset(x, tensor([0, 1.5, 1, 1])), 3), /label 1.5 of item 1 .*labels must be integers/);
    assert.throws(() => checkLabels(new TensorDataset(x, tensor(Int32Array.from([0, 1, -1, 1]))), 3), /label -1 of item 2/);
    const withTargets = { length: 4, get: () => { throw new Error('items are not read'); }, targets: () => tensor(Int32Array.from([1, 1, 0, 7])) };
    assert.throws(() => checkLabels(withTargets, 3), /label 7 of item 3/);
    assert.deepEqual(checkLabels(new Subset(withTargets, [0, 2]), 3), [1, 1, 0]);
    const iterable = { *[Symbol.iterator]() { yield [x.select(0, 0), 1]; yield [x.select(0, 1), 3]; } };
    assert.throws(() => checkLabels(iterable, 3), /label 3 of item 1/);
    assert.throws(() => checkLabels(ds, 0), ValueError);
  });

  test('fit with numClasses refuses a bad validation label without touching the model', () => {
    manualSeed(15);
    const model = new nn.Linear(2, 3);
    const before = snapshot(model);
    const good = new DataLoader(new TensorDataset(x, tensor(Int32Array.from([0, 1, 2, 0]))), { batchSize: 2 });
    const bad = new DataLoader(new TensorDataset(x, tensor(Int32Array.from([0, 1, 3, 0]))), { batchSize: 2 });
    assert.throws(() => fit(model, { trainLoader: good, valLoader: bad, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 1 }), epochs: 1, numClasses: 3 }), DataError);
    assertSameBits(model.stateDict(), before);
  });
});

describe('argument errors', () => {
  manualSeed(16);
  const model = new MLP();
  const { train } = loaders();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const base = { trainLoader: train, loss: F.crossEntropy, optimizer, epochs: 1 };
  const cases: [string, object, RegExp][] = [
    ['epochs 0', { epochs: 0 }, /epochs must be an integer >= 1, got 0/],
    ['no loss', { loss: 3 }, /loss must be a function/],
    ['not an optimizer', { optimizer: {} }, /optimizer must be an Optimizer/],
    ['bad accumulation', { gradAccumulation: 1.5 }, /gradAccumulation must be an integer >= 1/],
    ['bad clip', { clipGradNorm: -1 }, /clipGradNorm must be a positive number/],
    ['bad loader', { trainLoader: 5 }, /trainLoader must be iterable/],
    ['unknown metric', { metrics: ['acc'] }, /unknown metric "acc"/],
    ['bad batch', { trainLoader: [[1, 2]] }, /each batch must be \[input, target\] or \{input, target\} of tensors, got an array of 2/],
    ['plateau per step', { scheduler: new optim.ReduceLROnPlateau(optimizer), schedulerInterval: 'step' }, /ReduceLROnPlateau needs a metric/],
    ['foreign scheduler', { scheduler: new optim.StepLR(new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 1 }), 1) }, /attached to another optimizer/],
    ['empty loader', { trainLoader: [] }, /yielded no batches/],
  ];
  for (const [what, over, re] of cases) {
    test(what, () => assert.throws(() => fit(model, { ...base, ...over } as Parameters<typeof fit>[1]), (e: Error) => e instanceof ValueError && re.test(e.message)));
  }
  test('a loss that is not a scalar', () => {
    assert.throws(() => fit(model, { ...base, loss: (o: Tensor, t: Tensor) => F.crossEntropy(o, t, { reduction: 'none' }) }), /the loss must return a one-element tensor \(use reduction 'mean' or 'sum'\), got shape \[16\]/);
  });
  test('history epochs are numbered from initialEpoch + 1', () => {
    const h = fit(model, { ...base, epochs: 3, initialEpoch: 1 });
    assert.deepEqual(h.epochs.map((e: EpochLogs) => e.epoch), [2, 3]);
  });
});
