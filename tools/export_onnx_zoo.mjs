// Writes the ONNX files of test/io/onnx-zoo.ts (seeded weights: byte-identical run to run) into a directory, for
// tools/check_onnx_exports.py. Usage (after the TypeScript build): node tools/export_onnx_zoo.mjs <dir> [name...]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportModel } from '../dist/src/node/onnx.js';
import { ZOO_NAMES, zooCase } from '../dist/test/io/onnx-zoo.js';

const [dir, ...names] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tools/export_onnx_zoo.mjs <dir> [name...]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const name of names.length ? names : ZOO_NAMES) {
  const c = zooCase(name);
  const n = exportModel(c.model, c.inputs, join(dir, `${name}.onnx`), c.opts);
  console.log(`${name}.onnx ${n} bytes`);
}
