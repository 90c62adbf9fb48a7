import type { GraphStore } from '../../graph/graph-store.js';
import type { UpsertReport, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import type { ManifestState } from './manifest-state.js';
import { CHANGE_KINDS } from './manifest-state.js';
import { parseK8sManifests } from './parse-k8s-manifests.js';
import {
  k8sUid,
  toK8sGraphBatch,
  type KnownPod,
  type ManifestChange,
  type PriorManifest,
} from './to-k8s-graph-batch.js';

/** What one manifest ingest did. */
export interface K8sIngestReport {
  accepted: number;
  rejected: Array<{ where: string; reason: string }>;
  ignored: Array<{ where: string; kind: string }>;
  changes: ManifestChange[];
  upsert: UpsertReport;
}

export interface K8sIngestOptions {
  /** Names the input in error paths (`deploy.yaml`). */
  source?: string;
  /** Observation time (ms since epoch); the Change time. Defaults to now. */
  at?: number;
  cluster?: string;
}

function priorOf(props: Record<string, unknown> | undefined): PriorManifest | undefined {
  if (!props || typeof props.manifestDigest !== 'string' || typeof props.manifestState !== 'string') return undefined;
  try {
    return { digest: props.manifestDigest, state: JSON.parse(props.manifestState) as ManifestState };
  } catch {
    return undefined; // a corrupted state only costs the diff; the next manifest is compared fresh
  }
}

const labelsOf = (kvs: unknown): Record<string, string> =>
  Object.fromEntries(
    (Array.isArray(kvs) ? kvs : [])
      .filter((x): x is string => typeof x === 'string')
      .map((s) => {
        const i = s.indexOf('=');
        return [s.slice(0, i), s.slice(i + 1)];
      }),
  );

/**
 * Parses manifests (YAML or `kubectl get -o json`), reads from the graph the last manifest of each
 * tracked entity and the pods of the namespaces involved, and upserts one atomic batch with any
 * Change nodes. Replaying the same manifests changes nothing (digests match, no new Change).
 */
export async function ingestK8sManifests(
  graph: GraphStore,
  text: string,
  opts: K8sIngestOptions = {},
): Promise<K8sIngestReport> {
  const cluster = opts.cluster ?? 'default';
  const parsed = parseK8sManifests(text, opts.source);
  const prior = new Map<Uid, PriorManifest>();
  const tracked = parsed.accepted
    .filter((o) => CHANGE_KINDS.has(o.kind))
    .map((o) => k8sUid(o.kind, o.name, o.namespace, cluster) as Uid);
  for (const id of new Set(tracked)) {
    const p = priorOf((await graph.getNode(id))?.props);
    if (p) prior.set(id, p);
  }
  const knownPods: KnownPod[] = [];
  const selecting = new Set(
    parsed.accepted.filter((o) => o.selector && o.kind !== 'ReplicaSet').map((o) => o.namespace ?? 'default'),
  );
  for (const ns of selecting) {
    for (const n of await graph.findNodes({ label: 'Pod', where: { namespace: ns } })) {
      const name = n.props.name;
      if (typeof name === 'string' && n.uid === uids.pod(name, ns, cluster))
        knownPods.push({ name, namespace: ns, labels: labelsOf(n.props.labels) });
    }
  }
  const { batch, changes } = toK8sGraphBatch(parsed.accepted, { at: opts.at ?? Date.now(), cluster, prior, knownPods });
  const upsert = await graph.upsert(batch);
  const rejected = [
    ...parsed.rejected,
    ...upsert.rejected.map((r) => ({ where: `graph › ${r.where}`, reason: r.reason })),
  ];
  return { accepted: parsed.accepted.length, rejected, ignored: parsed.ignored, changes, upsert };
}
