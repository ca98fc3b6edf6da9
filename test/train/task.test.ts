/**
 * The task interface (src/train/task.ts, loop.ts, tasks/): a task with two networks, two optimizers and two
 * schedulers (one per step, one per epoch), its own state and a picture per epoch trains, logs, checkpoints and
 * resumes exactly through fitTask; format-1 checkpoints (one optimizer) still resume; the registry and restoreRun.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, F, Tensor, TensorDataset, DataLoader, ValueError, manualSeed, nn, optim } from '../../src/index.js';
import { ModelCheckpoint, loadCheckpoint, restoreRun, saveCheckpoint } from '../../src/train/checkpoint.js';
import { fit } from '../../src/train/fit.js';
import { evaluateTask, fitTask } from '../../src/train/loop.js';
import { PictureSaver } from '../../src/train/picture-saver.js';
import { MemoryFileStore } from '../../src/train/store.js';
import { TaskBase, type StepContext, type StepResult, type TaskPicture } from '../../src/train/task.js';
import { createTask, TASK_NAMES } from '../../src/train/tasks/registry.js';
import { ClassificationTask } from '../../src/train/tasks/supervised.js';
import type { TrainingState } from '../../src/train/types.js';
import { assertSameBits, blobs, differ, loaders, setupRun } from './helpers.js';

/** Two regressors trained on one batch, each with its own optimizer: the shape of a GAN's bookkeeping. */
class Pair extends nn.Module {
  a = new nn.Linear(4, 1);
  b = new nn.Sequential(new nn.Linear(4, 8), new nn.Dropout(0.3), new nn.Linear(8, 1));
}

class TwoNetTask extends TaskBase<Tensor[]> {
  readonly kind = 'two-nets';
  /** Batches seen over the whole run: state the checkpoint must keep. */
  seen = 0;

  constructor(readonly pair: Pair) {
    const optA = new optim.SGD(pair.a.parameters(), { lr: 0.05, momentum: 0.9 });
    const optB = new optim.Adam(pair.b.parameters(), { lr: 0.01 });
    super(pair, { a: optA, b: optB }, {
      a: { scheduler: new optim.OneCycleLR(optA, { maxLr: 0.1, totalSteps: 4 * 15 }) },
      b: { scheduler: new optim.StepLR(optB, 1, { gamma: 0.5 }) },
    });
  }

  private losses([x, y]: Tensor[]): [Tensor, Tensor] {
    const t = y.float().unsqueeze(1);
    return [F.mseLoss(this.pair.a.forward(x), t), F.mseLoss(this.pair.b.forward(x), t)];
  }

  trainStep(batch: Tensor[]): StepResult {
    const [la, lb] = this.losses(batch);
    for (const [name, loss] of [['a', la], ['b', lb]] as const) {
      this.optimizers[name].zeroGrad();
      loss.backward();
      this.optimizerStep(name);
    }
    this.seen++;
    return { loss: la.item() + lb.item(), n: batch[0].shape[0], logs: { loss_a: la.item(), loss_b: lb.item() }, steps: 1 };
  }

  evalStep(batch: Tensor[]): StepResult {
    const [la, lb] = this.losses(batch);
    return { loss: la.item() + lb.item(), n: batch[0].shape[0], logs: { loss_a: la.item(), loss_b: lb.item() } };
  }

  pictures(epoch: number): TaskPicture[] {
    return [{ name: 'samples', png: new Uint8Array([137, 80, 78, 71, epoch]) }];
  }

  stateDict(): Record<string, unknown> {
    return { seen: this.seen };
  }

  loadStateDict(state: Record<string, unknown>): void {
    this.seen = Number(state.seen);
  }
}

function twoNetRun(store: MemoryFileStore, crashAt?: number) {
  manualSeed(3);
  const task = new TwoNetTask(new Pair());
  const { train, val } = loaders(5);
  const callbacks = [
    new ModelCheckpoint({ store }),
    new PictureSaver({ store, everyEpoch: true }),
    { onEpochEnd: (e: number) => { if (e === crashAt) throw new Error('simulated crash'); } },
  ];
  return { task, go: (resumeFrom?: ReturnType<typeof loadCheckpoint>) => fitTask(task, { trainLoader: train, valLoader: val, epochs: 4, callbacks, resumeFrom }) };
}

