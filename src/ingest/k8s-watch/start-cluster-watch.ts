/**
 * `startClusterWatch`: follows a live cluster (every kind of `WATCH_KINDS`) into the knowledge graph
 * until `stop()`. The serve runtime calls it when a kubeconfig or in-cluster credentials exist.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { SerialWriter } from '../serial-writer.js';
import { ClusterGraphSink, type SinkReport } from './cluster-graph-sink.js';
import { startKindInformer, type KindInformer } from './kind-informer.js';
import { WATCH_KINDS, namespaceAllowed, type WatchFilters, type WatchKind } from './watch-kinds.js';

/** The few logger methods the watch uses (pino's shape). */
export interface WatchLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ClusterWatchOptions {
  kc: KubeConfig;
  writer: SerialWriter;
  logger?: WatchLogger;
  filters?: WatchFilters;
  /** The graph's name for this cluster (uids are per cluster). */
  cluster?: string;
  /** Deleted objects stay this long before they are removed (ms); default one hour. */
  retentionMs?: number;
  /** How often deleted objects past retention are swept (ms); default one minute. */
  sweepEveryMs?: number;
  kinds?: readonly WatchKind[];
  now?: () => number;
  backoff?: { initialMs: number; maxMs: number };
  debounceMs?: number;
}

export interface ClusterWatch {
  /** Resolves when every kind has been listed once and written. */
  synced(): Promise<void>;
  /** Writes whatever is queued now. */
  flush(): Promise<SinkReport>;
  /** Removes deleted objects past retention now. */
  sweep(): Promise<number>;
  readonly totals: SinkReport;
  stop(): Promise<void>;
}

const LABEL_SELECTED = (k: WatchKind) => k.kind !== 'Event' && k.kind !== 'Namespace' && k.kind !== 'Node';

/** Starts one informer per kind, all feeding one sink. */
export function startClusterWatch(o: ClusterWatchOptions): ClusterWatch {
  const filters = o.filters ?? {};
  const sink = new ClusterGraphSink(o.writer, {
    cluster: o.cluster,
    now: o.now,
    retentionMs: o.retentionMs,
    debounceMs: o.debounceMs,
    onError: (err, where) => o.logger?.warn({ err: String(err), where }, 'k8s watch: object not written'),
  });
  const informers: KindInformer[] = (o.kinds ?? WATCH_KINDS).map((kind) =>
    startKindInformer({
      kc: o.kc,
      kind,
      ...(filters.labelSelector && LABEL_SELECTED(kind) ? { labelSelector: filters.labelSelector } : {}),
      backoff: o.backoff,
      onEvent: (e) => {
        const ns = kind.clusterScoped ? null : (e.object.metadata?.namespace ?? 'default');
        if (namespaceAllowed(ns, filters)) sink.push(e);
      },
      onList: (k, items) => {
        const kept = items.filter((it) =>
          namespaceAllowed(k.clusterScoped ? null : (it.metadata?.namespace ?? 'default'), filters),
        );
        void sink
          .reconcile(k, kept)
          .catch((err) => o.logger?.warn({ err: String(err), kind: k.kind }, 'k8s watch: reconcile failed'));
      },
      onError: (k, err, retryInMs) =>
        o.logger?.warn(
          { kind: k.kind, err: String((err as Error)?.message ?? err), retryInMs },
          'k8s watch: reconnecting',
        ),
    }),
  );
  const sweeper = setInterval(() => void sink.sweep().catch(() => undefined), o.sweepEveryMs ?? 60_000);
  sweeper.unref();
  o.logger?.info({ kinds: informers.length, cluster: o.cluster ?? 'default' }, 'k8s watch started');
  return {
    async synced() {
      await Promise.all(informers.map((i) => i.synced));
      await sink.flush();
    },
    flush: () => sink.flush(),
    sweep: () => sink.sweep(),
    totals: sink.totals,
    async stop() {
      clearInterval(sweeper);
      await Promise.all(informers.map((i) => i.stop()));
      sink.stop();
      await sink.flush();
    },
  };
}
