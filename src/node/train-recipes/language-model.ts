/**
 * The language-model recipe of `shendu train charlm --dataset moby-dick`: the corpus as a stream of characters, its
 * last tenth held out, a character vocabulary built from the training part (characters seen only in the held-out
 * part map to `<unk>`), BPTT batches over both parts, and the metadata a run keeps so `shendu sample` can turn
 * symbols back into text.
 * @module
 */
import { BpttBatches } from '../../data/bptt.js';
import { ValueError } from '../../errors.js';
import type { CharLMOptions } from '../../models/sequence/charlm.js';
import { Vocab, type VocabJSON } from '../../text/vocab.js';
import { loadCorpus } from '../datasets/corpus.js';

/** Share of a corpus (its end) held out for validation. */
export const LM_HELD_OUT_FRACTION = 0.1;

/** Rows of the held-out stream during validation (as PyTorch's word_language_model example's eval batch size). */
export const LM_EVAL_ROWS = 10;

/** What a language-model run stores in its checkpoints' metadata. */
export interface LanguageRunInfo {
  /** Zoo model name ('charlm'). */
  model: string;
  /** Options it was built with. */
  modelOptions: CharLMOptions;
  /** 'language-model'. */
  task: 'language-model';
  /** The corpus name. */
  dataset: string;
  /** The character vocabulary (index = symbol). */
  vocab: VocabJSON;
  /** Steps per training batch. */
  seqLen: number;
  /** Parallel rows of the training stream. */
  batchSize: number;
  /** The corpus's first characters used (`--limit`), or null for all. */
  limit: number | null;
}

/** A corpus ready for a language model: the vocabulary and BPTT batches of the training and held-out parts. */
export interface PreparedCorpus {
  /** Characters of the training part, with `<unk>` first. */
  vocab: Vocab;
  /** Training batches. */
  train: BpttBatches;
  /** Held-out batches. */
  val: BpttBatches;
  /** Characters in the corpus, and in its held-out part. */
  counts: { total: number; heldOut: number };
}

/** Reads corpus `name` (its first `limit` characters when given), holds out the last tenth, cuts both parts into BPTT batches. */
export function prepareCorpus(name: string, opts: { batchSize: number; seqLen: number; limit?: number }): PreparedCorpus {
  const all = Array.from(loadCorpus(name));
  const chars = opts.limit === undefined ? all : all.slice(0, opts.limit);
  const cut = Math.floor(chars.length * (1 - LM_HELD_OUT_FRACTION));
  if (cut < 2 * opts.batchSize || chars.length - cut < 2 * LM_EVAL_ROWS) throw new ValueError(`train: corpus '${name}' (${chars.length} characters${opts.limit === undefined ? '' : ' used'}) is too short for ${opts.batchSize} training rows and ${LM_EVAL_ROWS} held-out rows of at least 2 characters`);
  const trainChars = chars.slice(0, cut);
  const vocab = Vocab.build([trainChars], { specials: ['<unk>'] });
  return {
    vocab,
    train: new BpttBatches(vocab.encode(trainChars), { batchSize: opts.batchSize, seqLen: opts.seqLen }),
    val: new BpttBatches(vocab.encode(chars.slice(cut)), { batchSize: LM_EVAL_ROWS, seqLen: opts.seqLen }),
    counts: { total: chars.length, heldOut: chars.length - cut },
  };
}
