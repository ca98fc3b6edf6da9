/**
 * Beam search over a decoder that scores its K live hypotheses as one batch: the bookkeeping shared by the
 * sequence models' `decode` (g2p, g2p_transformer, captioner), which supply only how to score the next token.
 * @module
 */

/** What a decoder returns for one step of a beam search. */
export interface BeamScores {
  /** Log-probabilities of the next token, [K, V] row-major (row k: the hypothesis in row k). */
  logProbs: ArrayLike<number>;
  /** Optional attention weights, row k at [k · attentionStride, k · attentionStride + attentionWidth). */
  attention?: ArrayLike<number>;
}

/** Options of beamSearch. */
export interface BeamSearchOptions {
  /** K, the number of hypotheses kept alive (≥ 1). */
  beamWidth: number;
  /** V, the number of tokens scored per row. */
  vocabSize: number;
  /** Most tokens generated. */
  maxLength: number;
  /** The end token; tokens below it (padding, start) are never proposed. */
  eos: number;
  /**
   * Scores step t: `rows[k]` are the tokens so far of the hypothesis in row k (the last hypothesis repeated when
   * fewer than K are alive) and `from[k]` the row of the previous step it extends — a decoder that carries state
   * reorders it by `from` before stepping (at t = 0 every row extends row 0, the start).
   */
  next: (rows: readonly (readonly number[])[], from: Int32Array, t: number) => BeamScores;
  /** Attention values per row in `BeamScores.attention` (default 0: no attention kept). */
  attentionStride?: number;
  /** How many of them each kept attention row holds (default attentionStride). */
  attentionWidth?: number;
}

/** The hypothesis beamSearch returns: its tokens (without the end token) and, per token, its attention row. */
export interface BeamResult {
  /** Token ids. */
  ids: number[];
  /** One attention row per token (empty rows when no attention was kept). */
  attention: number[][];
}

interface Hypothesis extends BeamResult {
  logp: number;
  /** Row of the step that produced it. */
  row: number;
}

/**
 * Beam search with K hypotheses scored as a batch. Each step keeps the K best continuations by summed
 * log-probability; an end token ranked above the last of them finishes that hypothesis. The search stops when
 * the best continuation is an end token (counting K endings instead would stop early when unlikely prefixes end
 * first, as half-trained models' do), when no hypothesis is alive, or after maxLength tokens. The winner is the
 * finished hypothesis (or, if none finished, the live one) with the best log-probability / (length + 1).
 */
export function beamSearch(o: BeamSearchOptions): BeamResult {
  const { beamWidth: K, vocabSize: V, eos } = o;
  const stride = o.attentionStride ?? 0;
  const width = o.attentionWidth ?? stride;
  let hyps: Hypothesis[] = [{ ids: [], attention: [], logp: 0, row: 0 }];
  const finished: Hypothesis[] = [];
  for (let t = 0; t < o.maxLength && hyps.length > 0; t++) {
    const live = Array.from({ length: K }, (_, k) => hyps[Math.min(k, hyps.length - 1)]);
    const { logProbs: lp, attention: w } = o.next(live.map((h) => h.ids), Int32Array.from(live, (h) => h.row), t);
    const cands: { k: number; c: number; logp: number }[] = [];
    hyps.forEach((h, k) => {
      for (let c = eos; c < V; c++) cands.push({ k, c, logp: h.logp + lp[k * V + c] });
    });
    cands.sort((x, y) => y.logp - x.logp);
    const next: Hypothesis[] = [];
    for (const { k, c, logp } of cands) {
      const h = hyps[k];
      if (c === eos) {
        finished.push({ ids: h.ids, attention: h.attention, logp, row: k });
      } else {
        const row = w && stride > 0 ? Array.from({ length: width }, (_, i) => w[k * stride + i]) : [];
        next.push({ ids: [...h.ids, c], attention: [...h.attention, row], logp, row: k });
      }
      if (next.length === K) break;
    }
    hyps = next;
    if (cands[0].c === eos) break;
  }
  const pool = finished.length > 0 ? finished : hyps;
  pool.sort((x, y) => y.logp / (y.ids.length + 1) - x.logp / (x.ids.length + 1));
  return { ids: pool[0].ids, attention: pool[0].attention };
}
