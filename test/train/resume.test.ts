/**
 * Exact resume (src/train/fit.ts + checkpoint.ts): a run that crashes after its epoch-2 checkpoint and resumes
 * ends with bit-identical weights, optimizer state, history and logs to an uninterrupted run — in process, and
 * across processes with a real SIGKILL. Negative controls show the test would notice a generator state that was
 * not restored; mismatched setups are refused.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { F, Generator, Tensor, ValueError, decodeSafetensors, optim } from '../../src/index.js';
import { CSVLogger, EarlyStopping, LRLogger, LambdaCallback } from '../../src/train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { fit } from '../../src/train/fit.js';
import { MemoryFileStore } from '../../src/train/store.js';
import type { Callback, Checkpoint, EpochLogs } from '../../src/train/types.js';
import { assertSameBits, differ, setupRun } from './helpers.js';

const withoutTime = (h: EpochLogs[]) => h.map(({ time: _t, ...rest }) => rest);
const csvWithoutTime = (text: string) => {
  const rows = text.trim().split('\n').map((l) => l.split(','));
  const col = rows[0].indexOf('time');
  return rows.map((r) => r.filter((_, i) => i !== col).join(','));
};

function optimizerTensors(opt: optim.Optimizer): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [i, st] of Object.entries(opt.stateDict().state)) for (const [k, v] of Object.entries(st)) if (v instanceof Tensor) out[`${i}.${k}`] = v;
  return out;
}

/** One training run of the resume scenario; `crashAt` throws in that epoch's onEpochEnd, after the CSV row. */
function run(store: MemoryFileStore, seeds: [number, number], opts: { crashAt?: number; resumeFrom?: Checkpoint | null } = {}) {
  const s = setupRun(...seeds);
  const lr = new LRLogger({ store });
  const early = new EarlyStopping({ monitor: 'val_loss', patience: 50 });
  const callbacks: Callback[] = [
    new CSVLogger({ store }),
    lr,
    new LambdaCallback({ onEpochEnd: (e) => { if (e === opts.crashAt) throw new Error('simulated crash'); } }),
    early,
    new ModelCheckpoint({ store }),
  ];
  const fitIt = () => fit(s.model, {
    trainLoader: s.train, valLoader: s.val, loss: F.crossEntropy, optimizer: s.optimizer, scheduler: s.scheduler, epochs: 4,
    metrics: ['accuracy'], callbacks, resumeFrom: opts.resumeFrom,
  });
  return { s, lr, early, fitIt };
}

