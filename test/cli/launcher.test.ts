/**
 * The `shendu` executable (src/cli/bin.ts): a shell line that replaces itself with node in the heap environment of
 * src/cli/heap-env.ts, keeping the process (pid, signals, exit code) and every argument as given.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HEAP_ENV, withHeapEnv } from '../../src/cli/heap-env.js';
import { workDir } from './helpers.js';

const bin = new URL('../../src/cli/bin.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };

/** A directory holding a fake `node` that prints its pid, the heap variables and its arguments, one per line. */
function fakeNode(): string {
  const dir = workDir('shendu-launcher-');
  const names = Object.keys(HEAP_ENV).map((k) => `"$${k}"`).join(' ');
  writeFileSync(join(dir, 'node'), `#!/bin/sh\nprintf '%s\\n' "$$" ${names} "$@"\nexit 7\n`);
  chmodSync(join(dir, 'node'), 0o755);
  return dir;
}

describe('shendu launcher', () => {
  it('is the package\'s executable', () => {
    assert.deepEqual(pkg.bin, { shendu: 'dist/src/cli/bin.js' });
  });

  it('sets in its shell line exactly the variables and values of HEAP_ENV, each only where unset', () => {
    const line = readFileSync(bin, 'utf8').split('\n')[1];
    const found = Object.fromEntries([...line.matchAll(/(\w+)="\$\{(\w+):-(\w+)\}"/g)].map((m) => {
      assert.equal(m[1], m[2], 'a variable defaults from itself');
      return [m[1], m[3]];
    }));
    assert.deepEqual(found, HEAP_ENV);
  });

  it('becomes node in the same process with the heap variables and the arguments as given', { skip: process.platform === 'win32' }, () => {
    const dir = fakeNode();
    const args = ['train', 'a b', '', '--x=$HOME', '"q"'];
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}:${process.env.PATH}` };
    for (const k of Object.keys(HEAP_ENV)) delete env[k];
    const r = spawnSync(bin, args, { encoding: 'utf8', env });
    assert.equal(r.status, 7, r.stderr);
    const lines = r.stdout.split('\n').slice(0, -1);
    const n = Object.keys(HEAP_ENV).length;
    assert.equal(Number(lines[0]), r.pid, 'exec keeps the pid: no process in between');
    assert.deepEqual(lines.slice(1, 1 + n), Object.values(HEAP_ENV));
    assert.equal(lines[1 + n], bin);
    assert.deepEqual(lines.slice(2 + n), args);
  });

  it('keeps a heap variable the caller set', { skip: process.platform === 'win32' }, () => {
    const dir = fakeNode();
    const r = spawnSync(bin, [], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, MALLOC_TOP_PAD_: '4096' } });
    const lines = r.stdout.split('\n');
    assert.equal(lines[1 + Object.keys(HEAP_ENV).indexOf('MALLOC_TOP_PAD_')], '4096');
    assert.deepEqual(withHeapEnv({ MALLOC_TOP_PAD_: '4096', A: 'b' }), { ...HEAP_ENV, MALLOC_TOP_PAD_: '4096', A: 'b' });
  });

  it('runs the command with its exit codes', { skip: process.platform === 'win32' }, () => {
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: shendu <command>/);
    const wrong = spawnSync(bin, ['no-such-command'], { encoding: 'utf8' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /unknown command 'no-such-command'/);
  });
});
