/** The kinds the cluster watch follows, and where the API server serves them. Plain data. */

export interface WatchKind {
  kind: string;
  /** The collection path across namespaces (`/api/v1/pods`, `/apis/apps/v1/deployments`). */
  path: string;
  /** The API's `apiVersion` (the list's items carry none). */
  apiVersion: string;
  clusterScoped: boolean;
  /** List and watch metadata only (Secrets: values never cross the wire). */
  metadataOnly?: boolean;
}

const core = (kind: string, plural: string, clusterScoped = false, metadataOnly = false): WatchKind => ({
  kind,
  path: `/api/v1/${plural}`,
  apiVersion: 'v1',
  clusterScoped,
  ...(metadataOnly ? { metadataOnly } : {}),
});
const group = (kind: string, gv: string, plural: string): WatchKind => ({
  kind,
  path: `/apis/${gv}/${plural}`,
  apiVersion: gv,
  clusterScoped: false,
});

/**
 * Everything the issue asks for. EndpointSlices are followed so that their RBAC and load are known,
 * but the graph's Service → Pod links come from selectors (the same rule manifests use).
 */
export const WATCH_KINDS: readonly WatchKind[] = [
  core('Namespace', 'namespaces', true),
  core('Node', 'nodes', true),
  group('Deployment', 'apps/v1', 'deployments'),
  group('ReplicaSet', 'apps/v1', 'replicasets'),
  group('StatefulSet', 'apps/v1', 'statefulsets'),
  group('DaemonSet', 'apps/v1', 'daemonsets'),
  group('Job', 'batch/v1', 'jobs'),
  group('CronJob', 'batch/v1', 'cronjobs'),
  core('Service', 'services'),
  core('Pod', 'pods'),
  group('EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices'),
  group('Ingress', 'networking.k8s.io/v1', 'ingresses'),
  core('ConfigMap', 'configmaps'),
  core('Secret', 'secrets', false, true),
  group('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'),
  core('Event', 'events'),
];

/** Which objects to keep: namespaces in `include` (all when empty) and not in `exclude`. */
export interface WatchFilters {
  includeNamespaces?: readonly string[];
  excludeNamespaces?: readonly string[];
  /** A Kubernetes label selector (`app=cart,tier!=db`) applied server-side to every kind but Events and Namespaces. */
  labelSelector?: string;
}

/** True when an object in `namespace` (null: cluster-scoped) passes the namespace filters. Pure. */
export function namespaceAllowed(namespace: string | null, f: WatchFilters): boolean {
  if (namespace === null) return true;
  if (f.includeNamespaces && f.includeNamespaces.length > 0 && !f.includeNamespaces.includes(namespace)) return false;
  return !(f.excludeNamespaces ?? []).includes(namespace);
}
