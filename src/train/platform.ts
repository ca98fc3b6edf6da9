/**
 * The few platform globals the training code uses — UTF-8 text codecs and a millisecond clock — typed here,
 * because the browser-safe core is compiled without DOM or Node type declarations. Browsers and Node.js both
 * provide them.
 * @module
 */

interface Globals {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label?: string, opts?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string };
  performance?: { now(): number };
  Date: { now(): number };
}

const g = globalThis as unknown as Globals;

/** The UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return new g.TextEncoder().encode(text);
}

/** `bytes` decoded as UTF-8; with `fatal`, invalid UTF-8 throws a TypeError instead of becoming U+FFFD. */
export function utf8Decode(bytes: Uint8Array, fatal = false): string {
  return new g.TextDecoder('utf-8', { fatal }).decode(bytes);
}

/** A monotonic clock in milliseconds (`performance.now()`, or `Date.now()` where there is none). */
export function nowMs(): number {
  return g.performance ? g.performance.now() : g.Date.now();
}
