/**
 * Suite evaluation of the fused ranking: every dataset side by side under the built-in weights, under
 * fusion weights fitted on the fit cases of all datasets, and leave-one-dataset-out (LODO): weights
 * fitted on the fit cases of the *other* datasets only, so each figure is on a system the fit never saw.
 * Test cases are never used to fit. Pure given the analyses.
 */
import { accuracy, type Accuracy } from './accuracy.js';
import { rankingConfidence } from './confidence.js';
import type { StatedCase } from './confidence-levels.js';
import {
  fitFusion,
  prepareCases,
  rankUnder,
  scoresUnder,
  truthRank,
  type FitCase,
  type PreparedCase,
} from './fit-fusion.js';
import { rankedBefore } from './rank-order.js';
import { HAND_SET_FUSION, type Component, type RcaWeights } from './weights.js';

/** One dataset's cases, split into those that may fit weights and those reported. */
export interface SuiteData {
  name: string;
  fit: readonly (FitCase & { name: string })[];
  test: readonly (FitCase & { name: string })[];
}

/** One row of the side-by-side table. */
export interface SuiteRow {
  dataset: string;
  builtIn: Accuracy;
  fitted: Accuracy;
  lodo: Accuracy;
  /** The weights the LODO column used (fitted without this dataset). */
  lodoFusion: Record<Component, number>;
  /** Rank of the true cause per test case under built-in / fitted / LODO weights. */
  ranks: Record<string, { builtIn: number; fitted: number; lodo: number }>;
  /** The built-in ranking on the fit cases: what a change may be judged on without reading a test case. */
  fitBuiltIn: Accuracy;
  /** Rank of the true cause per fit case under the built-in weights. */
  fitRanks: Record<string, number>;
  /** The built-in ranking's stated confidence (confidence.ts) and the truth's rank, per fit and test case. */
  stated: { fit: StatedCase[]; test: StatedCase[] };
}

function stated(cases: readonly FitCase[], prepared: readonly PreparedCase[], w: RcaWeights['fusion']): StatedCase[] {
  return prepared.map((p, k) => {
    const score = scoresUnder(p, w);
    const top = [...score].sort((x, y) => y - x).slice(0, 2);
    const a = cases[k].analysis;
    const first = firstSuspect(p.nodes, score);
    return { confidence: rankingConfidence(a, top, { top: first }).confidence, rank: truthRank(p, score) };
  });
}

/** The node ranked first: the highest score, ties broken by name as the ranking breaks them. */
function firstSuspect(nodes: readonly string[], score: Float64Array): string {
  let best = 0;
  for (let j = 1; j < nodes.length; j++) if (rankedBefore(nodes, score, j, best)) best = j;
  return nodes[best];
}

export interface SuiteResult {
  rows: SuiteRow[];
  /** Fusion weights fitted on the fit cases of every dataset (the "one setting for all"). */
  fitted: Record<Component, number>;
}

/** Evaluates the suite. `weights` are the built-in weights; fits start from HAND_SET_FUSION (see weights.ts). */
export function evaluateSuite(data: readonly SuiteData[], weights: RcaWeights, seed = 1): SuiteResult {
  const fitSets = data.map((d) => prepareCases(d.fit, weights, seed));
  const testSets = data.map((d) => prepareCases(d.test, weights, seed));
  const all = fitFusion(
    fitSets.filter((s) => s.length > 0),
    HAND_SET_FUSION,
  ).fusion;
  const rows = data.map((d, i): SuiteRow => {
    const others = fitSets.filter((s, k) => k !== i && s.length > 0);
    const lodo = others.length > 0 ? fitFusion(others, HAND_SET_FUSION).fusion : { ...HAND_SET_FUSION };
    const ranksOf = (w: Record<Component, number>) => testSets[i].map((p: PreparedCase) => rankUnder(p, w));
    const b = ranksOf(weights.fusion),
      f = ranksOf(all),
      l = ranksOf(lodo);
    const ranks: SuiteRow['ranks'] = {};
    d.test.forEach((c, k) => (ranks[c.name] = { builtIn: b[k], fitted: f[k], lodo: l[k] }));
    const fitStated = stated(d.fit, fitSets[i], weights.fusion);
    return {
      dataset: d.name,
      builtIn: accuracy(b),
      fitted: accuracy(f),
      lodo: accuracy(l),
      lodoFusion: lodo,
      ranks,
      fitBuiltIn: accuracy(fitStated.map((c) => c.rank)),
      fitRanks: Object.fromEntries(d.fit.map((c, k) => [c.name, fitStated[k].rank])),
      stated: { fit: fitStated, test: stated(d.test, testSets[i], weights.fusion) },
    };
  });
  return { rows, fitted: all };
}
