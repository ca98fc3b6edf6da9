/**
 * Packed sequences, as torch.nn.utils.rnn: a batch of variable-length sequences stored time step by time step
 * without padding, so that LSTM, GRU and RNN skip the padding (their outputs and final states then equal those of
 * each sequence run alone). `packPaddedSequence(x, lengths)` packs a padded batch, `padPackedSequence` unpacks,
 * `padSequence` pads a list of tensors, `packSequence` packs one. Gradients flow through every step.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { indexSelect } from '../ops/indexing.js';
import { cat, reshape } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import { full, tensor } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A packed batch (torch's PackedSequence): `data` [sum(batchSizes), *] holds step 0 of every sequence, then step 1
 * of those at least 2 long, ...; `batchSizes` int32 [maxLen] how many sequences each step has; `sortedIndices`
 * int32 [N] the original index of each sorted-by-length sequence and `unsortedIndices` its inverse (both null
 * when the batch came sorted, enforceSorted).
 */
export class PackedSequence {
  /** Creates the packed batch from its fields (packPaddedSequence makes them; this checks their consistency). */
  constructor(
    readonly data: Tensor,
    readonly batchSizes: Tensor,
    readonly sortedIndices: Tensor | null = null,
    readonly unsortedIndices: Tensor | null = null,
  ) {
    const where = 'PackedSequence';
    checkTensor(where, data, 'data');
    checkTensor(where, batchSizes, 'batchSizes');
    const bs = batchSizes.toArray() as number[];
    if (batchSizes.ndim !== 1 || bs.length === 0 || bs.some((b, t) => !Number.isInteger(b) || b < 1 || (t > 0 && b > bs[t - 1]))) {
      throw new ValueError(`${where}: batchSizes must be a non-empty 1-D tensor of positive, non-increasing integers, got ${JSON.stringify(bs)}`);
    }
    const total = bs.reduce((a, b) => a + b, 0);
    if (data.ndim < 1 || data.shape[0] !== total) throw new ShapeError(`${where}: data must have sum(batchSizes) = ${total} rows, got shape ${fmtShape(data.shape)}`);
    if ((sortedIndices === null) !== (unsortedIndices === null)) throw new ValueError(`${where}: sortedIndices and unsortedIndices must both be given or both be null`);
    if (sortedIndices !== null && unsortedIndices !== null) {
      const s = sortedIndices.toArray() as number[];
      const u = unsortedIndices.toArray() as number[];
      if (s.length !== bs[0] || u.length !== bs[0] || s.some((v, i) => u[v] !== i)) {
        throw new ValueError(`${where}: sortedIndices and unsortedIndices must be inverse permutations of the ${bs[0]} sequences`);
      }
    }
  }

  /** The batch sizes as numbers. */
  batchSizeList(): number[] {
    return this.batchSizes.toArray() as number[];
  }

  /** The length of each sequence in sorted order (non-increasing). */
  sortedLengths(): number[] {
    const bs = this.batchSizeList();
    const lengths = new Array<number>(bs[0]).fill(0);
    for (const b of bs) for (let i = 0; i < b; i++) lengths[i]++;
    return lengths;
  }

  /** The same sequences with `data` replaced (e.g. by a layer's output of the same row count). */
  withData(data: Tensor): PackedSequence {
    return new PackedSequence(data, this.batchSizes, this.sortedIndices, this.unsortedIndices);
  }
}

/** Checks `lengths` (numbers or a 1-D integer tensor) against the batch size and the padded length. */
function checkLengths(where: string, lengths: unknown, batch: number, maxLen: number): number[] {
  let ls: number[];
  if (lengths instanceof Tensor) {
    if (lengths.ndim !== 1 || isFloating(lengths.dtype) || lengths.dtype === 'bool') throw new ValueError(`${where}: lengths must be a 1-D int32 tensor or an array of integers, got a ${lengths.dtype} tensor of shape ${fmtShape(lengths.shape)}`);
    ls = lengths.toArray() as number[];
  } else if (Array.isArray(lengths)) ls = lengths;
  else throw new ValueError(`${where}: lengths must be an array of integers or a 1-D int32 tensor, got ${lengths === null ? 'null' : typeof lengths}`);
  if (ls.length !== batch) throw new ValueError(`${where}: lengths must have one entry per sequence (batch size ${batch}), got ${ls.length}`);
  ls.forEach((l, i) => {
    if (!Number.isInteger(l)) throw new ValueError(`${where}: lengths[${i}] must be an integer, got ${l}`);
    if (l <= 0) throw new ValueError(`${where}: lengths must all be > 0, got lengths[${i}] = ${l}`);
    if (l > maxLen) throw new ValueError(`${where}: lengths[${i}] = ${l} is longer than the padded sequence length ${maxLen}`);
  });
  return ls;
}

