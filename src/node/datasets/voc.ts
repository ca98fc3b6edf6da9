/**
 * PASCAL VOC detection (Everingham et al.) from a data directory, in the layout of the VOCdevkit download:
 * `Annotations/<id>.xml`, `JPEGImages/<id>.jpg` and `ImageSets/Main/{train,val,trainval,test}.txt`. Nothing is
 * downloaded. Boxes are converted from VOC's 1-based inclusive pixels to pixel-edge coordinates
 * [xmin - 1, ymin - 1, xmax, ymax] (so a box's width is its pixel count, as the canvas set's boxes).
 * @module
 */
import { join } from 'node:path';
import { DataError, ValueError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type DataDirOptions, isDir, isFile, readDataFile, readTextFile, resolveDataDir } from './data-dir.js';
import { decodeImageBytes, imageToTensor } from './image-folder.js';
import { type VocAnnotation, parseVocAnnotation } from './voc-xml.js';

/** The 20 VOC classes, in the order of the devkit (label i is VOC_CLASSES[i]). */
export const VOC_CLASSES: readonly string[] = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
];

/** The image sets of ImageSets/Main. */
export type VocImageSet = 'train' | 'val' | 'trainval' | 'test';

/** Options of vocDetection(). */
export interface VocOptions extends DataDirOptions {
  /** The VOC root holding Annotations/, JPEGImages/, ImageSets/ (default: <dataDir>/VOCdevkit/VOC<year>, then <dataDir>/VOC<year>). */
  root?: string;
  /** Which year's folder to look for under the data directory (default '2007'). */
  year?: string;
  /** The image set (default 'train'). */
  imageSet?: VocImageSet;
  /** Drop objects marked difficult (default false: keep them, with their flag, as VOC mAP needs). */
  dropDifficult?: boolean;
  /** Class names (default VOC_CLASSES); an object of another class is a DataError. */
  classes?: readonly string[];
}

/** The target of one image: boxes [K, 4] float32 (pixel edges), labels [K] int32, difficult and truncated [K] bool. */
export interface VocTarget {
  /** [K, 4] float32 boxes [x1, y1, x2, y2] in pixel-edge coordinates. */
  boxes: Tensor;
  /** [K] int32 class indices. */
  labels: Tensor;
  /** [K] bool: marked difficult. */
  difficult: Tensor;
  /** [K] bool: marked truncated. */
  truncated: Tensor;
}

/** A VOC image set: ids, their parsed annotations (read on first use) and images decoded on demand. */
export class VocDetection {
  /** The image ids of the set, in the order of its ImageSets file. */
  readonly ids: readonly string[];
  /** Class names. */
  readonly classes: readonly string[];
  /** The VOC root directory. */
  readonly root: string;
  private readonly cache = new Map<number, VocAnnotation>();

  /** Reads `ImageSets/Main/<imageSet>.txt` under `root`. */
  constructor(root: string, private readonly opts: Pick<VocOptions, 'imageSet' | 'dropDifficult' | 'classes'> = {}) {
    this.root = root;
    this.classes = opts.classes ?? VOC_CLASSES;
    const set = opts.imageSet ?? 'train';
    if (!['train', 'val', 'trainval', 'test'].includes(set)) throw new ValueError(`vocDetection: imageSet must be 'train', 'val', 'trainval' or 'test', got ${JSON.stringify(set)}`);
    const list = join(root, 'ImageSets', 'Main', `${set}.txt`);
    if (!isFile(list)) throw new DataError(`vocDetection: ${list}: no such file (expected the VOC layout ImageSets/Main/${set}.txt under ${root})`);
    // lines are '<id>' or, in per-class lists, '<id> <flag>'; the id is the first field
    this.ids = readTextFile(list).split(/\r?\n/).map((l) => l.trim().split(/\s+/)[0]).filter((s) => s !== '');
  }

  /** Number of images. */
  get length(): number {
    return this.ids.length;
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.ids.length) throw new ValueError(`VocDetection: index must be an integer in [0, ${this.ids.length}), got ${i}`);
  }

  /** The parsed annotation of image i (Annotations/<id>.xml). */
  annotation(i: number): VocAnnotation {
    this.check(i);
    let a = this.cache.get(i);
    if (!a) {
      const path = join(this.root, 'Annotations', `${this.ids[i]}.xml`);
      a = parseVocAnnotation(readTextFile(path), path);
      for (const o of a.objects) if (!this.classes.includes(o.name)) throw new DataError(`${path}: unknown class ${JSON.stringify(o.name)}, expected one of ${this.classes.join(', ')}`);
      this.cache.set(i, a);
    }
    return a;
  }

  /** Image i as [3, H, W] float32 in [0, 1] and its target; the JPEG's size must match the annotation's. */
  get(i: number): [Tensor, VocTarget] {
    const a = this.annotation(i);
    const path = join(this.root, 'JPEGImages', `${this.ids[i]}.jpg`);
    if (!isFile(path)) throw new DataError(`${path}: no such file (image of annotation ${this.ids[i]})`);
    const img = decodeImageBytes(readDataFile(path), path);
    if (img.width !== a.width || img.height !== a.height) throw new DataError(`${path}: image is ${img.width}x${img.height} but its annotation says ${a.width}x${a.height}`);
    const objs = this.opts.dropDifficult ? a.objects.filter((o) => !o.difficult) : a.objects;
    const k = objs.length;
    const boxes = new Float32Array(k * 4);
    objs.forEach((o, j) => boxes.set([o.bndbox[0] - 1, o.bndbox[1] - 1, o.bndbox[2], o.bndbox[3]], j * 4));
    return [
      imageToTensor(img, { channels: 3 }),
      {
        boxes: tensor(boxes, { shape: [k, 4] }),
        labels: tensor(Int32Array.from(objs, (o) => this.classes.indexOf(o.name)), { dtype: 'int32', shape: [k] }),
        difficult: tensor(objs.map((o) => o.difficult), { dtype: 'bool', shape: [k] }),
        truncated: tensor(objs.map((o) => o.truncated), { dtype: 'bool', shape: [k] }),
      },
    ];
  }
}

/** Where the VOC root is for these options: `root`, else <dataDir>/VOCdevkit/VOC<year> or <dataDir>/VOC<year>. */
export function vocRoot(opts: VocOptions = {}): string {
  if (opts.root !== undefined) {
    if (!isDir(opts.root)) throw new DataError(`vocDetection: root ${opts.root} is not a directory`);
    return opts.root;
  }
  const year = opts.year ?? '2007';
  const dir = resolveDataDir(opts.dataDir);
  if (dir === undefined) throw new DataError(`vocDetection: no data directory is set (pass root or dataDir, or set SHENDU_DATA_DIR) and PASCAL VOC is not on npm; download VOCtrainval and unpack it there`);
  for (const cand of [join(dir, 'VOCdevkit', `VOC${year}`), join(dir, `VOC${year}`)]) if (isDir(cand)) return cand;
  throw new DataError(`vocDetection: neither ${join(dir, 'VOCdevkit', `VOC${year}`)} nor ${join(dir, `VOC${year}`)} exists; unpack the VOC${year} download into the data directory`);
}

/** A PASCAL VOC image set read from the data directory (see the module comment for the layout and box convention). */
export function vocDetection(opts: VocOptions = {}): VocDetection {
  return new VocDetection(vocRoot(opts), opts);
}