describe('resume after a crash gives exactly the uninterrupted run', () => {
  const straightStore = new MemoryFileStore();
  const straight = run(straightStore, [0, 7]);
  const straightHistory = straight.fitIt();

  const store = new MemoryFileStore();
  const crashed = run(store, [0, 7], { crashAt: 3 });
  assert.throws(crashed.fitIt, /simulated crash/);
  const ck = loadCheckpoint(store, 'last');

  test('the checkpoint left by the crash is the one of epoch 2', () => {
    assert.equal(ck?.state?.epoch, 2);
    assert.equal(ck?.state?.step, 30);
    assert.equal(ck?.state?.rng.extra.length, 1, 'the loader\'s shuffle generator is saved');
  });

  // the resumed process starts from other seeds: everything must come from the checkpoint
  const resumed = run(store, [123, 456], { resumeFrom: ck });
  const resumedHistory = resumed.fitIt();

  test('bit-identical weights, optimizer state and scheduler', () => {
    assertSameBits(resumed.s.model.stateDict(), straight.s.model.stateDict());
    assertSameBits(optimizerTensors(resumed.s.optimizer), optimizerTensors(straight.s.optimizer));
    assert.deepEqual(resumed.s.optimizer.paramGroups.map((g) => g.lr), straight.s.optimizer.paramGroups.map((g) => g.lr));
    assert.deepEqual(resumed.s.scheduler.stateDict(), straight.s.scheduler.stateDict());
    assert.deepEqual(resumed.s.gen.getState(), straight.s.gen.getState());
  });

  test('the same history, callback state and log files', () => {
    assert.deepEqual(withoutTime(resumedHistory.epochs), withoutTime(straightHistory.epochs));
    assert.deepEqual(resumed.lr.records, straight.lr.records);
    assert.deepEqual(
      { ...resumed.early.stateDict(), bestWeights: null },
      { ...straight.early.stateDict(), bestWeights: null },
    );
    // the crash happened after epoch 3's CSV row was written: the resumed logger dropped it and wrote it again
    assert.deepEqual(csvWithoutTime(store.readText('metrics.csv')!), csvWithoutTime(straightStore.readText('metrics.csv')!));
    assert.equal(store.readText('lr.csv'), straightStore.readText('lr.csv'));
    assert.deepEqual(store.read('last.safetensors'), straightStore.read('last.safetensors'));
    assert.deepEqual(store.read('best.safetensors'), straightStore.read('best.safetensors'));
  });

  test('negative controls: a generator state that is not restored changes the result', () => {
    const other = new Generator(99).getState();
    for (const which of ['default', 'loader'] as const) {
      const rng = which === 'default' ? { default: other, extra: ck!.state!.rng.extra } : { default: ck!.state!.rng.default, extra: [other] };
      const altered: Checkpoint = { ...ck!, state: { ...ck!.state!, rng } };
      const r = run(new MemoryFileStore(), [0, 7], { resumeFrom: altered });
      r.fitIt();
      assert.ok(differ(r.s.model.stateDict(), straight.s.model.stateDict()), `${which} generator`);
    }
  });

  test('a different setup is refused before anything changes', () => {
    const s = setupRun(5, 5);
    const base = { trainLoader: s.train, loss: F.crossEntropy, optimizer: s.optimizer, epochs: 4 };
    assert.throws(() => fit(s.model, { ...base, resumeFrom: ck }), (e: Error) => e instanceof ValueError && /holds a scheduler state, but this run has no scheduler/.test(e.message));
    assert.throws(() => fit(s.model, { ...base, scheduler: s.scheduler, trainLoader: [...s.train], resumeFrom: ck }), /holds 1 loader\/extra generator states, this run has 0 generators/);
    assert.throws(() => fit(s.model, { ...base, scheduler: s.scheduler, resumeFrom: { ...ck!, state: null } }), /weights-only checkpoint/);
    assert.throws(() => fit(s.model, { ...base, scheduler: s.scheduler, resumeFrom: ck, initialEpoch: 1 }), /initialEpoch 1 contradicts the checkpoint, which is at epoch 2/);
    const wrongOpt = new optim.SGD(s.model.parameters(), { lr: 0.1 });
    assert.throws(() => fit(s.model, { ...base, optimizer: wrongOpt, resumeFrom: ck, scheduler: new optim.StepLR(wrongOpt, 1) }), /it was saved by "Adam", not SGD|saved by 'Adam'|Adam/);
  });

  test('resuming a finished run trains nothing and returns its history', () => {
    const done = loadCheckpoint(straightStore, 'last');
    const r = run(new MemoryFileStore(), [1, 1], { resumeFrom: done });
    const h = r.fitIt();
    assert.equal(h.epochs.length, 4);
    assertSameBits(r.s.model.stateDict(), straight.s.model.stateDict());
  });
});

function runChild(dir: string, epochs: number, sleepMs: number, resume: boolean, onSpawn?: (kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const script = new URL('./resume-child.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, dir, String(epochs), String(sleepMs), ...(resume ? ['--resume'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  onSpawn?.(() => child.kill('SIGKILL'));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

describe('kill -9 and resume in a child process', () => {
  test('a run killed with SIGKILL after its first checkpoint resumes to the uninterrupted run\'s weights', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shendu-resume-'));
    try {
      const straightDir = join(root, 'straight');
      const killedDir = join(root, 'killed');
      const epochs = 5;
      const straight = runChild(straightDir, epochs, 0, false);
      let timer: NodeJS.Timeout | undefined;
      const killed = await runChild(killedDir, epochs, 250, false, (kill) => {
        timer = setInterval(() => {
          if (existsSync(join(killedDir, 'last.state.safetensors'))) {
            clearInterval(timer);
            kill();
          }
        }, 2);
      });
      clearInterval(timer);
      assert.equal(killed.signal, 'SIGKILL', `the child was killed (exit ${killed.code}: ${killed.stderr})`);
      assert.equal(existsSync(join(killedDir, 'final.safetensors')), false, 'the killed run did not finish');
      const at = decodeSafetensors(readFileSync(join(killedDir, 'last.state.safetensors'))).metadata['shendu.epoch'];
      assert.ok(Number(at) >= 1 && Number(at) < epochs, `killed after epoch ${at}`);

      const resumed = await runChild(killedDir, epochs, 0, true);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(resumed.stdout.trim(), `resumed after epoch ${at}`, 'the second run started from the checkpoint');
      const s = await straight;
      assert.equal(s.code, 0, s.stderr);
      const a = decodeSafetensors(readFileSync(join(straightDir, 'final.safetensors'))).tensors;
      const b = decodeSafetensors(readFileSync(join(killedDir, 'final.safetensors'))).tensors;
      assertSameBits(b, a);
      const csv = (d: string) => csvWithoutTime(readFileSync(join(d, 'metrics.csv'), 'utf8'));
      assert.deepEqual(csv(killedDir), csv(straightDir));
      assert.equal(csv(killedDir).length, epochs + 1);
      assert.equal(readFileSync(join(killedDir, 'lr.csv'), 'utf8'), readFileSync(join(straightDir, 'lr.csv'), 'utf8'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
