/**
 * The file format of a found architecture, so a search's result outlives the search: plain JSON with a format tag
 * and version, the space's name and settings, every decision's chosen value by name (not by index, so the file
 * reads on its own and survives a reordering of choices), the decoded architecture (checked against the
 * decisions on load), the classifier head the search trained it with, and free-form notes (how it was found, its
 * accuracies). `architectureToJson` writes one, `parseArchitecture` validates one; the Node file part is
 * `saveArchitecture`/`loadArchitecture` in `shendu/node`.
 * @module
 */
import { DataError, ValueError } from '../../errors.js';
import { cnnSpace, describeCnn, type CnnArchitecture, type CnnSpace, type CnnSpaceOptions } from './cnn-space.js';
import { checkEncoding, type Encoding } from './space.js';

/** The `format` tag of an architecture file. */
export const ARCHITECTURE_FORMAT = 'shendu-nas-architecture';
/** The version of the architecture file format this code writes and reads. */
export const ARCHITECTURE_VERSION = 1;

/** The classifier head a CNN architecture was searched with (see `buildCnn`). */
export type CnnHead = 'avgpool' | 'flatten';

/** An architecture file as JSON: what `architectureToJson` gives and `parseArchitecture` takes. */
export interface ArchitectureFile {
  /** Always `ARCHITECTURE_FORMAT`. */
  format: typeof ARCHITECTURE_FORMAT;
  /** Always `ARCHITECTURE_VERSION`. */
  version: typeof ARCHITECTURE_VERSION;
  /** The search space: its name ('cnn', the space of `cnnSpace`) and the options it was made with. */
  space: { name: 'cnn'; options: Required<CnnSpaceOptions> };
  /** Every decision's chosen value, by decision name (inactive ones too, so the encoding round-trips). */
  decisions: Record<string, string | number | boolean>;
  /** The decoded architecture (what `buildCnn` takes); must agree with `decisions`. */
  architecture: CnnArchitecture;
  /** One-line description (`describeCnn`), for people reading the file. */
  description: string;
  /** The classifier head the architecture was trained with during the search (absent: buildCnn's default). */
  head?: CnnHead;
  /** Free-form provenance: search method, accuracies, budget (JSON values). */
  notes?: Record<string, unknown>;
}

/** A parsed architecture file: the space rebuilt, the encoding, the decoded architecture, head and notes. */
export interface NasArchitecture {
  /** The search space, rebuilt from the file's settings. */
  space: CnnSpace;
  /** The architecture as an encoding of `space` (one choice index per decision). */
  encoding: number[];
  /** The decoded architecture, as `space.decode(encoding)`. */
  architecture: CnnArchitecture;
  /** The classifier head it was searched with, when the file says. */
  head?: CnnHead;
  /** The file's notes, when it has any. */
  notes?: Record<string, unknown>;
}

const HEADS: readonly CnnHead[] = ['avgpool', 'flatten'];

/**
 * The file of the architecture `encoding` of `space`: a JSON-serializable object (write it with
 * `JSON.stringify`, or `saveArchitecture` in `shendu/node`). Throws ValueError for an invalid encoding or head.
 */