/** Options of packPaddedSequence. */
export interface PackOptions {
  /** The input is [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /** Require lengths in non-increasing order (default true, as PyTorch); false sorts them and records the order. */
  enforceSorted?: boolean;
}

const i32 = (xs: readonly number[]) => tensor(xs, { dtype: 'int32' });

/** The permutation sorting `lengths` by non-increasing length (stable, so equal lengths keep their order). */
function sortByLength(lengths: readonly number[]): number[] {
  return lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
}

/**
 * Packs a padded batch: input [L, N, *] ([N, L, *] with batchFirst) and each sequence's length to a PackedSequence.
 * With enforceSorted (default) the lengths must be non-increasing; otherwise the sequences are sorted by length
 * and the order is kept in sortedIndices / unsortedIndices.
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, opts: PackOptions = {}): PackedSequence {
  const where = 'packPaddedSequence';
  checkTensor(where, input);
  if (input.ndim < 2) throw new ShapeError(`${where}: input must be at least 2-D (L, N, *) or (N, L, *) with batchFirst, got shape ${fmtShape(input.shape)}`);
  const batchFirst = opts.batchFirst ?? false;
  const enforceSorted = opts.enforceSorted ?? true;
  const [L, N] = batchFirst ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  const ls = checkLengths(where, lengths, N, L);
  let order = ls.map((_, i) => i);
  if (enforceSorted) {
    for (let i = 1; i < N; i++) {
      if (ls[i] > ls[i - 1]) throw new ValueError(`${where}: lengths must be sorted in decreasing order when enforceSorted is true, got lengths[${i - 1}] = ${ls[i - 1]} < lengths[${i}] = ${ls[i]}; pass enforceSorted: false to have them sorted`);
    }
  } else order = sortByLength(ls);
  const sorted = order.map((i) => ls[i]);
  const maxLen = sorted[0];
  const batchSizes: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < maxLen; t++) {
    let b = 0;
    while (b < N && sorted[b] > t) {
      rows.push(batchFirst ? order[b] * L + t : t * N + order[b]);
      b++;
    }
    batchSizes.push(b);
  }
  const flat = reshape(input, [L * N, ...input.shape.slice(2)]);
  const data = indexSelect(flat, 0, i32(rows));
  if (enforceSorted) return new PackedSequence(data, i32(batchSizes));
  const inverse = new Array<number>(N);
  order.forEach((o, i) => (inverse[o] = i));
  return new PackedSequence(data, i32(batchSizes), i32(order), i32(inverse));
}

/** Options of padPackedSequence. */
export interface PadPackedOptions {
  /** Return [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /** Value of the padding (default 0). */
  paddingValue?: number;
  /** Pad to this length instead of the longest sequence's (at least that long). */
  totalLength?: number;
}

/**
 * Unpacks to a padded batch in the original order: returns [padded [L, N, *] ([N, L, *] with batchFirst),
 * lengths int32 [N]]; the inverse of packPaddedSequence.
 */
