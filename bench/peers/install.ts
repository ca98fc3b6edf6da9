/**
 * TensorFlow.js is a peer of the benchmarks only, so it is not among the project's dependencies (it is 287 MB):
 * `npm run bench` installs it on demand into bench/.peers (ignored by git), pinned to the version measured, and
 * the tfjs runner loads it from there.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The packages and versions the tfjs runner measures. */
export const TFJS_PACKAGES = ['@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'] as const;

/** bench/.peers in the repository (this file runs from dist/bench/peers/). */
export const PEERS_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bench', '.peers');

/** The file URL of an installed peer package's entry point, or null when it is not installed. */
export function peerUrl(name: string): string | null {
  try {
    return pathToFileURL(createRequire(join(PEERS_DIR, 'index.js')).resolve(name)).href;
  } catch {
    return null;
  }
}

/** Installs the TensorFlow.js packages into bench/.peers unless they are there; returns an error text or null. */
export function ensureTfjs(log: (line: string) => void): string | null {
  if (TFJS_PACKAGES.every((p) => peerUrl(p.slice(0, p.lastIndexOf('@'))) !== null)) return null;
  log(`  installing the TensorFlow.js peer (${TFJS_PACKAGES.join(', ')}) into ${PEERS_DIR} ...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', PEERS_DIR, ...TFJS_PACKAGES], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const last = `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n').pop() ?? '';
  return `could not install ${TFJS_PACKAGES.join(', ')} (npm exited with ${r.status ?? r.signal}${last ? `: ${last}` : ''})`;
}
