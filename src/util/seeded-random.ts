/**
 * mulberry32: a tiny seeded 32-bit generator (Tommy Ettinger, public domain) returning uniforms in
 * [0, 1). Same seed, same stream; the one source of seeded randomness for walks, shuffles, the
 * simulator and tests. Good for Monte Carlo, not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
