/**
 * `onnx.exportModel` for Node: the core's ONNX export written to a file atomically (a temporary name in the same
 * directory, then a rename), so a reader never sees half a file, and `onnx.loadModel` reading one. Re-exports the
 * rest of the core's `onnx`.
 * @module
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { exportModelBytes, type ExportOptions } from '../io/onnx/export.js';
import { loadModelBytes, type OnnxModel } from '../io/onnx/import.js';
import type { Traceable } from '../jit/trace.js';
import type { Tensor } from '../tensor/tensor.js';

export * from '../io/onnx/index.js';

/**
 * Traces `model` on `inputs` and writes the ONNX file to `path` (see exportModelBytes for the graph's names and
 * options); returns the number of bytes written.
 */
export function exportModel(model: Traceable, inputs: Tensor | readonly Tensor[], path: string, opts: ExportOptions = {}): number {
  const bytes = exportModelBytes(model, inputs, opts);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return bytes.length;
}

/** Reads an .onnx file into a runnable OnnxModel (`model.run(inputs)`, `onnxStateDict(model)`). */
export function loadModel(path: string): OnnxModel {
  return loadModelBytes(readFileSync(path));
}
