/** A uniform random source on [0, 1). Passed in everywhere so runs are deterministic. */
export type Rng = () => number;

/**
 * mulberry32: a tiny seeded 32-bit generator (Tommy Ettinger, public domain). Same seed, same stream.
 * Good enough for Monte Carlo walks; not for cryptography.
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
