/**
 * Call-pattern shift, the trace side of Nezha's pattern changes (Yu et al., "Nezha: Interpretable
 * Fine-Grained Root Causes Analysis for Microservices on Multi-modal Observability Data", FSE 2023):
 * per operation, the share of its spans that call each child operation, window against normal. A code
 * change that returns early, takes another branch or adds a call moves these shares in the operation
 * that changed, while its latency and errors may stay as they were. Pure.
 * - Presence, not count: a cart of n items calls the catalogue n times; whether it calls at all is the pattern.
 * - For a pair (operation → child operation), a span with a failed child of another operation is left
 *   out: a caller that stops after a failed call changed its pattern because of the failure, which the
 *   error-origin evidence places.
 * - A drop in calls to another entity counts only while that child operation still records spans in the
 *   window: a callee that went down leaves no spans, and reads the same as a caller that stopped calling.
 * - Spans per side are capped at `tailEffectiveSpans`, as the latency tail test is (spans of one minute
 *   share their causes; a small drift in the mix is not a thousand independent draws).
 * - Spans that end in the last `settleS` of the data are not judged: a live read may hold a caller's span
 *   before its callees' spans arrive (exporters batch every few seconds and retry for up to 30 s).
 */
import type { ChildLists } from './reply-gaps.js';
import { proportionZ } from './robust.js';
import type { SpanIndex } from './span-index.js';

/** The knobs read (trace-shift.ts DEFAULTS documents them). */
export interface CallPatternOptions {
  minSpans: number;
  floor: number;
  tailEffectiveSpans: number;
  settleS: number;
}

/** One (operation → child operation) pair: the share of the operation's spans that call the child. */
export interface CallPatternPair {
  operation: number;
  child: number;
  normal: number;
  window: number;
  /** |two-proportion z| of the share, window against normal; 0 when not judged. */
  z: number;
}

/** Every pair, and per operation the index of its most shifted pair (−1 when none was judged). */
export interface CallPatternShift {
  pairs: CallPatternPair[];
  best: Int32Array;
}

/**
 * Judges every (operation → child operation) pair around `incidentStartNs`. Client spans (`wire`) are
 * not judged as callers: their one child is the callee's span, whose absence is the callee's.
 */
export function callPatternShift(
  ix: SpanIndex,
  lists: ChildLists,
  wire: Uint8Array,
  incidentStartNs: number,
  o: CallPatternOptions,
): CallPatternShift {
  const counts = countPairs(ix, lists, wire, incidentStartNs, o.settleS * 1e9);
  const nOps = ix.operationNames.length;
  const best = new Int32Array(nOps).fill(-1);
  const pairs = counts.pairOp.map((op, k): CallPatternPair => {
    const child = counts.pairChild[k];
    const all = [0, 1].map((s) => counts.clean[2 * op + s] + counts.alone[2 * k + s]);
    const hits = [0, 1].map((s) => counts.present[2 * k + s]);
    const share = (s: number) => (all[s] > 0 ? hits[s] / all[s] : 0);
    const pair = { operation: op, child, normal: share(0), window: share(1), z: 0 };
    if (all[0] < o.minSpans || all[1] < o.minSpans) return pair;
    const stillRecorded =
      ix.operationEntity[child] === ix.operationEntity[op] || counts.spans[2 * child + 1] >= o.minSpans;
    if (pair.window < pair.normal && !stillRecorded) return pair;
    const k0 = Math.min(1, o.tailEffectiveSpans / all[0]),
      k1 = Math.min(1, o.tailEffectiveSpans / all[1]);
    pair.z = Math.abs(proportionZ([hits[0] * k0, hits[1] * k1], [all[0] * k0, all[1] * k1], o.floor));
    return pair;
  });
  pairs.forEach((p, k) => {
    if (p.z > 0 && (best[p.operation] < 0 || p.z > pairs[best[p.operation]].z)) best[p.operation] = k;
  });
  return { pairs, best };
}

/**
 * Per operation and side (slot 2·op + side): its spans, and its spans with no failed child (`clean`);
 * per pair and side (slot 2·pair + side): spans that call the child, and spans whose only failed
 * children are of that child operation (`alone`: they count for that pair only).
 */
function countPairs(ix: SpanIndex, lists: ChildLists, wire: Uint8Array, incidentStartNs: number, settleNs: number) {
  const { size, canonical, operation, startNs, durationNs, failed } = ix;
  let latestEnd = -Infinity;
  for (let i = 0; i < size; i++) latestEnd = Math.max(latestEnd, startNs[i] + durationNs[i]);
  const settled = latestEnd - settleNs;
  const { start, kids } = lists;
  const nOps = ix.operationNames.length;
  const spans = new Float64Array(2 * nOps);
  const clean = new Float64Array(2 * nOps);
  const pairIds = new Map<number, number>();
  const pairOp: number[] = [];
  const pairChild: number[] = [];
  const present: number[] = [];
  const alone: number[] = [];
  const pairOf = (op: number, child: number): number => {
    const key = op * nOps + child;
    let k = pairIds.get(key);
    if (k === undefined) {
      pairIds.set(key, (k = pairOp.push(op) - 1));
      pairChild.push(child);
      present.push(0, 0);
      alone.push(0, 0);
    }
    return k;
  };
  const seen = new Int32Array(nOps).fill(-1); // seen[child op] = the last span that called it
  const failedSeen = new Int32Array(nOps).fill(-1);
  for (let p = 0; p < size; p++) {
    if (canonical[p] !== p) continue;
    const side = startNs[p] >= incidentStartNs ? 1 : 0;
    const op = operation[p];
    spans[2 * op + side]++;
    if (wire[p] || startNs[p] + durationNs[p] > settled) continue;
    let failedOps = 0,
      failedOp = -1;
    for (let k = start[p]; k < start[p + 1]; k++) {
      const c = operation[kids[k]];
      if (failed[kids[k]] && failedSeen[c] !== p) {
        failedSeen[c] = p;
        failedOps++;
        failedOp = c;
      }
    }
    if (failedOps > 1) continue;
    if (failedOps === 1) {
      const k = pairOf(op, failedOp);
      present[2 * k + side]++;
      alone[2 * k + side]++;
      continue;
    }
    clean[2 * op + side]++;
    for (let k = start[p]; k < start[p + 1]; k++) {
      const c = operation[kids[k]];
      if (seen[c] === p) continue;
      seen[c] = p;
      present[2 * pairOf(op, c) + side]++;
    }
  }
  return { spans, clean, pairOp, pairChild, present, alone };
}
