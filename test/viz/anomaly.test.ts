/**
 * ROC and anomaly-timeline charts (src/viz/anomaly.ts): the specs hold the curve points, the chance diagonal, the
 * AUC in the legend, the shaded event runs and the threshold line; they render to SVG; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, viz } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

type Obj = Record<string, unknown>;
const rows = (spec: unknown) => ((spec as Obj).data as { values: { x: number; y: number; series: string }[] }).values;

describe('anomaly charts', () => {
  test('rocCurveSpec: one series per curve named with its AUC, plus chance; axes fixed to [0, 1]', async () => {
    const spec = viz.rocCurveSpec([{ name: 'AE', fpr: [0, 0.5, 1], tpr: [0, 0.9, 1], auc: 0.7 }]);
    const r = rows(spec);
    assert.deepEqual([...new Set(r.map((p) => p.series))], ['AE (AUC 0.700)', 'chance']);
    assert.deepEqual(r.filter((p) => p.series === 'chance').map((p) => [p.x, p.y]), [[0, 0], [1, 1]]);
    const enc = (spec as unknown as Obj).encoding as Record<string, Obj>;
    assert.deepEqual(enc.x.scale, { domain: [0, 1] });
    assert.match(await viz.renderSvg(spec), /<svg/);
  });

  test('anomalyTimelineSpec: series above score and threshold, each labelled run shaded once', async () => {
    const spec = viz.anomalyTimelineSpec({
      x: [1, 2, 3, 4, 5, 6], series: [{ name: 'h', y: [1, 2, 3, 2, 1, 0] }], score: [0.1, 0.2, 5, 6, 0.1, NaN], threshold: 1, labels: [0, 0, 1, 1, 0, 1],
    }) as unknown as Obj;
    const panels = spec.vconcat as Obj[];
    assert.equal(panels.length, 2);
    const shade = (panels[1].layer as Obj[])[0];
    assert.deepEqual((shade.data as Obj).values, [{ x0: 3, x1: 4 }, { x0: 6, x1: 6 }]);
    const score = rows((panels[1].layer as Obj[])[1]);
    assert.deepEqual(score.filter((p) => p.series === 'threshold').map((p) => [p.x, p.y]), [[1, 1], [6, 1]]);
    assert.equal(score.filter((p) => p.series === 'score').length, 5, 'the NaN score is left out');
    assert.match(await viz.renderSvg(spec as never), /<svg/);
  });
});

checkErrors('anomaly charts', [
  ['no curves', () => viz.rocCurveSpec([]), ValueError, /^rocCurveSpec: curves must be a non-empty array/],
  ['score length', () => viz.anomalyTimelineSpec({ x: [1, 2], series: [], score: [1] }), ShapeError, /^anomalyTimelineSpec: score has 1 values but x has 2/],
  ['series length', () => viz.anomalyTimelineSpec({ x: [1, 2], series: [{ name: 'a', y: [1, 2, 3] }], score: [1, 2] }), ShapeError, /^anomalyTimelineSpec: series 'a' has 3 values but x has 2/],
  ['empty x', () => viz.anomalyTimelineSpec({ x: [], series: [], score: [] }), ValueError, /^anomalyTimelineSpec: x must be a non-empty array of times/],
]);
