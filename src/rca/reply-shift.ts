/**
 * Reply-delay evidence for traces without client spans (the gaps themselves: reply-gaps.ts): per call
 * edge, how far the caller's gap after the callee grew, in time and as a share of the caller's self
 * time, and which callee that blames (every caller must see it). A gap is compared along one code path
 * (the caller's next step after the call), each on its path's normal scale, then pooled: a caller that
 * returns early waits for its own end, a path normal never took. trace-shift.ts takes a blamed
 * callee's gaps out of its callers' self time. Server spans cannot tell a callee's late replies from a
 * sole caller that slowed only in its work after its last call to it; both read as the callee's. Pure.
 */
import { replyGaps, type ChildLists } from './reply-gaps.js';
import {
  judgeable,
  latencyShift,
  MIN_SCALE_NS,
  normalScale,
  sidesOf,
  sortIntoSlots,
  type OperationShift,
  type ShiftOptions,
  type WireShift,
} from './shift-judging.js';
import type { SpanIndex } from './span-index.js';

/** The reply knobs (trace-shift.ts DEFAULTS documents them). */
export interface ReplyOptions extends ShiftOptions {
  replyExplainZ: number;
  minShareScale: number;
}

/**
 * Reply gaps by call edge (caller entity → callee entity), judged window against normal in time and as a
 * share of the caller span's self time, one sample per caller span (its gaps after that callee summed, so
 * a span calling it twice counts both); the callees that blames; and, per caller span, its gaps after
 * those callees, which are their delay rather than its work. Only spans whose parent is not a client span.
 */
export function judgeReplies(
  ix: SpanIndex,
  incidentStartNs: number,
  childTime: Float64Array,
  wire: Uint8Array,
  lists: ChildLists,
  o: ReplyOptions,
): { edges: WireShift[]; blame: OperationShift[]; explainedNs: Float64Array | null } {
  const { size, durationNs } = ix;
  const gap = replyGaps(ix, lists, (p) => wire[p] === 1);
  const { sampleGap, sampleParent, slot, paths } = replySamples(ix, incidentStartNs, lists, gap);
  const parentSelf = (k: number) => Math.max(0, durationNs[sampleParent[k]] - childTime[sampleParent[k]]);
  const gaps = sidesOf(sortIntoSlots(slot, 2 * paths.length, (k) => sampleGap[k]));
  const shares = sidesOf(
    sortIntoSlots(slot, 2 * paths.length, (k) => Math.min(1, sampleGap[k] / Math.max(parentSelf(k), 1))),
  );
  // Per call edge, its paths' gaps and shares each on its own path's normal scale, pooled: a path new in
  // the window (a caller that returns early waits for its own end) has no normal and is left out, and a
  // shift in the mix of paths is not a shift in the wait.
  const edgeOf = new Map<number, number>();
  const edgeOfPath = new Int32Array(paths.length);
  const edges: WireShift[] = [];
  const pools: Array<{ gaps: [number[], number[]]; shares: [number[], number[]] }> = [];
  paths.forEach(([caller, callee], k) => {
    const key = caller * ix.entityNames.length + callee;
    let e = edgeOf.get(key);
    if (e === undefined) {
      edgeOf.set(key, (e = edges.length));
      edges.push({ caller: ix.entityNames[caller], callee: ix.entityNames[callee], latencyZ: 0, judged: false });
      pools.push({ gaps: [[], []], shares: [[], []] });
    }
    edgeOfPath[k] = e;
    const [normalGap, windowGap] = gaps(k);
    if (normalGap.length < o.minSpans) return;
    const pool = pools[e];
    const gapScale = onNormalScale(normalGap, MIN_SCALE_NS, o.minRelScale);
    const [normalShare, windowShare] = shares(k);
    const shareScale = onNormalScale(normalShare, o.minShareScale, o.minRelScale);
    for (const v of normalGap) pool.gaps[0].push(gapScale(v));
    for (const v of windowGap) pool.gaps[1].push(gapScale(v));
    for (const v of normalShare) pool.shares[0].push(shareScale(v));
    for (const v of windowShare) pool.shares[1].push(shareScale(v));
  });
  edges.forEach((edge, e) => {
    const { gaps: g, shares: sh } = pools[e];
    const [normalGap, windowGap, normalShare, windowShare] = [g[0], g[1], sh[0], sh[1]].map((v) =>
      Float64Array.from(v),
    );
    edge.judged = judgeable(normalGap, windowGap, o);
    if (!edge.judged) return;
    edge.latencyZ = Math.min(
      latencyShift(normalGap, windowGap, o, SCALED_FLOOR),
      latencyShift(normalShare, windowShare, o, SCALED_FLOOR),
    );
  });
  const blame = replyBlame(edges, o);
  // Only a blamed callee's gaps leave its callers' self time: one caller's wait alone is the caller's.
  const blamed = new Set(blame.map((b) => b.entity));
  const explains = Array.from(edgeOfPath, (e) => edges[e].judged && blamed.has(edges[e].callee));
  if (!explains.includes(true)) return { edges, blame, explainedNs: null };
  const explainedNs = new Float64Array(size);
  for (let k = 0; k < slot.length; k++) if (explains[slot[k] >> 1]) explainedNs[sampleParent[k]] += sampleGap[k];
  return { edges, blame, explainedNs };
}

