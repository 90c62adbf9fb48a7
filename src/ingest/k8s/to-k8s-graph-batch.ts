import type { EdgeRecord, EdgeType, GraphBatch, NodeLabel, NodeRecord, Props, Uid } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';
import type { K8sObject } from './k8s-object.js';
import { diffStates, manifestState, stateDigest, type ManifestState } from './manifest-state.js';

/** What the graph already holds for an entity: the digest and state of its last manifest. */
export interface PriorManifest {
  digest: string;
  state: ManifestState;
}

/** A pod already in the graph (for Service selectors matching pods ingested earlier). */
export interface KnownPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface K8sBatchOptions {
  /** When these manifests were applied/observed (ms since epoch): the Change time and `lastSeen`. */
  at: number;
  cluster?: string;
  /** Entity uid → its last manifest, read from the graph by the adapter. */
  prior?: ReadonlyMap<Uid, PriorManifest>;
  knownPods?: readonly KnownPod[];
}

/** One detected edit, also present in the batch as a Change node. */
export interface ManifestChange {
  uid: Uid;
  entity: Uid;
  summary: string;
}

const KIND_LABEL: Record<string, NodeLabel> = {
  Namespace: 'Namespace',
  Node: 'Machine',
  Deployment: 'Deployment',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  ReplicaSet: 'ReplicaSet',
  Pod: 'Pod',
  Service: 'Service',
  ConfigMap: 'ConfigMap',
  Secret: 'Secret',
  Ingress: 'Ingress',
  HorizontalPodAutoscaler: 'HorizontalPodAutoscaler',
};

/** The uid of a Kubernetes object; Services, Pods, Deployments, Nodes and Namespaces share uids with telemetry. */
export function k8sUid(kind: string, name: string, namespace: string | null, cluster = 'default'): Uid | undefined {
  const label = KIND_LABEL[kind];
  if (!label) return undefined;
  if (label === 'Namespace') return uids.namespace(name, cluster);
  if (label === 'Machine') return uids.machine(name, cluster);
  return uid(label, cluster, namespace ?? 'default', name);
}

const kv = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
const matches = (sel: Record<string, string> | undefined, labels: Record<string, string>) =>
  sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);

function entityProps(o: K8sObject): Props {
  const p: Props = { name: o.name, labels: kv(o.labels) };
  if (o.namespace !== null) p.namespace = o.namespace;
  if (o.replicas !== undefined) p.replicas = o.replicas;
  if (o.selector) p.selector = kv(o.selector);
  if (o.pod) p.images = o.pod.containers.map((c) => c.image);
  if (o.pod?.nodeName) p.nodeName = o.pod.nodeName;
  if (o.phase) p.phase = o.phase;
  if (o.ip) p.ip = o.ip;
  if (o.serviceType) p.serviceType = o.serviceType;
  if (o.dataKeys) p.keys = o.dataKeys;
  if (o.routes) p.routes = o.routes;
  if (o.minReplicas !== undefined) p.minReplicas = o.minReplicas;
  if (o.maxReplicas !== undefined) p.maxReplicas = o.maxReplicas;
  if (o.capacity)
    for (const [k, v] of Object.entries(o.capacity)) if (k === 'cpu' || k === 'memory') p[`capacity_${k}`] = v;
  return p;
}

/**
 * Maps validated objects to one graph batch: a node per object, stub nodes for what they reference,
 * `IN_NAMESPACE`, `IN_CLUSTER`, `MANAGES` (owner references, and workload selectors → pods),
 * `SELECTS` (Service selector → pods), `RUNS_ON`, `MOUNTS`, `ROUTES_TO`, `SCALES`; and a `Change`
 * node `CHANGED` → the entity for every manifest that differs from `prior` (or from an earlier
 * document of the same input). Pure: the same objects and prior give the same batch.
 */
