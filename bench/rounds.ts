/**
 * Rounds of the `peers` suite. A workload's runners are measured one after another, each in a child process, so a
 * slow spell of the machine (another tenant of the VM, a background job) lowers whichever runner it falls on. With
 * R rounds every runner of a workload is measured R times, the rounds interleaved (round 1 in table order, round 2
 * in reverse, and so on), and each runner's figure is its best round: a slow spell can only lower a figure, and a
 * runner it hit once has another chance after the other runners have run.
 * @module
 */
import type { Row } from './rows.js';

/** The order runners are measured in round `round` (0-based): table order in even rounds, reversed in odd ones. */
export function roundOrder<T>(runners: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...runners] : [...runners].reverse();
}

/**
 * One runner's rows from its rounds, made one: the round with the highest figure (every peers unit is a rate,
 * higher is better), with `rounds` listing each round's figure in round order (NaN for a round that failed). When
 * every round failed, the first round's row, error and all.
 */
export function bestOfRounds(rounds: readonly Row[]): Row {
  if (rounds.length === 0) throw new Error('bestOfRounds: no rounds to choose from');
  const good = rounds.filter((r) => !r.error && Number.isFinite(r.value));
  if (good.length === 0) return rounds[0];
  const best = good.reduce((a, b) => (b.value > a.value ? b : a));
  return rounds.length === 1 ? best : { ...best, rounds: rounds.map((r) => (r.error ? NaN : r.value)) };
}
