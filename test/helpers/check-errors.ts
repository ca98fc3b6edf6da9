/**
 * The bad-input half of an op family's tests (DESIGN.md convention 6, PyTorch's OpInfo "error inputs"): a table of
 * calls that must each raise a typed error whose message names the op and says what was expected and what was got.
 *
 * ```ts
 * checkErrors('conv', [
 *   ['2-D input', () => sd.conv2d(z([28, 28]), w), ShapeError, /^conv2d: input must be 4-D .* got shape \[28, 28\]/],
 * ]);
 * ```
 * Every row runs on every registered backend (errors must not depend on the backend) and must throw an instance
 * of exactly the given class (a plain `Error` or `TypeError` from deep inside a kernel is a failure).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getBackend, listBackends, setBackend } from '../../src/index.js';

/** A typed error class such as ShapeError, DTypeError or ValueError. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** One bad input: a label for the test name, the call, the error class it must raise and a part of its message. */
export type ErrorCase = readonly [label: string, call: () => unknown, error: ErrorClass, message: RegExp];

/** Asserts that `call` throws an instance of `cls` whose message matches `message`; returns the error. */
export function expectError(call: () => unknown, cls: ErrorClass, message: RegExp, label = 'call'): Error {
  let thrown: unknown;
  let returned = true;
  try {
    call();
  } catch (e) {
    thrown = e;
    returned = false;
  }
  assert.ok(!returned, `${label}: expected ${cls.name} matching ${message}, but the call returned normally`);
  const name = thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown);
  assert.ok(thrown instanceof cls, `${label}: expected ${cls.name}, got ${name}`);
  assert.equal((thrown as Error).constructor, cls, `${label}: expected exactly ${cls.name}, got ${name}`);
  assert.match((thrown as Error).message, message, `${label}: message`);
  return thrown as Error;
}

/** Registers one test per bad-input row of `family`, each run on every registered backend. */
export function checkErrors(family: string, cases: readonly ErrorCase[]): void {
  describe(`${family} (bad inputs raise typed errors)`, () => {
    test('the table is not empty and its labels are unique', () => {
      assert.ok(cases.length > 0, `${family}: no error cases`);
      const labels = cases.map((c) => c[0]);
      assert.equal(new Set(labels).size, labels.length, `${family}: duplicate labels`);
    });
    for (const backend of listBackends()) {
      for (const [label, call, cls, message] of cases) {
        test(`${backend}: ${label}`, () => {
          const prev = getBackend().name;
          setBackend(backend);
          try {
            expectError(call, cls, message, label);
          } finally {
            setBackend(prev);
          }
        });
      }
    }
  });
}
