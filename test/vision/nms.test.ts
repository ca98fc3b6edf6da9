/**
 * vision.nms, batchedNms and removeSmallBoxes against torchvision 0.14 (test/fixtures/vision/nms.json): the same
 * kept indices in the same order for clustered boxes at several thresholds, tied scores, zero-area and identical
 * boxes, IoU exactly at the threshold, float32 and empty inputs, on every backend.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { listBackends, tensor, vision } from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import { makeInput, type EncTensor } from '../helpers/check-op.js';

interface NmsCase {
  name: string;
  boxes: EncTensor;
  scores: EncTensor;
  idxs?: EncTensor;
  iouThreshold: number;
  keep: number[];
}

interface SmallCase {
  name: string;
  boxes: EncTensor;
  minSize: number;
  keep: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/vision/nms.json', import.meta.url), 'utf8')) as { nms: NmsCase[]; removeSmallBoxes: SmallCase[] };

describe('nms and batchedNms against torchvision', () => {
  for (const backend of listBackends()) {
    for (const c of fixture.nms) {
      test(`${backend}: ${c.name}`, () => onBackend(backend, () => {
        for (const layout of ['contiguous', 'strided'] as const) {
          const boxes = makeInput(c.boxes, c.boxes.dtype, layout, false);
          const scores = makeInput(c.scores, c.scores.dtype, layout, false);
          const keep = c.idxs
            ? vision.batchedNms(boxes, scores, makeInput(c.idxs, 'int32', layout, false), c.iouThreshold)
            : vision.nms(boxes, scores, c.iouThreshold);
          assert.equal(keep.dtype, 'int32');
          assert.deepEqual([...keep.shape], [c.keep.length]);
          assert.deepEqual(Array.from(keep.toTypedArray()), c.keep, `${layout}: kept indices`);
        }
      }));
    }
    for (const c of fixture.removeSmallBoxes) {
      test(`${backend}: ${c.name}`, () => onBackend(backend, () => {
        const keep = vision.removeSmallBoxes(makeInput(c.boxes, 'float64', 'strided', false), c.minSize);
        assert.equal(keep.dtype, 'int32');
        assert.deepEqual(Array.from(keep.toTypedArray()), c.keep);
      }));
    }
  }

  test('the fixture covers ties, degenerate boxes, float32 and the batched form', () => {
    const names = fixture.nms.map((c) => c.name).join(' ');
    for (const part of ['tied', 'degenerate', 'float32', 'batchedNms', 'exactly-threshold', 'rounds-past-threshold', 'empty']) assert.ok(names.includes(part), part);
  });

  test('batchedNms keeps boxes of different classes that overlap completely', () => {
    const boxes = tensor([[0, 0, 2, 2], [0, 0, 2, 2], [0, 0, 2, 2]], { dtype: 'float32' });
    const keep = vision.batchedNms(boxes, tensor([0.5, 0.9, 0.7], { dtype: 'float32' }), tensor([0, 1, 0], { dtype: 'int32' }), 0.5);
    assert.deepEqual(Array.from(keep.toTypedArray()), [1, 2]);
  });
});
