/**
 * Importing 'shendu/node' leaves Ctrl-C and `kill` alone: no SIGINT/SIGTERM/SIGHUP listener is installed, so the
 * signals keep Node's default (the process ends at once, even inside a synchronous training loop; checkpoints are
 * written by rename, so nothing is half-written). A JavaScript listener would defer them until the event loop turns,
 * which a training loop never lets happen — `shendu train` once ignored Ctrl-C that way (proper-lockfile's
 * signal-exit, loaded at import).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const NODE_API = new URL('../../src/node/index.js', import.meta.url).href;

function listenersAfter(script: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${script}\nconsole.log(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s)).join(' '));`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test("importing 'shendu/node' installs no signal listener", () => {
  assert.equal(listenersAfter(`await import(${JSON.stringify(NODE_API)});`), '0 0 0');
});

test('a journal storage still locks (its lock library loads on first use) and works', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shendu-signals-'));
  try {
    const file = join(dir, 'study.jsonl');
    const out = listenersAfter(`const s = await import(${JSON.stringify(NODE_API)});
const storage = new s.JournalFileStorage(${JSON.stringify(file)});
const study = s.tune.createStudy({ storage, studyName: 'sig', sampler: new s.tune.RandomSampler({ seed: 0 }) });
await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
if (study.trials.length !== 2) throw new Error('expected 2 trials, got ' + study.trials.length);`);
    // the lock library's exit hooks exist once it is loaded, in the process that locks only
    assert.match(out, /^\d+ \d+ \d+$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