export function padPackedSequence(sequence: PackedSequence, opts: PadPackedOptions = {}): [Tensor, Tensor] {
  const where = 'padPackedSequence';
  if (!(sequence instanceof PackedSequence)) throw new ValueError(`${where}: sequence must be a PackedSequence, got ${sequence === null ? 'null' : typeof sequence}`);
  const bs = sequence.batchSizeList();
  const N = bs[0];
  const maxLen = bs.length;
  const L = opts.totalLength ?? maxLen;
  if (!Number.isInteger(L) || L < maxLen) throw new ValueError(`${where}: totalLength must be an integer >= the longest sequence's length ${maxLen}, got ${opts.totalLength}`);
  const pv = opts.paddingValue ?? 0;
  if (typeof pv !== 'number') throw new ValueError(`${where}: paddingValue must be a number, got ${typeof pv}`);
  const batchFirst = opts.batchFirst ?? false;
  const unsorted = sequence.unsortedIndices ? (sequence.unsortedIndices.toArray() as number[]) : null;
  const data = sequence.data;
  const feat = data.shape.slice(1);
  const padRow = data.shape[0];
  // offsets[t]: the row of step t of sorted sequence 0
  const offsets = [0];
  for (const b of bs) offsets.push(offsets[offsets.length - 1] + b);
  const idx = new Array<number>(L * N).fill(padRow);
  for (let n = 0; n < N; n++) {
    const s = unsorted ? unsorted[n] : n;
    for (let t = 0; t < maxLen && s < bs[t]; t++) idx[batchFirst ? n * L + t : t * N + n] = offsets[t] + s;
  }
  const ext = cat([data, full([1, ...feat], pv, { dtype: data.dtype })], 0);
  const padded = reshape(indexSelect(ext, 0, i32(idx)), batchFirst ? [N, L, ...feat] : [L, N, ...feat]);
  const sortedLengths = sequence.sortedLengths();
  const lengths = Array.from({ length: N }, (_, n) => sortedLengths[unsorted ? unsorted[n] : n]);
  return [padded, i32(lengths)];
}

/** Options of padSequence. */
export interface PadSequenceOptions {
  /** Return [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /** Value of the padding (default 0). */
  paddingValue?: number;
}

/** Pads a list of N tensors [L_i, *] (same trailing shape and dtype) to [maxL, N, *] ([N, maxL, *] with batchFirst). */
export function padSequence(sequences: readonly Tensor[], opts: PadSequenceOptions = {}): Tensor {
  const where = 'padSequence';
  if (!Array.isArray(sequences) || sequences.length === 0) throw new ValueError(`${where}: sequences must be a non-empty array of tensors`);
  sequences.forEach((s, i) => checkTensor(where, s, `sequences[${i}]`));
  const ref = sequences[0];
  if (ref.ndim < 1) throw new ShapeError(`${where}: sequences must be at least 1-D (L, *), got sequences[0] of shape ${fmtShape(ref.shape)}`);
  const feat = ref.shape.slice(1);
  sequences.forEach((s, i) => {
    if (s.ndim !== ref.ndim || s.shape.slice(1).some((v: number, d: number) => v !== feat[d])) {
      throw new ShapeError(`${where}: every sequence must be (L_i, ${feat.join(', ')}) like sequences[0], got sequences[${i}] of shape ${fmtShape(s.shape)}`);
    }
  });
  const pv = opts.paddingValue ?? 0;
  const batchFirst = opts.batchFirst ?? false;
  const N = sequences.length;
  const lens = sequences.map((s) => s.shape[0]);
  const L = Math.max(...lens);
  const starts = [0];
  for (const l of lens) starts.push(starts[starts.length - 1] + l);
  const padRow = starts[N];
  const idx = new Array<number>(L * N).fill(padRow);
  for (let n = 0; n < N; n++) for (let t = 0; t < lens[n]; t++) idx[batchFirst ? n * L + t : t * N + n] = starts[n] + t;
  const ext = cat([...sequences, full([1, ...feat], pv, { dtype: ref.dtype })], 0);
  return reshape(indexSelect(ext, 0, i32(idx)), batchFirst ? [N, L, ...feat] : [L, N, ...feat]);
}

/** Packs a list of N tensors [L_i, *]: packPaddedSequence(padSequence(sequences), their lengths). */
export function packSequence(sequences: readonly Tensor[], opts: { enforceSorted?: boolean } = {}): PackedSequence {
  const padded = padSequence(sequences);
  return packPaddedSequence(padded, sequences.map((s) => s.shape[0]), { enforceSorted: opts.enforceSorted ?? true });
}
