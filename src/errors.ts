/**
 * Typed errors thrown by shendu. Every message names the operation, the argument, what was expected and
 * what was got, e.g. `matmul: inner dimensions differ: a is [2, 3], b is [4, 5]`.
 * @module
 */

/** Base class of every error shendu throws on purpose. */
export class ShenduError extends Error {
  /** Creates the error with its message; `name` is set to the concrete class name. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor has the wrong number of dimensions or sizes that do not fit together. */
export class ShapeError extends ShenduError {}

/** A tensor has a data type the operation cannot take (e.g. an integer tensor where a gradient is needed). */
export class DTypeError extends ShenduError {}

/** An argument has a value out of its allowed range or of the wrong kind. */
export class ValueError extends ShenduError {}

/** A file or dataset is missing, truncated or corrupt. */
export class DataError extends ShenduError {}

/** Autograd was used wrongly: backward through a freed graph, a non-scalar without a gradient, and so on. */
export class AutogradError extends ShenduError {}

/**
 * A linear-algebra routine cannot complete for this input: a singular matrix in `linalg.solve`/`linalg.inv`,
 * a matrix that is not positive-definite in `linalg.cholesky`, a decomposition that did not converge.
 * The message says which matrix of a batch failed and what to do instead.
 */
export class LinAlgError extends ShenduError {}

/** Formats a shape the way messages show it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Ends every switch over a tag set (DESIGN.md convention 13): a tag without a case makes `x` not `never`, a
 * compile error here, instead of a silent fall-through to zeros. Reached at run time only through an unchecked
 * cast, which is a bug in shendu, so it throws a plain Error naming the tag.
 */
export function assertNever(x: never, what: string): never {
  throw new Error(`shendu internal error: unhandled ${what} ${JSON.stringify(x)}`);
}
