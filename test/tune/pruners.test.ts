/**
 * Pruners decide as Optuna 3.1 does: trials run one after another on hand-made learning curves, and the step at
 * which each is pruned (or none) matches the decisions recorded by tools/make_tune_fixtures.py; plus a hand-checked
 * median case and the Hyperband bracket assignment (crc32).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { tune } from '../../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/tune.json', import.meta.url), 'utf8'));

function makePruner(kind: string, o: Record<string, number>): tune.Pruner {
  switch (kind) {
    case 'median': return new tune.MedianPruner(o);
    case 'percentile': return new tune.PercentilePruner(o.percentile, o);
    case 'sha': return new tune.SuccessiveHalvingPruner(o);
    case 'hyperband': return new tune.HyperbandPruner(o);
    default: throw new Error(`unknown kind ${kind}`);
  }
}

/** Runs the curves one trial at a time; returns the step each trial was pruned at (null: completed). */
async function prunedAt(pruner: tune.Pruner, curves: number[][], direction: tune.StudyDirection, studyName: string): Promise<(number | null)[]> {
  const study = tune.createStudy({ pruner, direction, studyName, sampler: 'random' });
  const out: (number | null)[] = [];
  let i = 0;
  await study.optimize((t) => {
    const curve = curves[i++];
    for (let s = 0; s < curve.length; s++) {
      t.report(curve[s], s);
      if (t.shouldPrune()) {
        out.push(s);
        throw new tune.TrialPruned();
      }
    }
    out.push(null);
    return curve[curve.length - 1];
  }, { nTrials: curves.length });
  return out;
}

describe('pruning decisions match Optuna 3.1', () => {
  for (const c of fixture.pruners) {
    test(`${c.name}`, async () => {
      const ours = await prunedAt(makePruner(c.kind, c.options), c.values, c.direction, c.studyName);
      assert.deepEqual(ours, c.prunedAt);
    });
  }
});

test('median: a hand-checked case', async () => {
  // Five completed trials with values 1..5 at step 0; the median is 3.
  const curves = [[1], [2], [3], [4], [5], [2.9], [3.1]];
  assert.deepEqual(await prunedAt(new tune.MedianPruner(), curves, 'minimize', 'm'), [null, null, null, null, null, null, 0]);
});

test('crc32 is zlib\'s', () => {
  assert.equal(tune.crc32(''), 0);
  assert.equal(tune.crc32('The quick brown fox jumps over the lazy dog'), 0x414fa339);
});

test('crc32 of non-ASCII text hashes its UTF-8 bytes', () => {
  assert.equal(tune.crc32('深度'), 0xf840f663);
});
