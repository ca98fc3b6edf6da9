/**
 * Request rate limits per client address: a token bucket holding up to `rate` tokens, refilled at `rate` per
 * second, one token per request; an empty bucket means 429 with the seconds until the next token.
 * @module
 */
import { ValueError } from '../errors.js';

/** Token buckets by client key (the remote address). Buckets that have filled up again are forgotten. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  /** `perSecond` requests per second and client, in bursts of up to max(1, perSecond). */
  constructor(readonly perSecond: number, private readonly now: () => number = () => performance.now() / 1000) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new ValueError(`RateLimiter: perSecond must be a positive number, got ${perSecond}`);
    this.burst = Math.max(1, perSecond);
  }

  /** Takes a token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key);
    const tokens = b ? Math.min(this.burst, b.tokens + (t - b.at) * this.perSecond) : this.burst;
    if (tokens < 1) {
      if (b) Object.assign(b, { tokens, at: t });
      return (1 - tokens) / this.perSecond;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    if (this.buckets.size > 10000) this.prune(t);
    return 0;
  }

  /** Drops the buckets that are full again (their clients have been quiet long enough), bounding memory. */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * this.perSecond >= this.burst) this.buckets.delete(k);
  }
}
