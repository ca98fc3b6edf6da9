/**
 * ONNX export (opset 17) of traced models and import (running an ONNX graph with shendu's ops, its weights as a
 * PyTorch-named state dict), browser-safe (bytes in memory). Node's `onnx.exportModel` / `onnx.loadModel` (files)
 * are in src/node/onnx.ts.
 * @module
 */
export { exportModelBytes, graphToModel, encodeModel, ONNX_OPSET, type ExportOptions } from './export.js';
export { UnsupportedOpError } from './builder.js';
export { onnxRoot, ONNX_PROTO } from './schema.js';
export { loadModelBytes, OnnxModel, HostInts, type OnnxNode, type OnnxValue, type ExternalTensorRef, type ExternalDataSource, type LoadModelOptions } from './import.js';
export { onnxStateDict } from './import-weights.js';
