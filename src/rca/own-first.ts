/**
 * A first suspect that shows nothing of its own yields to one that does. The fused score leans on the
 * graph (the walk and traversal start at the alarm), so the alarm's own service, or a caller on the way,
 * can top a ranking on what it serves or calls alone. On the suite's fit cases such a first suspect
 * (own state known and below `ownlessBelow`: confidence.ts) was wrong 8 times in 8, while one whose own
 * state reached the anomalous z was right 186 times in 192. So when the first suspect's workload is
 * ownless and a candidate of another workload further down shows an own anomaly (its CPU, memory or
 * restarts beyond their quiet range, its logs, its trace shift or its calls per request:
 * analyse-case.ts ownState), the best-ranked such candidate is put just above it; the rest keep their
 * order. A suspect engineers confirmed before (`vouched`: a positive prior) is not moved: feedback never
 * lowers a confirmed cause. Pure.
 */
import { DEFAULTS as ANALYSIS, type CaseAnalysis } from './analyse-case.js';
import { DEFAULTS as CONFIDENCE } from './confidence.js';
import { firstRanked, placeJustAbove } from './rank-order.js';

/** Raises, in place, the best-ranked candidate with an own anomaly just above an ownless first suspect. */
export function ownFirst(
  a: { nodes: readonly string[] } & Pick<CaseAnalysis, 'ownState' | 'workload'>,
  score: Float64Array,
  vouched: (node: number) => boolean,
): Float64Array {
  const own = a.ownState;
  const n = score.length;
  if (!own || n < 2) return score;
  const top = firstRanked(a.nodes, score);
  if (vouched(top)) return score;
  // The first suspect's workload shows what any of its nodes shows (a Service, its Pods, its Deployment).
  const workload = (j: number) => a.workload?.[j] ?? j;
  let topOwn: number | null = null;
  for (let j = 0; j < n; j++) {
    const v = own[j];
    if (workload(j) === workload(top) && typeof v === 'number') topOwn = Math.max(topOwn ?? 0, v);
  }
  if (topOwn === null || topOwn >= CONFIDENCE.ownlessBelow) return score;
  const best = firstRanked(
    a.nodes,
    score,
    (j) => workload(j) !== workload(top) && (own[j] ?? 0) >= ANALYSIS.anomalousZ,
  );
  if (best >= 0) placeJustAbove(score, best, top);
  return score;
}
