/**
 * Fits the fusion weights across several datasets: an exhaustive search over a coarse simplex grid
 * (steps of 1/`grid`) of the weighted sum of normalised component scores, maximising the mean over
 * datasets (each dataset counts once, whatever its size) of (AC@1 + Avg@5) / 2. A component no training
 * case exercises (all its scores 0) keeps its prior share; one that is exercised keeps at least one grid
 * step; ties go to the weights closest (L1) to `prior`. The
 * per-case component scores are computed once, so a fit is cheap. Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';
import { componentScores, type ComponentScores } from './rank-root-causes.js';
import { ownFirst } from './own-first.js';
import { rankedBefore } from './rank-order.js';
import { seededRng } from './rng.js';
import { COMPONENTS, priorOf, type Component, type RcaWeights } from './weights.js';

export const DEFAULTS = {
  /** Grid resolution: weights are multiples of 1/grid summing to 1. */
  grid: 10,
  seed: 1,
};

/** One training case: its analysis and its true root cause. */
export interface FitCase {
  analysis: CaseAnalysis;
  rootCause: string;
}

/** Component scores of one case, ready for re-weighting. */
export interface PreparedCase {
  nodes: string[];
  comp: ComponentScores;
  /** Prior term per node (entity prior × stats), added as in rank-root-causes.ts `combine`. */
  prior: Float64Array;
  /** What rank-root-causes.ts `combine` reads after the sum (own-first.ts): own state, workloads, vouched nodes. */
  own: Pick<CaseAnalysis, 'ownState' | 'workload'>;
  vouched: Uint8Array;
  truth: number;
}

/** Computes each case's component scores under `weights` (the walk runs once per case). */
export function prepareCases(cases: readonly FitCase[], weights: RcaWeights, seed = DEFAULTS.seed): PreparedCase[] {
  return cases.map((c) => {
    const a = c.analysis;
    const comp = componentScores(a, weights, 'fused', seededRng(seed));
    const prior = Float64Array.from(a.graph.nodes, (e, j) => priorOf(weights, e) * comp.stats[j]);
    const vouched = Uint8Array.from(a.graph.nodes, (e) => (priorOf(weights, e) > 0 ? 1 : 0));
    const own = { ownState: a.ownState, workload: a.workload };
    return { nodes: a.graph.nodes, comp, prior, own, vouched, truth: a.graph.index.get(c.rootCause) ?? -1 };
  });
}

/** Every node's final score under fusion weights `w` (as rank-root-causes.ts `combine` gives it). */
export function scoresUnder(p: PreparedCase, w: Readonly<Record<Component, number>>): Float64Array {
  const n = p.nodes.length;
  const score = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = p.prior[j];
    for (const c of COMPONENTS) s += w[c] * p.comp[c][j];
    score[j] = s;
  }
  return ownFirst({ nodes: p.nodes, ...p.own }, score, (j) => p.vouched[j] === 1);
}

/** 1-based rank of the truth under fusion weights `w` (0 when the truth is no candidate). */
export function rankUnder(p: PreparedCase, w: Readonly<Record<Component, number>>): number {
  return p.truth < 0 ? 0 : truthRank(p, scoresUnder(p, w));
}

/** 1-based rank of the truth given every node's `score` (ties broken by name, as the ranking does). */
export function truthRank(p: PreparedCase, score: Float64Array): number {
  if (p.truth < 0) return 0;
  const t = p.truth;
  let rank = 1;
  for (let j = 0; j < p.nodes.length; j++) if (j !== t && rankedBefore(p.nodes, score, j, t)) rank++;
  return rank;
}

/** The fit's objective on one dataset: (AC@1 + Avg@5) / 2. */
export function objective(ranks: readonly number[]): number {
  if (ranks.length === 0) return 0;
  let ac1 = 0,
    avg5 = 0;
  for (const r of ranks) {
    if (r === 1) ac1++;
    if (r >= 1 && r <= 5) avg5 += (6 - r) / 5;
  }
  return (ac1 + avg5) / 2 / ranks.length;
}

/** Result of a fit: the weights and the objective they reached on the training data. */
export interface FusionFit {
  fusion: Record<Component, number>;
  score: number;
}

/** Searches the grid for the fusion weights that rank best across `datasets` (prepared cases each). */
export function fitFusion(
  datasets: ReadonlyArray<readonly PreparedCase[]>,
  prior: Readonly<Record<Component, number>>,
  opts: Partial<typeof DEFAULTS> = {},
): FusionFit {
  const o = { ...DEFAULTS, ...opts };
  const priorSum = COMPONENTS.reduce((s, c) => s + prior[c], 0) || 1;
  // Only components some training case exercises are fitted; the others keep their prior share.
  const active = COMPONENTS.filter((c) => datasets.some((ds) => ds.some((p) => p.comp[c].some((x) => x > 0))));
  const fixed = COMPONENTS.filter((c) => !active.includes(c));
  const free = 1 - fixed.reduce((s, c) => s + prior[c] / priorSum, 0);
  let best: FusionFit = { fusion: { ...prior }, score: -1 };
  let bestDist = Infinity;
  // Every component the training data exercises keeps at least one grid step: evidence that is present
  // always counts a little, so a small training set cannot switch a modality off.
  for (const rest of compositions(o.grid - active.length, active.length)) {
    const parts = rest.map((x) => x + 1);
    const w = Object.fromEntries(COMPONENTS.map((c) => [c, prior[c] / priorSum])) as Record<Component, number>;
    active.forEach((c, i) => (w[c] = (free * parts[i]) / o.grid));
    let score = 0;
    for (const ds of datasets) score += objective(ds.map((p) => rankUnder(p, w)));
    score /= Math.max(1, datasets.length);
    const dist = COMPONENTS.reduce((s, c) => s + Math.abs(w[c] - prior[c] / priorSum), 0);
    if (score > best.score + 1e-12 || (Math.abs(score - best.score) <= 1e-12 && dist < bestDist)) {
      best = { fusion: w, score };
      bestDist = dist;
    }
  }
  return best;
}

// All ways to write `total` as an ordered sum of `parts` non-negative integers.
function* compositions(total: number, parts: number): Generator<number[]> {
  // No component to share out (no training case exercises any): one empty split, the prior stands.
  if (parts === 0) {
    yield [];
    return;
  }
  if (parts === 1) {
    yield [total];
    return;
  }
  for (let first = 0; first <= total; first++)
    for (const rest of compositions(total - first, parts - 1)) yield [first, ...rest];
}
