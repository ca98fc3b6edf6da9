import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { encode } from 'jpeg-js';
import { DataError, ValueError } from '../../../src/index.js';
import { VOC_CLASSES, parseVocAnnotation, vocDetection } from '../../../src/node/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

const dir = mkdtempSync(join(tmpdir(), 'shendu-voc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An annotation as VOC writes it. */
function xml(file: string, w: number, h: number, objects: { name: string; box: number[]; difficult?: number; truncated?: number }[]): string {
  const objs = objects.map((o) => `
\t<object>
\t\t<name>${o.name}</name>
\t\t<pose>Unspecified</pose>
\t\t<truncated>${o.truncated ?? 0}</truncated>
\t\t<difficult>${o.difficult ?? 0}</difficult>
\t\t<bndbox>
\t\t\t<xmin>${o.box[0]}</xmin>
\t\t\t<ymin>${o.box[1]}</ymin>
\t\t\t<xmax>${o.box[2]}</xmax>
\t\t\t<ymax>${o.box[3]}</ymax>
\t\t</bndbox>
\t</object>`).join('');
  return `<annotation>
\t<folder>VOC2007</folder>
\t<filename>${file}</filename>
\t<source>
\t\t<database>The VOC2007 Database</database>
\t\t<annotation>PASCAL VOC2007</annotation>
\t</source>
\t<size>
\t\t<width>${w}</width>
\t\t<height>${h}</height>
\t\t<depth>3</depth>
\t</size>
\t<segmented>0</segmented>${objs}
</annotation>
`;
}

/** A solid-colour JPEG, encoded by jpeg-js. */
function jpeg(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([...rgb, 255], p * 4);
  return encode({ data, width: w, height: h }, 95).data;
}

function writeVoc(root: string): void {
  for (const d of ['Annotations', 'JPEGImages', join('ImageSets', 'Main')]) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'Annotations', '000005.xml'), xml('000005.jpg', 20, 16, [
    { name: 'chair', box: [3, 2, 10, 12] },
    { name: 'dog', box: [1, 1, 20, 16], difficult: 1, truncated: 1 },
  ]));
  writeFileSync(join(root, 'JPEGImages', '000005.jpg'), jpeg(20, 16, [200, 40, 40]));
  writeFileSync(join(root, 'Annotations', '000007.xml'), xml('000007.jpg', 12, 10, []));
  writeFileSync(join(root, 'JPEGImages', '000007.jpg'), jpeg(12, 10, [10, 200, 10]));
  writeFileSync(join(root, 'Annotations', '000009.xml'), xml('000009.jpg', 8, 8, [{ name: 'cat', box: [5, 2, 3, 6] }]));
  writeFileSync(join(root, 'JPEGImages', '000009.jpg'), jpeg(8, 8, [0, 0, 0]));
  writeFileSync(join(root, 'Annotations', '000011.xml'), '<annotation><size><width>8</width></size>');
  writeFileSync(join(root, 'Annotations', '000012.xml'), xml('000012.jpg', 8, 8, [{ name: 'cat', box: [1, 1, 4, 4] }]));
  writeFileSync(join(root, 'Annotations', '000013.xml'), xml('000013.jpg', 8, 8, [{ name: 'unicorn', box: [1, 1, 4, 4] }]));
  writeFileSync(join(root, 'ImageSets', 'Main', 'train.txt'), '000005\n000007\n');
  writeFileSync(join(root, 'ImageSets', 'Main', 'val.txt'), '000009\n000011\n000012\n000013\n');
}
const root = join(dir, 'VOCdevkit', 'VOC2007');
writeVoc(root);

describe('PASCAL VOC reader', () => {
  test('reads annotations, JPEG images and the image set from the data directory', () => {
    const ds = vocDetection({ dataDir: dir });
    assert.deepEqual(ds.ids, ['000005', '000007']);
    assert.equal(ds.length, 2);
    const a = ds.annotation(0);
    assert.equal(a.filename, '000005.jpg');
    assert.deepEqual([a.width, a.height, a.depth], [20, 16, 3]);
    assert.deepEqual(a.objects.map((o) => [o.name, o.bndbox, o.difficult, o.truncated]), [['chair', [3, 2, 10, 12], false, false], ['dog', [1, 1, 20, 16], true, true]]);
    const [img, t] = ds.get(0);
    assert.deepEqual(img.shape, [3, 16, 20]);
    const px = img.toTypedArray();
    assert.ok(Math.abs(px[0] - 200 / 255) < 0.03 && Math.abs(px[16 * 20] - 40 / 255) < 0.03, 'JPEG decoded to the written colour');
    assert.deepEqual(Array.from(t.boxes.toTypedArray()), [2, 1, 10, 12, 0, 0, 20, 16]);
    assert.deepEqual(Array.from(t.labels.toTypedArray()), [VOC_CLASSES.indexOf('chair'), VOC_CLASSES.indexOf('dog')]);
    assert.deepEqual(Array.from(t.difficult.toTypedArray()), [0, 1]);
    assert.deepEqual(Array.from(t.truncated.toTypedArray()), [0, 1]);
    const [, empty] = ds.get(1);
    assert.deepEqual(empty.boxes.shape, [0, 4]);
    const easy = vocDetection({ root, dropDifficult: true });
    assert.deepEqual(easy.get(0)[1].boxes.shape, [1, 4]);
  });
  test('XML details: comments, declarations, entities, self-closing tags', () => {
    const a = parseVocAnnotation(`<?xml version="1.0"?><!-- x --><annotation><filename>a&amp;b.jpg</filename><segmented/><size><width>4</width><height>4</height></size></annotation>`, 'a.xml');
    assert.equal(a.filename, 'a&b.jpg');
    assert.equal(a.objects.length, 0);
  });
});

const val = vocDetection({ root, imageSet: 'val' });
checkErrors('vocDetection', [
  ['bad box', () => val.annotation(0), DataError, /000009\.xml: object 0 \(cat\) has a bad box \[xmin 5, ymin 2, xmax 3, ymax 6\] for a 8x8 image/],
  ['corrupt XML', () => val.annotation(1), DataError, /000011\.xml: corrupt XML: <annotation> is never closed/],
  ['missing image', () => val.get(2), DataError, /JPEGImages\/000012\.jpg: no such file \(image of annotation 000012\)/],
  ['unknown class', () => val.annotation(3), DataError, /000013\.xml: unknown class "unicorn"/],
  ['mismatched tags', () => parseVocAnnotation('<annotation><size></annotation>', 'm.xml'), DataError, /^m\.xml: corrupt XML: <\/annotation> closes <size>/],
  ['size not a number', () => parseVocAnnotation('<annotation><size><width>x</width><height>3</height></size></annotation>', 's.xml'), DataError, /^s\.xml: <size\/width> must be an integer, got "x"/],
  ['missing image set', () => vocDetection({ root, imageSet: 'test' }), DataError, /ImageSets\/Main\/test\.txt: no such file/],
  ['unknown image set', () => vocDetection({ root, imageSet: 'all' as never }), ValueError, /^vocDetection: imageSet must be 'train', 'val', 'trainval' or 'test', got "all"/],
  ['no VOC folder', () => vocDetection({ dataDir: dir, year: '2012' }), DataError, /^vocDetection: neither .*VOC2012 nor .*VOC2012 exists/],
  ['index out of range', () => val.get(9), ValueError, /^VocDetection: index must be an integer in \[0, 4\), got 9/],
]);
