/** VocScorer: the DetectionTask scorer reporting VOC mAP over validation batches; resets; bad inputs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, tensor } from '../../../src/index.js';
import { VocScorer, vocScorer } from '../../../src/models/detection/voc-scorer.js';
import { checkErrors } from '../../helpers/check-errors.js';

const target = { boxes: tensor([[0, 0, 10, 10], [20, 20, 30, 30]]), labels: tensor([0, 1], { dtype: 'int32' }) };

describe('VocScorer', () => {
  test('perfect detections score mAP 1; a missed class halves it; reset forgets', () => {
    const s = vocScorer(2)();
    s.add([{ boxes: target.boxes, scores: tensor([0.9, 0.8]), labels: target.labels }], [target]);
    assert.equal(s.compute().map, 1);
    s.reset();
    assert.ok(Number.isNaN(s.compute().map));
    s.add([{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.9]), labels: tensor([0], { dtype: 'int32' }) }], [target]);
    assert.equal(s.compute().map, 0.5);
  });
  checkErrors('VocScorer', [
    ['numClasses 0', () => new VocScorer(0), ValueError, /numClasses must be a positive integer, got 0/],
    ['fewer detections than targets', () => new VocScorer(2).add([], [target]), ValueError, /0 detections for 1 targets/],
  ]);
});
