/**
 * PC-style skeleton discovery (Spirtes, Glymour, Scheines, "Causation, Prediction, and Search", 2000;
 * the PC algorithm's adjacency phase): start from the complete graph over entities and remove an
 * edge when the two are independent (Fisher-z test on Pearson / first-order partial correlation).
 * Only orders 0 and 1 are tested, which keeps it O(n³) and bounded; the result is undirected.
 */
import { pearson } from './robust.js';

export const DEFAULTS = {
  /** Two-sided critical value of the Fisher-z test (1.96 ≈ α = 0.05). */
  zCritical: 1.96,
  /** Highest conditioning-set size tested (0 or 1). */
  maxOrder: 1,
  /** Above this many variables only order 0 runs (order 1 is cubic). */
  maxNodesForOrder1: 300,
};

/**
 * Undirected skeleton over `columns` (one representative series per node, equal length, NaN = missing).
 * Returns pairs [i, j] with i < j. Pure and deterministic.
 */
export function pcSkeleton(
  columns: readonly Float64Array[],
  opts: Partial<typeof DEFAULTS> = {},
): Array<[number, number]> {
  const o = { ...DEFAULTS, ...opts };
  const n = columns.length;
  const len = columns[0]?.length ?? 0;
  const r = new Float64Array(n * n);
  const adj = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = pearson(columns[i], columns[j]);
      r[i * n + j] = r[j * n + i] = c;
      if (dependent(c, len, 0, o.zCritical)) adj[i * n + j] = adj[j * n + i] = 1;
    }
  }
  if (o.maxOrder >= 1 && n <= o.maxNodesForOrder1) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!adj[i * n + j]) continue;
        for (let k = 0; k < n; k++) {
          if (k === i || k === j || !(adj[i * n + k] || adj[j * n + k])) continue;
          const rik = r[i * n + k],
            rjk = r[j * n + k];
          const den = Math.sqrt(Math.max(1e-12, (1 - rik * rik) * (1 - rjk * rjk)));
          const partial = (r[i * n + j] - rik * rjk) / den;
          if (!dependent(partial, len, 1, o.zCritical)) {
            adj[i * n + j] = adj[j * n + i] = 0;
            break;
          }
        }
      }
    }
  }
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (adj[i * n + j]) out.push([i, j]);
  return out;
}

// Fisher z-transform of a (partial) correlation with `order` conditioning variables.
function dependent(rho: number, samples: number, order: number, zCritical: number): boolean {
  const dof = samples - order - 3;
  if (dof <= 0) return false;
  const c = Math.min(0.999999, Math.abs(rho));
  return 0.5 * Math.log((1 + c) / (1 - c)) * Math.sqrt(dof) > zCritical;
}
