// Bundles the browser playground with esbuild: web/src/main.ts -> web/dist/playground.js, and the wasm backend's
// kernel worker -> web/dist/worker.js (the backend starts its Web Workers from './worker.js' beside the code that
// imports it, which after bundling is the playground bundle). The kernels themselves are embedded in the bundle
// (src/backend/wasm/binary.ts, written by tools/build-wasm.mjs, which this runs first when it is missing).
//   node web/build.mjs [--outdir DIR]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
const root = join(webDir, '..');

/** Builds the two bundles into `outdir` (default web/dist); resolves when they are written. */
export async function buildPlayground(outdir = join(webDir, 'dist')) {
  if (!existsSync(join(root, 'src', 'backend', 'wasm', 'binary.ts'))) {
    execFileSync(process.execPath, [join(root, 'tools', 'build-wasm.mjs')], { stdio: 'inherit' });
  }
  const common = {
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: true, logLevel: 'warning',
    // renderSvg loads vega on first use; the playground draws its charts itself, so vega stays out of the bundle
    external: ['vega', 'vega-lite'],
  };
  await esbuild.build({ ...common, entryPoints: { playground: join(webDir, 'src', 'main.ts') }, outdir });
  await esbuild.build({ ...common, entryPoints: { worker: join(root, 'src', 'backend', 'wasm', 'worker.ts') }, outdir });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const outdir = i >= 0 ? resolve(process.argv[i + 1]) : undefined;
  await buildPlayground(outdir);
  console.log(`playground bundle written to ${outdir ?? join(webDir, 'dist')}`);
}
