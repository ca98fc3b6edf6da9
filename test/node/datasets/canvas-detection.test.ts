import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError } from '../../../src/index.js';
import { canvasDetection, fashionMnist, mnist } from '../../../src/node/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

describe('canvasDetection', () => {
  test('real MNIST items on 96x96 canvases, boxes tight around the item ink, fixed split', () => {
    const tr = canvasDetection({ numImages: 8 });
    const te = canvasDetection({ train: false, numImages: 8 });
    assert.deepEqual(tr.images.shape, [8, 1, 96, 96]);
    assert.deepEqual(tr.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const m = mnist({ train: true });
    tr.labels.forEach((ls, i) => ls.forEach((l, k) => assert.equal(l, m.rawLabels[tr.itemIndex[i][k]])));
    const mt = mnist({ train: false });
    te.labels.forEach((ls, i) => ls.forEach((l, k) => assert.equal(l, mt.rawLabels[te.itemIndex[i][k]])));
    assert.notDeepEqual(te.boxes, tr.boxes);
    assert.deepEqual(canvasDetection({ numImages: 8 }).boxes, tr.boxes, 'the split is fixed');
    for (const bs of tr.boxes) {
      assert.ok(bs.length >= 2 && bs.length <= 5);
      for (const [x1, y1, x2, y2] of bs) assert.ok(x2 - x1 >= 2 && y2 - y1 >= 8 && x1 >= 0 && y2 <= 96, `${[x1, y1, x2, y2]}`);
    }
  });
  test('Fashion-MNIST items', () => {
    const ds = canvasDetection({ items: 'fashion-mnist', numImages: 3, canvasSize: 64, scale: [0.8, 1.2] });
    assert.deepEqual(ds.images.shape, [3, 1, 64, 64]);
    assert.deepEqual(ds.classes, fashionMnist({ train: true }).classes);
  });
});

checkErrors('canvasDetection', [
  ['unknown items', () => canvasDetection({ items: 'cifar' as never }), ValueError, /^canvasDetection: items must be 'mnist' or 'fashion-mnist', got "cifar"/],
]);
