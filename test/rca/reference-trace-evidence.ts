/**
 * The string-keyed trace shift and MicroRank as they were before span-index.ts (Maps keyed by trace and
 * span id, and by entity and operation, filled span by span), kept as the oracle the typed-array
 * versions must match exactly: the same figures in the same order. Both read the spans with their
 * parent loops cut (withLoopsCut), as the index reads them.
 */
import { isErrorStatus } from '../../src/model/span-status.js';
import {
  DEFAULTS as MICRORANK,
  type MicroRankResult,
  type OperationScore,
  type SpanIn,
} from '../../src/rca/microrank.js';
import { pageRank, rowsFromEdges } from '../../src/rca/pagerank.js';
import { proportionZ, quantileSorted, rankSumZ } from '../../src/rca/robust.js';
import { spreadLessSlowest } from '../../src/rca/shift-judging.js';
import { suspiciousness } from '../../src/rca/spectrum.js';
import {
  DEFAULTS as TRACE_SHIFT,
  type OperationShift,
  type TraceShiftResult,
  type WireShift,
} from '../../src/rca/trace-shift.js';

/**
 * Fills `childTime` with each parent's time covered by its children (the last span with an id stands for
 * it), inside the parent's interval and overlaps counted once: every covered instant, by brute force
 * over the sorted interval ends.
 */
function childTimes(
  spans: readonly SpanIn[],
  endOf: ReadonlyMap<string, number>,
  key: (trace: string, span: string) => string,
  childTime: Map<string, number>,
): void {
  const last = new Map<string, SpanIn>();
  const startOf = new Map<string, number>();
  for (const s of spans) {
    last.set(key(s.traceId, s.spanId), s);
    startOf.set(key(s.traceId, s.spanId), s.startNs);
  }
  const intervals = new Map<string, Array<[number, number]>>();
  for (const s of last.values()) {
    if (s.parentSpanId === null) continue;
    const k = key(s.traceId, s.parentSpanId);
    if (!endOf.has(k)) continue;
    const list = intervals.get(k) ?? [];
    const [pStart, pEnd] = [startOf.get(k)!, endOf.get(k)!];
    if (s.startNs >= pEnd || s.durationNs <= 0) continue;
    // A child no longer than its parent is moved inside it (clock skew); a longer one is clipped to it.
    const from =
      s.durationNs < pEnd - pStart
        ? Math.min(Math.max(s.startNs, pStart), pEnd - s.durationNs)
        : Math.max(s.startNs, pStart);
    list.push([from, Math.min(from + s.durationNs, pEnd)]);
    intervals.set(k, list);
  }
  for (const [k, list] of intervals) {
    // Each elementary piece between consecutive interval bounds is covered or not.
    const bounds = [...new Set(list.flat())].sort((a, b) => a - b);
    let covered = 0;
    for (let b = 0; b + 1 < bounds.length; b++)
      if (list.some(([s, e]) => s <= bounds[b] && e >= bounds[b + 1])) covered += bounds[b + 1] - bounds[b];
    childTime.set(k, covered);
  }
}

/** trace-shift.ts's scoreTraceShift before the span index (and before reply gaps: compare with `replyGaps: false`). */
export function referenceTraceShift(
  spans: readonly SpanIn[],
  incidentStartNs: number,
  opts: Partial<typeof TRACE_SHIFT> = {},
): TraceShiftResult {
  spans = withLoopsCut(spans);
  const o = { ...TRACE_SHIFT, ...opts };
  const childTime = new Map<string, number>();
  const childFailed = new Set<string>();
  const key = (trace: string, span: string) => `${trace}\u0000${span}`;
  const entityOf = new Map<string, string>();
  const endOf = new Map<string, number>();
  for (const s of spans) {
    entityOf.set(key(s.traceId, s.spanId), s.entity);
    endOf.set(key(s.traceId, s.spanId), s.startNs + s.durationNs);
  }
  // Span → the one other service all its children belong to (null: a child of its own service, or two services).
  const calleeOf = new Map<string, string | null>();
  for (const s of spans) {
    if (s.parentSpanId === null) continue;
    const k = key(s.traceId, s.parentSpanId);
    // A child that failed, or started while its parent ran and ran on after it ended (the parent gave up waiting).
    const parentEnd = endOf.get(k) ?? Infinity;
    if (isErrorStatus(s.status) || (s.startNs < parentEnd - 1e6 && s.startNs + s.durationNs > parentEnd + 1e6))
      childFailed.add(k);
    const parentEntity = entityOf.get(k);
    const prev = calleeOf.get(k);
    calleeOf.set(k, parentEntity === s.entity || (prev !== undefined && prev !== s.entity) ? null : s.entity);
  }
  childTimes(spans, endOf, key, childTime);
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
      kind: 'own',
      latencyZ: latencyShift(normal, window, o),
      errorZ: Math.max(0, errorZ),
      callsZ: 0,
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
  for (const op of [...operations, ...wireBlame(wireShifts, o.significantZ)]) {
    const score = Math.max(op.latencyZ, op.errorZ);
    const best = entities.get(op.entity);
    const judged = op.judged || (best?.judged ?? false);
    if (!best || score > best.score) entities.set(op.entity, { score, op, judged });
    else best.judged = judged;
  }
  return { entities, operations, wires: wireShifts, replies: [], callDrops: [] };
}

