/**
 * One identity per entity: which graph entity a piece of telemetry is about, from OpenTelemetry
 * resource attributes (semantic conventions: k8s.pod.name, k8s.namespace.name, k8s.deployment.name,
 * k8s.statefulset.name, k8s.daemonset.name, k8s.node.name, service.name, service.namespace) or
 * Prometheus' usual labels (namespace, pod, container, service, job, instance, node). The most
 * specific identity wins (a pod before its workload, service or node); the others become edges, so
 * a pod's series hang off the Pod, which links to its workload, Service and node. A pod name never
 * becomes a Service. The uids are the same ones Kubernetes manifests produce, so an entity first
 * seen in telemetry merges with its manifest whenever that arrives. Pure.
 */
import type { EdgeRecord, NodeLabel, NodeRecord, Uid } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';

/** The entity telemetry is about. */
export interface TelemetryEntity {
  uid: Uid;
  label: NodeLabel;
  name: string;
  /** Kubernetes namespace, for namespaced entities. */
  namespace?: string;
  /**
   * How metric sources name it: `namespace/name` for namespaced entities, the bare name otherwise
   * (the RCA's metric-query boundary reads both forms).
   */
  key: string;
}

/** The entity plus the nodes and edges that place it (workload, Service, node), for an upsert. */
export interface PlacedEntity {
  entity: TelemetryEntity;
  nodes: NodeRecord[];
  edges: EdgeRecord[];
}

/** Identity fields after reading either vocabulary. */
interface Identity {
  namespace?: string;
  pod?: string;
  workload?: { label: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string };
  service?: string;
  serviceNamespace?: string;
  node?: string;
  job?: string;
}

/** From OpenTelemetry resource attributes (values as text). */
export function entityFromResource(attrs: Readonly<Record<string, string>>, cluster = 'default'): PlacedEntity | null {
  const workload = attrs['k8s.deployment.name']
    ? { label: 'Deployment' as const, name: attrs['k8s.deployment.name'] }
    : attrs['k8s.statefulset.name']
      ? { label: 'StatefulSet' as const, name: attrs['k8s.statefulset.name'] }
      : attrs['k8s.daemonset.name']
        ? { label: 'DaemonSet' as const, name: attrs['k8s.daemonset.name'] }
        : undefined;
  const service = attrs['service.name'];
  return place(
    {
      namespace: attrs['k8s.namespace.name'] || undefined,
      pod: attrs['k8s.pod.name'] || undefined,
      workload,
      // OTel's placeholder for "no name" identifies nothing.
      service: service && !service.startsWith('unknown_service') ? service : undefined,
      serviceNamespace: attrs['service.namespace'] || undefined,
      node: attrs['k8s.node.name'] || attrs['host.name'] || undefined,
    },
    cluster,
  );
}

/** From a Prometheus series' labels (`__name__` and the metric's own labels are ignored). */
export function entityFromPromLabels(
  labels: Readonly<Record<string, string>>,
  cluster = 'default',
): PlacedEntity | null {
  const instanceHost = labels.instance ? labels.instance.replace(/:\d+$/, '') : undefined;
  return place(
    {
      namespace: labels.namespace || labels.kubernetes_namespace || undefined,
      pod: labels.pod || labels.kubernetes_pod_name || undefined,
      service: labels.service || undefined,
      node: labels.node || labels.kubernetes_node || undefined,
      job: labels.job || instanceHost || undefined,
    },
    cluster,
  );
}

/** Labels that say which entity a Prometheus series is about (the rest describe the metric). */
export const PROM_IDENTITY_LABELS: ReadonlySet<string> = new Set([
  'namespace',
  'kubernetes_namespace',
  'pod',
  'kubernetes_pod_name',
  'service',
  'node',
  'kubernetes_node',
  'job',
  'instance',
]);

function place(id: Identity, cluster: string): PlacedEntity | null {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const ns = id.namespace ?? 'default';
  const node = (label: NodeLabel, u: Uid, props: Record<string, string>) => nodes.push({ label, uid: u, props });
  const machine = id.node ? uids.machine(id.node, cluster) : undefined;
  if (machine) node('Machine', machine, { name: id.node as string });
  const workload = id.workload ? uid(id.workload.label, cluster, ns, id.workload.name) : undefined;
  if (workload && id.workload) node(id.workload.label, workload, { name: id.workload.name, namespace: ns });
  const service = id.service ? uids.service(id.service, id.serviceNamespace ?? ns, cluster) : undefined;
  if (service && id.service) node('Service', service, { name: id.service, namespace: id.serviceNamespace ?? ns });

  if (id.pod) {
    const pod = uids.pod(id.pod, ns, cluster);
    // Links telemetry implies carry no `via`: stores merge properties, so a link the manifests made
    // keeps its own `via` (and stays theirs to recompute) when telemetry confirms it.
    node('Pod', pod, { name: id.pod, namespace: ns });
    if (machine) edges.push({ type: 'RUNS_ON', from: pod, to: machine, props: {} });
    if (workload) edges.push({ type: 'MANAGES', from: workload, to: pod, props: {} });
    if (service) edges.push({ type: 'SELECTS', from: service, to: pod, props: {} });
    return { entity: namespaced('Pod', pod, id.pod, ns), nodes, edges };
  }
  if (workload && id.workload) {
    if (service) edges.push({ type: 'SELECTS', from: service, to: workload, props: {} });
    return { entity: namespaced(id.workload.label, workload, id.workload.name, ns), nodes, edges };
  }
  if (service && id.service)
    return { entity: namespaced('Service', service, id.service, id.serviceNamespace ?? ns), nodes, edges };
  if (machine && id.node)
    return { entity: { uid: machine, label: 'Machine', name: id.node, key: id.node }, nodes, edges };
  if (id.job) {
    // A scrape job with no Kubernetes or node labels: the job is the service it monitors.
    const svc = uids.service(id.job, ns, cluster);
    node('Service', svc, { name: id.job, namespace: ns });
    return { entity: namespaced('Service', svc, id.job, ns), nodes, edges };
  }
  return null;
}

const namespaced = (label: NodeLabel, u: Uid, name: string, namespace: string): TelemetryEntity => ({
  uid: u,
  label,
  name,
  namespace,
  key: `${namespace}/${name}`,
});

/** Entity kinds the JSON push may name. */
export const PUSH_KINDS = ['service', 'pod', 'deployment', 'statefulset', 'daemonset', 'machine'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

const PUSH_ATTRIBUTE: Record<PushKind, string> = {
  service: 'service.name',
  pod: 'k8s.pod.name',
  deployment: 'k8s.deployment.name',
  statefulset: 'k8s.statefulset.name',
  daemonset: 'k8s.daemonset.name',
  machine: 'k8s.node.name',
};

/**
 * An entity the JSON push names by kind, name and optional namespace. Without a namespace its
 * metric-source key is the bare name (as case files and older pushes name entities).
 */
export function entityFromPush(kind: PushKind, name: string, namespace?: string, cluster = 'default'): PlacedEntity {
  const placed = entityFromResource(
    { [PUSH_ATTRIBUTE[kind]]: name, ...(namespace ? { 'k8s.namespace.name': namespace } : {}) },
    cluster,
  ) as PlacedEntity;
  return namespace ? placed : { ...placed, entity: { ...placed.entity, key: name } };
}
