/**
 * Tokenizers: text to a list of string tokens. `WordTokenizer` splits into words (letters and digits, with inner
 * apostrophes and hyphens kept as one word: "don't", "sea-captain"), lower-cased by default, with punctuation
 * dropped or kept as one-character tokens; `CharTokenizer` splits into Unicode code points.
 * @module
 */
import { ValueError, assertNever } from '../errors.js';

/** What a word tokenizer does with punctuation: 'drop' it (default) or 'keep' each mark as a token of its own. */
export type PunctuationMode = 'drop' | 'keep';

/** Options of WordTokenizer. */
export interface WordTokenizerOptions {
  /** Lower-case the text first (default true). */
  lower?: boolean;
  /** 'drop' (default) or 'keep' punctuation marks as one-character tokens. */
  punctuation?: PunctuationMode;
  /** Keep inner apostrophes and hyphens inside a word ("don't", "sea-captain") (default true); false splits there. */
  joinInner?: boolean;
}

/** Options of CharTokenizer. */
export interface CharTokenizerOptions {
  /** Lower-case the text first (default false). */
  lower?: boolean;
}

/** A function from text to tokens, with the options that made it. */
export interface Tokenizer {
  /** The tokens of `text`. */
  tokenize(text: string): string[];
}

function checkString(where: string, text: unknown): string {
  if (typeof text !== 'string') throw new ValueError(`${where}: text must be a string, got ${text === null ? 'null' : typeof text}`);
  return text;
}

function checkBool(where: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ValueError(`${where}: ${name} must be a boolean, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

// A word is a run of letters, marks and digits; with joinInner, runs joined by a single apostrophe (' or ’) or
// hyphen stay one word. Punctuation is any other non-space character.
const WORD_JOINED = String.raw`[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*`;
const WORD_PLAIN = String.raw`[\p{L}\p{M}\p{N}]+`;

/** Splits text into words: `new WordTokenizer({lower: true, punctuation: 'keep'}).tokenize("Call me, Ishmael.")` is ['call', 'me', ',', 'ishmael', '.']. */
export class WordTokenizer implements Tokenizer {
  /** Whether the text is lower-cased. */
  readonly lower: boolean;
  /** What happens to punctuation. */
  readonly punctuation: PunctuationMode;
  /** Whether inner apostrophes and hyphens join a word. */
  readonly joinInner: boolean;
  private readonly pattern: RegExp;

  /** Creates the tokenizer. */
  constructor(opts: WordTokenizerOptions = {}) {
    const where = 'WordTokenizer';
    this.lower = checkBool(where, 'lower', opts.lower, true);
    this.joinInner = checkBool(where, 'joinInner', opts.joinInner, true);
    const p = opts.punctuation ?? 'drop';
    if (p !== 'drop' && p !== 'keep') throw new ValueError(`${where}: punctuation must be 'drop' or 'keep', got ${JSON.stringify(p)}`);
    this.punctuation = p;
    const word = this.joinInner ? WORD_JOINED : WORD_PLAIN;
    let source: string;
    switch (p) {
      case 'drop':
        source = word;
        break;
      case 'keep':
        source = `${word}|[^\\s\\p{L}\\p{M}\\p{N}]`;
        break;
      default:
        assertNever(p, 'punctuation mode');
    }
    this.pattern = new RegExp(source, 'gu');
  }

  /** The words (and, with punctuation 'keep', the marks) of `text`, in order. */
  tokenize(text: string): string[] {
    const t = checkString('WordTokenizer.tokenize', text);
    return (this.lower ? t.toLowerCase() : t).match(this.pattern) ?? [];
  }
}

/** Splits text into characters (Unicode code points, so an emoji or an astral letter is one token). */
export class CharTokenizer implements Tokenizer {
  /** Whether the text is lower-cased. */
  readonly lower: boolean;

  /** Creates the tokenizer. */
  constructor(opts: CharTokenizerOptions = {}) {
    this.lower = checkBool('CharTokenizer', 'lower', opts.lower, false);
  }

  /** The characters of `text`. */
  tokenize(text: string): string[] {
    const t = checkString('CharTokenizer.tokenize', text);
    return Array.from(this.lower ? t.toLowerCase() : t);
  }
}

/** Shorthand for `new WordTokenizer(opts).tokenize(text)`. */
export function tokenizeWords(text: string, opts: WordTokenizerOptions = {}): string[] {
  return new WordTokenizer(opts).tokenize(text);
}

/** Shorthand for `new CharTokenizer(opts).tokenize(text)`. */
export function tokenizeChars(text: string, opts: CharTokenizerOptions = {}): string[] {
  return new CharTokenizer(opts).tokenize(text);
}
