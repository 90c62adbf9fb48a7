/**
 * A first suspect that shows nothing of its own yields to one that does. The fused score leans on the
 * graph (the walk and traversal start at the alarm), so the alarm's own service, or a caller on the way,
 * can top a ranking on what it serves or calls alone. On the suite's fit cases such a first suspect
 * (own state known and below `ownlessBelow`: confidence.ts) was wrong 8 times in 8, while one whose own
 * state reached the anomalous z was right 186 times in 192. So when the first suspect is ownless and a
 * candidate further down shows an own anomaly (its CPU, memory or restarts beyond their quiet range, its
 * logs, its trace shift or its calls per request: analyse-case.ts ownState), the best-ranked such
 * candidate is put first; the rest keep their order. A suspect engineers confirmed before (a positive
 * prior) is not moved: feedback never lowers a confirmed cause. Pure.
 */
import { DEFAULTS as ANALYSIS, type CaseAnalysis } from './analyse-case.js';
import { DEFAULTS as CONFIDENCE } from './confidence.js';

/** Raises, in place, the best-ranked candidate with an own anomaly just above an ownless first suspect. */
export function ownFirst(
  a: Pick<CaseAnalysis, 'ownState' | 'graph'>,
  score: Float64Array,
  vouched: (node: number) => boolean,
): Float64Array {
  const own = a.ownState;
  if (!own || score.length < 2) return score;
  const names = a.graph.nodes;
  const above = (x: number, y: number) => score[x] > score[y] || (score[x] === score[y] && names[x] < names[y]);
  let top = 0;
  for (let j = 1; j < score.length; j++) if (above(j, top)) top = j;
  const topOwn = own[top];
  if (typeof topOwn !== 'number' || topOwn >= CONFIDENCE.ownlessBelow || vouched(top)) return score;
  let best = -1;
  for (let j = 0; j < score.length; j++)
    if (j !== top && (own[j] ?? 0) >= ANALYSIS.anomalousZ && (best < 0 || above(j, best))) best = j;
  // Just above: the scores stay on one scale, and the lead it takes is nil (its stated confidence is low).
  if (best >= 0) score[best] = score[top] + Math.max(1e-9, Math.abs(score[top]) * 1e-9);
  return score;
}
