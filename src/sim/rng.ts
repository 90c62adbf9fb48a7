/**
 * Seeded randomness for the simulator: mulberry32 (Tommy Ettinger's 32-bit generator, public domain)
 * and a string hash (FNV-1a 32) to derive independent streams per entity and purpose, so adding a
 * fault never shifts the noise of unrelated series.
 */
import { mulberry32 } from '../util/seeded-random.js';

/** A seeded generator: `next()` in [0, 1). */
export interface Rng {
  next(): number;
  /** Standard normal draw (Box–Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Picks one element uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** FNV-1a 32-bit hash of a string: the seed of a named stream. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 generator for `seed`, optionally salted with stream names. Pure: same input, same stream. */
export function createRng(seed: number, ...stream: Array<string | number>): Rng {
  const a = (hash32(`${seed}/${stream.join('/')}`) ^ (seed >>> 0)) >>> 0;
  let spare = NaN;
  const next = mulberry32(a);
  return {
    next,
    normal() {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      const u = Math.max(next(), 1e-12);
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Lowercase hex string of `bytes` random bytes (trace and span ids). */
export function hexId(rng: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += (Math.floor(rng.next() * 256) | 0x100).toString(16).slice(1);
  return s;
}

/** Kubernetes-style random suffix (`x2kqv`): consonants and digits, as the ReplicaSet controller uses. */
export function k8sSuffix(rng: Rng, n: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}
