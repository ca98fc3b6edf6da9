/**
 * vision.AnchorGenerator against torchvision.models.detection.anchor_utils.AnchorGenerator
 * (test/fixtures/vision/anchors.json): one level and FPN-style levels, flat and nested sizes, odd aspect ratios,
 * cell anchors that round half to even, float32 and float64, every image of the batch.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { getBackend, listBackends, setBackend, vision, zeros, type DType } from '../../src/index.js';
import { assertTensorClose, type EncTensor } from '../helpers/check-op.js';

interface AnchorCase {
  name: string;
  options: vision.AnchorGeneratorOptions;
  imageShape: number[];
  featureShapes: number[][];
  dtype: DType;
  numAnchorsPerLocation: number[];
  anchors: EncTensor;
  numImages: number;
}

const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/vision/anchors.json', import.meta.url), 'utf8')).cases as AnchorCase[];

describe('AnchorGenerator against torchvision', () => {
  for (const backend of listBackends()) {
    for (const c of cases) {
      test(`${backend}: ${c.name}`, () => {
        const prev = getBackend().name;
        setBackend(backend);
        try {
          const gen = new vision.AnchorGenerator(c.options);
          assert.deepEqual(gen.numAnchorsPerLocation(), c.numAnchorsPerLocation);
          const images = zeros(c.imageShape, { dtype: c.dtype });
          const maps = c.featureShapes.map((s) => zeros(s, { dtype: c.dtype }));
          const out = gen.forward(images, maps);
          assert.equal(out.length, c.numImages);
          for (const a of out) assertTensorClose(a, c.anchors, c.dtype, 0, 0, c.name);
          if (out.length > 1) assert.notEqual(out[0], out[1], 'a tensor of its own per image');
          const listed = gen.forward({ tensors: images, imageSizes: [[c.imageShape[2], c.imageShape[3]]] }, maps);
          assert.equal(listed.length, 1, 'an ImageList gives one anchor set per image size');
        } finally {
          setBackend(prev);
        }
      });
    }
  }

  test('generateAnchors rounds half to even like torch.round', () => {
    // size 5, ratio 1: (-2.5, -2.5, 2.5, 2.5) rounds to (-2, -2, 2, 2); size 7: 3.5 rounds to 4
    assert.deepEqual(Array.from(vision.AnchorGenerator.generateAnchors([5, 7], [1])), [-2, -2, 2, 2, -4, -4, 4, 4]);
  });
});
