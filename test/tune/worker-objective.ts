/**
 * The objective the worker-process tests load: x² after a short wait, so that trials overlap across workers. For
 * the killed-worker test (SHENDU_TEST_HANG_FILE set), the first worker to start its third trial claims that file
 * (writing "pid trialNumber") and never finishes the trial, so the test's kill lands inside a trial, not between two.
 */
import { writeFileSync } from 'node:fs';
import type { tune } from '../../src/index.js';

let started = 0;

/** x in [-1, 1], value x², 20 ms per trial. */
export async function objective(t: tune.Trial): Promise<number> {
  const x = t.suggestFloat('x', -1, 1);
  started++;
  const hangFile = process.env.SHENDU_TEST_HANG_FILE;
  if (hangFile && started === 3) {
    let claimed = false;
    try {
      writeFileSync(hangFile, `${process.pid} ${t.number}`, { flag: 'wx' });
      claimed = true;
    } catch {
      // another worker claimed it first: this one runs normally
    }
    if (claimed) await new Promise(() => setInterval(() => {}, 1000));
  }
  await new Promise((r) => setTimeout(r, 20));
  return x * x;
}
