import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnaryOp } from '../../src/backend/types.js';
import { assertNever } from '../../src/errors.js';

// The compile-time half is the point: these lines type-check only because `assertNever` demands `never`.
function opCount(op: UnaryOp | 'extra'): number {
  switch (op) {
    case 'extra': return 1;
    default:
      if (typeof op === 'string' && op.length > 0) return 0;
      // @ts-expect-error a UnaryOp is not never: a switch missing cases fails to compile
      return assertNever(op, 'unary op');
  }
}

test('assertNever rejects an unhandled tag at compile time and throws naming it at run time', () => {
  assert.equal(opCount('extra'), 1);
  assert.equal(opCount('exp'), 0);
  assert.throws(() => assertNever('mystery' as never, 'unary op'), /^Error: shendu internal error: unhandled unary op "mystery"$/);
});
