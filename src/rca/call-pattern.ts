/**
 * Call-pattern shift, the trace side of Nezha's pattern changes (Yu et al., "Nezha: Interpretable
 * Fine-Grained Root Causes Analysis for Microservices on Multi-modal Observability Data", FSE 2023):
 * per operation, the share of its spans that call each child operation, window against normal. A code
 * change that returns early, takes another branch or adds a call moves these shares in the operation
 * that changed, while its latency and errors may stay as they were. Pure.
 * - Presence, not count: a cart of n items calls the catalogue n times; whether it calls at all is the pattern.
 * - For a pair (operation → child operation), a span whose call to another operation went wrong is left
 *   out: a caller that stops after a failed call changed its pattern because of the failure, which the
 *   error-origin evidence places. Gone wrong: failed as the caller sees it (a 429 or NOT_FOUND too),
 *   failed anywhere below (a callee that swallowed its own callee's error), or still running when the
 *   caller ended (the caller gave up waiting; span-index.ts gaveUpOn: a child that started after it
 *   ended, a message consumed later, was never awaited).
 * - A share must move by `minShareChange` to count: exporters drop a few percent of spans, fallbacks
 *   route a few percent of calls elsewhere; a code path that changed moves a tenth or more.
 * - A drop in calls to another entity counts only while that child operation still records spans in the
 *   window (a callee that went down leaves none) and has not lost its parents (a callee that stopped
 *   passing the trace context on writes its spans as roots: its caller still calls it).
 * - Spans per side are capped at `tailEffectiveSpans`, as the latency tail test is (spans of one minute
 *   share their causes; a small drift in the mix is not a thousand independent draws).
 * - Spans ending in the last `settleS` of the data (its 99th percentile of span ends, so a clock-skewed
 *   span does not move it) are not judged: a live read may hold a caller's span before its callees'
 *   spans arrive (exporters batch every few seconds and retry for up to 30 s).
 * Known limit: an operation name shared by several routes moves its pattern with the traffic mix, and a
 * flushed cache sends its callers to the database; both read as the caller's change.
 */
import type { ChildLists } from './reply-gaps.js';
import { cappedProportionZ, quantileSelect } from './robust.js';
import { gaveUpOn, type SpanIndex } from './span-index.js';

/** The knobs read (trace-shift.ts DEFAULTS documents them). */
export interface CallPatternOptions {
  minSpans: number;
  floor: number;
  tailEffectiveSpans: number;
  minShareChange: number;
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
  const best = new Int32Array(ix.operationNames.length).fill(-1);
  const share = (hits: number, all: number) => (all > 0 ? hits / all : 0);
  const pairs = counts.pairOp.map((op, k): CallPatternPair => {
    const child = counts.pairChild[k];
    const all = [0, 1].map((s) => counts.clean[2 * op + s] + counts.alone[2 * k + s]);
    const hits = [0, 1].map((s) => counts.present[2 * k + s]);
    const pair = { operation: op, child, normal: share(hits[0], all[0]), window: share(hits[1], all[1]), z: 0 };
    if (all[0] < o.minSpans || all[1] < o.minSpans) return pair;
    if (Math.abs(pair.window - pair.normal) < o.minShareChange) return pair;
    if (pair.window < pair.normal && ix.operationEntity[child] !== ix.operationEntity[op]) {
      const spans = (s: number) => counts.spans[2 * child + s];
      const rootShare = (s: number) => share(counts.roots[2 * child + s], spans(s));
      if (spans(1) < o.minSpans || rootShare(1) - rootShare(0) >= o.minShareChange) return pair;
    }
    pair.z = Math.abs(cappedProportionZ([hits[0], hits[1]], [all[0], all[1]], o.tailEffectiveSpans, o.floor));
    return pair;
  });
  pairs.forEach((p, k) => {
    if (p.z > 0 && (best[p.operation] < 0 || p.z > pairs[best[p.operation]].z)) best[p.operation] = k;
  });
  return { pairs, best };
}

/**
 * Per operation and side (slot 2·op + side): its spans, those of them without a parent, and its judged
 * spans none of whose calls went wrong (`clean`); per pair and side (slot 2·pair + side): judged spans
 * that call the child, and judged spans whose only calls gone wrong are to that child (`alone`: they
 * count for that pair only).
 */
function countPairs(ix: SpanIndex, lists: ChildLists, wire: Uint8Array, incidentStartNs: number, settleNs: number) {
  const { size, canonical, parent, operation, startNs, durationNs } = ix;
  const { start, kids } = lists;
  const nOps = ix.operationNames.length;
  const spans = new Float64Array(2 * nOps);
  const roots = new Float64Array(2 * nOps);
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
  const end = (i: number) => startNs[i] + durationNs[i];
  const settled = settledBefore(ix, settleNs);
  const wrong = callsGoneWrong(ix);
  const seen = new Int32Array(nOps).fill(-1); // seen[child op] = the last span that called it
  const wrongSeen = new Int32Array(nOps).fill(-1);
  for (let p = 0; p < size; p++) {
    if (canonical[p] !== p) continue;
    const side = startNs[p] >= incidentStartNs ? 1 : 0;
    const op = operation[p];
    spans[2 * op + side]++;
    if (parent[p] < 0) roots[2 * op + side]++;
    if (wire[p] || !(end(p) <= settled)) continue;
    let wrongOps = 0,
      wrongOp = -1;
    for (let k = start[p]; k < start[p + 1]; k++) {
      const c = kids[k];
      if ((wrong[c] || gaveUpOn(ix, p, c)) && wrongSeen[operation[c]] !== p) {
        wrongSeen[operation[c]] = p;
        wrongOps++;
        wrongOp = operation[c];
      }
    }
    if (wrongOps > 1) continue;
    if (wrongOps === 1) {
      const k = pairOf(op, wrongOp);
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
  return { spans, roots, clean, pairOp, pairChild, present, alone };
}

/** The end (ns) before which spans have settled: the 99th percentile of span ends less `settleNs`. */
function settledBefore(ix: SpanIndex, settleNs: number): number {
  const ends = new Float64Array(ix.size);
  let n = 0;
  for (let i = 0; i < ix.size; i++) {
    const e = ix.startNs[i] + ix.durationNs[i];
    if (Number.isFinite(e)) ends[n++] = e;
  }
  return n === 0 ? -Infinity : quantileSelect(ends.subarray(0, n), 0.99) - settleNs;
}

/** Per span: 1 when it, or a span anywhere below it, failed as its caller sees it. */
function callsGoneWrong(ix: SpanIndex): Uint8Array {
  const { size, parent, canonical, failedAsCall } = ix;
  const wrong = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    if (!failedAsCall[i]) continue;
    // Up the ancestors until one already marked (its own ancestors were marked with it): O(spans) in all.
    for (let a = canonical[i]; a >= 0 && !wrong[a]; a = parent[a]) wrong[a] = 1;
  }
  return wrong;
}
