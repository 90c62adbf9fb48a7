import type { EdgeRecord, EdgeType, GraphBatch, NodeLabel, NodeRecord, Props, Uid } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';
import type { K8sObject } from './k8s-object.js';
import { KIND_LABEL, k8sUid } from './k8s-uid.js';
import { diffStates, manifestState, stateDigest, type ManifestState } from './manifest-state.js';
import { OWNER_VIA, edgeKey, linkEndOf, selectorLinks, type LinkEnd } from './selector-links.js';

/** What the graph already holds for an entity: the digest and state of its last manifest. */
export interface PriorManifest {
  digest: string;
  state: ManifestState;
}

export interface K8sBatchOptions {
  /** When these manifests were applied/observed (ms since epoch): the Change time and `lastSeen`. */
  at: number;
  cluster?: string;
  /** Entity uid → its last manifest, read from the graph by the adapter. */
  prior?: ReadonlyMap<Uid, PriorManifest>;
  /** Services, controllers and Pods the graph already holds in the namespaces involved (selector links to them). */
  known?: readonly LinkEnd[];
  /** Extra props for every object's own node (not for stubs), e.g. the live watch's `source`. */
  entityProps?: Props;
}

/** One detected edit, also present in the batch as a Change node. */
export interface ManifestChange {
  uid: Uid;
  entity: Uid;
  summary: string;
}

const kv = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .sort();

const CLUSTER_SCOPED: ReadonlySet<NodeLabel> = new Set(['Namespace', 'Machine']);

function entityProps(o: K8sObject): Props {
  const p: Props = { name: o.name, labels: kv(o.labels) };
  if (o.namespace !== null) p.namespace = o.namespace;
  if (o.replicas !== undefined) p.replicas = o.replicas;
  if (o.selector) p.selector = kv(o.selector);
  // A workload's pod template labels: what a Service selector matches.
  if (o.pod && o.kind !== 'Pod') p.podLabels = kv(o.pod.labels);
  if (o.kind === 'Pod' || o.ownerRefs.length > 0) p.owners = o.ownerRefs.map((r) => `${r.kind}/${r.name}`).sort();
  if (o.pod) p.images = o.pod.containers.map((c) => c.image);
  if (o.pod?.nodeName) p.nodeName = o.pod.nodeName;
  if (o.phase) p.phase = o.phase;
  if (o.ip) p.ip = o.ip;
  if (o.serviceType) p.serviceType = o.serviceType;
  if (o.revision) p.revision = o.revision;
  if (o.unschedulable !== undefined) p.unschedulable = o.unschedulable;
  if (o.containerStatuses) p.restarts = o.containerStatuses.reduce((n, c) => n + c.restartCount, 0);
  if (o.dataKeys) p.keys = o.dataKeys;
  if (o.routes) p.routes = o.routes;
  if (o.minReplicas !== undefined) p.minReplicas = o.minReplicas;
  if (o.maxReplicas !== undefined) p.maxReplicas = o.maxReplicas;
  if (o.capacity)
    for (const [k, v] of Object.entries(o.capacity)) if (k === 'cpu' || k === 'memory') p[`capacity_${k}`] = v;
  return p;
}

/**
 * Compares each manifest with the one before it (`prior`, or an earlier document of the same input)
 * and returns a Change node per edit, plus each entity's latest digest and state. Pure.
 */
function manifestChanges(
  objects: readonly K8sObject[],
  opts: { at: number; cluster: string; prior: ReadonlyMap<Uid, PriorManifest> },
): { changes: Array<ManifestChange & { node: NodeRecord }>; latest: Map<Uid, PriorManifest & { json: string }> } {
  const latest = new Map<Uid, PriorManifest & { json: string }>();
  const changes: Array<ManifestChange & { node: NodeRecord }> = [];
  for (const o of objects) {
    const state = manifestState(o);
    if (!state) continue;
    const id = k8sUid(o.kind, o.name, o.namespace, opts.cluster) as Uid;
    const { json, digest } = stateDigest(state);
    const before = latest.get(id) ?? opts.prior.get(id);
    if (before && before.digest !== digest) {
      const parts = diffStates(before.state, state);
      const summary = parts.length ? parts.join('; ') : 'manifest changed';
      const changeUid = uid('Change', id, before.digest, digest);
      const props: Props = {
        entity: id,
        kind: o.kind,
        name: o.name,
        namespace: o.namespace ?? '',
        summary,
        changes: parts,
        at: opts.at,
        fromDigest: before.digest,
        toDigest: digest,
      };
      // Who made it: the last writer of spec, else the change-cause annotation (live objects only).
      if (o.who?.manager) props.by = o.who.manager;
      if (o.who?.cause) props.cause = o.who.cause;
      if (o.who?.generation !== undefined) props.generation = o.who.generation;
      changes.push({ uid: changeUid, entity: id, summary, node: { label: 'Change', uid: changeUid, props } });
    }
    latest.set(id, { digest, state, json });
  }
  return { changes, latest };
}

