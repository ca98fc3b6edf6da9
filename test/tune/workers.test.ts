/**
 * Worker processes on one journal study: three workers end with exactly nTrials good trials, unique numbers; with
 * one worker killed by SIGKILL inside a trial (worker-objective.ts holds that trial open), its trial is marked failed by
 * the other and replaced.
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
    const hangFile = join(root, 'hang');
    const pids: number[] = [];
    let killed: { pid: number; trial: number } | undefined;
    // the first worker to start its third trial never finishes it (worker-objective.ts); it is killed once the other
    // worker has completed a trial too, so the kill lands inside a trial whatever the machine's load
    const watcher = setInterval(() => {
      if (killed) return;
      let claim: string;
      let lines: string[];
      try {
        claim = readFileSync(hangFile, 'utf8');
        lines = readFileSync(journal, 'utf8').trim().split('\n');
      } catch {
        return;
      }
      const finished = lines.filter((l) => l.includes('"op":"finish"')).length;
      const [pid, trial] = claim.split(' ').map(Number);
      if (finished >= 3 && pid > 0) {
        killed = { pid, trial };
        process.kill(pid, 'SIGKILL');
      }
    }, 5);
    process.env.SHENDU_TEST_HANG_FILE = hangFile;
    let r: Awaited<ReturnType<typeof optimizeInWorkers>>;
    try {
      r = await optimizeInWorkers(objectiveModule, { journal, studyName: 'k', nTrials: 14, workers: 2, sampler: 'random', onSpawn: (_i, pid) => pids.push(pid) });
    } finally {
      clearInterval(watcher);
      delete process.env.SHENDU_TEST_HANG_FILE;
    }
    assert.ok(killed, 'a worker was killed');
    const dead = pids.indexOf(killed.pid);
    assert.ok(dead >= 0, 'the killed process is one of the workers');
    assert.equal(r.exits[dead].signal, 'SIGKILL');
    assert.equal(r.exits[1 - dead].code, 0);
    const failed = r.trials.filter((t) => t.state === 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].worker!.pid, killed.pid);
    assert.equal(failed[0].number, killed.trial, 'the failed trial is the one the dead worker was inside');
    assert.equal(r.trials.filter((t) => t.state === 'complete').length, 14);
    assert.deepEqual(r.trials.map((t) => t.number), [...Array(15).keys()]);
  });

  test('bad options are ValueErrors', async () => {
    await assert.rejects(optimizeInWorkers(objectiveModule, { journal: join(root, 'x'), studyName: 'x', nTrials: 3, workers: 0 }),
      (e: Error) => e instanceof ValueError && /^optimizeInWorkers: workers must be an integer >= 1, got 0/.test(e.message));
  });
});
