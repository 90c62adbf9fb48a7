/**
 * Per-operation trace evidence that localises, beside MicroRank's trace-level spectrum: for every
 * operation (entity, operation name), how far its *own* behaviour moved in the incident window.
 * - Self time: a span's duration less the time covered by its child spans. A slow callee makes every
 *   caller's span longer but not the caller's self time, so the shift lands on the service that got
 *   slower (the per-operation, self-latency view of TraceRCA: Li et al., "Practical Root Cause
 *   Localization for Microservice Systems via Trace Analysis", IWQoS 2021). A delay added inside a
 *   service (its own work, or its own network stack) lands on it.
 * - Error origin: a failed span none of whose children failed (the error starts there, not below):
 *   its share of the operation's spans, window against normal, as a two-proportion z.
 * - Wire time: a client span (one whose parent is its own service's span and whose children all belong
 *   to one other service) spends its self time between the two services: on the network, in queues,
 *   in the callee's stack before its span starts. That time is not the caller's own work, so it is
 *   judged per call edge, not per operation: a delay on one pod's network slows every edge that pod
 *   takes part in, in and out, while its callers' other edges stay as they were. An entity is blamed
 *   for the wire by its least-shifted edge (all of them must have moved), scaled by 1 − 1/(2·edges) so
 *   the pod that explains more slowed edges wins the tie with a neighbour that has only the one edge.
 * An entity scores as its best operation (or its wire blame). Pure.
 */
import { proportionZ, quantileSorted } from './robust.js';
import type { SpanIn } from './microrank.js';
import { toSpanIndex, type SpanIndex } from './span-index.js';

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
};

/** One operation's shift. */
export interface OperationShift {
  entity: string;
  operation: string;
  /** Robust z of the window's median self time against the normal median (0 when too few spans). */
  latencyZ: number;
  /** Two-proportion z of the share of spans where an error originates. */
  errorZ: number;
  /** Enough spans on both sides to judge the self time. */
  judged: boolean;
}

/** One call edge's wire-time shift (see the module comment). */
export interface WireShift {
  caller: string;
  callee: string;
  latencyZ: number;
  judged: boolean;
}

/**
 * Entity → its best operation's shift (score = max of the two z, ≥ 0); `judged` when at least one of
 * its operations had enough spans on both sides for its self time to be judged at all.
 */
