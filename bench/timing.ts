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
  /** Time steps for this many seconds in all (default 2.5), split into `windows` equal windows... */
  seconds?: number;
  /** ...of which the median window's rate is reported (default 5; each window runs at least one step)... */
  windows?: number;
  /** ...and at least this many steps run in all (default 3). */
  minSteps?: number;
}

/** What `measureSteps` found: steps timed, seconds they took, the rate of the median window. */
export interface StepRate {
  /** Steps timed (after warm-up), all windows together. */
  steps: number;
  /** Wall-clock seconds of the timed steps, all windows together. */
  seconds: number;
  /** Steps per second of the median window: the steady-state rate. */
  stepsPerSecond: number;
  /** Steps per second of each window, in the order they ran. */
  windowRates: number[];
}

/**
 * Steady-state rate of `step` (sync or async): warm up, then run steps back to back in `windows` consecutive
 * time windows until the time box and the minimum step count are both met, and report the median window's
 * steps per second. Garbage collection and other pauses count inside a window, as they do in a real training
 * run; the median keeps one window disturbed by other work on the machine from moving the figure (a single
 * 2.5 s window moved by up to a quarter between runs of the same code). `bench/bench_timing.py`'s
 * `measure_steps` is the Python twin.
 */
export async function measureSteps(step: () => unknown, opts: StepTiming = {}): Promise<StepRate> {
  const warmupSteps = opts.warmupSteps ?? 3;
  const warmupMs = (opts.warmupSeconds ?? 3) * 1000;
  const boxMs = (opts.seconds ?? 2.5) * 1000;
  const windows = Math.max(1, Math.floor(opts.windows ?? 5));
  const minSteps = opts.minSteps ?? 3;
  const w0 = performance.now();
  for (let i = 0; i < warmupSteps && (i === 0 || performance.now() - w0 < warmupMs); i++) await step();
  const windowRates: number[] = [];
  let steps = 0;
  const t0 = performance.now();
  for (let w = 0; w < windows; w++) {
    const minHere = Math.max(1, Math.ceil((minSteps - steps) / (windows - w)));
    const start = performance.now();
    let n = 0;
    while (n < minHere || performance.now() - start < boxMs / windows) {
      await step();
      n++;
    }
    windowRates.push(n / ((performance.now() - start) / 1000));
    steps += n;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { steps, seconds, stepsPerSecond: median(windowRates), windowRates };
}

/** Middle value of `xs` (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
