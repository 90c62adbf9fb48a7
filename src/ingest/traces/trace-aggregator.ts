import { createHash } from 'node:crypto';
import type { EdgeRecord, EdgeType, GraphBatch, NodeRecord, Props, Uid } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';
import type { SpanRecord } from '../otel/span-record.js';
import { CallWindows } from './call-windows.js';

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
interface Running {
  n: number;
  mean: number;
  m2: number;
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
  private readonly edges = new Map<string, { type: EdgeType; from: Uid; to: Uid; windows: CallWindows }>();
  private readonly patterns = new Map<Uid, Pattern>();
  private readonly latency = new Map<Uid, Running>();
  private readonly dirtyNodes = new Map<Uid, NodeRecord>();
  private readonly dirtyEdges = new Map<string, EdgeRecord>();
  private readonly dirtyKeys = new Set<string>();
  private readonly dirtyPatterns = new Set<Uid>();
  private maxSpanEndMs = 0;

  constructor(opts: Partial<TraceAggregatorOptions> = {}) {
    this.options = { ...DEFAULTS, cluster: 'default', now: () => Date.now(), ...opts };
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
      this.fold([...p.spans.values()]);
    }
    for (const key of this.dirtyKeys) {
      const e = this.edges.get(key);
      if (e) this.dirtyEdges.set(key, { type: e.type, from: e.from, to: e.to, props: e.windows.toProps() });
    }
    for (const id of this.dirtyPatterns)
      this.dirtyNodes.set(id, {
        label: 'TracePattern',
        uid: id,
        props: patternProps(this.patterns.get(id) as Pattern),
      });
    if (this.dirtyNodes.size === 0 && this.dirtyEdges.size === 0) return null;
    const batch: GraphBatch = {
      nodes: [...this.dirtyNodes.values()],
      edges: [...this.dirtyEdges.values()],
      observedAt: Math.round(this.maxSpanEndMs),
    };
    this.dirtyNodes.clear();
    this.dirtyEdges.clear();
    this.dirtyKeys.clear();
    this.dirtyPatterns.clear();
    return batch;
  }

  /** Merges windows another worker (or the graph) holds for an edge, before new calls are added. */
  absorb(edge: EdgeRecord): void {
    const other = CallWindows.fromProps(edge.props, this.options.retainWindows);
    if (!other || other.windowMs !== this.options.windowMs) return;
    this.edgeWindows(edge.type, edge.from, edge.to).merge(other);
  }

  private remember(traceId: string): void {
    this.closed.set(traceId, true);
    // Map keeps insertion order: the oldest closed trace is forgotten first.
    if (this.closed.size > this.options.rememberTraces) this.closed.delete(this.closed.keys().next().value as string);
  }

  private edgeWindows(type: EdgeType, from: Uid, to: Uid): CallWindows {
    const key = `${type} ${from} ${to}`;
    let e = this.edges.get(key);
    if (!e) {
      e = { type, from, to, windows: new CallWindows(this.options.windowMs, this.options.retainWindows) };
      this.edges.set(key, e);
    }
    this.dirtyKeys.add(key);
    return e.windows;
  }

  private node(label: NodeRecord['label'], id: Uid, props: Props): void {
    if (!this.dirtyNodes.has(id)) this.dirtyNodes.set(id, { label, uid: id, props });
  }

  private link(type: EdgeType, from: Uid, to: Uid, props: Props = {}): void {
    const key = `${type} ${from} ${to}`;
    if (!this.dirtyEdges.has(key) && !this.edges.has(key)) this.dirtyEdges.set(key, { type, from, to, props });
  }

  /** One complete trace: entities, calls into windows, its pattern. */
  private fold(spans: SpanRecord[]): void {
    const c = this.options.cluster;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const opUid = (s: SpanRecord) => uids.operation(s.service, s.operation, s.namespace, c);
    const svcUid = (s: SpanRecord) => uids.service(s.service, s.namespace, c);
    let anomalous = false;
    for (const s of spans) {
      this.maxSpanEndMs = Math.max(this.maxSpanEndMs, (s.startNs + s.durationNs) / 1e6);
      this.node('Service', svcUid(s), { name: s.service, namespace: s.namespace });
      this.node('Operation', opUid(s), { name: s.operation, service: s.service, namespace: s.namespace });
      this.link('HAS_OPERATION', svcUid(s), opUid(s));
      if (s.pod) {
        const pod = uids.pod(s.pod, s.namespace, c);
        this.node('Pod', pod, { name: s.pod, namespace: s.namespace });
        this.link('SELECTS', svcUid(s), pod, { via: 'telemetry' });
        if (s.machine) {
          this.node('Machine', uids.machine(s.machine, c), { name: s.machine });
          this.link('RUNS_ON', pod, uids.machine(s.machine, c));
        }
      }
      const ms = s.durationNs / 1e6;
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      if (s.error) anomalous = true;
      if (parent) {
        this.edgeWindows('CALLS', opUid(parent), opUid(s)).add(s.startNs / 1e6, ms, s.error);
        if (svcUid(parent) !== svcUid(s))
          this.edgeWindows('CALLS', svcUid(parent), svcUid(s)).add(s.startNs / 1e6, ms, s.error);
      } else if (this.slowRoot(opUid(s), ms)) anomalous = true;
    }
    const ops = [...new Set(spans.map(opUid))].sort();
    const id = uid('TracePattern', c, createHash('sha256').update(ops.join('\n')).digest('hex').slice(0, 16));
    let p = this.patterns.get(id);
    if (!p) {
      const names = new Map(spans.map((s) => [opUid(s), `${s.service} › ${s.operation}`]));
      p = {
        operations: ops.map((o) => names.get(o) as string),
        operationUids: ops,
        services: [...new Set(spans.map((s) => s.service))].sort(),
        normal: 0,
        anomalous: 0,
      };
      this.patterns.set(id, p);
      for (const o of ops) this.link('TOUCHES', id, o);
    }
    if (anomalous) p.anomalous++;
    else p.normal++;
    this.dirtyPatterns.add(id);
  }

  /** Welford running mean/variance of root latency per operation; true when this one is an outlier. */
  private slowRoot(op: Uid, ms: number): boolean {
    let r = this.latency.get(op);
    if (!r) {
      r = { n: 0, mean: 0, m2: 0 };
      this.latency.set(op, r);
    }
    const sd = r.n > 1 ? Math.sqrt(r.m2 / (r.n - 1)) : 0;
    const slow = r.n >= this.options.minSamples && ms > r.mean + this.options.latencySigmas * sd;
    r.n++;
    const d = ms - r.mean;
    r.mean += d / r.n;
    r.m2 += d * (ms - r.mean);
    return slow;
  }
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