export interface TraceShiftResult {
  entities: Map<string, { score: number; op: OperationShift; judged: boolean }>;
  operations: OperationShift[];
  wires: WireShift[];
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
  const groups = groupSelfTimes(ix, incidentStartNs, summariseChildren(ix));
  const operations: OperationShift[] = [];
  for (let op = 0; op < ix.operationNames.length; op++) {
    const [normal, window] = groups.sides(op);
    const errorZ = proportionZ(
      [groups.origin[2 * op], groups.origin[2 * op + 1]],
      [normal.length, window.length],
      o.floor,
    );
    operations.push({
      entity: ix.entityNames[ix.operationEntity[op]],
      operation: ix.operationNames[op],
      latencyZ: latencyShift(normal, window, o),
      errorZ: Math.max(0, errorZ),
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
  for (const op of [...operations, ...wireBlame(wireShifts)]) {
    const score = Math.max(op.latencyZ, op.errorZ);
    const best = entities.get(op.entity);
    const judged = op.judged || (best?.judged ?? false);
    if (!best || score > best.score) entities.set(op.entity, { score, op, judged });
    else best.judged = judged;
  }
  return { entities, operations, wires: wireShifts };
}

/** Values of Children.callee besides an entity id: no child yet; a child of its own service, or of two services. */
const NO_CHILD = -2,
  NO_CALLEE = -1;

/** Per span, at its canonical index: its children's summed time, whether one failed, and its one callee. */
interface Children {
  time: Float64Array;
  failed: Uint8Array;
  /** The one other entity all its children belong to, else NO_CHILD or NO_CALLEE. */
  callee: Int32Array;
}

function summariseChildren(ix: SpanIndex): Children {
  const { size, parent, entity, durationNs, failed } = ix;
  const c: Children = { time: new Float64Array(size), failed: new Uint8Array(size), callee: new Int32Array(size) };
  c.callee.fill(NO_CHILD);
  for (let i = 0; i < size; i++) {
    const p = parent[i];
    if (p < 0) continue;
    c.time[p] += durationNs[i];
    if (failed[i]) c.failed[p] = 1;
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
function groupSelfTimes(ix: SpanIndex, incidentStartNs: number, children: Children) {
  const { size, parent, canonical, entity, operation, startNs, durationNs, failed } = ix;
  const nOps = ix.operationNames.length;
  const wireIds = new Map<number, number>();
  const wires: Array<[number, number]> = [];
  const origin = new Float64Array(2 * nOps);
  const slot = new Int32Array(size); // 2·group + side
  for (let i = 0; i < size; i++) {
    const side = startNs[i] >= incidentStartNs ? 1 : 0;
    const k = canonical[i];
    if (failed[i] && !children.failed[k]) origin[2 * operation[i] + side]++;
    const callee = children.callee[k];
    if (callee < 0 || parent[i] < 0 || entity[parent[i]] !== entity[i]) {
      slot[i] = 2 * operation[i] + side;
      continue;
    }
    const edge = entity[i] * ix.entityNames.length + callee;
    let w = wireIds.get(edge);
    if (w === undefined) wireIds.set(edge, (w = wires.push([entity[i], callee]) - 1));
    slot[i] = 2 * (nOps + w) + side;
  }
  const self = (i: number) => Math.max(0, durationNs[i] - children.time[canonical[i]]);
  const { start, values } = sortIntoSlots(slot, 2 * (nOps + wires.length), self);
  const sides = (group: number): [Float64Array, Float64Array] => [
    values.subarray(start[2 * group], start[2 * group + 1]),
    values.subarray(start[2 * group + 1], start[2 * group + 2]),
  ];
  return { origin, wires, sides };
}

// Counting sort: value(i) for every i, slot by slot (slot s holds values[start[s] .. start[s+1]]).
function sortIntoSlots(slot: Int32Array, slots: number, value: (i: number) => number) {
  const start = new Int32Array(slots + 1);
  for (let i = 0; i < slot.length; i++) start[slot[i] + 1]++;
  for (let s = 0; s < slots; s++) start[s + 1] += start[s];
  const fill = start.slice(0, slots);
  const values = new Float64Array(slot.length);
  for (let i = 0; i < slot.length; i++) values[fill[slot[i]]++] = value(i);
  return { start, values };
}

// Per entity with judged edges: its least-shifted edge's z, scaled by 1 − 1/(2·edges), as a pseudo-operation.
function wireBlame(wires: readonly WireShift[]): OperationShift[] {
  const edges = new Map<string, number[]>();
  for (const w of wires) {
    if (!w.judged) continue;
    for (const e of [w.caller, w.callee]) {
      const list = edges.get(e);
      if (list) list.push(w.latencyZ);
      else edges.set(e, [w.latencyZ]);
    }
  }
  return [...edges].map(([entity, zs]) => ({
    entity,
    operation: `network (${zs.length} call edge${zs.length === 1 ? '' : 's'})`,
    latencyZ: Math.min(...zs) * (1 - 1 / (2 * zs.length)),
    errorZ: 0,
    judged: true,
  }));
}

// Enough spans on both sides for a latency shift to mean anything.
function judgeable(normal: Float64Array, window: Float64Array, o: typeof DEFAULTS): boolean {
  return normal.length >= o.minSpans && window.length >= o.minSpans;
}

/**
 * How far the self time slowed, ≥ 0 (only slowing down is harm): the larger of the robust z of the
 * window's median and the two-proportion z of the share of spans slower than normal's tail
 * (`tailQuantile`, and at least one scale above the median). The median alone misses a fault that
 * slows only some requests (a hang on a share of calls) or only part of the window.
 */
function latencyShift(normal: Float64Array, window: Float64Array, o: typeof DEFAULTS): number {
  if (!judgeable(normal, window, o)) return 0;
  const n = normal.slice().sort();
  const w = window.slice().sort();
  const med = quantileSorted(n, 0.5);
  const dev = n.map((v) => Math.abs(v - med)).sort();
  const scale = Math.max(1.4826 * quantileSorted(dev, 0.5), o.minRelScale * med, 1_000);
  const medianZ = (quantileSorted(w, 0.5) - med) / scale;
  if (o.tailQuantile <= 0) return Math.max(0, medianZ);
  const slow = Math.max(quantileSorted(n, o.tailQuantile), med + scale);
  const kn = Math.min(1, o.tailEffectiveSpans / n.length),
    kw = Math.min(1, o.tailEffectiveSpans / w.length);
  const tailZ = proportionZ(
    [countAbove(n, slow) * kn, countAbove(w, slow) * kw],
    [n.length * kn, w.length * kw],
    o.floor,
  );
  return Math.max(0, medianZ, tailZ);
}

// Values strictly above `x` in an ascending array.
function countAbove(sorted: Float64Array, x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
