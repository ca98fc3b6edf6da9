/**
 * A table of bad inputs for the shape/index/product op families: each row is a call that must throw the
 * typed error whose message starts with the op's name and says what was expected and what was got.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

/** One bad input: a label, the call, the error class and a pattern its message must match. */
export type BadInput = [label: string, call: () => unknown, type: new (...args: never[]) => Error, message: RegExp];

/** Registers one test per row. */
export function checkBadInputs(rows: readonly BadInput[]): void {
  for (const [label, call, type, message] of rows) {
    test(label, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof type, `${label}: expected ${type.name}, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        assert.match((e as Error).message, message, label);
        return true;
      });
    });
  }
}
