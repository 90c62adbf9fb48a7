import { createHash } from 'node:crypto';
import type { EdgeRecord, EdgeType, GraphBatch, NodeRecord, Props, Uid } from '../../model/graph.js';
import { uid } from '../../model/uid.js';
import { peerStandIns } from '../../model/peer-stand-ins.js';
import type { SpanRecord } from '../../model/span-record.js';
import { CallWindows } from './call-windows.js';
import { getOrSet, TraceEntities, type EdgeEntry, type OperationEntity, type Running } from './trace-entities.js';
import { parseTraceAggregatorState, type TraceAggregatorState } from './trace-aggregator-state.js';
import { InputError } from '../../errors.js';

/** Knobs of trace compression. */
export const DEFAULTS = {
  /** Window length of CALLS statistics (ms). */
  windowMs: 60_000,
  /** Windows kept per edge (60 × 1 min = the last hour of activity). */
  retainWindows: 60,
  /** A trace is complete when no span of it arrived for this long (ms of the ingest clock). */
  traceIdleMs: 5_000,
  /** Completed trace ids remembered, so a replayed trace is not counted twice. */
  rememberTraces: 200_000,
  /** A root span slower than mean + n·σ of its operation makes the trace anomalous (MicroRank). */
  latencySigmas: 3,
  /** Samples of an operation needed before the latency rule applies. */
  minSamples: 30,
  /** Pods resolved from spans kept between drains; pods come and go, so past this the cache restarts. */
  cachedPods: 50_000,
};

export type TraceAggregatorOptions = typeof DEFAULTS & { cluster: string; now: () => number };

interface Pending {
  spans: Map<string, SpanRecord>;
  touchedAt: number;
}
interface Pattern {
  operations: string[];
  operationUids: Uid[];
  services: string[];
  normal: number;
  anomalous: number;
}

interface PatternEntry {
  uid: Uid;
  pattern: Pattern;
  epoch: number;
}

/** What `add` did with a batch of spans. */
export interface AddReport {
  accepted: number;
  duplicates: number;
  late: number;
}

/**
 * Compresses spans into the knowledge graph's call statistics: assembles spans into traces (spans of
 * one trace arrive from many services, in many requests), and when a trace is complete adds its calls
 * to per-window CALLS edges (Service→Service and Operation→Operation) and its operation set to a
 * `TracePattern` (normal/anomalous counts). Spans are not kept once their trace is folded in.
 * Deterministic for a given order of `add`/`drain` calls and clock. Replaying spans already counted
 * is a no-op (by span id while the trace is open, by trace id once it is closed).
 */
export class TraceAggregator {
  readonly options: TraceAggregatorOptions;
  private readonly pending = new Map<string, Pending>();
  private readonly closed = new Map<string, true>();
  private readonly edges = new Map<string, EdgeEntry>();
  private entities: TraceEntities;
  /** Patterns by the sorted operation indexes of a trace (the uid's hash is computed once per pattern). */
  private readonly patterns = new Map<string, PatternEntry>();
  /** The current drain; an entity whose `epoch` equals it is already in the batch being built. */
  private epoch = 1;
  private readonly dirtyNodes: NodeRecord[] = [];
  private readonly dirtyLinks: EdgeRecord[] = [];
  private readonly dirtyCalls: EdgeEntry[] = [];
  private readonly dirtyPatterns: PatternEntry[] = [];
  private maxSpanEndMs = 0;

  constructor(opts: Partial<TraceAggregatorOptions> = {}) {
    this.options = { ...DEFAULTS, cluster: 'default', now: () => Date.now(), ...opts };
    this.entities = new TraceEntities(this.options.cluster, this.options.cachedPods);
  }

  /** Spans waiting for their trace to complete. */
  get pendingSpans(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.spans.size;
    return n;
  }

  /** Buffers spans by trace. Spans of traces already folded in are `late` and dropped. */
  add(spans: readonly SpanRecord[]): AddReport {
    const now = this.options.now();
    const report: AddReport = { accepted: 0, duplicates: 0, late: 0 };
    for (const s of spans) {
      if (this.closed.has(s.traceId)) {
        report.late++;
        continue;
      }
      let p = this.pending.get(s.traceId);
      if (!p) {
        p = { spans: new Map(), touchedAt: now };
        this.pending.set(s.traceId, p);
      }
      if (p.spans.has(s.spanId)) {
        report.duplicates++;
        continue;
      }
      p.spans.set(s.spanId, s);
      p.touchedAt = now;
      report.accepted++;
    }
    return report;
  }

