/**
 * Seeded matrices for the host linear algebra tests: mulberry32 draws, uniform in [−0.5, 0.5) or small integers
 * in −2..2 (ties and exact zeros for the pivoting tests).
 */

/** `n` seeded draws, row-major as the caller lays them out. */
export function randomHost(n: number, seed: number, integers = false): Float64Array {
  let x = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return integers ? Math.floor(u * 5) - 2 : u - 0.5;
  });
}
