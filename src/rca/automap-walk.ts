/**
 * AutoMAP random walk (Ma, Chen, Wang, Lin, Zhang, Li, Pei, "AutoMAP: Diagnose Your Microservice-based
 * Web Applications Automatically", WWW 2020). From the front end, walk the behaviour graph:
 *   forward  p(i→j) = Σ_k w_k·W(i,j,k)·c(j,fe,k)/Σ_l c(l,fe,k)   for callees j of i,
 *   backward ρ·(the same attractiveness of j)                      for callers j of i,
 *   self     max(0, p_ii − max_j p(i→j)),
 * rows normalised. Second order: the move out of i depends on the move h → i that led there. The
 * AutoMAP paper's text was not available to us; we follow the reference implementation of its
 * predecessor from the same group (CloudRanger, Wang et al., CCGrid 2018, `relaToRank`), where the
 * weight of i → j given h is (1−β)·P(h→i) + β·P(i→j) (backward moves scaled by ρ; the self move keeps
 * its first-order weight). A strong previous hop spreads the walk over i's neighbours; a weak one
 * lets i's own correlations decide. Here `memory` = 1 − β. Nodes are ranked by visit frequency.
 * Seeded RNG.
 */
import type { Csr } from './behaviour-graph.js';
import type { Rng } from './rng.js';

export const DEFAULTS = {
  /** Backward move factor ρ. */
  rho: 0.2,
  /** Second-order memory 1 − β: weight of the previous hop's probability (0 = first-order walk). */
  memory: 0.7,
  /** Probability of jumping back to the restart vector at each step. */
  restart: 0.1,
  /** Total walk steps (visits counted); spread over walks of `walkLength`. */
  steps: 40_000,
  walkLength: 40,
};

/** The walk's inputs, all indexed by node. */
export interface WalkInput {
  n: number;
  out: Csr;
  in: Csr;
  /** The front end (entry) node. */
  start: number;
  /** Number of metric types K. */
  types: number;
  /** c[j·K + k] ≥ 0: |correlation| of node j's metric type k with the entry's anomalous SLI. */
  corr: Float64Array;
  /** w_k, length K. */
  weights: Float64Array;
  /** Optional node factor (statistical evidence), multiplies each node's attractiveness. */
  nodeFactor?: Float64Array;
  /** Optional restart (personalisation) distribution; default: all mass on `start`. */
  restartTo?: Float64Array;
}

/** Sparse transition rows: row i's targets cols[rowStart[i]..rowStart[i+1]) with probabilities. */
export interface Transitions {
  rowStart: Int32Array;
  cols: Int32Array;
  probs: Float64Array;
  /** Per entry: the factor the second-order term gets (1 forward, ρ backward, 0 self). */
  kind: Float64Array;
}

/** Per-node attractiveness Σ_k w_k·c(j,k)/Σ_l c(l,k), times the node factor. Pure. */
export function attractiveness(input: WalkInput): Float64Array {
  const { n, types: K, corr, weights } = input;
  const colSum = new Float64Array(K);
  for (let j = 0; j < n; j++) for (let k = 0; k < K; k++) colSum[k] += corr[j * K + k];
  const a = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) if (colSum[k] > 0) s += weights[k] * (corr[j * K + k] / colSum[k]);
    a[j] = input.nodeFactor ? s * input.nodeFactor[j] : s;
  }
  return a;
}

/** Builds AutoMAP's forward/backward/self transition rows. Pure. */
export function transitions(input: WalkInput, opts: Partial<typeof DEFAULTS> = {}): Transitions {
  const o = { ...DEFAULTS, ...opts };
  const a = attractiveness(input);
  const { n, out, in: inn } = input;
  const rowStart = new Int32Array(n + 1);
  const cols: number[] = [];
  const probs: number[] = [];
  const kind: number[] = [];
  for (let i = 0; i < n; i++) {
    const begin = cols.length;
    let maxFwd = 0;
    for (let e = out.offsets[i]; e < out.offsets[i + 1]; e++) {
      const j = out.targets[e];
      cols.push(j);
      probs.push(a[j]);
      kind.push(1);
      maxFwd = Math.max(maxFwd, a[j]);
    }
    for (let e = inn.offsets[i]; e < inn.offsets[i + 1]; e++) {
      const j = inn.targets[e];
      cols.push(j);
      probs.push(o.rho * a[j]);
      kind.push(o.rho);
    }
    cols.push(i);
    probs.push(Math.max(0, a[i] - maxFwd));
    kind.push(0);
    let sum = 0;
    for (let e = begin; e < cols.length; e++) sum += probs[e];
    // No signal anywhere around i: move uniformly among its neighbours (or stay when isolated).
    const m = cols.length - begin;
    for (let e = begin; e < cols.length; e++)
      probs[e] = sum > 0 ? probs[e] / sum : m === 1 ? 1 : cols[e] === i ? 0 : 1 / (m - 1);
    rowStart[i + 1] = cols.length;
  }
  return { rowStart, cols: Int32Array.from(cols), probs: Float64Array.from(probs), kind: Float64Array.from(kind) };
}