export function architectureToJson(space: CnnSpace, encoding: Encoding, opts: { head?: CnnHead; notes?: Record<string, unknown> } = {}): ArchitectureFile {
  const fn = 'architectureToJson';
  checkEncoding(fn, space, encoding);
  if (opts.head !== undefined && !HEADS.includes(opts.head)) throw new ValueError(`${fn}: head must be one of ${HEADS.join(', ')}, got ${JSON.stringify(opts.head)}`);
  const decisions: Record<string, string | number | boolean> = {};
  space.decisions.forEach((d, t) => (decisions[d.name] = d.choices[encoding[t]]));
  const architecture = space.decode(encoding);
  const o = space.options;
  const file: ArchitectureFile = {
    format: ARCHITECTURE_FORMAT, version: ARCHITECTURE_VERSION,
    space: { name: 'cnn', options: { stages: o.stages, maxLayers: o.maxLayers, ops: [...o.ops], widthMultipliers: [...o.widthMultipliers], stemChannels: o.stemChannels } },
    decisions, architecture, description: describeCnn(architecture),
  };
  if (opts.head !== undefined) file.head = opts.head;
  if (opts.notes !== undefined) file.notes = JSON.parse(JSON.stringify(opts.notes)) as Record<string, unknown>;
  return file;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

/**
 * Validates the parsed JSON of an architecture file and rebuilds its space and encoding. Throws DataError naming
 * `source` and the bad field: a wrong format tag or version, a missing field, an unknown space, bad space
 * options (e.g. an unknown op), a decision missing, unknown or with a value outside its choices (an unknown op,
 * a width not offered), or an `architecture` that disagrees with the decisions.
 */
export function parseArchitecture(json: unknown, source = 'architecture'): NasArchitecture {
  const bad = (field: string, what: string): never => {
    throw new DataError(`parseArchitecture: ${source}: ${field} ${what}`);
  };
  if (!isObject(json)) return bad('the file', `must be a JSON object, got ${Array.isArray(json) ? 'an array' : show(json)}`);
  if (json.format !== ARCHITECTURE_FORMAT) bad('format', `must be '${ARCHITECTURE_FORMAT}', got ${show(json.format)}`);
  if (json.version !== ARCHITECTURE_VERSION) bad('version', `must be ${ARCHITECTURE_VERSION} (the version this shendu reads), got ${show(json.version)}`);
  const sp = json.space;
  if (!isObject(sp)) return bad('space', `must be an object {name, options}, got ${show(sp)}`);
  if (sp.name !== 'cnn') bad('space.name', `must be 'cnn' (the only NAS space shendu knows), got ${show(sp.name)}`);
  if (!isObject(sp.options)) return bad('space.options', `must be an object (cnnSpace's options), got ${show(sp.options)}`);
  let space: CnnSpace;
  try {
    space = cnnSpace(sp.options as CnnSpaceOptions);
  } catch (e) {
    if (e instanceof ValueError) return bad('space.options', `are not valid: ${e.message}`);
    throw e;
  }
  const decisions = json.decisions;
  if (!isObject(decisions)) return bad('decisions', `must be an object of decision name -> chosen value, got ${show(decisions)}`);
  const names = new Set(space.decisions.map((d) => d.name));
  for (const k of Object.keys(decisions)) if (!names.has(k)) bad(`decisions['${k}']`, `is not a decision of this space (its decisions: ${[...names].slice(0, 4).join(', ')}, ...)`);
  const encoding = space.decisions.map((d) => {
    if (!(d.name in decisions)) bad(`decisions['${d.name}']`, 'is missing');
    const v = decisions[d.name];
    const i = d.choices.indexOf(v as string | number | boolean);
    if (i < 0) bad(`decisions['${d.name}']`, `must be one of ${d.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${show(v)}`);
    return i;
  });
  const architecture = space.decode(encoding);
  if (json.architecture === undefined) bad('architecture', 'is missing');
  if (!sameArchitecture(json.architecture, architecture)) {
    bad('architecture', `disagrees with the decisions: they give ${describeCnn(architecture)}, the file has ${describeOrShow(json.architecture)}`);
  }
  const out: NasArchitecture = { space, encoding, architecture };
  if (json.head !== undefined) {
    if (!HEADS.includes(json.head as CnnHead)) bad('head', `must be one of ${HEADS.join(', ')}, got ${show(json.head)}`);
    out.head = json.head as CnnHead;
  }
  if (json.notes !== undefined) {
    if (!isObject(json.notes)) bad('notes', `must be an object, got ${show(json.notes)}`);
    out.notes = json.notes as Record<string, unknown>;
  }
  return out;
}

function describeOrShow(arch: unknown): string {
  try {
    return describeCnn(arch as CnnArchitecture);
  } catch {
    return show(arch).slice(0, 120);
  }
}

/** Whether `a` (parsed JSON) is the architecture `b`, field by field (key order does not matter). */
function sameArchitecture(a: unknown, b: CnnArchitecture): boolean {
  if (!isObject(a) || a.stemChannels !== b.stemChannels || !Array.isArray(a.stages) || a.stages.length !== b.stages.length) return false;
  return b.stages.every((stage, s) => {
    const got: unknown = (a.stages as unknown[])[s];
    return Array.isArray(got) && got.length === stage.length && stage.every((l, i) => isObject(got[i]) && got[i].op === l.op && got[i].channels === l.channels && got[i].skip === l.skip);
  });
}
