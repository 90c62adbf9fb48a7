import type { GraphBatch, NodeRecord, EdgeRecord, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import { InputError } from '../../errors.js';
import { isErrorLevel, logTemplateUid, TemplateMiner } from '../../logs/index.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';
import { type LogAggregatorState, parseLogAggregatorState } from './log-aggregator-state.js';

export type { LogAggregatorState } from './log-aggregator-state.js';

/** Knobs of log compression. */
export const DEFAULTS = {
  /** Window length of template counts (ms). */
  windowMs: 60_000,
  /** Windows kept per template; older lines are dropped as late. */
  retainWindows: 60,
};

export type LogAggregatorOptions = typeof DEFAULTS & { cluster: string };

interface WindowCount {
  count: number;
  errors: number;
}

interface TemplateState {
  uid: Uid;
  service: string;
  namespace: string;
  templateId: string;
  text: string;
  windows: Map<number, WindowCount>;
  /** The survivor's uid once the miner merged this template into another (its counts moved there). */
  mergedInto?: Uid;
  /** Whether a drain has written its node under `uid` (a renamed template retires only a written node). */
  written: boolean;
}

/** One service's miner and the templates the aggregator holds for it. */
interface MinerState {
  namespace: string;
  service: string;
  miner: TemplateMiner;
  /** Cluster id → template state (live templates only). */
  byId: Map<string, TemplateState>;
}

/** What `add` did. */
export interface LogAddReport {
  accepted: number;
  duplicates: number;
  late: number;
}

/** What `add` did, and the lines it counted (input order): neither late nor already counted. */
export interface LogAddResult extends LogAddReport {
  acceptedLines: LogRecordIn[];
}

/**
 * Turns log lines into `LogTemplate` counts per service and window (`EMITTED_BY` → Service): each
 * service has its own Drain miner (src/logs), raw lines are not kept. A line already counted (same
 * service, pod, time, level and text within the retained windows: a 53-bit hash of them) is a
 * duplicate and ignored, so replaying logs leaves the graph unchanged. When the miner merges two
 * clusters, the merged-away template's counts move to the survivor and its node is marked
 * `mergedInto` (counts emptied). Deterministic for a given order of lines; its whole state is
 * `snapshot()`, and `LogAggregator.restore(snapshot)` continues with the same ids and counts.
 */
export class LogAggregator {
  readonly options: LogAggregatorOptions;
  /** namespace → service → miner state. */
  private readonly miners = new Map<string, Map<string, MinerState>>();
  private readonly seen = new Map<number, Set<number>>();
  private readonly templates = new Map<Uid, TemplateState>();
  private readonly dirty = new Set<Uid>();
  /** Level text → error or worse (a handful of spellings per stream). */
  private readonly errorLevels = new Map<string, boolean>();
  private newest = -Infinity;
  private maxTimeMs = 0;

  constructor(opts: Partial<LogAggregatorOptions> = {}) {
    this.options = { ...DEFAULTS, cluster: 'default', ...opts };
  }

  /** Mines and counts lines; returns the ones it counted, so readers of raw lines see each line once. */
  add(lines: readonly LogRecordIn[]): LogAddResult {
    const { windowMs, retainWindows } = this.options;
    const report: LogAddResult = { accepted: 0, duplicates: 0, late: 0, acceptedLines: [] };
    for (const l of lines) {
      const start = Math.floor(l.timeMs / windowMs) * windowMs;
      if (start <= this.newest - retainWindows * windowMs) {
        report.late++;
        continue;
      }
      const key = lineHash(l);
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
      const m = this.minerOf(l.namespace, l.service);
      const before = m.miner.size;
      const { cluster, change } = m.miner.add(l.message);
      // Fewer clusters than the line's own creation explains: the miner merged some; fold them.
      if (m.miner.size < before + (change === 'created' ? 1 : 0)) this.foldMerged(m);
      const t = this.templateOf(m, cluster.id);
      let w = t.windows.get(start);
      if (!w) {
        w = { count: 0, errors: 0 };
        t.windows.set(start, w);
      }
      w.count++;
      if (this.isError(l.level)) w.errors++;
      this.dirty.add(t.uid);
      if (l.timeMs > this.maxTimeMs) this.maxTimeMs = l.timeMs;
      if (start > this.newest) {
        this.newest = start;
        this.forgetOld();
      }
      report.accepted++;
      report.acceptedLines.push(l);
    }
    return report;
  }

  /** The graph batch of templates that changed since the last drain (absolute counts), or null. */
  drain(): GraphBatch | null {
    if (this.dirty.size === 0) return null;
    const nodes: NodeRecord[] = [];
    const edges: EdgeRecord[] = [];
    const services = new Map<Uid, NodeRecord>();
    const dirty = [...this.dirty].sort();
    const renamed = this.renameByText(dirty);
    const writes: TemplateState[] = [...renamed.retired];
    for (const id of dirty) {
      const t = this.templates.get(renamed.uids.get(id) ?? id) as TemplateState;
      if (t.mergedInto !== undefined) t.mergedInto = renamed.uids.get(t.mergedInto) ?? t.mergedInto;
      writes.push(t);
    }
    for (const t of writes) {
      const id = t.uid;
      nodes.push({ label: 'LogTemplate', uid: id, props: this.props(t) });
      // A merged-away template is written once, marked; the survivor carries its counts from now on.
      if (t.mergedInto === undefined) t.written = true;
      else if (this.templates.get(id) === t) this.templates.delete(id);
      const svc = uids.service(t.service, t.namespace, this.options.cluster);
      services.set(svc, { label: 'Service', uid: svc, props: { name: t.service, namespace: t.namespace } });
      edges.push({ type: 'EMITTED_BY', from: id, to: svc, props: {} });
    }
    this.dirty.clear();
    return { nodes: [...nodes, ...services.values()], edges, observedAt: Math.round(this.maxTimeMs) };
  }

  /** The whole state as plain JSON-serialisable data (no Infinity, no Maps). */
  snapshot(): LogAggregatorState {
    const miners: LogAggregatorState['miners'] = [];
    for (const byService of this.miners.values())
      for (const m of byService.values())
        miners.push({ namespace: m.namespace, service: m.service, miner: m.miner.snapshot() });
    return {
      version: 1,
      options: { ...this.options },
      newest: Number.isFinite(this.newest) ? this.newest : null,
      maxTimeMs: this.maxTimeMs,
      miners,
      templates: [...this.templates.values()].map((t) => ({
        uid: t.uid,
        service: t.service,
        namespace: t.namespace,
        templateId: t.templateId,
        text: t.text,
        windows: [...t.windows].map(([s, w]): [number, number, number] => [s, w.count, w.errors]),
        ...(t.mergedInto === undefined ? {} : { mergedInto: t.mergedInto }),
        written: t.written,
      })),
      seen: [...this.seen].map(([s, set]): [number, number[]] => [s, [...set]]),
      dirty: [...this.dirty],
    };
  }

  /**
   * An aggregator that continues where the one that made `state` stopped: the same template ids,
   * counts, replay detection and pending changes. `opts` may change `retainWindows`; a different
   * `windowMs` or `cluster` than the state's is refused (the counts would not fit). Throws InputError
   * when the state is malformed.
   */
  static restore(state: unknown, opts: Partial<LogAggregatorOptions> = {}): LogAggregator {
    const s = parseLogAggregatorState(state);
    for (const k of ['windowMs', 'cluster'] as const) {
      if (opts[k] !== undefined && opts[k] !== s.options[k])
        throw new InputError(`log aggregator state › options.${k}`, `is ${s.options[k]}, asked for ${opts[k]}`, {
          hint: 'Restore with the settings the state was made with, or start without the state.',
        });
    }
    const agg = new LogAggregator({ ...s.options, ...opts });
    agg.newest = s.newest ?? -Infinity;
    agg.maxTimeMs = s.maxTimeMs;
    for (const [i, m] of s.miners.entries()) {
      let miner: TemplateMiner;
      try {
        miner = TemplateMiner.restore(m.miner);
      } catch (err) {
        if (err instanceof InputError) throw new InputError(`log aggregator state › miners.${i}`, err.message);
        throw err;
      }
      agg.minerOf(m.namespace, m.service, miner);
    }
    for (const t of s.templates) {
      const state: TemplateState = {
        uid: t.uid,
        service: t.service,
        namespace: t.namespace,
        templateId: t.templateId,
        text: t.text,
        windows: new Map(t.windows.map(([start, count, errors]) => [start, { count, errors }])),
        ...(t.mergedInto === undefined ? {} : { mergedInto: t.mergedInto }),
        // States of older versions say nothing: their nodes may be in the graph.
        written: t.written ?? true,
      };
      agg.templates.set(t.uid, state);
      if (t.mergedInto === undefined) agg.minerOf(t.namespace, t.service).byId.set(t.templateId, state);
    }
    for (const [start, hashes] of s.seen) agg.seen.set(start, new Set(hashes));
    for (const u of s.dirty) agg.dirty.add(u);
    return agg;
  }

  private props(t: TemplateState): NodeRecord['props'] {
    // A live template clears `mergedInto`: its text's node may have been retired by an earlier template.
    const base = {
      service: t.service,
      namespace: t.namespace,
      templateId: t.templateId,
      template: t.text,
      mergedInto: null,
    };
    if (t.mergedInto !== undefined) {
      return {
        ...base,
        mergedInto: t.mergedInto,
        windowMs: this.options.windowMs,
        windowStarts: [],
        counts: [],
        errorCounts: [],
        count: 0,
        errorCount: 0,
        lastWindow: null,
      };
    }
    const starts = [...t.windows.keys()].sort((a, b) => a - b);
    const counts: number[] = [];
    const errorCounts: number[] = [];
    let count = 0;
    let errorCount = 0;
    for (const s of starts) {
      const w = t.windows.get(s) as WindowCount;
      counts.push(w.count);
      errorCounts.push(w.errors);
      count += w.count;
      errorCount += w.errors;
    }
    return {
      ...base,
      windowMs: this.options.windowMs,
      windowStarts: starts,
      counts,
      errorCounts,
      count,
      errorCount,
      lastWindow: starts[starts.length - 1],
    };
  }

  /** The miner state of a service, made (or set to `miner`) when first asked for. */
  private minerOf(namespace: string, service: string, miner?: TemplateMiner): MinerState {
    let byService = this.miners.get(namespace);
    if (!byService) {
      byService = new Map();
      this.miners.set(namespace, byService);
    }
    let m = byService.get(service);
    if (!m) {
      m = { namespace, service, miner: miner ?? new TemplateMiner(), byId: new Map() };
      byService.set(service, m);
    }
    return m;
  }

  /** The live template state of a cluster id of `m`'s miner, made when first seen. */
  private templateOf(m: MinerState, id: string): TemplateState {
    let t = m.byId.get(id);
    if (t) return t;
    const text = m.miner.cluster(id)?.template ?? '';
    t = {
      uid: '',
      service: m.service,
      namespace: m.namespace,
      templateId: id,
      text,
      windows: new Map(),
      written: false,
    };
    t.uid = this.uidOf(t);
    m.byId.set(id, t);
    this.templates.set(t.uid, t);
    return t;
  }

  /**
   * A template's node is its text's (logTemplateUid), so the log-check job mining the same template
   * writes the same node and a different template never does. When another template of the service
   * already holds that uid (an evicted or merged-away one), the cluster id tells them apart.
   */
  private uidOf(t: TemplateState): Uid {
    const byText = logTemplateUid(t.service, t.text, { namespace: t.namespace, cluster: this.options.cluster });
    const holder = this.templates.get(byText);
    return holder === undefined || holder === t ? byText : `${byText}/${t.templateId}`;
  }

  /**
   * Reads the current text of the live templates among `dirty` (it changes as the miner learns
   * variables) and moves each whose text changed to its new text's uid. Returns old → new uids and,
   * for nodes already written under an old uid, a retired state to write there: marked `mergedInto`
   * the new node, counts emptied (as a merged-away template's).
   */
  private renameByText(dirty: readonly Uid[]): { uids: Map<Uid, Uid>; retired: TemplateState[] } {
    const moved = new Map<Uid, Uid>();
    const retired: TemplateState[] = [];
    for (const old of dirty) {
      const t = this.templates.get(old) as TemplateState;
      if (t.mergedInto !== undefined) continue;
      const before = t.text;
      t.text = this.minerOf(t.namespace, t.service).miner.cluster(t.templateId)?.template ?? t.text;
      // Also moves a uid of an older version's state (cluster id, not text) on the template's next line.
      const now = this.uidOf(t);
      if (now === old) continue;
      this.templates.delete(old);
      t.uid = now;
      this.templates.set(now, t);
      moved.set(old, now);
      if (t.written) retired.push({ ...t, uid: old, text: before, windows: new Map(), mergedInto: now });
      t.written = false;
    }
    // An old uid another template took over in this pass is written as that template's node instead.
    return { uids: moved, retired: retired.filter((r) => !this.templates.has(r.uid)) };
  }

  /** Moves the counts of templates the miner merged away into their survivors and marks them. */
  private foldMerged(m: MinerState): void {
    for (const [id, t] of [...m.byId]) {
      const now = m.miner.resolve(id);
      if (now === id) continue;
      const into = this.templateOf(m, now);
      for (const [s, w] of t.windows) {
        const v = into.windows.get(s);
        if (v) {
          v.count += w.count;
          v.errors += w.errors;
        } else into.windows.set(s, { ...w });
      }
      t.windows.clear();
      t.mergedInto = into.uid;
      m.byId.delete(id);
      this.dirty.add(t.uid).add(into.uid);
    }
  }

  private isError(level: string): boolean {
    let e = this.errorLevels.get(level);
    if (e === undefined) {
      e = isErrorLevel(level);
      if (this.errorLevels.size < 1000) this.errorLevels.set(level, e);
    }
    return e;
  }

  /** Drops dedup sets and template windows that fell out of retention. */
  private forgetOld(): void {
    const oldest = this.newest - (this.options.retainWindows - 1) * this.options.windowMs;
    for (const s of this.seen.keys()) if (s < oldest) this.seen.delete(s);
    for (const t of this.templates.values()) for (const s of t.windows.keys()) if (s < oldest) t.windows.delete(s);
  }
}

/**
 * A line's identity for replay detection: a 53-bit hash (cyrb53) of namespace, service, pod, time,
 * level and text, each followed by a NUL, without building the joined string.
 */
function lineHash(l: LogRecordIn): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const parts = [l.namespace, l.service, l.pod ?? '', String(l.timeMs), l.level, l.message];
  for (const part of parts) {
    for (let i = 0; i <= part.length; i++) {
      const ch = i < part.length ? part.charCodeAt(i) : 0;
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
