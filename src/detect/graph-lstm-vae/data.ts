/** Plain-array preparation for the GraphLSTM-VAE: normalised adjacency, standardisation, windows. */
import { mulberry32 } from '../../util/seeded-random.js';

/** Per node-and-feature standardisation learnt from normal data; std 0 marks a column seen too rarely to learn (held at 0). */
export interface Standardiser {
  mean: Float32Array;
  std: Float32Array;
}

/** A column needs this share of the training steps observed (and at least 10 samples) to be learnt. */
export const MIN_OBSERVED = 0.1;

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
 * floored so constant training series stay finite; a column observed in fewer than MIN_OBSERVED of
 * the steps gets std 0 (unknown: standardised to 0, as a node unseen in training is). Pure.
 */
export function fitStandardiser(
  values: Float32Array,
  steps: number,
  width: number,
  use: (t: number) => boolean = () => true,
): Standardiser {
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  const used = Array.from({ length: steps }, (_, t) => t).filter(use);
  for (let k = 0; k < width; k++) {
    let s = 0;
    let s2 = 0;
    let c = 0;
    for (const t of used) {
      const v = values[t * width + k];
      if (Number.isNaN(v)) continue;
      s += v;
      s2 += v * v;
      c++;
    }
    const m = c > 0 ? s / c : 0;
    const variance = c > 1 ? Math.max(0, s2 / c - m * m) : 0;
    mean[k] = m;
    std[k] = c < Math.max(10, MIN_OBSERVED * used.length) ? 0 : Math.max(Math.sqrt(variance), 1e-3 * Math.abs(m), 1e-6);
  }
  return { mean, std };
}

/**
 * Standardises [T·W] values column by column with `st` (column k uses st[colMap[k]]; −1 or a column
 * with std 0 = unknown, set to 0), fills gaps with the last seen value (0 before any), and clips to
 * ±CLIP. Pure.
 */
export function standardise(values: Float32Array, steps: number, colMap: Int32Array, st: Standardiser): Float32Array {
  const width = colMap.length;
  const out = new Float32Array(steps * width);
  for (let k = 0; k < width; k++) {
    const src = colMap[k] >= 0 && st.std[colMap[k]] > 0 ? colMap[k] : -1;
    let last = 0;
    for (let t = 0; t < steps; t++) {
      const v = values[t * width + k];
      if (src >= 0 && !Number.isNaN(v)) last = Math.max(-CLIP, Math.min(CLIP, (v - st.mean[src]) / st.std[src]));
      out[t * width + k] = src >= 0 ? last : 0;
    }
  }
  return out;
}

/** Which steps are held out for validation: blocks of `block` steps, every `every`-th one (from the `phase`-th). */
export interface ValidationBlocks {
  block: number;
  every: number;
  phase: number;
}

/**
 * Interleaved validation blocks over `steps`: about `share` of the data in blocks long enough for a
 * window, spread over the whole span so validation sees the same times of day as training (a
 * time-ordered split of one day would validate on hours the model never saw). Pure.
 */
export function validationBlocks(steps: number, window: number, share: number): ValidationBlocks {
  const every = Math.max(2, Math.round(1 / Math.max(share, 1e-6)));
  return { block: Math.max(window + 6, Math.round(steps / (2 * every))), every, phase: every >> 1 };
}

/** True when step `t` is held out by `v`. Pure. */
export const isValidationStep = (v: ValidationBlocks, t: number) => Math.floor(t / v.block) % v.every === v.phase;

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

/**
 * Removes the level jumps at `breaks` (step indices where the stream jumps in time) from [T·W]
 * values, column by column: every value from a break on is shifted so that the first finite value
 * after it equals the mean of the last `depth` finite values before it. The model then sees one
 * continuous stream whose level was re-anchored at the jump, as the cheap detectors do. Pure.
 */
export function spliceBreaks(
  values: Float32Array,
  steps: number,
  width: number,
  breaks: readonly number[],
  depth = 10,
): Float32Array {
  const out = Float32Array.from(values);
  for (const b of [...breaks].sort((p, q) => p - q)) {
    if (b <= 0 || b >= steps) continue;
    for (let k = 0; k < width; k++) {
      let sum = 0;
      let cnt = 0;
      for (let t = b - 1; t >= 0 && cnt < depth; t--) {
        const v = out[t * width + k];
        if (!Number.isNaN(v)) {
          sum += v;
          cnt++;
        }
      }
      let first = NaN;
      for (let t = b; t < steps && Number.isNaN(first); t++) first = out[t * width + k];
      if (cnt === 0 || Number.isNaN(first)) continue;
      const shift = sum / cnt - first;
      for (let t = b; t < steps; t++) out[t * width + k] += shift;
    }
  }
  return out;
}
