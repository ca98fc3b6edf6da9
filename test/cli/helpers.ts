/**
 * What the CLI tests share: the built `shendu` entry point, a run of it as a user would (CI=true, so progress is one
 * line per epoch), and a scratch directory removed after the file's tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** Path of the compiled CLI (dist/src/cli/main.js). */
export const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;

/** Runs `shendu ...args` to completion: its exit code, stdout and stderr. */
export function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A fresh temporary directory, deleted after the test file's tests. */
export function workDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