export function toK8sGraphBatch(
  objects: readonly K8sObject[],
  opts: K8sBatchOptions,
): { batch: GraphBatch; changes: ManifestChange[] } {
  const cluster = opts.cluster ?? 'default';
  const nodes = new Map<Uid, NodeRecord>();
  const edges = new Map<string, EdgeRecord>();
  const changes: ManifestChange[] = [];
  const prior = new Map(opts.prior ?? []);
  const put = (label: NodeLabel, id: Uid, props: Props) => {
    const had = nodes.get(id);
    nodes.set(id, { label, uid: id, props: had ? { ...had.props, ...props } : props });
  };
  const stub = (kind: string, name: string, ns: string | null): Uid | undefined => {
    const id = k8sUid(kind, name, ns, cluster);
    if (id && !nodes.has(id)) put(KIND_LABEL[kind], id, ns === null ? { name } : { name, namespace: ns });
    return id;
  };
  const link = (type: EdgeType, from: Uid | undefined, to: Uid | undefined, props: Props = {}) => {
    if (from && to) edges.set(`${type} ${from} ${to}`, { type, from, to, props });
  };
  const clusterUid = uids.cluster(cluster);
  put('Cluster', clusterUid, { name: cluster });
  const pods = [
    ...(opts.knownPods ?? []).map((p) => ({ ...p, id: uids.pod(p.name, p.namespace, cluster) })),
    ...objects
      .filter((o) => o.kind === 'Pod')
      .map((o) => ({
        name: o.name,
        namespace: o.namespace ?? 'default',
        labels: o.pod?.labels ?? o.labels,
        id: uids.pod(o.name, o.namespace ?? 'default', cluster),
      })),
  ];

  for (const o of objects) {
    const id = k8sUid(o.kind, o.name, o.namespace, cluster) as Uid;
    const props = entityProps(o);
    const state = manifestState(o);
    if (state) {
      const { json, digest } = stateDigest(state);
      const before = prior.get(id);
      if (before && before.digest !== digest) {
        const parts = diffStates(before.state, state);
        const summary = parts.length ? parts.join('; ') : 'manifest changed';
        const changeUid = uid('Change', id, before.digest, digest);
        put('Change', changeUid, {
          entity: id,
          kind: o.kind,
          name: o.name,
          namespace: o.namespace ?? '',
          summary,
          changes: parts,
          at: opts.at,
          fromDigest: before.digest,
          toDigest: digest,
        });
        link('CHANGED', changeUid, id, { at: opts.at });
        changes.push({ uid: changeUid, entity: id, summary });
      }
      prior.set(id, { digest, state });
      props.manifestDigest = digest;
      props.manifestState = json;
    }
    put(KIND_LABEL[o.kind], id, props);
    if (o.namespace !== null) link('IN_NAMESPACE', id, stub('Namespace', o.namespace, null));
    if (o.kind === 'Namespace' || o.kind === 'Node') link('IN_CLUSTER', id, clusterUid);
    for (const ref of o.ownerRefs)
      link('MANAGES', stub(ref.kind, ref.name, o.namespace), id, { via: 'ownerReference' });
    if (o.pod?.nodeName) link('RUNS_ON', id, stub('Node', o.pod.nodeName, null));
    for (const cm of o.pod?.configMaps ?? []) link('MOUNTS', id, stub('ConfigMap', cm, o.namespace));
    for (const s of o.pod?.secrets ?? []) link('MOUNTS', id, stub('Secret', s, o.namespace));
    for (const svc of o.routes ?? []) link('ROUTES_TO', id, stub('Service', svc, o.namespace));
    if (o.scaleTarget) link('SCALES', id, stub(o.scaleTarget.kind, o.scaleTarget.name, o.namespace));
    if (o.kind === 'Service' || o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet') {
      const type: EdgeType = o.kind === 'Service' ? 'SELECTS' : 'MANAGES';
      for (const p of pods)
        if (p.namespace === o.namespace && matches(o.selector, p.labels)) link(type, id, p.id, { via: 'selector' });
    }
  }
  // Selector edges to pods known only from the graph need no stub: the store checks they exist.
  return { batch: { nodes: [...nodes.values()], edges: [...edges.values()], observedAt: opts.at }, changes };
}