describe('fitTask with a two-optimizer task', () => {
  const store = new MemoryFileStore();
  const straight = twoNetRun(store);
  const history = straight.go();

  test('logs average the step logs by batch size, per epoch and for validation', () => {
    assert.equal(history.epochs.length, 4);
    for (const e of history.epochs) {
      assert.ok(Math.abs(e.loss - (e.loss_a + e.loss_b)) < 1e-5);
      assert.ok(Math.abs(e.val_loss - (e.val_loss_a + e.val_loss_b)) < 1e-5);
    }
    const v = evaluateTask(straight.task, loaders(5).val);
    assert.ok(Math.abs(v.loss - history.epochs[3].val_loss) < 1e-6, 'evaluateTask gives the last validation');
  });

  test('each scheduler runs on its own interval', () => {
    // StepLR per epoch: 0.01, 0.005, 0.0025, 0.00125 at the epochs' starts, 0.000625 after the last
    assert.equal(straight.task.optimizers.b.paramGroups[0].lr, 0.01 * 0.5 ** 4);
    // OneCycleLR per step: 60 steps of its 60 -> at the end of the cycle (the initial lr / 1e4 over div factors)
    const ref = new optim.OneCycleLR(new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 0.05, momentum: 0.9 }), { maxLr: 0.1, totalSteps: 60 });
    for (let i = 0; i < 60; i++) ref.step();
    assert.equal(straight.task.optimizers.a.paramGroups[0].lr, ref.optimizer.paramGroups[0].lr);
    assert.ok(Math.abs(history.epochs[0].lr - 0.1 / 25) < 1e-12, 'the logged lr is the first optimizer\'s at the epoch start (one-cycle starts at maxLr / 25)');
  });

  test('checkpoints hold every optimizer, scheduler and the task state by name; pictures are written', () => {
    const ck = loadCheckpoint(store, 'last');
    const state = ck!.state as TrainingState;
    assert.deepEqual(Object.keys(state.optimizers!), ['a', 'b']);
    assert.deepEqual(Object.keys(state.schedulers!), ['a', 'b']);
    assert.deepEqual(state.task, { seen: 60 });
    assert.deepEqual(Object.keys(ck!.weights).sort(), Object.keys(straight.task.model.stateDict()).sort());
    assert.deepEqual(Array.from(store.read('samples.png')!), [137, 80, 78, 71, 4]);
    assert.deepEqual(Array.from(store.read('samples-epoch2.png')!), [137, 80, 78, 71, 2]);
  });

  test('a crash after epoch 2 resumes to exactly the uninterrupted run', () => {
    const crashStore = new MemoryFileStore();
    const crashed = twoNetRun(crashStore, 3);
    assert.throws(() => crashed.go(), /simulated crash/);
    const resumed = twoNetRun(crashStore);
    const ck = loadCheckpoint(crashStore, 'last');
    assert.equal(ck!.state!.epoch, 2);
    const h = resumed.go(ck);
    assertSameBits(resumed.task.model.stateDict(), straight.task.model.stateDict());
    assert.equal(resumed.task.seen, 60);
    assert.deepEqual(h.epochs.map(({ time: _t, ...r }) => r), history.epochs.map(({ time: _t, ...r }) => r));
    for (const k of ['a', 'b']) assert.equal(resumed.task.optimizers[k].paramGroups[0].lr, straight.task.optimizers[k].paramGroups[0].lr);
  });

  test('resuming with another set of optimizers is refused, naming both', () => {
    const ck = loadCheckpoint(store, 'last');
    manualSeed(0);
    const model = new nn.Linear(4, 3);
    const task = new ClassificationTask(model, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }) });
    assert.throws(() => fitTask(task, { trainLoader: loaders().train, epochs: 5, resumeFrom: ck }), (e: unknown) => e instanceof ValueError && /'a', 'b'.*'optimizer'/.test(e.message));
  });
});

