/**
 * The differentiable primitives: each runs one backend kernel (or builds a view) and records its
 * vector-Jacobian product, written with other primitives so that gradients are themselves differentiable.
 * This is the one table of gradients (DESIGN.md convention 3); every op in `src/ops` is built from these
 * and gets its gradient for free. Arguments are trusted: the ops layer validates them first. The table is kept in
 * three files: primitives-core.ts (elementwise, reductions, views), primitives-linear.ts (matmul, conv2d, pooling,
 * the LSTM cell, im2col) and primitives-index.ts (gather/scatter, indexSelect/indexAdd, diagonals).
 * @module
 */
export * from './primitives-core.js';
export * from './primitives-linear.js';
export * from './primitives-index.js';
