/**
 * Per-operation trace evidence that localises, beside MicroRank's trace-level spectrum: for every
 * operation (entity, operation name), how far its *own* behaviour moved in the incident window.
 * - Self time: a span's duration less the time covered by its child spans. A slow callee makes every
 *   caller's span longer but not the caller's self time, so the shift lands on the service that got
 *   slower (the per-operation, self-latency view of TraceRCA: Li et al., "Practical Root Cause
 *   Localization for Microservice Systems via Trace Analysis", IWQoS 2021). A delay added inside a
 *   service (its own work, or its own network stack) lands on it.
 * - Error origin: a failed span none of whose children failed or outlived it (the error starts there,
 *   not below; a caller that gave up waiting on a callee still running, a gateway's 504, did not start
 *   it): its share of the operation's spans, window against normal, as a two-proportion z.
 * - Wire time: a client span (one whose parent is its own service's span and whose children all belong
 *   to one other service) spends its self time between the two services: on the network, in queues,
 *   in the callee's stack before its span starts. That time is not the caller's own work, so it is
 *   judged per call edge, not per operation: a delay on one pod's network slows every edge that pod
 *   takes part in, in and out, while its callers' other edges stay as they were. An entity is blamed
 *   for the wire by its least-shifted edge (all of them must have moved), scaled by 1 − 1/(2·edges) so
 *   the pod that explains more slowed edges wins the tie with a neighbour that has only the one edge. A
 *   neighbour whose edges all join the blamed pod is not blamed for the wire at all (wireBlame).
 * - Reply delay: without client spans a callee's network delay lies in its caller's span, in the gap
 *   after the callee's span ends (reply-gaps.ts). A call edge whose gap grew both in time and as a share
 *   of the caller's self time (so not because the caller slowed as a whole) is the callee's: the gap
 *   leaves the caller's self time, and the callee is blamed by its least-shifted judged incoming edge.
 * - Call pattern: the share of an operation's spans that call each child operation (call-pattern.ts).
 *   An operation that returns early, branches differently or adds a call is the one that changed.
 * An entity scores as its best operation (or its wire or reply blame). Pure.
 */
import { callDrops, type CallDrop } from './call-drops.js';
import { callPatternShift } from './call-pattern.js';
import { childCoverage } from './child-coverage.js';
import type { SpanIn } from './microrank.js';
import { childLists } from './reply-gaps.js';
import { judgeReplies } from './reply-shift.js';
import { proportionZ } from './robust.js';
import {
  judgeable,
  latencyShift,
  sidesOf,
  sortIntoSlots,
  type OperationShift,
  type WireShift,
} from './shift-judging.js';
import { gaveUpOn, toSpanIndex, type SpanIndex } from './span-index.js';

export const DEFAULTS = {
  /** The self-time scale is at least this share of the normal median (a 10 ms op is not anomalous at 10.3 ms). */
  minRelScale: 0.05,
  /** Operations with fewer spans than this on either side carry no latency evidence. */
  minSpans: 5,
  /** Pseudo-spans smoothing the normal error share (a few spans prove little). */
  floor: 0.5,
  /** Normal's self-time quantile above which a span counts as slow (0 = judge the median only). */
  tailQuantile: 0.95,
  /**
   * Spans per side the slow-share test counts at most: spans of one minute share their causes (load,
   * GC, a neighbour), so 20,000 of them are not 20,000 independent draws, and a 4 % → 6.5 % drift would
   * otherwise read as z 10. Chosen on the simulator fit halves with per-operation window drift added
   * and with logs removed (100, 150, 200, 300, 1,000, none tried; 100 and 200 within one case of each
   * other, the clean halves at 1.00 for every value): 200 keeps a ten-point rise (4 % → 14 %, one replica
   * in ten hanging) above z 3, which 100 does not (2.2). Errors are not capped: new errors are rare.
   */
  tailEffectiveSpans: 200,
  /**
   * A median shift beyond this z counts only where a rank-sum test of the two sides reaches it too
   * (else it counts as the rank-sum z): seven spans' robust scale can be a fifth of their spread, and
   * read a median that doubled within the normal range as z 6. The margin the trace evidence counts
   * beyond (node-evidence.ts traceNoiseZ), not fitted.
   */
  significantZ: 3,
  /** Judge reply gaps in traces without client spans (off only to compare with the evidence before them). */
  replyGaps: true,
  /** Judge call patterns (call-pattern.ts; off only to compare with the evidence before them). */
  callPatterns: true,
  /** Spans ending this close to the data's end (s) are not judged for their calls: their callees' may not have arrived. */
  settleS: 30,
  /**
   * A call pattern's share must move at least this much (0..1) to count: span loss and fallbacks move a
   * few percent, a changed code path a tenth or more. Set before any run, not fitted.
   */
  minShareChange: 0.1,
  /**
   * A reply edge whose gap shift (in time and as a share of the caller's self time) reaches this z is
   * the callee's: the same margin as node-evidence.ts's traceNoiseZ, not fitted.
   */
  replyExplainZ: 3,
  /** The scale of a share's shift is at least this (shares are 0..1; a 0.5 % wobble is not a shift). */
  minShareScale: 0.02,
};

