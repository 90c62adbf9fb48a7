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
import { isErrorStatus } from '../model/span-status.js';
import { proportionZ, quantileSorted } from './robust.js';
import type { SpanIn } from './microrank.js';

export const DEFAULTS = {
  /** The self-time scale is at least this share of the normal median (a 10 ms op is not anomalous at 10.3 ms). */
  minRelScale: 0.05,
  /** Operations with fewer spans than this on either side carry no latency evidence. */
  minSpans: 5,
  /** Pseudo-spans smoothing the normal error share (a few spans prove little). */
  floor: 0.5,
  /** Normal's self-time quantile above which a span counts as slow (0 = judge the median only). */
  tailQuantile: 0.95,
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

/** Scores every operation's self-time and error-origin shift around `incidentStartNs`. */
export function scoreTraceShift(
  spans: readonly SpanIn[],
  incidentStartNs: number,
  opts: Partial<typeof DEFAULTS> = {},
): TraceShiftResult {
  const o = { ...DEFAULTS, ...opts };
  const childTime = new Map<string, number>();
  const childFailed = new Set<string>();
  const key = (trace: string, span: string) => `${trace}\u0000${span}`;
  const entityOf = new Map<string, string>();
  for (const s of spans) entityOf.set(key(s.traceId, s.spanId), s.entity);
  // Span → the one other service all its children belong to (null: a child of its own service, or two services).
  const calleeOf = new Map<string, string | null>();
  for (const s of spans) {
    if (s.parentSpanId === null) continue;
    const k = key(s.traceId, s.parentSpanId);
    childTime.set(k, (childTime.get(k) ?? 0) + s.durationNs);
    if (isErrorStatus(s.status)) childFailed.add(k);
    const parentEntity = entityOf.get(k);
    const prev = calleeOf.get(k);
    calleeOf.set(k, parentEntity === s.entity || (prev !== undefined && prev !== s.entity) ? null : s.entity);
  }
  const wires = new Map<string, { caller: string; callee: string; gap: [number[], number[]] }>();
  const ops = new Map<
    string,
    { entity: string; operation: string; self: [number[], number[]]; origin: [number, number] }
  >();
  for (const s of spans) {
    const opKey = `${s.entity}\u0000${s.operation}`;
    let op = ops.get(opKey);
    if (!op) ops.set(opKey, (op = { entity: s.entity, operation: s.operation, self: [[], []], origin: [0, 0] }));
    const side = s.startNs >= incidentStartNs ? 1 : 0;
    const k = key(s.traceId, s.spanId);
    const self = Math.max(0, s.durationNs - (childTime.get(k) ?? 0));
    if (isErrorStatus(s.status) && !childFailed.has(k)) op.origin[side]++;
    const callee = calleeOf.get(k);
    const isClient =
      typeof callee === 'string' &&
      s.parentSpanId !== null &&
      entityOf.get(key(s.traceId, s.parentSpanId)) === s.entity;
    if (!isClient) {
      op.self[side].push(self);
      continue;
    }
    const wireKey = `${s.entity}\u0000${callee}`;
    let wire = wires.get(wireKey);
    if (!wire) wires.set(wireKey, (wire = { caller: s.entity, callee, gap: [[], []] }));
    wire.gap[side].push(self);
  }
  const operations: OperationShift[] = [];
  for (const op of ops.values()) {
    const [normal, window] = op.self;
    const errorZ = proportionZ(op.origin, [normal.length, window.length], o.floor);
    operations.push({
      entity: op.entity,
      operation: op.operation,
      latencyZ: latencyShift(normal, window, o),
      errorZ: Math.max(0, errorZ),
      judged: judgeable(normal, window, o),
    });
  }
  const wireShifts: WireShift[] = [...wires.values()].map((w) => ({
    caller: w.caller,
    callee: w.callee,
    latencyZ: latencyShift(w.gap[0], w.gap[1], o),
    judged: judgeable(w.gap[0], w.gap[1], o),
  }));
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
function judgeable(normal: readonly number[], window: readonly number[], o: typeof DEFAULTS): boolean {
  return normal.length >= o.minSpans && window.length >= o.minSpans;
}

/**
 * How far the self time slowed, ≥ 0 (only slowing down is harm): the larger of the robust z of the
 * window's median and the two-proportion z of the share of spans slower than normal's tail
 * (`tailQuantile`, and at least one scale above the median). The median alone misses a fault that
 * slows only some requests (a hang on a share of calls) or only part of the window.
 */
function latencyShift(normal: number[], window: number[], o: typeof DEFAULTS): number {
  if (!judgeable(normal, window, o)) return 0;
  const n = Float64Array.from(normal).sort();
  const w = Float64Array.from(window).sort();
  const med = quantileSorted(n, 0.5);
  const dev = n.map((v) => Math.abs(v - med)).sort();
  const scale = Math.max(1.4826 * quantileSorted(dev, 0.5), o.minRelScale * med, 1_000);
  const medianZ = (quantileSorted(w, 0.5) - med) / scale;
  if (o.tailQuantile <= 0) return Math.max(0, medianZ);
  const slow = Math.max(quantileSorted(n, o.tailQuantile), med + scale);
  const tailZ = proportionZ([countAbove(n, slow), countAbove(w, slow)], [n.length, w.length], o.floor);
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
