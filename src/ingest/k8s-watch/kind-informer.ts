/**
 * One kind's informer: client-node's `ListWatch` (list, then watch from the list's resourceVersion;
 * 410 Gone → relist; a relist reports what vanished as deletes) over `KubeWatch`, restarted with
 * exponential backoff when the API server goes away. A restart resumes the watch from the last
 * resourceVersion, so nothing is replayed twice; only a 410 forces a relist.
 */
import { ADD, DELETE, ERROR, ListWatch, UPDATE, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { METADATA_ONLY, KubeWatch, getJson } from './kube-http.js';
import type { WatchKind } from './watch-kinds.js';

/** What an informer reports: an object as it now is, or one that is gone. `object.kind` is always set. */
export interface WatchEvent {
  type: 'upsert' | 'delete';
  kind: WatchKind;
  object: KubernetesObject;
}

export interface KindInformerOptions {
  kc: KubeConfig;
  kind: WatchKind;
  labelSelector?: string;
  onEvent: (e: WatchEvent) => void;
  /** After every successful list: the objects listed (for reconciling what the graph holds). */
  onList?: (kind: WatchKind, items: KubernetesObject[]) => void;
  onError?: (kind: WatchKind, err: unknown, retryInMs: number) => void;
  backoff?: { initialMs: number; maxMs: number };
}

export interface KindInformer {
  /** Resolves after the first successful list. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the informer. */
export function startKindInformer(o: KindInformerOptions): KindInformer {
  const backoff = o.backoff ?? { initialMs: 500, maxMs: 30_000 };
  let delay = backoff.initialMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const query: Record<string, string> = o.labelSelector ? { labelSelector: o.labelSelector } : {};
  const list = async () => {
    const res = await getJson<{ metadata?: { resourceVersion?: string }; items?: KubernetesObject[] }>(
      o.kc,
      o.kind.path,
      {
        query,
        ...(o.kind.metadataOnly ? { accept: METADATA_ONLY } : {}),
      },
    );
    const items = (res.items ?? []).map((it) => withKind(it, o.kind));
    o.onList?.(o.kind, items);
    markSynced();
    delay = backoff.initialMs;
    return { metadata: res.metadata ?? {}, items } as never;
  };
  const lw = new ListWatch<KubernetesObject>(
    o.kind.path,
    new KubeWatch(o.kc, o.kind.metadataOnly === true),
    list,
    false,
    o.labelSelector,
  );
  const emit = (type: WatchEvent['type']) => (obj: KubernetesObject) => {
    delay = backoff.initialMs; // the server answers again
    o.onEvent({ type, kind: o.kind, object: withKind(obj, o.kind) });
  };
  lw.on(ADD, emit('upsert'));
  lw.on(UPDATE, emit('upsert'));
  lw.on(DELETE, emit('delete'));
  lw.on(ERROR, (err) => {
    if (stopped) return;
    const wait = delay;
    delay = Math.min(backoff.maxMs, delay * 2);
    o.onError?.(o.kind, err, wait);
    timer = setTimeout(() => void lw.start().catch(() => undefined), wait);
  });
  void lw.start().catch(() => undefined);
  return {
    synced,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await lw.stop();
    },
  };
}

/** List items (and metadata-only objects) carry no kind of ours: set it. */
function withKind(obj: KubernetesObject, kind: WatchKind): KubernetesObject {
  return obj.kind === kind.kind ? obj : { ...obj, kind: kind.kind, apiVersion: kind.apiVersion };
}