export type { OperationShift, WireShift } from './shift-judging.js';

/**
 * Entity → its best operation's shift (score = max of its latency, error and call-pattern z, ≥ 0); `judged` when at least one of
 * its operations had enough spans on both sides for its self time to be judged at all.
 */
export interface TraceShiftResult {
  entities: Map<string, { score: number; op: OperationShift; judged: boolean }>;
  operations: OperationShift[];
  wires: WireShift[];
  /** Reply edges (traces without client spans): latencyZ is the smaller of the gap's and its share's shift. */
  replies: WireShift[];
  /** Callees a caller's operations call less (call-drops.ts): their load falls are the caller's doing. */
  callDrops: CallDrop[];
}

/**
 * Scores every operation's self-time and error-origin shift around `incidentStartNs`. Takes the spans or
 * their SpanIndex (span-index.ts: index once when microrank.ts reads the same spans).
 */
export function scoreTraceShift(
  spans: readonly SpanIn[] | SpanIndex,
  incidentStartNs: number,
  opts: Partial<typeof DEFAULTS> = {},
): TraceShiftResult {
  const o = { ...DEFAULTS, ...opts };
  const ix = toSpanIndex(spans);
  const children = summariseChildren(ix);
  const wire = wireSpans(ix, children);
  const lists = childLists(ix);
  const childTime = childCoverage(ix, lists);
  const replies = o.replyGaps
    ? judgeReplies(ix, incidentStartNs, childTime, wire, lists, o)
    : { edges: [], blame: [], explainedNs: null };
  const patterns = o.callPatterns ? callPatternShift(ix, lists, wire, incidentStartNs, o) : null;
  const groups = groupSelfTimes(ix, incidentStartNs, children, childTime, wire, replies.explainedNs);
  const operations: OperationShift[] = [];
  for (let op = 0; op < ix.operationNames.length; op++) {
    const [normal, window] = groups.sides(op);
    const errorZ = proportionZ(
      [groups.origin[2 * op], groups.origin[2 * op + 1]],
      [normal.length, window.length],
      o.floor,
    );
    const calls = patterns && patterns.best[op] >= 0 ? patterns.pairs[patterns.best[op]] : null;
    operations.push({
      entity: ix.entityNames[ix.operationEntity[op]],
      operation: ix.operationNames[op],
      kind: 'own',
      latencyZ: latencyShift(normal, window, o),
      errorZ: Math.max(0, errorZ),
      callsZ: calls?.z ?? 0,
      ...(calls && {
        calls: {
          child: `${ix.entityNames[ix.operationEntity[calls.child]]}/${ix.operationNames[calls.child]}`,
          normal: calls.normal,
          window: calls.window,
        },
      }),
      judged: judgeable(normal, window, o),
    });
  }
  const wireShifts: WireShift[] = groups.wires.map(([caller, callee], w) => {
    const [normal, window] = groups.sides(ix.operationNames.length + w);
    return {
      caller: ix.entityNames[caller],
      callee: ix.entityNames[callee],
      latencyZ: latencyShift(normal, window, o),
      judged: judgeable(normal, window, o),
    };
  });
  const entities = new Map<string, { score: number; op: OperationShift; judged: boolean }>();
  for (const op of [...operations, ...wireBlame(wireShifts, o.significantZ), ...replies.blame]) {
    const score = Math.max(op.latencyZ, op.errorZ, op.callsZ);
    const best = entities.get(op.entity);
    const judged = op.judged || (best?.judged ?? false);
    if (!best || score > best.score) entities.set(op.entity, { score, op, judged });
    else best.judged = judged;
  }
  return {
    entities,
    operations,
    wires: wireShifts,
    replies: replies.edges,
    callDrops: patterns ? callDrops(ix, patterns, wire, children.callee) : [],
  };
}

/** Values of Children.callee besides an entity id: no child yet; a child of its own service, or of two services. */
const NO_CHILD = -2,
  NO_CALLEE = -1;

/** Per span, at its canonical index: whether one of its children went wrong, and its one callee. */
interface Children {
  /** 1 when a child failed or ended after it (the span gave up waiting): the error did not start in it. */
  failed: Uint8Array;
  /** The one other entity all its children belong to, else NO_CHILD or NO_CALLEE. */
  callee: Int32Array;
}

