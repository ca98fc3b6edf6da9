/**
 * The journal file storage: a study reopened from its journal resumes with its trials; two processes on one
 * journal never duplicate a trial number nor lose a trial; a process killed with SIGKILL mid-trial loses no
 * finished trial, and when the study is resumed its running trial is marked failed and numbering goes on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
// The tune modules only: the package index takes long to load on a busy machine.
import { JournalFileStorage } from '../../src/node/tune-journal.js';
import * as tune from '../../src/tune/index.js';

const root = mkdtempSync(join(tmpdir(), 'shendu-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
const childScript = new URL('./journal-child.js', import.meta.url).pathname;

function child(journal: string, study: string, nTrials: number, sleepMs: number) {
  const p = spawn(process.execPath, [childScript, journal, study, String(nTrials), String(sleepMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) => p.on('close', (code, signal) => res({ code, signal, out })));
  return { p, done };
}

function open(journal: string, name: string): tune.Study {
  return tune.createStudy({ storage: new JournalFileStorage(journal), studyName: name, loadIfExists: true, sampler: 'random', pruner: 'none' });
}

describe('journal file storage', () => {
  test('a study reopened from its journal has every trial, parameters and intermediate values', async () => {
    const journal = join(root, 'reopen.jsonl');
    const a = tune.createStudy({ storage: new JournalFileStorage(journal), studyName: 'r', sampler: new tune.RandomSampler({ seed: 1 }), pruner: 'none' });
    await a.optimize((t) => {
      t.report(0.5, 1);
      return t.suggestInt('n', 1, 5) + (t.suggestCategorical('c', ['p', 'q']) === 'p' ? 0 : 10);
    }, { nTrials: 6 });
    const b = open(journal, 'r');
    assert.deepEqual(b.trials.map((t) => [t.number, t.state, t.value, t.params, [...t.intermediateValues]]),
      a.trials.map((t) => [t.number, t.state, t.value, t.params, [...t.intermediateValues]]));
    await b.optimize((t) => t.suggestInt('n', 1, 5), { nTrials: 2 });
    assert.deepEqual(open(journal, 'r').trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a torn last line (a writer killed mid-line) is skipped, later lines are read', async () => {
    const journal = join(root, 'torn.jsonl');
    const a = open(journal, 't');
    await a.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    appendFileSync(journal, '{"op":"createTri');
    const b = open(journal, 't');
    await b.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    const c = open(journal, 't');
    assert.deepEqual(c.trials.map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete'], [2, 'complete'], [3, 'complete']]);
  });

  test('two processes on one journal: no duplicate number, no lost trial', async () => {
    const journal = join(root, 'two.jsonl');
    const [a, b] = [child(journal, 'shared', 15, 3), child(journal, 'shared', 15, 3)];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.out);
    assert.equal(rb.code, 0, rb.out);
    const trials = open(journal, 'shared').trials;
    assert.equal(trials.length, 30);
    assert.deepEqual(trials.map((t) => t.number), [...Array(30).keys()]);
    assert.ok(trials.every((t) => t.state === 'complete' && t.value === (t.params.x as number) ** 2));
    const byPid = new Map<number, number>();
    for (const t of trials) byPid.set(t.worker!.pid, (byPid.get(t.worker!.pid) ?? 0) + 1);
    assert.deepEqual([...byPid.values()], [15, 15]);
    assert.ok(readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"createTrial"')).length === 30);
  });

  test('kill -9 mid-trial, then resume: finished trials kept once, the running one failed', async () => {
    const journal = join(root, 'killed.jsonl');
    const run = child(journal, 'k', 50, 60);
    // Kill once a few trials have finished and the last journal line is not a finish: a trial is running.
    await new Promise<void>((res, rej) => {
      const giveUp = setTimeout(() => { clearInterval(timer); rej(new Error('child never reached 3 trials')); }, 20000);
      const timer = setInterval(() => {
        let lines: string[];
        try { lines = readFileSync(journal, 'utf8').trim().split('\n'); } catch { return; }
        const finished = lines.filter((l) => l.includes('"finish"')).length;
        if (finished >= 3 && !lines[lines.length - 1].includes('"finish"')) {
          clearInterval(timer);
          clearTimeout(giveUp);
          run.p.kill('SIGKILL');
          res();
        }
      }, 5);
    });
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const snap = open(journal, 'k').trials;
    const finishedBefore = snap.filter((t) => t.state === 'complete');
    assert.ok(finishedBefore.length >= 3, `${finishedBefore.length} finished before the kill`);
    // Opening the study marked the dead process's running trial failed.
    const running = snap.filter((t) => t.state !== 'complete');
    assert.equal(running.length, 1);
    assert.equal(running[0].state, 'fail');
    assert.equal(running[0].number, finishedBefore.length);
    const resumed = await child(journal, 'k', 4, 0).done;
    assert.equal(resumed.code, 0, resumed.out);
    const all = open(journal, 'k').trials;
    assert.deepEqual(all.map((t) => t.number), [...Array(finishedBefore.length + 5).keys()]);
    for (const t of finishedBefore) {
      const again = all[t.number];
      assert.deepEqual([again.state, again.value, again.params], ['complete', t.value, t.params]);
    }
    assert.equal(all[finishedBefore.length].state, 'fail');
    assert.equal(all.filter((t) => t.state === 'complete').length, finishedBefore.length + 4);
  });
});
