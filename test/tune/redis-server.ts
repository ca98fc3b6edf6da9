/**
 * Starts Debian's `redis-server` for a test on a free loopback port, in a temporary directory, with persistence
 * off; `stop()` kills it. `redisMissing` says why the Redis tests are skipped where the server is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Null when `redis-server` runs, else the reason the Redis tests are skipped. */
export const redisMissing: string | null = spawnSync('redis-server', ['--version']).status === 0
  ? null : 'redis-server is not on PATH (Debian package redis-server; .ci/run installs it)';

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => resolve(false));
    s.on('data', (d) => { s.destroy(); resolve(String(d).startsWith('+PONG')); });
    s.on('connect', () => s.write('PING\r\n'));
  });
}

/** Sends one command (no arguments with spaces) to the server at `port`; its reply line. */
export function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', reject);
    s.on('data', (d) => { s.destroy(); resolve(String(d).trim()); });
    s.on('connect', () => s.write(`${line}\r\n`));
  });
}

/** A running server: its URL and how to stop it. */
export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Its port. */
  port: number;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a server and waits until it answers PING (10 s at most). */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shendu-redis-'));
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => p.on('exit', () => r()));
  const deadline = Date.now() + 10000;
  while (!(await ping(port))) {
    if (p.exitCode !== null || Date.now() > deadline) {
      p.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      p.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
