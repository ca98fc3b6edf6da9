/**
 * `onnx.exportModel` for Node: the core's ONNX export written to a file atomically (a temporary name in the same
 * directory, then a rename), so a reader never sees half a file, and `onnx.loadModel` reading one. Re-exports the
 * rest of the core's `onnx`.
 * @module
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DataError } from '../errors.js';
import { exportModelBytes, type ExportOptions } from '../io/onnx/export.js';
import { loadModelBytes, type ExternalTensorRef, type LoadModelOptions, type OnnxModel } from '../io/onnx/import.js';
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

/**
 * ONNX's external-data layout: each reference's `location` is a file relative to `dir` (the model's directory),
 * read once and sliced at offset/length. A location that is absolute or leaves `dir` is a DataError, as is a
 * missing file or a slice past its end.
 */
export function externalDataFiles(dir: string): (ref: ExternalTensorRef) => Uint8Array | undefined {
  const files = new Map<string, Uint8Array>();
  return (ref) => {
    if (ref.location === null) return undefined;
    const file = resolve(dir, ref.location);
    const rel = relative(resolve(dir), file);
    if (isAbsolute(ref.location) || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DataError(`onnx import: '${ref.name}': external data location '${ref.location}' must be a path inside the model's directory`);
    }
    if (!files.has(file)) {
      if (!existsSync(file)) throw new DataError(`onnx import: '${ref.name}': external data file '${ref.location}' not found in ${dir}`);
      files.set(file, readFileSync(file));
    }
    const buf = files.get(file) as Uint8Array;
    const end = ref.length === null ? buf.length : ref.offset + ref.length;
    if (ref.offset < 0 || end > buf.length) throw new DataError(`onnx import: '${ref.name}': external data file '${ref.location}' has ${buf.length} bytes, the tensor needs bytes ${ref.offset} to ${end}`);
    return buf.subarray(ref.offset, end);
  };
}

/**
 * Reads an .onnx file into a runnable OnnxModel (`model.run(inputs)`, `onnxStateDict(model)`); tensors kept as
 * external data are read from the files next to it unless `opts.externalData` supplies them.
 */
export function loadModel(path: string, opts: LoadModelOptions = {}): OnnxModel {
  return loadModelBytes(readFileSync(path), { ...opts, externalData: opts.externalData ?? externalDataFiles(dirname(path)) });
}