function summariseChildren(ix: SpanIndex): Children {
  const { size, parent, entity, failed } = ix;
  const c: Children = { failed: new Uint8Array(size), callee: new Int32Array(size) };
  c.callee.fill(NO_CHILD);
  for (let i = 0; i < size; i++) {
    const p = parent[i];
    if (p < 0) continue;
    if (failed[i] || gaveUpOn(ix, p, i)) c.failed[p] = 1;
    const prev = c.callee[p];
    c.callee[p] = entity[p] === entity[i] || (prev !== NO_CHILD && prev !== entity[i]) ? NO_CALLEE : entity[i];
  }
  return c;
}

/**
 * Every span's self time, grouped by operation (groups 0..operations) or, for a client span, by its call
 * edge (group operations + wire), each group's normal side before its window side; and the count of
 * spans where an error originates, per operation and side.
 */
function groupSelfTimes(
  ix: SpanIndex,
  incidentStartNs: number,
  children: Children,
  childTime: Float64Array,
  wire: Uint8Array,
  explainedNs: Float64Array | null,
) {
  const { size, canonical, entity, operation, startNs, durationNs, failed } = ix;
  const nOps = ix.operationNames.length;
  const wireIds = new Map<number, number>();
  const wires: Array<[number, number]> = [];
  const origin = new Float64Array(2 * nOps);
  const slot = new Int32Array(size); // 2·group + side
  for (let i = 0; i < size; i++) {
    const side = startNs[i] >= incidentStartNs ? 1 : 0;
    const k = canonical[i];
    if (failed[i] && !children.failed[k]) origin[2 * operation[i] + side]++;
    if (!wire[i]) {
      slot[i] = 2 * operation[i] + side;
      continue;
    }
    const callee = children.callee[k];
    const edge = entity[i] * ix.entityNames.length + callee;
    let w = wireIds.get(edge);
    if (w === undefined) wireIds.set(edge, (w = wires.push([entity[i], callee]) - 1));
    slot[i] = 2 * (nOps + w) + side;
  }
  const self = explainedNs
    ? (i: number) => Math.max(0, durationNs[i] - childTime[canonical[i]] - explainedNs[canonical[i]])
    : (i: number) => Math.max(0, durationNs[i] - childTime[canonical[i]]);
  return { origin, wires, sides: sidesOf(sortIntoSlots(slot, 2 * (nOps + wires.length), self)) };
}

/** 1 per client span (wireSpans' rule): what `eval rca --without client-spans` takes out of a case. */
export function clientSpanFlags(ix: SpanIndex): Uint8Array {
  return wireSpans(ix, summariseChildren(ix));
}

/**
 * 1 for a client span: its parent is its own entity's span and all its children belong to one other
 * entity, so its self time is time on the wire.
 */
function wireSpans(ix: SpanIndex, children: Children): Uint8Array {
  const { size, parent, canonical, entity } = ix;
  const wire = new Uint8Array(size);
  for (let i = 0; i < size; i++)
    wire[i] = children.callee[canonical[i]] >= 0 && parent[i] >= 0 && entity[parent[i]] === entity[i] ? 1 : 0;
  return wire;
}

/**
 * Per entity with judged edges: its least-shifted edge's z, scaled by 1 − 1/(2·edges), as a
 * pseudo-operation. An entity whose every judged edge joins it to one neighbour with more edges, all of
 * them shifted beyond `marginZ`, is left out: a delay on that neighbour's network slows all its edges,
 * this one's included (a database behind the delayed service is not its cause).
 */
function wireBlame(wires: readonly WireShift[], marginZ: number): OperationShift[] {
  const edges = new Map<string, Array<{ z: number; other: string }>>();
  for (const w of wires) {
    if (!w.judged) continue;
    for (const [e, other] of [
      [w.caller, w.callee],
      [w.callee, w.caller],
    ]) {
      const list = edges.get(e);
      if (list) list.push({ z: w.latencyZ, other });
      else edges.set(e, [{ z: w.latencyZ, other }]);
    }
  }
  const least = (e: string) => Math.min(...(edges.get(e) ?? []).map((x) => x.z));
  const coveredBy = (list: Array<{ other: string }>) => {
    const others = new Set(list.map((x) => x.other));
    if (others.size !== 1) return false;
    const [b] = others;
    return (edges.get(b)?.length ?? 0) > list.length && least(b) >= marginZ;
  };
  return [...edges]
    .filter(([, list]) => !coveredBy(list))
    .map(([entity, list]) => ({
      entity,
      operation: `network (${list.length} call edge${list.length === 1 ? '' : 's'})`,
      kind: 'wire' as const,
      latencyZ: least(entity) * (1 - 1 / (2 * list.length)),
      errorZ: 0,
      callsZ: 0,
      judged: true,
    }));
}
