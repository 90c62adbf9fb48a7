/**
 * A first suspect its callers cannot feel yields to one they do. An alarm travels up the calls as
 * latency, errors or a crash; a service whose SLIs are measured and normal, and whose spans show no
 * shift, served its callers as it always does, so its own anomaly (a leak's growing memory, a burst of
 * GC warnings) is a bystander's, however large. When the first suspect's workload is such a calm one
 * and a candidate of another workload is in trouble (an SLI or its restarts beyond the anomalous z, or
 * its callers' logs reporting failed calls to it: analyse-case.ts `felt`), the best-ranked such candidate is put just above it;
 * the rest keep their order. On the suite's fit halves a calm first suspect with a troubled candidate
 * below it was wrong 2 times in 2, and no true cause was calm while another node was in trouble.
 * A suspect engineers confirmed before (`vouched`) is not moved: feedback never lowers a confirmed cause.
 * Known limit: a pod hogging its host while serving normally is calm by this reading, and its victims
 * are in trouble. Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';
import { calmByWorkload, FELT } from './node-states.js';
import { firstRanked, placeJustAbove } from './rank-order.js';

/** Raises, in place, the best-ranked troubled candidate just above a calm first suspect. */
export function feltFirst(
  a: { nodes: readonly string[] } & Pick<CaseAnalysis, 'felt' | 'workload'>,
  score: Float64Array,
  vouched: (node: number) => boolean,
): Float64Array {
  const felt = a.felt;
  if (!felt || score.length < 2) return score;
  const top = firstRanked(a.nodes, score);
  if (vouched(top)) return score;
  if (!calmByWorkload(felt, a.workload)[top]) return score;
  const workload = (j: number) => a.workload?.[j] ?? j;
  const best = firstRanked(a.nodes, score, (j) => workload(j) !== workload(top) && felt[j] === FELT.troubled);
  if (best >= 0) placeJustAbove(score, best, top);
  return score;
}