// Per entity with judged edges: its least-shifted edge's z, scaled by 1 − 1/(2·edges), as a pseudo-operation;
// none for an entity whose edges all join one neighbour with more edges, each shifted beyond the margin.
function wireBlame(wires: readonly WireShift[], marginZ: number): OperationShift[] {
  const edges = new Map<string, Array<[number, string]>>();
  for (const w of wires) {
    if (!w.judged) continue;
    edges.set(w.caller, [...(edges.get(w.caller) ?? []), [w.latencyZ, w.callee]]);
    edges.set(w.callee, [...(edges.get(w.callee) ?? []), [w.latencyZ, w.caller]]);
  }
  const out: OperationShift[] = [];
  for (const [entity, list] of edges) {
    const neighbours = [...new Set(list.map(([, other]) => other))];
    const wider = neighbours.length === 1 ? (edges.get(neighbours[0]) ?? []) : [];
    if (wider.length > list.length && wider.every(([z]) => z >= marginZ)) continue;
    const zs = list.map(([z]) => z);
    out.push({
      entity,
      operation: `network (${zs.length} call edge${zs.length === 1 ? '' : 's'})`,
      kind: 'wire' as const,
      latencyZ: Math.min(...zs) * (1 - 1 / (2 * zs.length)),
      errorZ: 0,
      callsZ: 0,
      judged: true,
    });
  }
  return out;
}

// Enough spans on both sides for a latency shift to mean anything.
function judgeable(normal: readonly number[], window: readonly number[], o: typeof TRACE_SHIFT): boolean {
  return normal.length >= o.minSpans && window.length >= o.minSpans;
}

/**
 * How far the self time slowed, ≥ 0 (only slowing down is harm): the larger of the robust z of the
 * window's median and the two-proportion z of the share of spans slower than normal's tail
 * (`tailQuantile`, and at least one scale above the median). The median alone misses a fault that
 * slows only some requests (a hang on a share of calls) or only part of the window.
 */
