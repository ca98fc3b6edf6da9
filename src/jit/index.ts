/**
 * Graph capture: `jit.trace(model, exampleInputs, {dynamicBatch})` records the op-level graph of a forward pass.
 * @module
 */
export { trace, type TraceOptions, type Traceable } from './trace.js';
export type { Dim, Graph, GraphNode, Initializer, InitializerKind, ValueInfo } from './graph.js';
export type { OpAttr, OpAttrs, OpInput } from '../ops/trace-hook.js';
