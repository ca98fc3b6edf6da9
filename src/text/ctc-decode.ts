/**
 * Decoding CTC outputs into label sequences: best-path (greedy) decoding and prefix beam search (Hannun et al.,
 * 2014), which sums the probabilities of all alignments of a prefix instead of following one path.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options shared by the CTC decoders. */
export interface CtcDecodeOptions {
  /** The blank class (default 0). */
  blank?: number;
  /** Frames to decode per batch element (default: all T). */
  inputLengths?: readonly number[];
}

/** Options of `ctcBeamSearchDecode`. */
export interface CtcBeamSearchOptions extends CtcDecodeOptions {
  /** Prefixes kept after each frame (default 10). */
  beamWidth?: number;
}

/** A decoded label sequence with the log-probability of all its alignments (as far as the beam kept them). */
export interface CtcHypothesis {
  /** The labels, repeats collapsed and blanks dropped. */
  labels: number[];
  /** log p(labels | input), summed over the alignments the beam followed. */
  logProb: number;
}

/** The checked input as host arrays: frame t of sample b at lp[(t * N + b) * C + c]. */
interface Frames {
  lp: Float64Array | Float32Array;
  N: number;
  C: number;
  lengths: number[];
  blank: number;
}

function framesOf(op: string, logProbs: Tensor, opts: CtcDecodeOptions): Frames {
  checkFloat(op, checkTensor(op, logProbs, 'logProbs'), 'logProbs');
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) {
    throw new ShapeError(`${op}: logProbs must be [T, N, C] or unbatched [T, C], got shape ${fmtShape(logProbs.shape)}`);
  }
  const unbatched = logProbs.ndim === 2;
  const T = logProbs.shape[0];
  const N = unbatched ? 1 : logProbs.shape[1];
  const C = logProbs.shape[logProbs.ndim - 1];
  const blank = opts.blank ?? 0;
  if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0 || blank >= C) {
    throw new ValueError(`${op}: blank must be a class index in [0, ${C}), got ${String(blank)}`);
  }
  const lengths = opts.inputLengths === undefined ? new Array<number>(N).fill(T) : [...opts.inputLengths];
  if (lengths.length !== N) throw new ShapeError(`${op}: inputLengths must hold one length per batch element (${N}), got ${lengths.length}`);
  for (const l of lengths) {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > T) throw new ValueError(`${op}: inputLengths must be integers in [0, ${T}], got ${String(l)}`);
  }
  return { lp: logProbs.toTypedArray() as Float64Array | Float32Array, N, C, lengths, blank };
}

/** The argmax class of frame t of sample b. */
function argmaxAt(f: Frames, t: number, b: number): number {
  const base = (t * f.N + b) * f.C;
  let best = 0;
  for (let c = 1; c < f.C; c++) if (f.lp[base + c] > f.lp[base + best]) best = c;
  return best;
}

/**
 * Best-path decoding of `logProbs` [T, N, C] (or unbatched [T, C]): the most likely class per frame, repeats
 * collapsed, blanks dropped. Returns one label list per batch element (unbatched: a list of one).
 * Works on probabilities or log-probabilities alike, since only the argmax is read.
 */
export function ctcGreedyDecode(logProbs: Tensor, opts: CtcDecodeOptions = {}): number[][] {
  const f = framesOf('ctcGreedyDecode', logProbs, opts);
  const out: number[][] = [];
  for (let b = 0; b < f.N; b++) {
    const labels: number[] = [];
    let prev = -1;
    for (let t = 0; t < f.lengths[b]; t++) {
      const c = argmaxAt(f, t, b);
      if (c !== f.blank && c !== prev) labels.push(c);
      prev = c;
    }
    out.push(labels);
  }
  return out;
}

function lse(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** A prefix on the beam: log-probabilities of its alignments ending in a blank (pb) and in its last label (pnb). */
interface Beam {
  labels: number[];
  pb: number;
  pnb: number;
}

function searchOne(f: Frames, b: number, width: number): CtcHypothesis[] {
  let beams = new Map<string, Beam>([['', { labels: [], pb: 0, pnb: -Infinity }]]);
  for (let t = 0; t < f.lengths[b]; t++) {
    const base = (t * f.N + b) * f.C;
    const next = new Map<string, Beam>();
    const at = (key: string, labels: number[]): Beam => {
      let e = next.get(key);
      if (e === undefined) next.set(key, (e = { labels, pb: -Infinity, pnb: -Infinity }));
      return e;
    };
    for (const [key, beam] of beams) {
      const total = lse(beam.pb, beam.pnb);
      const stay = at(key, beam.labels);
      stay.pb = lse(stay.pb, total + f.lp[base + f.blank]);
      const last = beam.labels.length ? beam.labels[beam.labels.length - 1] : -1;
      for (let c = 0; c < f.C; c++) {
        if (c === f.blank) continue;
        const p = f.lp[base + c];
        const ext = at(key === '' ? `${c}` : `${key},${c}`, [...beam.labels, c]);
        if (c === last) {
          // a repeated label needs a blank in between to count twice; without one it continues the prefix
          ext.pnb = lse(ext.pnb, beam.pb + p);
          stay.pnb = lse(stay.pnb, beam.pnb + p);
        } else {
          ext.pnb = lse(ext.pnb, total + p);
        }
      }
    }
    // a prefix no alignment reaches (a repeat straight after its label) is not a hypothesis
    const kept = [...next.entries()].filter((e) => e[1].pb > -Infinity || e[1].pnb > -Infinity).sort((x, y) => lse(y[1].pb, y[1].pnb) - lse(x[1].pb, x[1].pnb)).slice(0, width);
    beams = new Map(kept);
  }
  return [...beams.values()]
    .map((e) => ({ labels: e.labels, logProb: lse(e.pb, e.pnb) }))
    .sort((x, y) => y.logProb - x.logProb);
}

/**
 * Prefix beam search over `logProbs` [T, N, C] (or unbatched [T, C]) log-probabilities: keeps the `beamWidth` most
 * likely label prefixes after each frame, each scored by the sum over all its alignments, in log space. Returns,
 * per batch element, the surviving hypotheses best first (their `logProb` is exact when the beam is wide enough to
 * keep every prefix; then the best one is the most likely labelling, which greedy decoding can miss).
 */
export function ctcBeamSearchDecode(logProbs: Tensor, opts: CtcBeamSearchOptions = {}): CtcHypothesis[][] {
  const op = 'ctcBeamSearchDecode';
  const f = framesOf(op, logProbs, opts);
  const width = opts.beamWidth ?? 10;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) throw new ValueError(`${op}: beamWidth must be a positive integer, got ${String(width)}`);
  const out: CtcHypothesis[][] = [];
  for (let b = 0; b < f.N; b++) out.push(searchOne(f, b, width));
  return out;
}
