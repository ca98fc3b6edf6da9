/**
 * vocAp, vocEvaluate and VocEvaluator against the py-faster-rcnn voc_eval / voc_ap algorithm
 * (tools/make_vision_fixtures.py writes test/fixtures/vision/voc_ap.json): AP, recall and precision per class to
 * 1e-9 for the 11-point and all-point metrics, VOC's inclusive pixels and continuous coordinates, with difficult
 * objects, tied scores, duplicates and detections on images without objects; plus the PR-curve chart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { tensor, viz, vision } from '../../src/index.js';

interface ClassRef {
  label: number;
  ap: number;
  recall: number[];
  precision: number[];
  numPositives: number;
}

interface EvalRef {
  name: string;
  iouThreshold: number;
  use07Metric: boolean;
  pixelInclusive: boolean;
  classes: ClassRef[];
  mAP: number;
}

const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/vision/voc_ap.json', import.meta.url), 'utf8')) as {
  detections: vision.Detection[];
  groundTruth: vision.GroundTruthBox[];
  evaluations: EvalRef[];
  curves: { recall: number[]; precision: number[]; ap07: number; ap: number }[];
};

const TOL = 1e-9;

function close(a: number, b: number, label: string): void {
  assert.ok(Math.abs(a - b) <= TOL, `${label}: got ${a}, expected ${b}`);
}

function closeArrays(a: ArrayLike<number>, b: readonly number[], label: string): void {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < b.length; i++) close(a[i], b[i], `${label}[${i}]`);
}

function checkEvaluation(got: vision.VocEvaluation, ref: EvalRef): void {
  assert.equal(got.classes.length, ref.classes.length);
  ref.classes.forEach((c, k) => {
    const g = got.classes[k];
    assert.equal(g.label, c.label);
    assert.equal(g.numPositives, c.numPositives, `${ref.name} class ${c.label}: positives`);
    close(g.ap, c.ap, `${ref.name} class ${c.label} AP`);
    closeArrays(g.recall, c.recall, `${ref.name} class ${c.label} recall`);
    closeArrays(g.precision, c.precision, `${ref.name} class ${c.label} precision`);
  });
  close(got.mAP, ref.mAP, `${ref.name} mAP`);
}

describe('VOC AP against the py-faster-rcnn reference', () => {
  test('vocAp on recall/precision curves, 11-point and all-point', () => {
    for (const [i, c] of fx.curves.entries()) {
      close(vision.vocAp(c.recall, c.precision, { use07Metric: true }), c.ap07, `curve ${i} 11-point`);
      close(vision.vocAp(c.recall, c.precision), c.ap, `curve ${i} all-point`);
      close(vision.vocAp(tensor(c.recall, { dtype: 'float64' }), Float64Array.from(c.precision)), c.ap, `curve ${i} from a tensor`);
    }
  });

  for (const ref of fx.evaluations) {
    test(`vocEvaluate: ${ref.name}`, () => {
      const opts = { iouThreshold: ref.iouThreshold, use07Metric: ref.use07Metric, pixelInclusive: ref.pixelInclusive };
      const got = vision.vocEvaluate(fx.detections, fx.groundTruth, opts);
      checkEvaluation(got, ref);
      assert.ok(got.classes.some((c) => c.ap > 0.2 && c.ap < 0.9), 'the fixture is not trivial');
    });
  }

  test('VocEvaluator fed image by image with tensors equals vocEvaluate', () => {
    const ref = fx.evaluations[1];
    const ev = new vision.VocEvaluator({ iouThreshold: ref.iouThreshold, use07Metric: ref.use07Metric, pixelInclusive: ref.pixelInclusive });
    const ids = [...new Set([...fx.groundTruth.map((g) => g.imageId), ...fx.detections.map((d) => d.imageId)])];
    for (const id of ids) {
      const d = fx.detections.filter((x) => x.imageId === id);
      const g = fx.groundTruth.filter((x) => x.imageId === id);
      ev.addImage(
        id,
        { boxes: d.length ? tensor(d.map((x) => [...x.box]), { dtype: 'float64' }) : [], scores: d.map((x) => x.score), labels: tensor(d.map((x) => x.label as number), { dtype: 'int32' }) },
        { boxes: g.map((x) => [...x.box]), labels: g.map((x) => x.label as number), difficult: g.map((x) => x.difficult ?? false) },
      );
    }
    assert.equal(ev.numImages, ids.length);
    checkEvaluation(ev.compute(), ref);
  });

  test('difficult objects: matched detections are neither TP nor FP and do not count for recall', () => {
    const gt: vision.GroundTruthBox[] = [
      { imageId: 'a', label: 1, box: [0, 0, 9, 9] },
      { imageId: 'a', label: 1, box: [20, 20, 29, 29], difficult: true },
    ];
    const dets: vision.Detection[] = [
      { imageId: 'a', label: 1, score: 0.9, box: [20, 20, 29, 29] },
      { imageId: 'a', label: 1, score: 0.8, box: [0, 0, 9, 9] },
      { imageId: 'a', label: 1, score: 0.7, box: [0, 0, 9, 9] },
    ];
    const [c] = vision.vocEvaluate(dets, gt).classes;
    assert.deepEqual(Array.from(c.truePositive), [0, 1, 0]);
    assert.deepEqual(Array.from(c.falsePositive), [0, 0, 1]);
    assert.equal(c.numPositives, 1);
    // the first detection matched a difficult box: precision 0/eps = 0, not NaN; it does not lower later precision
    assert.deepEqual(Array.from(c.precision), [0, 1, 0.5]);
    assert.deepEqual(Array.from(c.recall), [0, 1, 1]);
    assert.equal(c.ap, 1);
  });

  test('a class without ground truth has AP NaN and stays out of the mAP; no detections give AP 0', () => {
    const gt: vision.GroundTruthBox[] = [{ imageId: 0, label: 'cat', box: [0, 0, 10, 10] }, { imageId: 0, label: 'dog', box: [5, 5, 10, 10] }];
    const dets: vision.Detection[] = [
      { imageId: 0, label: 'cat', score: 0.5, box: [0, 0, 10, 10] },
      { imageId: 1, label: 'bird', score: 0.5, box: [0, 0, 10, 10] },
    ];
    const r = vision.vocEvaluate(dets, gt);
    assert.deepEqual(r.classes.map((c) => c.label), ['bird', 'cat', 'dog']);
    assert.ok(Number.isNaN(r.classes[0].ap));
    assert.equal(r.classes[1].ap, 1);
    assert.equal(r.classes[2].ap, 0);
    assert.equal(r.mAP, 0.5);
    assert.ok(Number.isNaN(vision.vocEvaluate([], []).mAP));
  });

  test('prCurveSpec draws one named line per class with ground truth and renders to SVG', async () => {
    const ev = vision.vocEvaluate(fx.detections, fx.groundTruth);
    const spec = vision.prCurveSpec(ev, { classNames: ['cat', 'dog', 'bird'], envelope: true }) as unknown as {
      data: { values: { series: string; x: number; y: number }[] };
    };
    const series = [...new Set(spec.data.values.map((r) => r.series))];
    assert.deepEqual(series, ev.classes.map((c, i) => `${['cat', 'dog', 'bird'][i]} (AP ${c.ap.toFixed(3)})`));
    const cat = spec.data.values.filter((r) => r.series === series[0]).map((r) => r.y);
    for (let i = 1; i < cat.length; i++) assert.ok(cat[i] <= cat[i - 1], 'the envelope never rises');
    const svg = await viz.renderSvg(spec as unknown as viz.VegaLiteSpec);
    assert.match(svg, /<svg/);
    assert.match(svg, /recall/);
  });
});
