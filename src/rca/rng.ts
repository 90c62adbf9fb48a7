import { mulberry32 } from '../util/seeded-random.js';

/** A uniform random source on [0, 1). Passed in everywhere so runs are deterministic. */
export type Rng = () => number;

/** A seeded stream for the walks (mulberry32): same seed, same ranking. */
export function seededRng(seed: number): Rng {
  return mulberry32(seed);
}
