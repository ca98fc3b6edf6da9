/**
 * `shendu tune` end to end on a few Fashion-MNIST images: trials with progress lines, Hyperband pruning on per-epoch
 * validation accuracy, summary.json, trials.csv and the pictures; --resume keeps the finished trials and adds
 * the missing ones; a model without dropout searches lr and weight decay only (here on a grid, with batch size and
 * optimizer as choices); --workers 2 runs one study in two processes (no trial number repeated or skipped) and
 * Ctrl-C leaves no trial running in the journal; bad arguments are refused with messages that name them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { cli, run, workDir } from './helpers.js';

const work = workDir('shendu-tune-cli-');
const QUICK = ['--dataset', 'fashion-mnist', '--limit', '60', '--val-split', '40', '--batch-size', '20', '--threads', '1'];

interface Summary {
  workers: number; importances: Record<string, number> | null;
  trials: number; states: Record<string, number>; epochsSpent: number; best: { trial: number; valAccuracy: number; params: Record<string, number> };
  table: { number: number; state: string; params: Record<string, number | string>; intermediateValues: Record<string, number> }[];
}
const summary = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const isPng = (file: string): boolean => readFileSync(file).subarray(1, 4).toString('latin1') === 'PNG';

/** The journal's trials replayed from its raw lines (without opening the study, which would fail stale trials). */
function journalTrials(file: string): { number: number; pid: number; state: string }[] {
  const trials: { number: number; pid: number; state: string }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let op: { op: string; trialId?: number; state?: string; worker?: { pid: number }; maxTrials?: number };
    try {
      op = JSON.parse(line);
    } catch {
      continue;
    }
    // a creation in a study already holding maxTrials good trials was refused (as the storage decides it)
    if (op.op === 'createTrial' && !(op.maxTrials !== undefined && trials.filter((t) => t.state !== 'fail').length >= op.maxTrials)) {
      trials.push({ number: trials.length, pid: op.worker!.pid, state: 'running' });
    }
    if (op.op === 'finish' && trials[op.trialId!]?.state === 'running') trials[op.trialId!].state = op.state!;
  }
  return trials;
}

test('lenet5: 3 trials with Hyperband, a progress line each, the best at the end, summary, table and pictures; --resume adds 2 more', () => {
  const out = join(work, 'lenet5');
  const r = run('tune', 'lenet5', ...QUICK, '--trials', '3', '--epochs', '2', '--sampler', 'random', '--pruner', 'hyperband', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^tuning lenet5 on fashion-mnist \(60 training images, 40 held out for validation\), 2 epochs per trial, random sampler, hyperband pruner: lr log \[0\.0001, 0\.03\], weightDecay log \[0\.000001, 0\.01\], dropout \[0, 0\.6\]/);
  const lines = r.out.split('\n').filter((l) => l.startsWith('trial '));
  assert.equal(lines.length, 3, r.out);
  for (const [i, l] of lines.entries()) assert.match(l, new RegExp(`^trial ${i} \\(${i + 1}/3\\) (complete|pruned after epoch 1): val accuracy \\d+\\.\\d\\d% \\(lr [\\d.e-]+, weightDecay [\\d.e-]+, dropout [\\d.e-]+\\) [\\d.]+ s; best `));
  assert.match(r.out, /\nbest trial \d: val accuracy \d+\.\d\d% with lr .*; \d+ of 6 epochs trained\n/);
  const s = summary(out);
  assert.equal(s.trials, 3);
  assert.equal(s.table.length, 3);
  assert.equal((s.states.complete ?? 0) + (s.states.pruned ?? 0), 3);
  // every trial reported its validation accuracy per epoch: pruned ones stop after epoch 1
  for (const t of s.table) assert.deepEqual(Object.keys(t.intermediateValues), t.state === 'pruned' ? ['1'] : ['1', '2']);
  assert.equal(s.epochsSpent, s.table.reduce((n, t) => n + Object.keys(t.intermediateValues).length, 0));
  assert.deepEqual(Object.keys(s.best.params).sort(), ['dropout', 'lr', 'weightDecay']);
  assert.ok(s.best.valAccuracy >= 0 && s.best.valAccuracy <= 1);
  assert.match(readFileSync(join(out, 'trials.csv'), 'utf8'), /^number,state,value,datetime_start,datetime_complete,duration,params_dropout,params_lr,params_weightDecay\n/);
  for (const f of ['history.png', 'intermediate.png', 'slices.png', 'parallel.png']) assert.ok(isPng(join(out, f)), f);
  assert.ok(existsSync(join(out, 'journal.jsonl')));

  const again = run('tune', 'lenet5', ...QUICK, '--trials', '3', '--epochs', '2', '--out', out);
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds the study 'lenet5-fashion-mnist'; pass --resume to continue it/);

  const resumed = run('tune', 'lenet5', ...QUICK, '--trials', '5', '--epochs', '2', '--sampler', 'random', '--pruner', 'hyperband', '--out', out, '--resume');
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, /resuming lenet5-fashion-mnist from .*journal\.jsonl: 3 of 5 trials done/);
  assert.deepEqual(resumed.out.split('\n').filter((l) => l.startsWith('trial ')).map((l) => l.split(' ').slice(1, 3).join(' ')), ['3 (4/5)', '4 (5/5)']);
  const s2 = summary(out);
  assert.deepEqual(s2.table.map((t) => t.number), [0, 1, 2, 3, 4]);
  // the first three trials are kept as they were, and the new ones drew new values
  assert.deepEqual(s2.table.slice(0, 3).map((t) => t.params), s.table.map((t) => t.params));
  assert.notDeepEqual(s2.table[3].params, s2.table[0].params);
});

