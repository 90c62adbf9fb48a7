/** Plain-array preparation for the GraphLSTM-VAE: normalised adjacency, standardisation, windows. */
import { mulberry32 } from '../../util/seeded-random.js';

/** Per node-and-feature standardisation learnt from normal data. */
export interface Standardiser {
  mean: Float32Array;
  std: Float32Array;
}

/** Input clip after standardisation: a flat training series must not turn a wiggle into 10⁶. */
export const CLIP = 10;

/**
 * Â = D^−½ (A + I) D^−½ over `nodes`, row-major [N·N]. Edges are made undirected (faults travel
 * both ways along a call) and edges naming unknown nodes are ignored. Pure.
 */
export function normalisedAdjacency(
  nodes: readonly string[],
  edges: ReadonlyArray<readonly [string, string]>,
): Float32Array {
  const n = nodes.length;
  const idx = new Map(nodes.map((s, i) => [s, i]));
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  for (const [s, t] of edges) {
    const i = idx.get(s);
    const j = idx.get(t);
    if (i === undefined || j === undefined || i === j) continue;
    a[i * n + j] = 1;
    a[j * n + i] = 1;
  }
  const deg = new Float32Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) deg[i] += a[i * n + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] /= Math.sqrt(deg[i] * deg[j]);
  return a;
}

/**
 * Mean and standard deviation per (node, feature) of `values` [T·N·F], ignoring NaN. The std is
 * floored so constant training series stay finite. Pure.
 */
export function fitStandardiser(values: Float32Array, steps: number, width: number): Standardiser {
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  for (let k = 0; k < width; k++) {
    let s = 0;
    let s2 = 0;
    let c = 0;
    for (let t = 0; t < steps; t++) {
      const v = values[t * width + k];
      if (Number.isNaN(v)) continue;
      s += v;
      s2 += v * v;
      c++;
    }
    const m = c > 0 ? s / c : 0;
    const variance = c > 1 ? Math.max(0, s2 / c - m * m) : 0;
    mean[k] = m;
    std[k] = Math.max(Math.sqrt(variance), 1e-3 * Math.abs(m), 1e-6);
  }
  return { mean, std };
}

/**
 * Standardises [T·W] values column by column with `st` (column k uses st[colMap[k]]; −1 = unknown
 * column, set to 0), fills gaps with the last seen value (0 before any), and clips to ±CLIP. Pure.
 */
export function standardise(values: Float32Array, steps: number, colMap: Int32Array, st: Standardiser): Float32Array {
  const width = colMap.length;
  const out = new Float32Array(steps * width);
  for (let k = 0; k < width; k++) {
    const src = colMap[k];
    let last = 0;
    for (let t = 0; t < steps; t++) {
      const v = values[t * width + k];
      if (src >= 0 && !Number.isNaN(v)) last = Math.max(-CLIP, Math.min(CLIP, (v - st.mean[src]) / st.std[src]));
      out[t * width + k] = src >= 0 ? last : 0;
    }
  }
  return out;
}

/**
 * Gathers windows ending at `ends` (exclusive end index) into per-step blocks laid out [N·B, F] —
 * node-major, so that a graph convolution is one [N,N]×[N, B·D] product. Returns W arrays.
 */
export function windowBlocks(
  x: Float32Array,
  opts: { nodes: number; features: number; window: number; ends: readonly number[] },
): Float32Array[] {
  const { nodes: n, features: f, window: w, ends } = opts;
  const b = ends.length;
  const blocks: Float32Array[] = [];
  for (let s = 0; s < w; s++) {
    const blk = new Float32Array(n * b * f);
    for (let bi = 0; bi < b; bi++) {
      const t = ends[bi] - w + s;
      for (let i = 0; i < n; i++) {
        const from = (t * n + i) * f;
        blk.set(x.subarray(from, from + f), (i * b + bi) * f);
      }
    }
    blocks.push(blk);
  }
  return blocks;
}

/** A seeded generator for shuffling and init seeds (mulberry32); deterministic per seed. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