  /**
   * Folds complete traces (idle for `traceIdleMs`, or all with `force`) into the statistics and
   * returns the graph batch of everything that changed since the last drain, or null. The batch's
   * props are absolute (not increments), so writing it twice is harmless.
   */
  drain(opts: { force?: boolean } = {}): GraphBatch | null {
    const cutoff = this.options.now() - this.options.traceIdleMs;
    for (const [id, p] of this.pending) {
      if (!opts.force && p.touchedAt > cutoff) continue;
      this.pending.delete(id);
      this.remember(id);
      this.fold(p.spans);
    }
    const changes =
      this.dirtyNodes.length + this.dirtyLinks.length + this.dirtyCalls.length + this.dirtyPatterns.length;
    if (changes === 0) return null;
    const calls = this.dirtyCalls.map((e): EdgeRecord => ({
      type: e.type,
      from: e.from,
      to: e.to,
      props: e.windows.toProps(),
    }));
    const patterns = this.dirtyPatterns.map((p): NodeRecord => ({
      label: 'TracePattern',
      uid: p.uid,
      props: patternProps(p.pattern),
    }));
    const batch: GraphBatch = {
      nodes: [...this.dirtyNodes, ...patterns],
      edges: [...this.dirtyLinks, ...calls],
      observedAt: Math.round(this.maxSpanEndMs),
    };
    this.dirtyNodes.length = 0;
    this.dirtyLinks.length = 0;
    this.dirtyCalls.length = 0;
    this.dirtyPatterns.length = 0;
    this.epoch++;
    this.entities.trimPods();
    return batch;
  }

  /** Merges windows another worker (or the graph) holds for an edge, before new calls are added. */
  absorb(edge: EdgeRecord): void {
    const other = CallWindows.fromProps(edge.props, this.options.retainWindows);
    if (!other || other.windowMs !== this.options.windowMs) return;
    this.edgeWindows(edge.type, edge.from, edge.to).merge(other);
  }

  /**
   * The whole state as plain JSON-serialisable data: open traces, closed trace ids, entities and their
   * drain epochs, CALLS windows with their sketches, patterns, and what the next drain already holds.
   */
  snapshot(): TraceAggregatorState {
    const o = this.options;
    const options = {
      windowMs: o.windowMs,
      retainWindows: o.retainWindows,
      traceIdleMs: o.traceIdleMs,
      rememberTraces: o.rememberTraces,
      latencySigmas: o.latencySigmas,
      minSamples: o.minSamples,
      cachedPods: o.cachedPods,
      cluster: o.cluster,
    };
    const edgeIndex = new Map<EdgeEntry, number>();
    const edges = [...this.edges.values()].map((e, i) => {
      edgeIndex.set(e, i);
      return { type: e.type, from: e.from, to: e.to, epoch: e.epoch, windows: e.windows.toState() };
    });
    const patternIndex = new Map<PatternEntry, number>();
    const patterns = [...this.patterns].map(([key, p], i) => {
      patternIndex.set(p, i);
      return { key, normal: p.pattern.normal, anomalous: p.pattern.anomalous, epoch: p.epoch };
    });
    return {
      version: 1,
      options,
      epoch: this.epoch,
      maxSpanEndMs: this.maxSpanEndMs,
      pending: [...this.pending].map(([traceId, p]) => ({
        traceId,
        touchedAt: p.touchedAt,
        spans: [...p.spans.values()],
      })),
      closed: [...this.closed.keys()],
      entities: this.entities.toState(),
      edges,
      patterns,
      dirty: {
        nodes: this.dirtyNodes.map((n) => ({ ...n, props: { ...n.props } })),
        links: this.dirtyLinks.map((e) => ({ ...e, props: { ...e.props } })),
        calls: this.dirtyCalls.map((e) => edgeIndex.get(e) as number),
        patterns: this.dirtyPatterns.map((p) => patternIndex.get(p) as number),
      },
    };
  }

