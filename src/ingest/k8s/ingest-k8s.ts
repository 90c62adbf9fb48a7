import { InputError } from '../../errors.js';
import type { GraphStore } from '../../graph/graph-store.js';
import type { EdgeRecord, GraphBatch, Props, UpsertReport, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import { k8sUid } from './k8s-uid.js';
import type { K8sObject } from './k8s-object.js';
import type { ManifestState } from './manifest-state.js';
import { CHANGE_KINDS } from './manifest-state.js';
import { parseK8sManifests } from './parse-k8s-manifests.js';
import { OWNER_VIA, isLinkKind, linkEndFromNode, staleLinks, type LinkEnd } from './selector-links.js';
import { toK8sGraphBatch, type ManifestChange, type PriorManifest } from './to-k8s-graph-batch.js';

/** What one manifest ingest did. */
export interface K8sIngestReport {
  accepted: number;
  rejected: Array<{ where: string; reason: string }>;
  ignored: Array<{ where: string; kind: string }>;
  changes: ManifestChange[];
  /** Selector and owner links the graph held that these manifests no longer imply, now deleted. */
  unlinked: number;
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

/**
 * What the graph holds in one namespace for selector links: its Services, controllers and Pods, and the
 * SELECTS / MANAGES links among them (every object the adapter writes, stubs included, is IN_NAMESPACE).
 */
async function readNamespace(
  graph: GraphStore,
  namespace: string,
  cluster: string,
): Promise<{ ends: LinkEnd[]; links: EdgeRecord[] }> {
  const sub = await graph.neighbourhood([uids.namespace(namespace, cluster)], {
    hops: 1,
    edges: ['IN_NAMESPACE', 'SELECTS', 'MANAGES'],
    direction: 'in',
  });
  const links = sub.edges.filter((e) => e.type !== 'IN_NAMESPACE');
  const owned = new Set(links.filter((e) => e.type === 'MANAGES' && e.props.via === OWNER_VIA).map((e) => e.to));
  const ends = sub.nodes.flatMap((n) => linkEndFromNode(n, owned.has(n.uid)) ?? []);
  return { ends, links };
}

/**
 * Parses manifests (YAML or `kubectl get -o json|yaml`), reads from the graph the last manifest of
 * each tracked entity and what the namespaces involved already hold, and writes one batch with any
 * Change nodes. Links are recomputed for every object in the input against the graph, whichever side
 * arrives last: the graph ends up the same whatever order documents or inputs come in, and replaying
 * the same manifests changes nothing (digests match, no new Change, no link added or removed).
 * Throws InputError naming the source when it holds no Kubernetes object at all.
 */
export async function ingestK8sManifests(
  graph: GraphStore,
  text: string,
  opts: K8sIngestOptions = {},
): Promise<K8sIngestReport> {
  const cluster = opts.cluster ?? 'default';
  const source = opts.source ?? 'manifests';
  const parsed = parseK8sManifests(text, source);
  if (parsed.documents === 0) {
    const yaml = parsed.rejected.find((r) => r.reason.startsWith('not valid YAML'));
    throw new InputError(
      source,
      `holds no Kubernetes object (${yaml ? yaml.reason : 'no document has an apiVersion or kind'})`,
      {
        hint: 'expected YAML or JSON manifests, e.g. the output of kubectl get -o yaml, helm template or kustomize build',
      },
    );
  }
  const written = await ingestK8sObjects(graph, parsed.accepted, { at: opts.at, cluster });
  const rejected = [...parsed.rejected, ...written.rejected];
  return { ...written, accepted: parsed.accepted.length, rejected, ignored: parsed.ignored };
}

/**
 * Writes validated objects (from manifests or a live watch): reads from the graph the last manifest of
 * each tracked entity and what the namespaces involved already hold, removes the selector and owner
 * links these objects no longer imply, and upserts one batch with any Change nodes. Idempotent.
 */
export async function ingestK8sObjects(
  graph: GraphStore,
  objects: readonly K8sObject[],
  opts: { at?: number; cluster?: string; entityProps?: Props } = {},
): Promise<Omit<K8sIngestReport, 'ignored'>> {
  const cluster = opts.cluster ?? 'default';
  const idOf = (o: K8sObject) => k8sUid(o.kind, o.name, o.namespace, cluster) as Uid;
  const prior = new Map<Uid, PriorManifest>();
  for (const id of new Set(objects.filter((o) => CHANGE_KINDS.has(o.kind)).map(idOf))) {
    const p = priorOf((await graph.getNode(id))?.props);
    if (p) prior.set(id, p);
  }
  const known: LinkEnd[] = [];
  const existing: EdgeRecord[] = [];
  const linking = objects.filter((o) => isLinkKind(o.kind) || o.ownerRefs.length > 0);
  for (const ns of new Set(linking.map((o) => o.namespace ?? 'default'))) {
    const view = await readNamespace(graph, ns, cluster);
    known.push(...view.ends);
    existing.push(...view.links);
  }
  const { batch, changes } = toK8sGraphBatch(objects, {
    at: opts.at ?? Date.now(),
    cluster,
    prior,
    known,
    ...(opts.entityProps ? { entityProps: opts.entityProps } : {}),
  });
  const stale = staleLinks(existing, batch.edges, new Set(objects.map(idOf)));
  const unlinked = stale.length > 0 ? await graph.deleteEdges(stale) : 0;
  batch.edges.push(...(await mountedBy(graph, batch, changes)));
  const upsert = await graph.upsert(batch);
  const rejected = upsert.rejected.map((r) => ({ where: `graph › ${r.where}`, reason: r.reason }));
  return { accepted: objects.length, rejected, changes, unlinked, upsert };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/**
 * A ConfigMap or Secret edit also touches the workloads that mount it: CHANGED edges from its Change to
 * them (as the graph or this batch has them), so "what changed in cartservice" shows the config edit.
 */
async function mountedBy(
  graph: GraphStore,
  batch: GraphBatch,
  changes: readonly ManifestChange[],
): Promise<EdgeRecord[]> {
  const out: EdgeRecord[] = [];
  for (const c of changes) {
    if (!/^(ConfigMap|Secret):/.test(c.entity)) continue;
    const sub = await graph.neighbourhood([c.entity], { hops: 1, edges: ['MOUNTS'], direction: 'in' });
    const label = new Map([...sub.nodes, ...batch.nodes].map((n) => [n.uid, n.label as string]));
    const users = new Set(
      [...sub.edges, ...batch.edges].filter((e) => e.type === 'MOUNTS' && e.to === c.entity).map((e) => e.from),
    );
    for (const w of users)
      if (WORKLOADS.has(label.get(w) ?? ''))
        out.push({ type: 'CHANGED', from: c.uid, to: w, props: { via: 'mounts' } });
  }
  return out;
}
