/**
 * Worker processes on one journal study: three workers end with exactly nTrials good trials, unique numbers; with
 * one worker killed by SIGKILL mid-trial, its trial is marked failed by the others and replaced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { optimizeInWorkers } from '../../src/node/tune-workers.js';

const root = mkdtempSync(join(tmpdir(), 'shendu-workers-'));
after(() => rmSync(root, { recursive: true, force: true }));
const objectiveModule = new URL('./worker-objective.js', import.meta.url).pathname;

describe('optimizeInWorkers', () => {
  test('three workers, 12 trials: unique numbers, every worker took part', async () => {
    const journal = join(root, 'three.jsonl');
    const r = await optimizeInWorkers(objectiveModule, { journal, studyName: 'w', nTrials: 12, workers: 3, sampler: 'random' });
    assert.deepEqual(r.exits.map((e) => e.code), [0, 0, 0]);
    assert.deepEqual(r.trials.map((t) => t.number), [...Array(12).keys()]);
    assert.ok(r.trials.every((t) => t.state === 'complete'));
    assert.equal(new Set(r.trials.map((t) => t.worker!.pid)).size, 3);
  });

  test('a worker killed mid-trial: its trial is failed and replaced', async () => {
    const journal = join(root, 'killed.jsonl');
    const pids: number[] = [];
    let killedPid = -1;
    const watcher = setInterval(() => {
      if (killedPid >= 0 || pids.length < 2) return;
      let lines: string[];
      try { lines = readFileSync(journal, 'utf8').trim().split('\n'); } catch { return; }
      // Replay the journal just enough to see which trials are running and whose they are.
      const running = new Map<number, number>();
      let next = 0;
      let finished = 0;
      for (const l of lines) {
        let op: { op: string; trialId?: number; worker?: { pid: number } };
        try { op = JSON.parse(l); } catch { continue; }
        if (op.op === 'createTrial') running.set(next++, op.worker!.pid);
        if (op.op === 'finish') { running.delete(op.trialId!); finished++; }
      }
      if (finished >= 3 && [...running.values()].includes(pids[0])) {
        killedPid = pids[0];
        process.kill(killedPid, 'SIGKILL');
      }
    }, 2);
    const r = await optimizeInWorkers(objectiveModule, { journal, studyName: 'k', nTrials: 14, workers: 2, sampler: 'random', onSpawn: (_i, pid) => pids.push(pid) });
    clearInterval(watcher);
    assert.ok(killedPid > 0, 'worker 0 was killed');
    assert.equal(r.exits[0].signal, 'SIGKILL');
    assert.equal(r.exits[1].code, 0);
    const failed = r.trials.filter((t) => t.state === 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].worker!.pid, killedPid);
    assert.equal(r.trials.filter((t) => t.state === 'complete').length, 14);
    assert.deepEqual(r.trials.map((t) => t.number), [...Array(15).keys()]);
  });

  test('bad options are ValueErrors', async () => {
    await assert.rejects(optimizeInWorkers(objectiveModule, { journal: join(root, 'x'), studyName: 'x', nTrials: 3, workers: 0 }),
      (e: Error) => e instanceof ValueError && /^optimizeInWorkers: workers must be an integer >= 1, got 0/.test(e.message));
  });
});
