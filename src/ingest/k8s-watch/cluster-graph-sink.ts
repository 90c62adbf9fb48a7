/**
 * Writes what the informers report into the graph, in batches, through the ingest process's one
 * SerialWriter: objects through the shared manifest mapping (`ingestK8sObjects`: the same nodes, links
 * and Change nodes as `rootgraph ingest k8s`), Events and container statuses as evidence, deletions as
 * a `deleted` mark that `sweep()` turns into removal once the incident window has passed.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { NodeLabel, NodeRecord, Uid } from '../../model/graph.js';
import { ingestK8sObjects } from '../k8s/ingest-k8s.js';
import type { K8sObject } from '../k8s/k8s-object.js';
import { KIND_LABEL, k8sUid } from '../k8s/k8s-uid.js';
import { parseK8sObject } from '../k8s/parse-k8s-manifests.js';
import type { SerialWriter } from '../serial-writer.js';
import type { WatchEvent } from './kind-informer.js';
import { eventEvidence, podStatusEvidence, toEvidenceBatch, type K8sEvidence } from './to-k8s-evidence.js';
import type { WatchKind } from './watch-kinds.js';

/** Props every watched node carries: where it came from, and that it is live. */
export const WATCH_SOURCE = 'k8s-watch';

export interface SinkOptions {
  cluster?: string;
  now?: () => number;
  /** How long a deleted object stays (as history for the incident window), ms. 0 removes it at once. */
  retentionMs?: number;
  /** Wait this long after the first queued event before writing, so a burst is one batch (ms). */
  debounceMs?: number;
  onError?: (err: unknown, where: string) => void;
}

/** What one flush wrote, for logs and tests. */
export interface SinkReport {
  objects: number;
  deleted: number;
  evidence: number;
  changes: number;
  rejected: number;
}

const where = (o: KubernetesObject) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** The longest wait between retries of a failed write. */
const MAX_RETRY_MS = 30_000;

/** Batches watch events into graph writes. */
export class ClusterGraphSink {
  private queue: WatchEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<SinkReport> | undefined;
  private retryMs = 0;
  private stopped = false;
  readonly totals: SinkReport = { objects: 0, deleted: 0, evidence: 0, changes: 0, rejected: 0 };
  private readonly cluster: string;
  private readonly now: () => number;

  constructor(
    private readonly writer: SerialWriter,
    private readonly opts: SinkOptions = {},
  ) {
    this.cluster = opts.cluster ?? 'default';
    this.now = opts.now ?? Date.now;
  }

  /** Queues one event; a write follows within `debounceMs`. */
  push(e: WatchEvent): void {
    this.queue.push(e);
    if (!this.stopped) this.schedule(this.opts.debounceMs ?? 200);
  }

  /**
   * Writes everything queued so far; resolves when it is in the graph. A failed write (the store down
   * or timing out) puts its events back and is retried with backoff: an object that does not change
   * again would otherwise stay wrong in the graph until the next relist.
   */
  async flush(): Promise<SinkReport> {
    this.cancelTimer();
    while (this.flushing) await this.flushing.catch(() => undefined);
    const events = this.queue;
    this.queue = [];
    if (events.length === 0) return { objects: 0, deleted: 0, evidence: 0, changes: 0, rejected: 0 };
    this.flushing = this.writer.run((graph) => this.write(graph, events));
    try {
      const r = await this.flushing;
      for (const k of Object.keys(r) as Array<keyof SinkReport>) this.totals[k] += r[k];
      this.retryMs = 0;
      return r;
    } catch (err) {
      this.queue = events.concat(this.queue); // older first: the latest event per object still wins
      this.retryMs = Math.min(MAX_RETRY_MS, Math.max(this.opts.debounceMs ?? 200, this.retryMs * 2));
      if (!this.stopped) this.schedule(this.retryMs);
      throw err;
    } finally {
      this.flushing = undefined;
    }
  }

