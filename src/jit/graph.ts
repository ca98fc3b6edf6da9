/**
 * The typed op-level graph that `jit.trace` records: values named by string, nodes in execution order, and the
 * tensors the graph holds (the model's parameters and buffers under their module names, and constants).
 * @module
 */
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { OpAttrs } from '../ops/trace-hook.js';

/** A dim of a value's shape: a size, or a symbol such as 'N' for the dynamic batch size. */
export type Dim = number | string;

/** A named value of the graph with its shape and dtype. */
export interface ValueInfo {
  /** Unique name in the graph. */
  readonly name: string;
  /** Shape as traced; with dynamicBatch the batch dim of inputs and outputs is the symbol 'N'. */
  readonly shape: readonly Dim[];
  /** Element type. */
  readonly dtype: DType;
}

/** One recorded op. */
export interface GraphNode {
  /** The op's name as the ops layer reports it ('conv2d', 'linear', 'softmax', 'lstm', ...). */
  readonly op: string;
  /** Names of its inputs in the op's order; null for an absent optional input. */
  readonly inputs: readonly (string | null)[];
  /** The op's attributes (stride, dim, eps, ...). */
  readonly attrs: OpAttrs;
  /** Its outputs with shapes and dtypes as traced. */
  readonly outputs: readonly ValueInfo[];
}

/** Where a tensor held by the graph comes from. */
export type InitializerKind = 'parameter' | 'buffer' | 'constant';

/** A tensor the graph holds: a parameter or buffer (named by module path, e.g. 'layer1.0.conv1.weight') or a constant. */
export interface Initializer {
  /** Its name in the graph. */
  readonly name: string;
  /** The values (the live tensor: read it when exporting). */
  readonly tensor: Tensor;
  /** Parameter, buffer, or a constant the forward pass made (a JS number operand or a tensor built inside it). */
  readonly kind: InitializerKind;
}

/** A traced forward pass: graph inputs, held tensors, nodes in execution order, graph outputs. */
export interface Graph {
  /** The example inputs' values, in call order. */
  readonly inputs: readonly ValueInfo[];
  /** Parameters, buffers and constants the nodes read. */
  readonly initializers: readonly Initializer[];
  /** The ops that compute the outputs, in execution order (ops whose results go unused are dropped). */
  readonly nodes: readonly GraphNode[];
  /** The forward pass's output tensors, flattened in order. */
  readonly outputs: readonly ValueInfo[];
  /** Whether dim 0 of inputs and outputs is the symbolic batch size 'N'. */
  readonly dynamicBatch: boolean;
  /** The traced batch size (dim 0 of the first input; null when it has none). */
  readonly batchSize: number | null;
}
