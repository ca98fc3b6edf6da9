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

/** How long to warm up and to measure a training loop (see `measureSteps`). */
export interface StepTiming {
  /** Warm-up steps run before timing (default 3), cut short after `warmupSeconds` once one has run. */
  warmupSteps?: number;
  /** Upper bound on the warm-up time in seconds (default 3). */
  warmupSeconds?: number;
  /** Time steps until this many seconds have passed (default 2.5)... */
  seconds?: number;
  /** ...and at least this many steps have run (default 3). */
  minSteps?: number;
}

/** What `measureSteps` found: steps timed, seconds they took, steps per second. */
export interface StepRate {
  /** Steps timed (after warm-up). */
  steps: number;
  /** Wall-clock seconds of the timed steps. */
  seconds: number;
  /** steps / seconds: the steady-state rate. */
  stepsPerSecond: number;
}

/**
 * Steady-state rate of `step` (sync or async): warm up, then run steps back to back until the time box and
 * the minimum step count are both met, and divide. Garbage collection and other pauses count, as they do in
 * a real training run.
 */
export async function measureSteps(step: () => unknown, opts: StepTiming = {}): Promise<StepRate> {
  const warmupSteps = opts.warmupSteps ?? 3;
  const warmupMs = (opts.warmupSeconds ?? 3) * 1000;
  const boxMs = (opts.seconds ?? 2.5) * 1000;
  const minSteps = opts.minSteps ?? 3;
  const w0 = performance.now();
  for (let i = 0; i < warmupSteps && (i === 0 || performance.now() - w0 < warmupMs); i++) await step();
  let steps = 0;
  const t0 = performance.now();
  while (steps < minSteps || performance.now() - t0 < boxMs) {
    await step();
    steps++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { steps, seconds, stepsPerSecond: steps / seconds };
}