  /**
   * An aggregator that continues where the one that made `state` stopped: the same open traces,
   * counts, windows, sketches, patterns and pending changes, so its drains are the ones the original
   * would have produced. `opts` supplies the clock and may change the other knobs; a different
   * `windowMs` or `cluster` than the state's is refused (the counts would not fit). Throws InputError
   * when the state is malformed.
   */
  static restore(state: unknown, opts: Partial<TraceAggregatorOptions> = {}): TraceAggregator {
    const s = parseTraceAggregatorState(state);
    for (const k of ['windowMs', 'cluster'] as const)
      if (opts[k] !== undefined && opts[k] !== s.options[k])
        throw new InputError(`trace aggregator state › options.${k}`, `is ${s.options[k]}, asked for ${opts[k]}`, {
          hint: 'Restore with the settings the state was made with, or start without the state.',
        });
    const agg = new TraceAggregator({ ...s.options, ...opts });
    const o = agg.options;
    agg.epoch = s.epoch;
    agg.maxSpanEndMs = s.maxSpanEndMs;
    for (const t of s.pending)
      agg.pending.set(t.traceId, { touchedAt: t.touchedAt, spans: new Map(t.spans.map((x) => [x.spanId, x])) });
    for (const id of s.closed) agg.closed.set(id, true);
    agg.entities = TraceEntities.fromState(o.cluster, o.cachedPods, s.entities);
    const edges = s.edges.map((e) => {
      const entry = agg.edge(e.type as EdgeType, e.from, e.to);
      entry.epoch = e.epoch;
      entry.windows = CallWindows.fromState(o.windowMs, o.retainWindows, e.windows);
      return entry;
    });
    const patterns = s.patterns.map((p) => {
      const entry = agg.newPattern(p.key, p.key.split(',').slice(0, -1).map(Number));
      entry.pattern.normal = p.normal;
      entry.pattern.anomalous = p.anomalous;
      entry.epoch = p.epoch;
      return entry;
    });
    agg.dirtyNodes.push(...(s.dirty.nodes as NodeRecord[]));
    agg.dirtyLinks.push(...(s.dirty.links as EdgeRecord[]));
    agg.dirtyCalls.push(...s.dirty.calls.map((i) => edges[i]));
    agg.dirtyPatterns.push(...s.dirty.patterns.map((i) => patterns[i]));
    return agg;
  }

  private remember(traceId: string): void {
    this.closed.set(traceId, true);
    // Map keeps insertion order: the oldest closed trace is forgotten first.
    if (this.closed.size > this.options.rememberTraces) this.closed.delete(this.closed.keys().next().value as string);
  }

  /** The windows of one CALLS edge, marked as changed in this drain. */
  private edgeWindows(type: EdgeType, from: Uid, to: Uid): CallWindows {
    return this.touchEdge(this.edge(type, from, to)).windows;
  }

  private edge(type: EdgeType, from: Uid, to: Uid): EdgeEntry {
    const key = `${type} ${from} ${to}`;
    let e = this.edges.get(key);
    if (!e) {
      e = { type, from, to, windows: new CallWindows(this.options.windowMs, this.options.retainWindows), epoch: 0 };
      this.edges.set(key, e);
    }
    return e;
  }

  private touchEdge(e: EdgeEntry): EdgeEntry {
    if (e.epoch !== this.epoch) {
      e.epoch = this.epoch;
      this.dirtyCalls.push(e);
    }
    return e;
  }

  /** True the first time `seen` is met in this drain (it then goes into the batch). */
  private fresh(seen: { epoch: number }): boolean {
    if (seen.epoch === this.epoch) return false;
    seen.epoch = this.epoch;
    return true;
  }

  /** The entities a span names, each put in the batch the first time this drain meets it. */
  private emit(s: SpanRecord, op: OperationEntity): void {
    const svc = op.service;
    if (this.fresh(svc))
      this.dirtyNodes.push({ label: 'Service', uid: svc.uid, props: { name: s.service, namespace: s.namespace } });
    if (this.fresh(op)) {
      this.dirtyNodes.push({
        label: 'Operation',
        uid: op.uid,
        props: { name: s.operation, service: s.service, namespace: s.namespace },
      });
      this.dirtyLinks.push({ type: 'HAS_OPERATION', from: svc.uid, to: op.uid, props: {} });
    }
    if (!s.pod) return;
    const pod = this.entities.pod(s.pod, s.namespace);
    if (this.fresh(pod))
      this.dirtyNodes.push({ label: 'Pod', uid: pod.uid, props: { name: s.pod, namespace: s.namespace } });
    if (this.fresh(getOrSet(svc.selects, pod, () => ({ epoch: 0 }))))
      this.dirtyLinks.push({ type: 'SELECTS', from: svc.uid, to: pod.uid, props: { via: 'telemetry' } });
    if (!s.machine) return;
    const machine = this.entities.machine(s.machine);
    if (this.fresh(machine)) this.dirtyNodes.push({ label: 'Machine', uid: machine.uid, props: { name: s.machine } });
    if (this.fresh(getOrSet(pod.runsOn, machine, () => ({ epoch: 0 }))))
      this.dirtyLinks.push({ type: 'RUNS_ON', from: pod.uid, to: machine.uid, props: {} });
  }

