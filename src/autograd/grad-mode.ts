/**
 * Whether operations record the graph. `noGrad` and `enableGrad` switch it for the duration of a
 * synchronous function.
 * @module
 */

let enabled = true;

/** True when new operations are recorded for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Turns graph recording on or off globally; returns the previous setting. */
export function setGradEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

/** Runs `fn` without recording the graph (inference, parameter updates) and returns its result. */
export function noGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs `fn` with graph recording on, even inside `noGrad`, and returns its result. */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}
