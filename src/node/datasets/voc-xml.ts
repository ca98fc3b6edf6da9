/**
 * PASCAL VOC annotation files: a small XML reader (elements and text; attributes, comments, processing
 * instructions and CDATA are read past) and the mapping of `<annotation>` to filename, size and objects with
 * name, bndbox, difficult and truncated. Malformed XML and impossible boxes are DataErrors naming the file.
 * @module
 */
import { DataError } from '../../errors.js';

/** An XML element: its tag, child elements and concatenated text. */
export interface XmlElement {
  /** The element's name. */
  tag: string;
  /** Its child elements, in document order. */
  children: XmlElement[];
  /** Its own text (entities decoded), children's text excluded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, source: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    const v = ENTITIES[e];
    if (v === undefined) throw new DataError(`${source}: corrupt XML: unknown entity ${m}`);
    return v;
  });
}

/** Parses an XML document into its root element; a DataError naming `source` when it is not well-formed. */
export function parseXml(xml: string, source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const bad = (why: string): never => {
    throw new DataError(`${source}: corrupt XML: ${why} (at character ${i})`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.trim() !== '') {
      if (stack.length === 0) bad('text outside the root element');
      stack[stack.length - 1].text += decodeEntities(text, source);
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) bad('unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) bad('misplaced or unclosed CDATA');
      stack[stack.length - 1].text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) {
      const end = xml.indexOf('>', i);
      if (end < 0) bad('unclosed declaration');
      i = end + 1;
    } else {
      const end = xml.indexOf('>', i);
      if (end < 0) bad('unclosed tag');
      const body = xml.slice(i + 1, end);
      i = end + 1;
      if (body.startsWith('/')) {
        const name = body.slice(1).trim();
        const open = stack.pop();
        if (!open || open.tag !== name) bad(`</${name}> closes ${open ? `<${open.tag}>` : 'nothing'}`);
        if (stack.length === 0) root = open;
        continue;
      }
      const selfClosing = body.endsWith('/');
      const name = (selfClosing ? body.slice(0, -1) : body).trim().split(/\s+/)[0];
      if (!/^[A-Za-z_][\w.:-]*$/.test(name)) bad(`bad tag name ${JSON.stringify(name)}`);
      if (stack.length === 0 && root) bad('a second root element');
      const el: XmlElement = { tag: name, children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      if (selfClosing) {
        if (stack.length === 0) root = el;
      } else stack.push(el);
    }
  }
  if (stack.length > 0) bad(`<${stack[stack.length - 1].tag}> is never closed`);
  if (!root) bad('no root element');
  return root!;
}

/** One annotated object: its class name, box and flags. */
export interface VocObject {
  /** Class name as written (e.g. 'dog'). */
  name: string;
  /** VOC's 1-based inclusive pixel box as written: [xmin, ymin, xmax, ymax]. */
  bndbox: [number, number, number, number];
  /** Marked difficult (excluded from VOC mAP). */
  difficult: boolean;
  /** Marked truncated (the object extends beyond the box). */
  truncated: boolean;
}

/** One annotation file. */
export interface VocAnnotation {
  /** `<filename>` (the JPEG's name). */
  filename: string;
  /** `<size><width>` in pixels. */
  width: number;
  /** `<size><height>` in pixels. */
  height: number;
  /** `<size><depth>` (channels; 3 when absent). */
  depth: number;
  /** The `<object>` entries in file order. */
  objects: VocObject[];
}

const child = (el: XmlElement, tag: string): XmlElement | undefined => el.children.find((c) => c.tag === tag);

/** Reads a VOC `<annotation>` document; a DataError naming `source` for corrupt XML, missing fields or a bad box. */
export function parseVocAnnotation(xml: string, source: string): VocAnnotation {
  const root = parseXml(xml, source);
  if (root.tag !== 'annotation') throw new DataError(`${source}: expected an <annotation> root element, got <${root.tag}>`);
  const num = (el: XmlElement | undefined, path: string, int = true): number => {
    const t = el?.text.trim();
    if (t === undefined || t === '') throw new DataError(`${source}: missing <${path}>`);
    const v = Number(t);
    if (!Number.isFinite(v) || (int && !Number.isInteger(v))) throw new DataError(`${source}: <${path}> must be ${int ? 'an integer' : 'a number'}, got ${JSON.stringify(t)}`);
    return v;
  };
  const size = child(root, 'size');
  if (!size) throw new DataError(`${source}: missing <size>`);
  const width = num(child(size, 'width'), 'size/width');
  const height = num(child(size, 'height'), 'size/height');
  const depth = child(size, 'depth') ? num(child(size, 'depth'), 'size/depth') : 3;
  if (width < 1 || height < 1) throw new DataError(`${source}: <size> must be at least 1x1, got ${width}x${height}`);
  const filename = child(root, 'filename')?.text.trim() ?? '';
  const objects = root.children.filter((c) => c.tag === 'object').map((o, k) => {
    const name = child(o, 'name')?.text.trim();
    if (!name) throw new DataError(`${source}: object ${k} has no <name>`);
    const bb = child(o, 'bndbox');
    if (!bb) throw new DataError(`${source}: object ${k} (${name}) has no <bndbox>`);
    // VOC 2012 has a few fractional coordinates; read numbers, not only integers
    const b = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((t) => num(child(bb, t), `object/bndbox/${t}`, false)) as [number, number, number, number];
    if (b[2] < b[0] || b[3] < b[1] || b[0] < 0 || b[1] < 0 || b[2] > width || b[3] > height) {
      throw new DataError(`${source}: object ${k} (${name}) has a bad box [xmin ${b[0]}, ymin ${b[1]}, xmax ${b[2]}, ymax ${b[3]}] for a ${width}x${height} image (expected 0 <= xmin <= xmax <= width, 0 <= ymin <= ymax <= height)`);
    }
    const flag = (t: string): boolean => {
      const el = child(o, t);
      return el ? num(el, `object/${t}`) !== 0 : false;
    };
    return { name, bndbox: b, difficult: flag('difficult'), truncated: flag('truncated') };
  });
  return { filename, width, height, depth, objects };
}
