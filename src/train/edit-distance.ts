/**
 * Sequence metrics of recognizers and transducers: Levenshtein edit distance, and an accumulator of sequence
 * accuracy and token error rate (character error rate of a CTC reader, phoneme error rate of G2P) over batches.
 * @module
 */
import { ValueError } from '../errors.js';

/** A sequence of labels. */
export type LabelSequence = ArrayLike<number>;

function checkSeq(op: string, name: string, s: unknown): LabelSequence {
  if (s === null || typeof s !== 'object' || typeof (s as { length?: unknown }).length !== 'number') {
    throw new ValueError(`${op}: ${name} must be an array of labels, got ${s === null ? 'null' : typeof s}`);
  }
  return s as LabelSequence;
}

/**
 * The Levenshtein distance between label sequences `a` and `b`: the fewest insertions, deletions and
 * substitutions that turn one into the other (each costs 1). O(|a| |b|) time, O(|b|) memory.
 */
export function editDistance(a: LabelSequence, b: LabelSequence): number {
  checkSeq('editDistance', 'a', a);
  checkSeq('editDistance', 'b', b);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Streaming sequence metrics: `accuracy` is the fraction of predictions equal to their reference; `errorRate`
 * is the summed edit distance over the summed reference length (CER / PER / WER as ASR reports them: it can
 * exceed 1 when predictions are longer than the references). Both are NaN before any update.
 */
export class SequenceScores {
  private exact = 0;
  private count = 0;
  private edits = 0;
  private refLength = 0;

  /** Adds a batch of predicted label sequences and their references. */
  update(predicted: readonly LabelSequence[], reference: readonly LabelSequence[]): void {
    if (!Array.isArray(predicted) || !Array.isArray(reference) || predicted.length !== reference.length) {
      throw new ValueError(`SequenceScores.update: predicted and reference must be arrays of the same length, got ${Array.isArray(predicted) ? predicted.length : typeof predicted} and ${Array.isArray(reference) ? reference.length : typeof reference}`);
    }
    predicted.forEach((p, i) => {
      const r = reference[i];
      const d = editDistance(p, r);
      if (d === 0) this.exact++;
      this.count++;
      this.edits += d;
      this.refLength += r.length;
    });
  }

  /** Forgets all updates. */
  reset(): void {
    this.exact = this.count = this.edits = this.refLength = 0;
  }

  /** Fraction of sequences predicted exactly. */
  get accuracy(): number {
    return this.count === 0 ? NaN : this.exact / this.count;
  }

  /** Summed edit distance over summed reference length. */
  get errorRate(): number {
    return this.count === 0 ? NaN : this.edits / Math.max(1, this.refLength);
  }

  /** Number of sequences seen. */
  get total(): number {
    return this.count;
  }
}
