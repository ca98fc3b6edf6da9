/** The objective the worker-process tests load: x² after a short wait, so that trials overlap across workers. */
import type { tune } from '../../src/index.js';

/** x in [-1, 1], value x², 20 ms per trial. */
export async function objective(t: tune.Trial): Promise<number> {
  const x = t.suggestFloat('x', -1, 1);
  await new Promise((r) => setTimeout(r, 20));
  return x * x;
}
