/**
 * The rules that may move the first suspect after the fusion, in their order: one that shows nothing
 * of its own yields (own-first.ts), then one its callers cannot feel yields (felt-first.ts). The
 * ranking and the weight fitting both settle the first suspect here, so they cannot drift apart. Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';
import { feltFirst } from './felt-first.js';
import { ownFirst } from './own-first.js';

export function settleFirstSuspect(
  a: { nodes: readonly string[] } & Pick<CaseAnalysis, 'ownState' | 'felt' | 'workload'>,
  score: Float64Array,
  vouched: (node: number) => boolean,
): Float64Array {
  return feltFirst(a, ownFirst(a, score, vouched), vouched);
}