// Values already on a path's normal scale need no floor of their own.
const SCALED_FLOOR = 1e-9;

/** v ↦ (v − normal median) / normal scale, the scale as latencyShift takes it (shift-judging.ts normalScale). */
function onNormalScale(normal: Float64Array, floor: number, minRelScale: number): (v: number) => number {
  const { med, scale } = normalScale(normal.slice(), minRelScale, floor);
  return (v) => (v - med) / scale;
}

/**
 * One sample per (caller span, callee entity, the caller's next step after the call: the operation of
 * its next child, or its own end): its gaps summed (a span calling the callee twice the same way counts
 * both), the caller span, and its slot (2 · path + side). A gap is compared only along one code path: a
 * caller that skips its later calls (an early return) waits from the callee's reply to its own end,
 * which is not the callee replying late.
 */
function replySamples(ix: SpanIndex, incidentStartNs: number, lists: ChildLists, gap: Float64Array) {
  const { size, entity, operation, startNs } = ix;
  const { start, kids } = lists;
  let most = 0; // samples are at most the gaps
  for (let i = 0; i < size; i++) if (!Number.isNaN(gap[i])) most++;
  const sampleGap = new Float64Array(most);
  const sampleParent = new Int32Array(most);
  const sampleSlot = new Int32Array(most);
  let samples = 0;
  const paths: Array<[number, number, number]> = [];
  const nEntities = ix.entityNames.length;
  const nOps = ix.operationNames.length + 1; // + the caller's end
  const pathIds = new Map<number, number>(); // (caller · entities + callee) · ops + next step → path
  for (let p = 0; p < size; p++) {
    const first = samples;
    for (let k = start[p]; k < start[p + 1]; k++) {
      const c = kids[k];
      if (Number.isNaN(gap[c])) continue;
      const next = k + 1 < start[p + 1] ? operation[kids[k + 1]] : nOps - 1;
      const key = (entity[p] * nEntities + entity[c]) * nOps + next;
      let path = pathIds.get(key);
      if (path === undefined) pathIds.set(key, (path = paths.push([entity[p], entity[c], next]) - 1));
      const slot = 2 * path + (startNs[p] >= incidentStartNs ? 1 : 0);
      // A parent has few callees: find this one's sample among the parent's by a short scan.
      let s = first;
      while (s < samples && sampleSlot[s] !== slot) s++;
      if (s < samples) sampleGap[s] += gap[c];
      else {
        sampleGap[samples] = gap[c];
        sampleParent[samples] = p;
        sampleSlot[samples++] = slot;
      }
    }
  }
  return {
    sampleGap: sampleGap.subarray(0, samples),
    sampleParent: sampleParent.subarray(0, samples),
    slot: sampleSlot.subarray(0, samples),
    paths,
  };
}

// Per callee with judged reply edges: its least-shifted incoming edge's z (every caller must see it).
function replyBlame(edges: readonly WireShift[], o: ReplyOptions): OperationShift[] {
  const incoming = new Map<string, number[]>();
  for (const e of edges) {
    if (!e.judged) continue;
    const list = incoming.get(e.callee);
    if (list) list.push(e.latencyZ);
    else incoming.set(e.callee, [e.latencyZ]);
  }
  return [...incoming]
    .filter(([, zs]) => Math.min(...zs) >= o.replyExplainZ)
    .map(([entity, zs]) => ({
      entity,
      operation: `reply delay (${zs.length} caller${zs.length === 1 ? '' : 's'})`,
      kind: 'reply' as const,
      latencyZ: Math.min(...zs),
      errorZ: 0,
      callsZ: 0,
      judged: true,
    }));
}
