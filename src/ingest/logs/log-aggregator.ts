import { createHash } from 'node:crypto';
import type { GraphBatch, NodeRecord, EdgeRecord, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import { isErrorLevel, logTemplateUid, TemplateMiner } from '../../logs/index.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';

/** Knobs of log compression. */
export const DEFAULTS = {
  /** Window length of template counts (ms). */
  windowMs: 60_000,
  /** Windows kept per template; older lines are dropped as late. */
  retainWindows: 60,
};

export type LogAggregatorOptions = typeof DEFAULTS & { cluster: string };

interface TemplateState {
  service: string;
  namespace: string;
  templateId: string;
  text: string;
  windows: Map<number, { count: number; errors: number }>;
}

/** What `add` did. */
export interface LogAddReport {
  accepted: number;
  duplicates: number;
  late: number;
}

/**
 * Turns log lines into `LogTemplate` counts per service and window (`EMITTED_BY` → Service): each
 * service has its own Drain miner (src/logs), raw lines are not kept. A line already counted (same
 * service, pod, time, level and text within the retained windows) is a duplicate and ignored, so
 * replaying logs leaves the graph unchanged. Deterministic for a given order of lines.
 */
export class LogAggregator {
  readonly options: LogAggregatorOptions;
  private readonly miners = new Map<string, TemplateMiner>();
  private readonly seen = new Map<number, Set<string>>();
  private readonly templates = new Map<Uid, TemplateState>();
  private readonly dirty = new Set<Uid>();
  private newest = -Infinity;
  private maxTimeMs = 0;

  constructor(opts: Partial<LogAggregatorOptions> = {}) {
    this.options = { ...DEFAULTS, cluster: 'default', ...opts };
  }

  /** Mines and counts lines. */
  add(lines: readonly LogRecordIn[]): LogAddReport {
    const { windowMs, retainWindows, cluster } = this.options;
    const report: LogAddReport = { accepted: 0, duplicates: 0, late: 0 };
    for (const l of lines) {
      const start = Math.floor(l.timeMs / windowMs) * windowMs;
      if (start <= this.newest - retainWindows * windowMs) {
        report.late++;
        continue;
      }
      const key = createHash('sha1')
        .update(
          `${l.namespace}\u0000${l.service}\u0000${l.pod ?? ''}\u0000${l.timeMs}\u0000${l.level}\u0000${l.message}`,
        )
        .digest('base64');
      let seen = this.seen.get(start);
      if (!seen) {
        seen = new Set();
        this.seen.set(start, seen);
      }
      if (seen.has(key)) {
        report.duplicates++;
        continue;
      }
      seen.add(key);
      const minerKey = `${l.namespace}/${l.service}`;
      let miner = this.miners.get(minerKey);
      if (!miner) {
        miner = new TemplateMiner();
        this.miners.set(minerKey, miner);
      }
      const found = miner.add(l.message).cluster;
      const id = logTemplateUid(l.service, found.id, { namespace: l.namespace, cluster });
      let t = this.templates.get(id);
      if (!t) {
        t = {
          service: l.service,
          namespace: l.namespace,
          templateId: found.id,
          text: found.template,
          windows: new Map(),
        };
        this.templates.set(id, t);
      }
      t.text = found.template;
      const w = t.windows.get(start) ?? { count: 0, errors: 0 };
      w.count++;
      if (isErrorLevel(l.level)) w.errors++;
      t.windows.set(start, w);
      this.dirty.add(id);
      this.maxTimeMs = Math.max(this.maxTimeMs, l.timeMs);
      if (start > this.newest) {
        this.newest = start;
        this.forgetOld();
      }
      report.accepted++;
    }
    return report;
  }

  /** The graph batch of templates that changed since the last drain (absolute counts), or null. */
  drain(): GraphBatch | null {
    if (this.dirty.size === 0) return null;
    const nodes: NodeRecord[] = [];
    const edges: EdgeRecord[] = [];
    const services = new Map<Uid, NodeRecord>();
    for (const id of [...this.dirty].sort()) {
      const t = this.templates.get(id) as TemplateState;
      const starts = [...t.windows.keys()].sort((a, b) => a - b);
      const ws = starts.map((s) => t.windows.get(s) as { count: number; errors: number });
      nodes.push({
        label: 'LogTemplate',
        uid: id,
        props: {
          service: t.service,
          namespace: t.namespace,
          templateId: t.templateId,
          template: t.text,
          windowMs: this.options.windowMs,
          windowStarts: starts,
          counts: ws.map((w) => w.count),
          errorCounts: ws.map((w) => w.errors),
          count: ws.reduce((a, w) => a + w.count, 0),
          errorCount: ws.reduce((a, w) => a + w.errors, 0),
          lastWindow: starts[starts.length - 1],
        },
      });
      const svc = uids.service(t.service, t.namespace, this.options.cluster);
      services.set(svc, { label: 'Service', uid: svc, props: { name: t.service, namespace: t.namespace } });
      edges.push({ type: 'EMITTED_BY', from: id, to: svc, props: {} });
    }
    this.dirty.clear();
    return { nodes: [...nodes, ...services.values()], edges, observedAt: Math.round(this.maxTimeMs) };
  }

  /** Drops dedup sets and template windows that fell out of retention. */
  private forgetOld(): void {
    const oldest = this.newest - (this.options.retainWindows - 1) * this.options.windowMs;
    for (const s of this.seen.keys()) if (s < oldest) this.seen.delete(s);
    for (const t of this.templates.values()) for (const s of t.windows.keys()) if (s < oldest) t.windows.delete(s);
  }
}
