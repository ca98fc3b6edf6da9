/**
 * Faster R-CNN's two stages against torchvision 0.14 with the same weights (tools/make_faster_rcnn_fixtures.py):
 * the RPN's losses and training proposals, the RoI heads' losses and test-time detections, on tiny cases where
 * every anchor and proposal is sampled (so the random draw does not matter), each with an image without objects.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { noGrad, tensor, vision, zeros, type Tensor } from '../../../src/index.js';
import { RegionProposalNetwork, RoIHeads } from '../../../src/models/detection/faster-rcnn/index.js';

interface Arr { shape: number[]; data: number[] }
const f = JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/faster_rcnn.json', import.meta.url), 'utf8'));
const t = (a: Arr): Tensor => tensor(a.data, { shape: a.shape });
const state = (w: Record<string, Arr>) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, t(v)]));
const targets = (bs: number[][][], ls: number[][]) => bs.map((b, i) => ({ boxes: b.length ? tensor(b) : zeros([0, 4]), labels: tensor(ls[i], { dtype: 'int32' }) }));

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-4): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
}

describe('Faster R-CNN parity with torchvision', () => {
  test('RPN: loss_objectness, loss_rpn_box_reg and the training proposals', () => {
    const c = f.rpn;
    const anchors = new vision.AnchorGenerator({ sizes: [c.anchorSizes], aspectRatios: [c.aspectRatios] });
    const rpn = new RegionProposalNetwork(c.features.shape[1], anchors, { preNmsTopN: [50, 50], postNmsTopN: [20, 20] });
    rpn.loadStateDict(state(c.weights));
    const out = rpn.run(t(c.features), c.imageSize, targets(c.boxes, c.labels));
    close([out.losses.loss_objectness.item()], [c.lossObjectness], 'loss_objectness', 1e-5);
    close([out.losses.loss_rpn_box_reg.item()], [c.lossRpnBoxReg], 'loss_rpn_box_reg', 1e-5);
    out.proposals.forEach((p, i) => close(p, c.proposals[i], `proposals[${i}]`));
  });

  test('RoI heads: loss_classifier, loss_box_reg and the detections', () => {
    const c = f.roi;
    const heads = new RoIHeads(c.features.shape[1], c.numClasses, c.representationSize);
    heads.loadStateDict(state(c.weights));
    const feats = t(c.features);
    const l = heads.losses(feats, c.proposals, c.imageSize, targets(c.boxes, c.labels));
    close([l.loss_classifier.item()], [c.lossClassifier], 'loss_classifier', 1e-5);
    close([l.loss_box_reg.item()], [c.lossBoxReg], 'loss_box_reg', 1e-5);
    heads.eval();
    const dets = noGrad(() => heads.detect(feats, c.proposals, c.imageSize));
    dets.forEach((d, i) => {
      const want = c.detections[i];
      close(d.scores.toTypedArray(), want.scores, `scores[${i}]`);
      close(d.boxes.toTypedArray(), want.boxes, `boxes[${i}]`);
      assert.deepEqual(Array.from(d.labels.toTypedArray()), want.labels, `labels[${i}]`);
    });
  });
});