  /** No more timed writes (a final `flush()` still writes what is queued). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private schedule(ms: number): void {
    this.timer ??= setTimeout(() => void this.flush().catch((err) => this.opts.onError?.(err, 'flush')), ms);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async write(graph: SerialWriter['graph'], events: WatchEvent[]): Promise<SinkReport> {
    const at = this.now();
    // The last event per object wins: a burst of updates is one write.
    const latest = new Map<string, WatchEvent>();
    for (const e of events)
      latest.set(`${e.kind.kind}/${e.object.metadata?.namespace ?? ''}/${e.object.metadata?.name}`, e);
    const objects: K8sObject[] = [];
    const evidence: K8sEvidence[] = [];
    const gone: Uid[] = [];
    let rejected = 0;
    for (const e of latest.values()) {
      if (e.kind.kind === 'Event') {
        if (e.type === 'upsert') {
          const ev = eventEvidence(e.object);
          if (ev) evidence.push(ev);
        }
        continue;
      }
      if (!KIND_LABEL[e.kind.kind]) continue; // followed but not modelled (EndpointSlice)
      const name = e.object.metadata?.name ?? '';
      const ns = e.kind.clusterScoped ? null : (e.object.metadata?.namespace ?? 'default');
      if (e.type === 'delete') {
        const id = k8sUid(e.kind.kind, name, ns, this.cluster);
        if (id) gone.push(id);
        continue;
      }
      try {
        const o = parseK8sObject(e.object, where(e.object));
        if ('ignoredKind' in o) continue;
        objects.push(o);
        evidence.push(...podStatusEvidence(o, at));
      } catch (err) {
        rejected++;
        this.opts.onError?.(err, where(e.object));
      }
    }
    const live = new Set(objects.map((o) => k8sUid(o.kind, o.name, o.namespace, this.cluster)));
    const written = objects.length
      ? await ingestK8sObjects(graph, objects, {
          at,
          cluster: this.cluster,
          entityProps: { source: WATCH_SOURCE, deleted: false },
        })
      : undefined;
    const ev = evidence.length
      ? await graph.upsert(toEvidenceBatch(evidence, { cluster: this.cluster, at }))
      : undefined;
    const deleted = await this.markDeleted(
      graph,
      gone.filter((u) => !live.has(u)),
      at,
    );
    return {
      objects: objects.length,
      deleted,
      evidence: evidence.length,
      changes: written?.changes.length ?? 0,
      rejected: rejected + (written?.rejected.length ?? 0) + (ev?.rejected.length ?? 0),
    };
  }

  /** Marks objects deleted (or removes them at once when retention is 0). */
  private async markDeleted(graph: SerialWriter['graph'], ids: Uid[], at: number): Promise<number> {
    if (ids.length === 0) return 0;
    if ((this.opts.retentionMs ?? 3_600_000) <= 0) return graph.deleteNodes(ids);
    const nodes: NodeRecord[] = [];
    for (const id of ids) {
      const n = await graph.getNode(id);
      if (n && n.props.deleted !== true)
        nodes.push({ label: n.label, uid: id, props: { deleted: true, deletedAt: at } });
    }
    if (nodes.length) await graph.upsert({ nodes, edges: [], observedAt: at });
    return nodes.length;
  }

  /**
   * After a (re)list: objects of `kind` the graph holds from an earlier watch that the list no longer
   * has were deleted while nobody watched (a restart of serve): mark them deleted too.
   */
  reconcile(kind: WatchKind, items: readonly KubernetesObject[]): Promise<number> {
    const label = KIND_LABEL[kind.kind] as NodeLabel | undefined;
    if (!label) return Promise.resolve(0);
    const listed = new Set(
      items.map((o) =>
        k8sUid(
          kind.kind,
          o.metadata?.name ?? '',
          kind.clusterScoped ? null : (o.metadata?.namespace ?? 'default'),
          this.cluster,
        ),
      ),
    );
    return this.writer.run(async (graph) => {
      const held = await graph.findNodes({ label, where: { source: WATCH_SOURCE, deleted: false }, limit: 1_000_000 });
      const gone = held.filter((n) => !listed.has(n.uid) && this.inCluster(n)).map((n) => n.uid);
      return this.markDeleted(graph, gone, this.now());
    });
  }

  /** Removes objects deleted more than `retentionMs` ago. Returns how many went. */
  sweep(): Promise<number> {
    const before = this.now() - (this.opts.retentionMs ?? 3_600_000);
    return this.writer.run(async (graph) => {
      const ids: Uid[] = [];
      for (const label of new Set(Object.values(KIND_LABEL))) {
        const nodes = await graph.findNodes({
          label,
          where: { source: WATCH_SOURCE, deleted: true },
          limit: 1_000_000,
        });
        for (const n of nodes)
          if (typeof n.props.deletedAt === 'number' && n.props.deletedAt <= before && this.inCluster(n))
            ids.push(n.uid);
      }
      return ids.length ? graph.deleteNodes(ids) : 0;
    });
  }

  private inCluster(n: NodeRecord): boolean {
    // uids are `Label:cluster/…` (uid.ts): the first part names the cluster.
    return n.uid.slice(n.uid.indexOf(':') + 1).split('/')[0] === this.cluster;
  }
}