/**
 * Maps validated objects to one graph batch: a node per object (the last document wins when an object
 * appears twice), stub nodes for what they reference (in their namespace), `IN_NAMESPACE`,
 * `IN_CLUSTER`, `MANAGES` (owner references; a controller's selector → Pods without owner),
 * `SELECTS` (Service selector → workloads by pod template, and Pods), `RUNS_ON`, `MOUNTS`,
 * `ROUTES_TO`, `SCALES`; selector links also reach the `known` objects the graph already holds. A
 * `Change` node `CHANGED` → the entity for every manifest that differs from `prior` (or from an
 * earlier document of the same input). Pure: the same objects and options give the same batch.
 */
export function toK8sGraphBatch(
  objects: readonly K8sObject[],
  opts: K8sBatchOptions,
): { batch: GraphBatch; changes: ManifestChange[] } {
  const cluster = opts.cluster ?? 'default';
  const nodes = new Map<Uid, NodeRecord>();
  const edges = new Map<string, EdgeRecord>();
  const put = (label: NodeLabel, id: Uid, props: Props) => {
    const had = nodes.get(id);
    nodes.set(id, { label, uid: id, props: had ? { ...had.props, ...props } : props });
  };
  const link = (type: EdgeType, from: Uid | undefined, to: Uid | undefined, props: Props = {}) => {
    if (from && to) edges.set(edgeKey({ type, from, to }), { type, from, to, props });
  };
  const stub = (kind: string, name: string, namespace: string | null): Uid | undefined => {
    const id = k8sUid(kind, name, namespace, cluster);
    if (!id || nodes.has(id)) return id;
    const ns = CLUSTER_SCOPED.has(KIND_LABEL[kind]) ? null : namespace;
    put(KIND_LABEL[kind], id, ns === null ? { name } : { name, namespace: ns });
    if (ns !== null) link('IN_NAMESPACE', id, stub('Namespace', ns, null));
    return id;
  };
  const clusterUid = uids.cluster(cluster);
  put('Cluster', clusterUid, { name: cluster });

  const { changes, latest } = manifestChanges(objects, { at: opts.at, cluster, prior: opts.prior ?? new Map() });
  for (const c of changes) {
    nodes.set(c.uid, c.node);
    link('CHANGED', c.uid, c.entity, { at: opts.at });
  }
  const last = new Map<Uid, K8sObject>();
  for (const o of objects) last.set(k8sUid(o.kind, o.name, o.namespace, cluster) as Uid, o);
  const ends: LinkEnd[] = [];
  for (const [id, o] of last) {
    const props = { ...entityProps(o), ...opts.entityProps };
    const state = latest.get(id);
    if (state) {
      props.manifestDigest = state.digest;
      props.manifestState = state.json;
    }
    put(KIND_LABEL[o.kind], id, props);
    if (o.namespace !== null) link('IN_NAMESPACE', id, stub('Namespace', o.namespace, null));
    if (o.kind === 'Namespace' || o.kind === 'Node') link('IN_CLUSTER', id, clusterUid);
    for (const ref of o.ownerRefs) link('MANAGES', stub(ref.kind, ref.name, o.namespace), id, { via: OWNER_VIA });
    if (o.pod?.nodeName) link('RUNS_ON', id, stub('Node', o.pod.nodeName, null));
    for (const cm of o.pod?.configMaps ?? []) link('MOUNTS', id, stub('ConfigMap', cm, o.namespace));
    for (const s of o.pod?.secrets ?? []) link('MOUNTS', id, stub('Secret', s, o.namespace));
    for (const svc of o.routes ?? []) link('ROUTES_TO', id, stub('Service', svc, o.namespace));
    if (o.scaleTarget) link('SCALES', id, stub(o.scaleTarget.kind, o.scaleTarget.name, o.namespace));
    const end = linkEndOf(o, id);
    if (end) ends.push(end);
  }
  // Links to objects known only from the graph need no stub: the store checks that they exist.
  for (const e of selectorLinks(ends, opts.known ?? [])) edges.set(edgeKey(e), e);
  return {
    batch: { nodes: [...nodes.values()], edges: [...edges.values()], observedAt: opts.at },
    changes: changes.map(({ uid: u, entity, summary }) => ({ uid: u, entity, summary })),
  };
}