function latencyShift(normal: number[], window: number[], o: typeof TRACE_SHIFT): number {
  if (!judgeable(normal, window, o)) return 0;
  const n = Float64Array.from(normal).sort();
  const w = Float64Array.from(window).sort();
  const med = quantileSorted(n, 0.5);
  const dev = n.map((v) => Math.abs(v - med)).sort();
  const scale = Math.max(1.4826 * quantileSorted(dev, 0.5), o.minRelScale * med, 1_000);
  let medianZ = (quantileSorted(w, 0.5) - med) / scale;
  // Within the normal range, a large median shift counts only as far as the ranks support it.
  const fewSpans = Math.min(n.length, w.length) < o.tailEffectiveSpans;
  const pastNormal = quantileSorted(w, 0.5) - med > o.significantZ * spreadLessSlowest(n);
  if (medianZ > o.significantZ && fewSpans && !pastNormal) {
    const ranks = rankSumZ(n, w);
    if (ranks < o.significantZ) medianZ = ranks;
  }
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

interface Trace {
  ops: Map<number, number>;
  start: number;
  latency: number;
  failed: boolean;
  /** Longest span per operation, ns. */
  slowest: Map<number, number>;
}

/** microrank.ts's rankMicroRank before the span index. */
export function referenceMicroRank(
  spans: readonly SpanIn[],
  incidentStartNs: number,
  opts: Partial<typeof MICRORANK> = {},
): MicroRankResult {
  spans = withLoopsCut(spans);
  const o = { ...MICRORANK, ...opts };
  const opIndex = new Map<string, number>();
  const opNames: Array<[string, string]> = [];
  const traces = groupTraces(spans, opIndex, opNames);
  const callEdges = operationCalls(spans, opIndex);
  const before = traces.filter((t) => t.start < incidentStartNs);
  const diagnosed = traces.filter((t) => t.start >= incidentStartNs);
  const baseline = before.length > 0 ? before : traces;
  const window = diagnosed.length > 0 ? diagnosed : traces;
  const { mu, sd } = operationLatency(spans, opIndex, opNames.length, baseline === traces ? null : incidentStartNs);
  const anomalous: Trace[] = [];
  const normal: Trace[] = [];
  for (const t of window) {
    let slow = false;
    for (const [op, d] of t.slowest) if (d > mu[op] + o.sigmas * Math.max(sd[op], o.minRelSigma * mu[op])) slow = true;
    (t.failed || slow ? anomalous : normal).push(t);
  }
  // With no normal trace in the window, the baseline traces stand in as the passing runs.
  const passing = normal.length > 0 ? normal : baseline.filter((t) => !anomalous.includes(t));
  const nOps = opNames.length;
  const prA = setPageRank(anomalous, nOps, callEdges, o);
  const prN = setPageRank(passing, nOps, callEdges, o);
  const coverA = coverage(anomalous, nOps);
  const coverN = coverage(passing, nOps);
  const operations: OperationScore[] = [];
  for (let op = 0; op < nOps; op++) {
    const ef = prA[op] * coverA[op],
      nf = prA[op] * (anomalous.length - coverA[op]);
    const ep = prN[op] * coverN[op],
      np = prN[op] * (passing.length - coverN[op]);
    operations.push({
      entity: opNames[op][0],
      operation: opNames[op][1],
      score: suspiciousness({ ef, ep, nf, np }, o.formula),
      ef,
      ep,
      nf,
      np,
    });
  }
  operations.sort((a, b) => b.score - a.score || a.entity.localeCompare(b.entity));
  const entities = new Map<string, OperationScore>();
  for (const op of operations) if (!entities.has(op.entity)) entities.set(op.entity, op);
  return { entities, operations, anomalousTraces: anomalous.length, normalTraces: passing.length };
}

function groupTraces(
  spans: readonly SpanIn[],
  opIndex: Map<string, number>,
  opNames: Array<[string, string]>,
): Trace[] {
  const byTrace = new Map<string, Trace & { end: number }>();
  for (const s of spans) {
    const key = `${s.entity}\u0000${s.operation}`;
    let op = opIndex.get(key);
    if (op === undefined) {
      op = opNames.length;
      opIndex.set(key, op);
      opNames.push([s.entity, s.operation]);
    }
    let t = byTrace.get(s.traceId);
    if (!t)
      byTrace.set(
        s.traceId,
        (t = {
          ops: new Map(),
          start: s.startNs,
          end: s.startNs + s.durationNs,
          latency: 0,
          failed: false,
          slowest: new Map(),
        }),
      );
    t.ops.set(op, (t.ops.get(op) ?? 0) + 1);
    t.slowest.set(op, Math.max(t.slowest.get(op) ?? 0, s.durationNs));
    t.start = Math.min(t.start, s.startNs);
    t.end = Math.max(t.end, s.startNs + s.durationNs);
    if (isErrorStatus(s.status)) t.failed = true;
  }
  const out: Trace[] = [];
  for (const t of byTrace.values())
    out.push({ ops: t.ops, start: t.start, latency: t.end - t.start, failed: t.failed, slowest: t.slowest });
  return out;
}

// Mean and std of each operation's span duration, over spans starting before `beforeNs` (all if null).
function operationLatency(spans: readonly SpanIn[], opIndex: Map<string, number>, n: number, beforeNs: number | null) {
  const cnt = new Float64Array(n),
    sum = new Float64Array(n),
    sq = new Float64Array(n);
  for (const s of spans) {
    if (beforeNs !== null && s.startNs >= beforeNs) continue;
    const op = opIndex.get(`${s.entity}\u0000${s.operation}`) as number;
    cnt[op]++;
    sum[op] += s.durationNs;
    sq[op] += s.durationNs * s.durationNs;
  }
  const mu = new Float64Array(n),
    sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (cnt[i] === 0) {
      mu[i] = Number.POSITIVE_INFINITY;
      continue;
    }
    mu[i] = sum[i] / cnt[i];
    sd[i] = Math.sqrt(Math.max(0, sq[i] / cnt[i] - mu[i] * mu[i]));
  }
  return { mu, sd };
}