/**
 * Runs the second-order walk and returns visit frequencies (sum 1) per node. Deterministic for a
 * given `rng` stream. Visits are counted after each move (teleports are not counted), so the start is not favoured by fiat.
 */
export function walkVisits(input: WalkInput, rng: Rng, opts: Partial<typeof DEFAULTS> = {}): Float64Array {
  const o = { ...DEFAULTS, ...opts };
  const T = transitions(input, o);
  const restartCdf = cumulative(input.restartTo, input.n, input.start);
  const visits = new Float64Array(input.n);
  const weightsBuf = new Float64Array(maxRow(T));
  const walks = Math.max(1, Math.ceil(o.steps / o.walkLength));
  for (let w = 0; w < walks; w++) {
    let prev = -1;
    let cur = input.start;
    for (let s = 0; s < o.walkLength; s++) {
      if (rng() < o.restart) {
        // A teleport is not evidence: restart without counting the landing as a visit.
        prev = -1;
        cur = drawCdf(restartCdf, rng());
        continue;
      }
      const next = step(T, prev, cur, o.memory, rng(), weightsBuf);
      visits[next]++;
      prev = cur;
      cur = next;
    }
  }
  let total = 0;
  for (const v of visits) total += v;
  for (let i = 0; i < visits.length; i++) visits[i] /= total;
  return visits;
}

// One second-order step: weight of cur → x is memory·P(prev→cur)·kind(x) + (1 − memory)·P(cur→x).
function step(T: Transitions, prev: number, cur: number, memory: number, u: number, buf: Float64Array): number {
  const b = T.rowStart[cur],
    e = T.rowStart[cur + 1];
  let hop = 0;
  if (prev >= 0 && memory > 0)
    for (let x = T.rowStart[prev]; x < T.rowStart[prev + 1]; x++) if (T.cols[x] === cur) hop = T.probs[x];
  let sum = 0;
  for (let x = b; x < e; x++) {
    const p = hop > 0 ? memory * hop * T.kind[x] + (1 - memory) * T.probs[x] : T.probs[x];
    buf[x - b] = p;
    sum += p;
  }
  let target = u * sum;
  for (let x = b; x < e; x++) {
    target -= buf[x - b];
    if (target < 0) return T.cols[x];
  }
  return T.cols[e - 1];
}

/** Exact long-run visit frequencies of the first-order walk (memory 0) by power iteration; for checks. */
export function stationary(input: WalkInput, opts: Partial<typeof DEFAULTS> = {}, iterations = 500): Float64Array {
  const o = { ...DEFAULTS, ...opts };
  const T = transitions(input, o);
  const r = restartVector(input.restartTo, input.n, input.start);
  let pi = Float64Array.from(r);
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(input.n);
    for (let i = 0; i < input.n; i++) {
      next[i] += o.restart * r[i];
      for (let x = T.rowStart[i]; x < T.rowStart[i + 1]; x++) next[T.cols[x]] += (1 - o.restart) * pi[i] * T.probs[x];
    }
    pi = next;
  }
  // Visits count move landings only: (π − restart·r) / (1 − restart).
  const landed = new Float64Array(input.n);
  let sum = 0;
  for (let i = 0; i < input.n; i++) sum += landed[i] = Math.max(0, pi[i] - o.restart * r[i]);
  for (let i = 0; i < input.n; i++) landed[i] /= sum;
  return landed;
}

function restartVector(restartTo: Float64Array | undefined, n: number, start: number): Float64Array {
  const r = new Float64Array(n);
  let sum = 0;
  if (restartTo) for (let i = 0; i < n; i++) sum += Math.max(0, restartTo[i]);
  if (restartTo && sum > 0) for (let i = 0; i < n; i++) r[i] = Math.max(0, restartTo[i]) / sum;
  else r[start] = 1;
  return r;
}

function cumulative(restartTo: Float64Array | undefined, n: number, start: number): Float64Array {
  const r = restartVector(restartTo, n, start);
  for (let i = 1; i < n; i++) r[i] += r[i - 1];
  return r;
}

function drawCdf(cdf: Float64Array, u: number): number {
  let lo = 0,
    hi = cdf.length - 1;
  const target = u * cdf[cdf.length - 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function maxRow(T: Transitions): number {
  let m = 1;
  for (let i = 0; i + 1 < T.rowStart.length; i++) m = Math.max(m, T.rowStart[i + 1] - T.rowStart[i]);
  return m;
}