test('kill -9 during a trial, then --resume: the finished trials are kept, the killed one is marked failed and run again', async () => {
  const out = join(work, 'killed');
  const args = ['tune', 'lenet5', ...QUICK, '--trials', '4', '--epochs', '2', '--sampler', 'random', '--pruner', 'none', '--out', out];
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, CI: 'true' } });
  let seen = '';
  let poll: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (poll !== undefined || seen.split('\n').filter((l) => l.startsWith('trial ')).length !== 2) return;
      // kill once the third trial is in the journal, so it dies running
      poll = setInterval(() => {
        if ((readFileSync(join(out, 'journal.jsonl'), 'utf8').match(/"op":"createTrial"/g) ?? []).length < 3) return;
        clearInterval(poll);
        child.kill('SIGKILL');
      }, 10);
    });
    child.on('exit', () => {
      clearInterval(poll);
      resolve();
    });
  });
  assert.equal(child.signalCode, 'SIGKILL', seen);
  const resumed = run(...args, '--resume');
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, /: 2 of 4 trials done\n/);
  const s = summary(out);
  assert.deepEqual(s.table.filter((t) => t.state === 'fail').map((t) => t.number), [2]);
  assert.equal(s.table.filter((t) => t.state !== 'fail').length, 4);
  assert.deepEqual(s.table.map((t) => t.number), Array.from({ length: s.table.length }, (_, i) => i));
  const before = seen.split('\n').filter((l) => l.startsWith('trial '));
  assert.deepEqual(before.map((l) => l.split(' ')[1]), ['0', '1']);
  assert.deepEqual(s.table.slice(0, 2).map((t) => t.state), ['complete', 'complete']);
  // the trials finished before the kill are the same trials after it
  for (const i of [0, 1]) assert.ok(before[i].includes(`(lr ${Number((s.table[i].params.lr as number).toPrecision(3))},`), before[i]);
});

