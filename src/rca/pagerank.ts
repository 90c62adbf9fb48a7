/**
 * Personalised PageRank by power iteration (Page, Brin, Motwani, Winograd, "The PageRank Citation
 * Ranking", 1999; personalisation after Haveliwala, WWW 2002): x = d·Pᵀx + (1−d)·v, with dangling
 * mass sent to v. P is given as weighted sparse rows; each row is normalised here.
 */

export const DEFAULTS = {
  damping: 0.85,
  maxIterations: 100,
  /** Stop when the L1 change falls below this. */
  tolerance: 1e-10,
};

/** Weighted directed graph as sparse rows (weights ≥ 0, need not sum to 1). */
export interface WeightedRows {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  weights: Float64Array;
}

/**
 * Returns the PageRank vector (sums to 1). `preference` is the personalisation vector (≥ 0, any
 * scale; uniform when omitted or all zero). Pure and deterministic.
 */
export function pageRank(
  g: WeightedRows,
  preference?: Float64Array,
  opts: Partial<typeof DEFAULTS> = {},
): Float64Array {
  const o = { ...DEFAULTS, ...opts };
  const { n, rowStart, cols, weights } = g;
  const v = new Float64Array(n);
  let vs = 0;
  if (preference) for (let i = 0; i < n; i++) vs += Math.max(0, preference[i]);
  for (let i = 0; i < n; i++) v[i] = vs > 0 && preference ? Math.max(0, preference[i]) / vs : 1 / n;
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let e = rowStart[i]; e < rowStart[i + 1]; e++) rowSum[i] += weights[e];
  let x = Float64Array.from(v);
  let next = new Float64Array(n);
  for (let it = 0; it < o.maxIterations; it++) {
    next.fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (rowSum[i] <= 0) {
        dangling += x[i];
        continue;
      }
      const share = (o.damping * x[i]) / rowSum[i];
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) next[cols[e]] += share * weights[e];
    }
    const rest = 1 - o.damping + o.damping * dangling;
    let diff = 0;
    for (let i = 0; i < n; i++) {
      next[i] += rest * v[i];
      diff += Math.abs(next[i] - x[i]);
    }
    [x, next] = [next, x];
    if (diff < o.tolerance) break;
  }
  return x;
}

/** Builds WeightedRows from an edge list [from, to, weight]. */
export function rowsFromEdges(n: number, edges: ReadonlyArray<readonly [number, number, number]>): WeightedRows {
  const rowStart = new Int32Array(n + 1);
  for (const [a] of edges) rowStart[a + 1]++;
  for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(edges.length);
  const weights = new Float64Array(edges.length);
  for (const [a, b, w] of edges) {
    cols[fill[a]] = b;
    weights[fill[a]++] = w;
  }
  return { n, rowStart, cols, weights };
}