  /** The CALLS edges of one caller → callee pair, created on first use. */
  private callEdges(parent: OperationEntity, child: OperationEntity): { op: EdgeEntry; svc: EdgeEntry | null } {
    let c = parent.calls.get(child);
    if (!c) {
      const svc = parent.service === child.service ? null : this.edge('CALLS', parent.service.uid, child.service.uid);
      c = { op: this.edge('CALLS', parent.uid, child.uid), svc };
      parent.calls.set(child, c);
    }
    return c;
  }

  /** One complete trace: entities, calls into windows, its pattern. */
  private fold(trace: Map<string, SpanRecord>): void {
    // Callees that write no spans but are named by their callers' client spans stand in as spans of their own.
    const standIns = peerStandIns(trace.values());
    const spans = standIns.length === 0 ? trace : new Map([...trace, ...standIns.map((s) => [s.spanId, s] as const)]);
    let anomalous = false;
    const indexes: number[] = [];
    for (const s of spans.values()) {
      this.maxSpanEndMs = Math.max(this.maxSpanEndMs, (s.startNs + s.durationNs) / 1e6);
      const op = this.entities.operation(s);
      indexes.push(op.index);
      this.emit(s, op);
      const ms = s.durationNs / 1e6;
      const parent = s.parentSpanId ? spans.get(s.parentSpanId) : undefined;
      if (s.error) anomalous = true;
      if (parent) {
        const calls = this.callEdges(this.entities.operation(parent), op);
        this.touchEdge(calls.op).windows.add(s.startNs / 1e6, ms, s.error);
        if (calls.svc) this.touchEdge(calls.svc).windows.add(s.startNs / 1e6, ms, s.error);
      } else if (slowRoot(op.latency, ms, this.options)) anomalous = true;
    }
    const entry = this.pattern(indexes);
    if (anomalous) entry.pattern.anomalous++;
    else entry.pattern.normal++;
    if (this.fresh(entry)) this.dirtyPatterns.push(entry);
  }

  /** The TracePattern of a set of operations (indexes, any order, repeats allowed). */
  private pattern(indexes: number[]): PatternEntry {
    const sorted = Int32Array.from(indexes).sort();
    let key = '';
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) key += `${sorted[i]},`;
    const entry = this.patterns.get(key);
    if (entry) return entry;
    const created = this.newPattern(key, [...new Set(sorted)]);
    for (const u of created.pattern.operationUids)
      this.dirtyLinks.push({ type: 'TOUCHES', from: created.uid, to: u, props: {} });
    return created;
  }

  /** A new TracePattern entry for `key` (its distinct operation indexes), counts at zero. */
  private newPattern(key: string, distinct: number[]): PatternEntry {
    const ops = distinct.map((i) => this.entities.operationAt(i)).sort((a, b) => compare(a.uid, b.uid));
    const c = this.options.cluster;
    const id = uid(
      'TracePattern',
      c,
      createHash('sha256')
        .update(ops.map((o) => o.uid).join('\n'))
        .digest('hex')
        .slice(0, 16),
    );
    const entry: PatternEntry = {
      uid: id,
      epoch: 0,
      pattern: {
        operations: ops.map((o) => o.label),
        operationUids: ops.map((o) => o.uid),
        services: [...new Set(ops.map((o) => o.serviceName))].sort(),
        normal: 0,
        anomalous: 0,
      },
    };
    this.patterns.set(key, entry);
    return entry;
  }
}

/** Welford running mean/variance of root latency per operation; true when this one is an outlier. */
function slowRoot(r: Running, ms: number, o: { minSamples: number; latencySigmas: number }): boolean {
  const sd = r.n > 1 ? Math.sqrt(r.m2 / (r.n - 1)) : 0;
  const slow = r.n >= o.minSamples && ms > r.mean + o.latencySigmas * sd;
  r.n++;
  const d = ms - r.mean;
  r.mean += d / r.n;
  r.m2 += d * (ms - r.mean);
  return slow;
}

/** Code-unit order, as Array.prototype.sort orders strings by default. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function patternProps(p: Pattern): Props {
  return {
    operations: p.operations,
    operationUids: p.operationUids,
    services: p.services,
    size: p.operations.length,
    normalCount: p.normal,
    anomalousCount: p.anomalous,
    count: p.normal + p.anomalous,
  };
}
