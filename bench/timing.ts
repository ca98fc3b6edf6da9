/**
 * Timing helpers for the benchmarks: warm up, then repeat until a minimum time has passed, and report the
 * median of the per-iteration times.
 * @module
 */

/** Median seconds per call of `fn`, after `warmup` calls, over at least `minSeconds` and `minRuns` runs. */
export function timeIt(fn: () => void, opts: { warmup?: number; minSeconds?: number; minRuns?: number } = {}): number {
  const warmup = opts.warmup ?? 2;
  const minSeconds = opts.minSeconds ?? 1;
  const minRuns = opts.minRuns ?? 5;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minSeconds * 1000) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
