/**
 * Words for word2vec_train: Moby Dick (the lstm_train text, see text.ts) cut into paragraphs at blank lines and
 * each paragraph into words by text.WordTokenizer's defaults (lower-case, punctuation dropped), as
 * examples/word2vec-moby-dick.ts does. The parent process writes them to a file, one paragraph a line and the words
 * separated by single spaces (a word never holds white space), and every runner, gensim included, trains on that
 * file, so all of them see the very same tokens.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { text } from '../../src/index.js';
import { readMobyDick } from './text.js';

/** The non-empty paragraphs of `source` as lists of words. */
export function paragraphWords(source: string): string[][] {
  const tokenizer = new text.WordTokenizer();
  return source.split(/\n\s*\n/).map((p) => tokenizer.tokenize(p)).filter((s) => s.length > 0);
}

/** Moby Dick's paragraphs as lists of words. */
export function mobyDickSentences(): string[][] {
  return paragraphWords(readMobyDick());
}

/** Writes `sentences` to `path`, one a line; returns how many sentences and words there are. */
export function writeSentences(path: string, sentences: readonly (readonly string[])[]): { sentences: number; words: number } {
  writeFileSync(path, sentences.map((s) => s.join(' ')).join('\n') + '\n');
  return { sentences: sentences.length, words: sentences.reduce((a, s) => a + s.length, 0) };
}

/** Reads sentences written by writeSentences. */
export function readSentences(path: string): string[][] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split(' '));
}
