/**
 * A neural-architecture search space as a sequence of categorical decisions (Zoph & Le 2017): an architecture
 * is an encoding, one choice index per decision, which the RNN controller emits token by token, evolution
 * mutates one position at a time and random search draws uniformly. The space says which decisions matter for
 * a given encoding (a layer beyond the chosen depth, the width of a pooling layer), so mutations are never
 * silent no-ops.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { Generator } from '../../tensor/random.js';

/** One categorical decision: its name (for messages and reports) and its choices (at least one). */
export interface Decision {
  /** Name of the decision, e.g. `stage0.layer1.op`. */
  readonly name: string;
  /** The values it may take; an encoding holds the index of one of them. */
  readonly choices: readonly (string | number | boolean)[];
}

/** An architecture: `encoding[t]` is the chosen index into `space.decisions[t].choices` (length = decisions). */
export type Encoding = readonly number[];

/** A search space of architectures: a fixed sequence of decisions, and which of them an encoding uses. */
export interface NasSpace {
  /** The decisions, in the order a controller emits them (at least one). */
  readonly decisions: readonly Decision[];
  /**
   * Which decisions the architecture of `encoding` depends on: `[decisions.length]` booleans. Inactive
   * positions are kept in the encoding (fixed length) but changing them changes nothing. Default: all active.
   */
  isActive?(encoding: Encoding): boolean[];
}

/** Throws a ValueError naming `fn` unless `space` has at least one decision, each with at least one choice. */
export function checkSpace(fn: string, space: NasSpace): void {
  if (space === null || typeof space !== 'object' || !Array.isArray(space.decisions)) {
    throw new ValueError(`${fn}: space must be an object with a decisions array, got ${space === null ? 'null' : typeof space}`);
  }
  if (space.decisions.length === 0) throw new ValueError(`${fn}: space has no decisions (an empty search space)`);
  const seen = new Set<string>();
  space.decisions.forEach((d, t) => {
    if (!d || typeof d.name !== 'string' || d.name === '') throw new ValueError(`${fn}: decision ${t} has no name`);
    if (seen.has(d.name)) throw new ValueError(`${fn}: decision name '${d.name}' appears twice`);
    seen.add(d.name);
    if (!Array.isArray(d.choices) || d.choices.length === 0) throw new ValueError(`${fn}: decision '${d.name}' has no choices (empty choices)`);
  });
}

/** Throws a ValueError naming `fn` and the offending decision unless `encoding` is a valid encoding of `space`. */
export function checkEncoding(fn: string, space: NasSpace, encoding: unknown): asserts encoding is Encoding {
  const n = space.decisions.length;
  if (!Array.isArray(encoding)) throw new ValueError(`${fn}: encoding must be an array of ${n} choice indices, got ${encoding === null ? 'null' : typeof encoding}`);
  if (encoding.length !== n) throw new ValueError(`${fn}: encoding must have ${n} entries (one per decision), got ${encoding.length}`);
  encoding.forEach((v, t) => {
    const d = space.decisions[t];
    if (!Number.isInteger(v) || v < 0 || v >= d.choices.length) {
      throw new ValueError(`${fn}: encoding[${t}] (decision '${d.name}') must be an integer in [0, ${d.choices.length - 1}], got ${JSON.stringify(v) ?? String(v)}`);
    }
  });
}

/** The decisions of `space` that `encoding` uses (all true when the space does not say). */
export function activeDecisions(space: NasSpace, encoding: Encoding): boolean[] {
  return space.isActive ? space.isActive(encoding) : space.decisions.map(() => true);
}

/** A uniformly random encoding of `space`: each decision's choice drawn independently with `rng`. */
export function randomEncoding(space: NasSpace, rng: Generator): number[] {
  checkSpace('randomEncoding', space);
  return space.decisions.map((d) => rng.randint(0, d.choices.length));
}

/** The chosen value of every decision of `encoding`, by decision name. */
export function decodeChoices(space: NasSpace, encoding: Encoding): Record<string, string | number | boolean> {
  checkSpace('decodeChoices', space);
  checkEncoding('decodeChoices', space, encoding);
  const out: Record<string, string | number | boolean> = {};
  space.decisions.forEach((d, t) => (out[d.name] = d.choices[encoding[t]]));
  return out;
}

/**
 * Canonical key of the architecture of `encoding`: its active choices (inactive positions do not count), so two
 * encodings that build the same network share a key.
 */
export function architectureKey(space: NasSpace, encoding: Encoding): string {
  const active = activeDecisions(space, encoding);
  return encoding.map((v, t) => (active[t] ? String(v) : '-')).join(',');
}
