/**
 * Seeded random numbers: a `Generator` (xoshiro128** seeded through splitmix32) and the global default one
 * that `manualSeed` resets. Every random op takes an optional generator and otherwise uses the default.
 * @module
 */
import { ValueError } from '../errors.js';
import { fillUniform, rotl } from '../backend/cpu/random.js';

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** An independent stream of pseudo-random numbers; the same seed gives the same stream on every platform. */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seed = 0;

  /** Creates a generator seeded with `seed` (default: the current time). */
  constructor(seed: number = Date.now()) {
    this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (an integer; up to 2^53 is used in full). Returns this generator. */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new ValueError(`manualSeed: seed must be a safe integer, got ${seed}`);
    this.seed = seed;
    const hi = Math.floor(Math.abs(seed) / 2 ** 32);
    const st = { s: (seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d) ^ (seed < 0 ? 0x5bd1e995 : 0) };
    this.s0 = splitmix32(st);
    this.s1 = splitmix32(st);
    this.s2 = splitmix32(st);
    this.s3 = splitmix32(st);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.seed;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Fills `out` with uniform samples in [0, 1): the numbers `random()` would return one after another (rounded to
   * float32 when `out` is a Float32Array), drawn with the state in local variables — several times faster than
   * calling `random()` per element. Each sample takes two words of `nextUint32()`'s stream: the high 27 bits of
   * the first, then the high 26 of the second.
   */
  fillRandom(out: Float64Array | Float32Array): void {
    const state = this.stateWords();
    fillUniform(state, out);
    this.setStateWords(state);
  }

  /**
   * The four xoshiro128** state words, for kernels that draw in bulk (`Kernels.bernoulliMask`, `fillUniform`): they
   * advance the copy, and `setStateWords` makes the generator continue from there.
   */
  stateWords(): Int32Array {
    return Int32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Continues the stream from `words` (four state words a bulk draw advanced; see `stateWords`). */
  setStateWords(words: Int32Array): void {
    if (words.length !== 4 || (words[0] | words[1] | words[2] | words[3]) === 0) {
      throw new ValueError(`setStateWords: expected 4 state words, not all zero, got [${Array.from(words).join(', ')}]`);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /**
   * Fills `out` with standard normal samples: the numbers `normal()` would return one after another (its spare
   * value first, and the last pair's second value kept as the spare, as `normal()` leaves it), with the uniforms
   * drawn in bulk by `fillRandom`, a bounded block at a time. A zero first uniform (probability 2^-53) is skipped
   * exactly as `normal()` skips it, the extra uniform coming from the stream right after the block.
   */
  fillNormal(out: Float64Array | Float32Array): void {
    let i = 0;
    if (out.length > 0 && this.spare !== null) {
      out[i++] = this.spare;
      this.spare = null;
    }
    const block = new Float64Array(Math.min(2 * Math.ceil((out.length - i) / 2), 1 << 16));
    while (i < out.length) {
      const u = block.subarray(0, Math.min(block.length, 2 * Math.ceil((out.length - i) / 2)));
      this.fillRandom(u);
      let k = 0;
      const take = (): number => (k < u.length ? u[k++] : this.random());
      for (let p = 0; p < u.length / 2; p++, i += 2) {
        let a = take();
        while (a === 0) a = take();
        const r = Math.sqrt(-2 * Math.log(a));
        const angle = 2 * Math.PI * take();
        out[i] = r * Math.cos(angle);
        if (i + 1 < out.length) out[i + 1] = r * Math.sin(angle);
        else this.spare = r * Math.sin(angle);
      }
    }
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /** Standard normal sample (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** The full internal state, for checkpoints. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, this.spare ?? NaN, this.seed];
  }

  /** Restores a state returned by `getState`. */
  setState(state: readonly number[]): void {
    if (!Array.isArray(state) || state.length !== 6) {
      throw new ValueError(`Generator.setState: expected the 6-number array getState returns, got ${JSON.stringify(state)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = state.slice(0, 4).map((v) => v | 0);
    this.spare = Number.isNaN(state[4]) ? null : state[4];
    this.seed = state[5];
  }
}

/** The generator random ops use when none is passed. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, making every later random op reproducible. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
