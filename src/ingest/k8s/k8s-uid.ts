import type { NodeLabel, Uid } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';

/** The graph label of each Kubernetes kind the adapter models (a Node is a `Machine`). */
export const KIND_LABEL: Readonly<Record<string, NodeLabel>> = {
  Namespace: 'Namespace',
  Node: 'Machine',
  Deployment: 'Deployment',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  ReplicaSet: 'ReplicaSet',
  Job: 'Job',
  CronJob: 'CronJob',
  Pod: 'Pod',
  Service: 'Service',
  ConfigMap: 'ConfigMap',
  Secret: 'Secret',
  Ingress: 'Ingress',
  HorizontalPodAutoscaler: 'HorizontalPodAutoscaler',
};

/**
 * The uid of a Kubernetes object, or undefined for a kind the graph does not model. Services, Pods,
 * Deployments, Nodes and Namespaces share uids with telemetry, so both land on one node. Pure.
 */
export function k8sUid(kind: string, name: string, namespace: string | null, cluster = 'default'): Uid | undefined {
  const label = KIND_LABEL[kind];
  if (!label) return undefined;
  if (label === 'Namespace') return uids.namespace(name, cluster);
  if (label === 'Machine') return uids.machine(name, cluster);
  return uid(label, cluster, namespace ?? 'default', name);
}
