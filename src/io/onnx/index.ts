/**
 * ONNX export (opset 17) of traced models, browser-safe (bytes in memory). Node's `onnx.exportModel` (writes a
 * file) is in src/node/onnx.ts.
 * @module
 */
export { exportModelBytes, graphToModel, encodeModel, ONNX_OPSET, type ExportOptions } from './export.js';
export { UnsupportedOpError } from './builder.js';
export { onnxRoot, ONNX_PROTO } from './schema.js';