describe('checkpoint formats and task bad input', () => {
  test('a format-1 checkpoint (one optimizer and scheduler, before tasks) still resumes exactly', () => {
    const straight = setupRun(0, 7);
    const base = (s: ReturnType<typeof setupRun>) => ({ trainLoader: s.train, valLoader: s.val, loss: F.crossEntropy, optimizer: s.optimizer, scheduler: s.scheduler, metrics: ['accuracy'] });
    fit(straight.model, { ...base(straight), epochs: 3 });
    const first = setupRun(0, 7);
    const store = new MemoryFileStore();
    fit(first.model, { ...base(first), epochs: 2, callbacks: [new ModelCheckpoint({ store, saveBest: false })] });
    // rewrite the state as format 1 would have written it
    const ck = loadCheckpoint(store, 'last')!;
    const { optimizers, schedulers, ...rest } = ck.state!;
    const v1 = { ...rest, optimizer: optimizers!.optimizer, scheduler: schedulers!.scheduler } as TrainingState;
    saveCheckpoint(store, 'old', first.model, { state: v1 });
    const again = setupRun(0, 7);
    fit(again.model, { ...base(again), epochs: 3, resumeFrom: loadCheckpoint(store, 'old') });
    assertSameBits(again.model.stateDict(), straight.model.stateDict());
  });

  test('TaskBase refuses a scheduler of a foreign optimizer and a per-step plateau scheduler', () => {
    const m = new nn.Linear(2, 2);
    const own = new optim.SGD(m.parameters(), { lr: 0.1 });
    const other = new optim.SGD(new nn.Linear(2, 2).parameters(), { lr: 0.1 });
    class T extends TaskBase {
      kind = 't';
      trainStep(): StepResult { return { loss: 0, n: 1 }; }
      evalStep(): StepResult { return { loss: 0, n: 1 }; }
    }
    assert.throws(() => new T(m, { own }, { s: { scheduler: new optim.StepLR(other, 1) } }), /attached to an optimizer that is not one of the task's \(own\)/);
    assert.throws(() => new T(m, { own }, { s: { scheduler: new optim.ReduceLROnPlateau(own), interval: 'step' } }), /needs a metric/);
    assert.throws(() => new T(m, {}), /at least one optimizer/);
    assert.throws(() => new T(m, { own }, { s: { scheduler: null as never } }), /must hold an LRScheduler or ReduceLROnPlateau, got null/);
  });

  test('fitTask refuses what is not a task; a non-finite step loss stops training', () => {
    assert.throws(() => fitTask({} as never, { trainLoader: [], epochs: 1 }), /task must be a Task/);
    const m = new nn.Linear(2, 1);
    class Bad extends TaskBase {
      kind = 'bad';
      trainStep(_b: unknown, ctx: StepContext): StepResult { return { loss: ctx.batch === 2 ? NaN : 1, n: 1 }; }
      evalStep(): StepResult { return { loss: 0, n: 1 }; }
    }
    const t = new Bad(m, { o: new optim.SGD(m.parameters(), { lr: 0.1 }) });
    assert.throws(() => fitTask(t, { trainLoader: [1, 2, 3], epochs: 1 }), /the loss is NaN at step 2 \(epoch 1, batch 2\)/);
  });
});

describe('the task registry', () => {
  test('classification: cross-entropy and accuracy by default; regression: mse and mae', () => {
    assert.deepEqual([...TASK_NAMES].slice(0, 2), ['classification', 'regression']); // later families append theirs
    manualSeed(0);
    const model = new nn.Linear(4, 3);
    const { train, val } = loaders();
    const task = createTask('classification', model, { optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }) });
    const h = fitTask(task, { trainLoader: train, valLoader: val, epochs: 5 });
    assert.ok('accuracy' in h.epochs[4] && 'val_accuracy' in h.epochs[4]);
    assert.ok(h.epochs[4].val_accuracy > 0.8, `a linear model separates the blobs: val accuracy ${h.epochs[4].val_accuracy}`);
    const reg = new nn.Linear(4, 1);
    const { x } = blobs(64, 3);
    const y = x.sum(1, { keepdim: true });
    const rt = createTask('regression', reg, { optimizer: new optim.SGD(reg.parameters(), { lr: 0.05 }) });
    const rh = fitTask(rt, { trainLoader: new DataLoader(new TensorDataset(x, y), { batchSize: 16 }), epochs: 20 });
    assert.ok(rh.epochs[19].mae < 0.1 * rh.epochs[0].mae, `regression learns: mae ${rh.epochs[0].mae} -> ${rh.epochs[19].mae}`);
    assert.throws(() => createTask('diffusion' as never, model, {} as never), (e: unknown) => e instanceof ValueError && /unknown task 'diffusion'; valid choices: classification, regression/.test(e.message));
  });
});

describe('restoreRun', () => {
  const make = (meta: Record<string, unknown>) => new nn.Sequential(new nn.Linear(Number(meta.inFeatures ?? 4), 3));
  test('rebuilds the model from the metadata, loads the weights, eval mode', () => {
    const store = new MemoryFileStore();
    const model = make({});
    saveCheckpoint(store, 'best', model, { metadata: { shendu: JSON.stringify({ model: 'toy', modelOptions: {}, dataset: 'blobs' }) } });
    const { model: back, meta } = restoreRun(store, 'best', (m) => make(m.modelOptions));
    assertSameBits(back.stateDict(), model.stateDict());
    assert.equal(back.training, false);
    assert.equal(meta.dataset, 'blobs');
  });

  test('missing run, metadata, bad JSON and mis-shaped weights are errors naming the file', () => {
    const store = new MemoryFileStore();
    assert.throws(() => restoreRun(store, 'last', make, { source: 'runs/x' }), (e: unknown) => e instanceof DataError && /runs\/x: no checkpoint 'last.safetensors'/.test(e.message));
    saveCheckpoint(store, 'a', make({}));
    assert.throws(() => restoreRun(store, 'a', make), /a.safetensors: the checkpoint has no 'shendu' metadata/);
    saveCheckpoint(store, 'b', make({}), { metadata: { shendu: '{oops' } });
    assert.throws(() => restoreRun(store, 'b', make), /not valid JSON/);
    saveCheckpoint(store, 'c', make({}), { metadata: { shendu: '{"dataset": "x"}' } });
    assert.throws(() => restoreRun(store, 'c', make), /must name the model and its options/);
    saveCheckpoint(store, 'd', make({}), { metadata: { shendu: JSON.stringify({ model: 'toy', modelOptions: { inFeatures: 5 } }) } });
    assert.throws(() => restoreRun(store, 'd', (m) => make(m.modelOptions)), /0\.weight/);
  });
});

test('the run differs from another seed (the resume comparison can fail)', () => {
  const a = twoNetRun(new MemoryFileStore());
  a.go();
  manualSeed(99);
  const other = new TwoNetTask(new Pair());
  fitTask(other, { trainLoader: loaders(5).train, epochs: 4 });
  assert.ok(differ(a.task.model.stateDict(), other.model.stateDict()));
});
