/**
 * The limits' spellings on the command line: sizes such as `4mb` or `512KiB`, rates such as `100/s` or `600/min`.
 * @module
 */
import { ValueError } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses a byte size: `N`, `Nkb`, `Nmb` or `Ngb` (binary units; kib/mib/gib accepted), case-insensitive. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) throw new ValueError(`size: expected N, Nkb, Nmb or Ngb (at least 1 byte), got ${JSON.stringify(text)}`);
  return bytes;
}

/** Parses `N`, `N/s`, `N/m` or `N/min` (requests per second or per minute) to requests per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) throw new ValueError(`rate limit: expected N, N/s or N/min with N > 0 (requests per second or minute), got ${JSON.stringify(text)}`);
  return m[2] && m[2].startsWith('m') ? n / 60 : n;
}
