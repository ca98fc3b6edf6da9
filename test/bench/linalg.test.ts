/**
 * The linalg benchmark suite (bench/linalg.ts, select.ts, table.ts): its selection, the problem file the
 * numpy side reads (layout and values), and the table's runs-per-second figures. (Timing the workloads takes
 * seconds each, so the timings themselves are left to `npm run bench -- linalg`.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LINALG_WORKLOADS, runShenduLinalg } from '../../bench/linalg.js';
import { parseSelection } from '../../bench/select.js';
import { coreTable } from '../../bench/table.js';

describe('linalg suite', () => {
  test('`npm run bench -- linalg` selects every linalg workload, and `qr_500` that one alone', () => {
    assert.deepEqual([...parseSelection(['linalg']).suites.entries()], [['linalg', [...LINALG_WORKLOADS]]]);
    assert.deepEqual([...parseSelection(['qr_500']).suites.entries()], [['linalg', ['qr_500']]]);
    assert.throws(() => parseSelection(['linalg/qr_501']), /suite linalg has no workload 'qr_501', expected one of: matmul_f64_500, svd_500/);
  });

  test('the problem file: a JSON header of shapes, then each array as little-endian float64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linalg-test-'));
    try {
      const file = join(dir, 'p.bin');
      assert.deepEqual(runShenduLinalg([], file, () => {}), []);
      const bytes = readFileSync(file);
      const nl = bytes.indexOf(10);
      const header = JSON.parse(bytes.subarray(0, nl).toString()) as Record<string, number[]>;
      assert.deepEqual(header, { A: [500, 500], S: [500, 500], b: [500, 1], pcaX: [2000, 500], regX: [5000, 100], regY: [5000], kmX: [10000, 20] });
      const count = Object.values(header).reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
      assert.equal(bytes.length - nl - 1, 8 * count);
      const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset + nl + 1, bytes.byteOffset + bytes.length));
      const A = values.subarray(0, 250000);
      const S = values.subarray(250000, 500000);
      // S is (A + A^T) / 2, read back from the file
      for (const [i, j] of [[0, 1], [3, 499], [250, 17]]) assert.equal(S[i * 500 + j], (A[i * 500 + j] + A[j * 500 + i]) / 2);
      assert.ok(values.every(Number.isFinite));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the table shows runs per second to three digits and shendu over each peer', () => {
    const table = coreTable([
      { workload: 'svd_500', runner: 'shendu', value: 2.5, unit: 'runs/s' },
      { workload: 'svd_500', runner: 'numpy-1t', value: 25, unit: 'runs/s' },
    ]);
    assert.match(table, /svd_500\s+runs\/s\s+2\.50\s+25\.0\s+0\.100x/);
  });
});
