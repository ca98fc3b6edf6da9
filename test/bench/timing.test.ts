/**
 * The bench's step timing (bench/timing.ts): warm-up, then consecutive windows whose median rate is reported.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureSteps, median } from '../../bench/timing.js';

describe('bench timing', () => {
  test('median: the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  test('measureSteps runs the warm-up, then every window with at least one step, and reports the median window', async () => {
    let calls = 0;
    const rate = await measureSteps(() => { calls++; }, { warmupSteps: 2, seconds: 0.02, windows: 5, minSteps: 12 });
    assert.equal(rate.windowRates.length, 5);
    assert.ok(rate.steps >= 12, `at least minSteps steps, got ${rate.steps}`);
    assert.equal(calls, rate.steps + 2);
    assert.equal(rate.stepsPerSecond, median(rate.windowRates));
    for (const r of rate.windowRates) assert.ok(Number.isFinite(r) && r > 0);
  });

  test('an async step is awaited: a slow step gives one step per window', async () => {
    const rate = await measureSteps(() => new Promise((res) => setTimeout(res, 5)), { warmupSteps: 1, seconds: 0.001, windows: 3, minSteps: 1 });
    assert.equal(rate.steps, 3);
    assert.ok(rate.stepsPerSecond < 250, `a 5 ms step cannot run 250 times a second, got ${rate.stepsPerSecond}`);
  });
});