test('--workers 2: one study trained by two processes, trials numbered 0..3 once each, all complete', () => {
  const out = join(work, 'workers');
  const r = run('tune', 'lenet5', ...QUICK, '--trials', '4', '--epochs', '2', '--sampler', 'random', '--pruner', 'none', '--workers', '2', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /, random sampler, none pruner, 2 workers: lr log/);
  const lines = r.out.split('\n').filter((l) => l.startsWith('trial '));
  assert.equal(lines.length, 4, r.out);
  const seen = lines.map((l, i) => {
    const m = /^trial (\d) \((\d)\/4\) complete: val accuracy \d+\.\d\d% \(lr .*\) [\d.]+ s; best \d+\.\d\d% \(trial \d\) \[worker ([01]), pid (\d+)\]$/.exec(l);
    assert.ok(m, l);
    // the parent prints each trial as it ends: the count of finished trials goes up one by one
    assert.equal(Number(m[2]), i + 1, l);
    return { number: Number(m[1]), worker: Number(m[3]), pid: Number(m[4]) };
  });
  assert.deepEqual(seen.map((t) => t.number).sort(), [0, 1, 2, 3]);
  const s = summary(out);
  assert.equal(s.workers, 2);
  assert.deepEqual(s.table.map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete'], [2, 'complete'], [3, 'complete']]);
  // the journal agrees: four trials, each created by a worker process (not the parent), two processes in all
  const journal = journalTrials(join(out, 'journal.jsonl'));
  assert.deepEqual(journal.map((t) => t.state), ['complete', 'complete', 'complete', 'complete']);
  assert.equal(new Set(journal.map((t) => t.pid)).size, 2, JSON.stringify(journal));
  for (const t of journal) assert.equal(seen.find((x) => x.number === t.number)!.pid, t.pid);
  for (const f of ['history.png', 'slices.png', 'parallel.png']) assert.ok(isPng(join(out, f)), f);
  // importance needs values that differ; then its picture is there and the shares sum to 1
  if (s.importances !== null) {
    assert.ok(isPng(join(out, 'importance.png')));
    assert.deepEqual(Object.keys(s.importances).sort(), ['dropout', 'lr', 'weightDecay']);
    assert.ok(Math.abs(Object.values(s.importances).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  }
});

test('Ctrl-C with --workers 2: the workers stop, no trial is left running in the journal, --resume completes the study', async () => {
  const out = join(work, 'interrupted');
  const args = ['tune', 'lenet5', ...QUICK, '--trials', '4', '--epochs', '2', '--sampler', 'random', '--pruner', 'none', '--workers', '2', '--out', out];
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, CI: 'true' } });
  let seen = '';
  child.stdout.on('data', (d: Buffer) => (seen += d.toString()));
  child.stderr.on('data', (d: Buffer) => (seen += d.toString()));
  // interrupt once a trial has ended and both workers are inside one
  const poll = setInterval(() => {
    if (!existsSync(join(out, 'journal.jsonl'))) return;
    const trials = journalTrials(join(out, 'journal.jsonl'));
    if (trials.filter((t) => t.state === 'complete').length >= 1 && trials.filter((t) => t.state === 'running').length === 2) {
      clearInterval(poll);
      child.kill('SIGINT');
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  assert.equal(code, 130, seen);
  assert.match(seen, /\nstopping the workers \.\.\.\n/);
  assert.match(seen, /\ninterrupted: [123] of 4 trials done \(the trials that were running are marked failed\); continue with --resume\n/);
  const before = journalTrials(join(out, 'journal.jsonl'));
  assert.ok(before.every((t) => t.state !== 'running'), JSON.stringify(before));
  const failed = before.filter((t) => t.state === 'fail');
  assert.ok(failed.length >= 1 && failed.length <= 2, JSON.stringify(before));

  const resumed = run(...args, '--resume');
  assert.equal(resumed.code, 0, resumed.err);
  const s = summary(out);
  assert.deepEqual(s.table.map((t) => t.number), Array.from({ length: s.table.length }, (_, i) => i));
  assert.equal(s.table.filter((t) => t.state === 'complete').length, 4);
  assert.deepEqual(s.table.filter((t) => t.state === 'fail').map((t) => t.number), failed.map((t) => t.number));
});

test('logistic has no dropout: lr and weight decay on a grid, batch size and optimizer as choices', () => {
  const out = join(work, 'logistic');
  const r = run('tune', 'logistic', ...QUICK, '--trials', '2', '--epochs', '1', '--sampler', 'grid', '--grid-points', '2', '--pruner', 'none', '--batch-sizes', '10,20', '--optimizers', 'adam,sgd', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\nlogistic has no dropout option, so dropout is not searched\n/);
  assert.match(r.out, /lr log \[0\.0001, 0\.03\], weightDecay log \[0\.000001, 0\.01\], batchSize \{10, 20\}, optimizer \{adam, sgd\}/);
  const s = summary(out);
  assert.equal(s.trials, 2);
  for (const t of s.table) {
    assert.deepEqual(Object.keys(t.params).sort(), ['batchSize', 'lr', 'optimizer', 'weightDecay']);
    assert.ok([0.0001, 0.03].includes(t.params.lr as number), String(t.params.lr));
    assert.ok([0.000001, 0.01].includes(t.params.weightDecay as number), String(t.params.weightDecay));
    assert.ok(['adam', 'sgd'].includes(t.params.optimizer as string));
  }
  // no grid point twice
  assert.notDeepEqual(s.table[0].params, s.table[1].params);
});

test('bad arguments name what is wrong', () => {
  const out = join(work, 'bad');
  const spaceFile = (name: string, json: unknown): string => {
    const p = join(work, name);
    writeFileSync(p, JSON.stringify(json));
    return p;
  };
  const cases: [string[], number, RegExp][] = [
    [['--sampler', 'bogus'], 2, /^shendu tune: invalid value 'bogus' for --sampler; valid choices: grid, random, tpe, gp\n/],
    [['--pruner', 'asha'], 2, /^shendu tune: invalid value 'asha' for --pruner; valid choices: none, median, sha, hyperband\n/],
    [['--trials', '0'], 2, /^shendu tune: --trials must be at least 1, got 0\n/],
    [['--workers', '0'], 2, /^shendu tune: --workers must be at least 1, got 0\n/],
    [['--epochs', '0'], 2, /^shendu tune: --epochs must be at least 1, got 0\n/],
    [['--grid-points', '1'], 2, /^shendu tune: --grid-points must be at least 2, got 1\n/],
    [['--val-split', '0'], 2, /^shendu tune: --val-split must be at least 1 \(trials are scored on it\), got 0\n/],
    [['--optimizers', 'adam,adamm'], 2, /^shendu tune: --optimizers: unknown optimizer 'adamm'; valid: sgd, /],
    [['--batch-sizes', '32,0'], 2, /^shendu tune: --batch-sizes must be positive integers, got '0'\n/],
    [['--resume', '--out', join(work, 'nothing-here')], 2, /^shendu tune: --resume given but there is no journal at .*nothing-here\/journal\.jsonl; start without --resume\n/],
    [['--space', join(work, 'missing.json')], 2, /^shendu tune: --space .*missing\.json: no such file\n/],
    [['--space', spaceFile('lowhigh.json', { lr: { low: 0.1, high: 0.01, log: true } })], 1, /^shendu tune: ValueError: tune: --space .*lowhigh\.json: parameter 'lr': low must be below high, got low 0\.1 >= high 0\.01\n/],
    [['--space', spaceFile('log0.json', { lr: { low: 0.1, high: 1 }, weightDecay: { low: 0, high: 0.1, log: true } })], 1, /parameter 'weightDecay': a log range needs low > 0, got 0\n/],
    [['--space', spaceFile('empty.json', { lr: { low: 0.01, high: 0.1 }, batchSize: [] })], 1, /parameter 'batchSize' has no choices \(an empty list\)\n/],
    [['--space', spaceFile('extra.json', { lr: { low: 0.01, high: 0.1 }, momentum: { low: 0.5, high: 0.9 } })], 1, /unknown parameter 'momentum'; the space knows lr, weightDecay, dropout, batchSize, optimizer\n/],
  ];
  for (const [extra, code, message] of cases) {
    const r = run('tune', 'lenet5', '--out', out, ...extra);
    assert.equal(r.code, code, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, message, extra.join(' '));
  }
  const d = run('tune', 'logistic', ...QUICK, '--out', out, '--space', spaceFile('drop.json', { lr: { low: 0.01, high: 0.1 }, dropout: { low: 0, high: 0.5 } }));
  assert.equal(d.code, 1);
  assert.match(d.err, /^shendu tune: ValueError: ClassifierTuning: the space has 'dropout' but logistic has no dropout option \(models with one: mlp, lenet5, /);
  const m = run('tune', 'charlm');
  assert.equal(m.code, 2);
  assert.match(m.err, /^shendu tune: unknown model 'charlm'; valid choices: logistic, mlp, lenet5, /);
});