function operationCalls(spans: readonly SpanIn[], opIndex: Map<string, number>): Array<[number, number]> {
  const bySpan = new Map<string, number>();
  for (const s of spans)
    bySpan.set(`${s.traceId}\u0000${s.spanId}`, opIndex.get(`${s.entity}\u0000${s.operation}`) as number);
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  for (const s of spans) {
    if (s.parentSpanId === null) continue;
    const parent = bySpan.get(`${s.traceId}\u0000${s.parentSpanId}`);
    const child = bySpan.get(`${s.traceId}\u0000${s.spanId}`) as number;
    if (parent === undefined || parent === child || seen.has(`${parent},${child}`)) continue;
    seen.add(`${parent},${child}`);
    out.push([parent, child]);
  }
  return out;
}

function coverage(set: Trace[], nOps: number): Float64Array {
  const c = new Float64Array(nOps);
  for (const t of set) for (const op of t.ops.keys()) c[op]++;
  return c;
}

// PageRank over operations (0..nOps) and the set's traces (nOps..); returns operation weights × nOps.
function setPageRank(set: Trace[], nOps: number, calls: Array<[number, number]>, o: typeof MICRORANK): Float64Array {
  if (set.length === 0) return new Float64Array(nOps);
  const n = nOps + set.length;
  const edges: Array<[number, number, number]> = [];
  const tracesOf = new Float64Array(nOps);
  for (const t of set) for (const op of t.ops.keys()) tracesOf[op]++;
  const callsOut = new Float64Array(nOps);
  for (const [a] of calls) callsOut[a]++;
  for (const [a, b] of calls) edges.push([a, b, o.callShare / callsOut[a]]);
  const patternCount = new Map<string, number>();
  const patterns = set.map((t) => [...t.ops.keys()].sort((a, b) => a - b).join(','));
  for (const p of patterns) patternCount.set(p, (patternCount.get(p) ?? 0) + 1);
  const pref = new Float64Array(n);
  set.forEach((t, i) => {
    const node = nOps + i;
    for (const op of t.ops.keys()) {
      edges.push([node, op, 1 / t.ops.size]);
      edges.push([op, node, (callsOut[op] > 0 ? 1 - o.callShare : 1) / tracesOf[op]]);
    }
    // Rarer trace patterns carry more information about where the anomaly is.
    pref[node] = 1 / (patternCount.get(patterns[i]) as number);
  });
  const pr = pageRank(rowsFromEdges(n, edges), pref, { damping: o.damping });
  const out = new Float64Array(nOps);
  for (let op = 0; op < nOps; op++) out[op] = pr[op] * nOps;
  return out;
}

/**
 * The spans with every loop of parent links cut at its earliest span (made a root), by brute force: the
 * last span with an id stands for it, and each span's ancestors are walked with a set of those seen.
 */
export function withLoopsCut(spans: readonly SpanIn[]): SpanIn[] {
  const key = (trace: string, span: string) => `${trace}\u0000${span}`;
  const last = new Map<string, number>();
  spans.forEach((s, i) => last.set(key(s.traceId, s.spanId), i));
  const out = spans.map((s) => ({ ...s }));
  const parentOf = (i: number) => {
    const p = out[i].parentSpanId;
    return p === null ? -1 : (last.get(key(out[i].traceId, p)) ?? -1);
  };
  for (let i = 0; i < out.length; i++) {
    const path: number[] = [];
    let a = i;
    while (a >= 0 && !path.includes(a)) {
      path.push(a);
      a = parentOf(a);
    }
    if (a < 0) continue;
    const loop = path.slice(path.indexOf(a));
    const first = loop.reduce((x, y) => (out[y].startNs < out[x].startNs ? y : x));
    out[first].parentSpanId = null;
  }
  return out;
}
