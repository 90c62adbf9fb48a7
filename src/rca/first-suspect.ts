/**
 * The rule that may move the first suspect after the fusion: one that shows nothing of its own yields
 * (own-first.ts). The ranking and the weight fitting both settle the first suspect here, so they cannot
 * drift apart. A rule that made a calm first suspect yield to one in trouble was tried and taken out
 * (BENCHMARKS.md, session 23). Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';
import { ownFirst } from './own-first.js';

export function settleFirstSuspect(
  a: { nodes: readonly string[] } & Pick<CaseAnalysis, 'ownState' | 'workload'>,
  score: Float64Array,
  vouched: (node: number) => boolean,
): Float64Array {
  return ownFirst(a, score, vouched);
}
