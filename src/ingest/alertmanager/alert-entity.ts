import type { Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';

/** Label names that carry each identity, most specific first (Prometheus, kube-state-metrics, cAdvisor spellings). */
const LABELS = {
  cluster: ['cluster'],
  namespace: ['namespace', 'kubernetes_namespace', 'exported_namespace'],
  pod: ['pod', 'pod_name', 'kubernetes_pod_name', 'exported_pod'],
  deployment: ['deployment'],
  service: ['service', 'service_name', 'kubernetes_service_name'],
  node: ['node', 'kubernetes_node', 'nodename'],
} as const;

function pick(labels: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** `host:port`, `[v6]:port` or a bare host → the host part. */
function hostOf(instance: string): string {
  if (instance.startsWith('[')) return instance.slice(1, Math.max(1, instance.indexOf(']')));
  const colon = instance.lastIndexOf(':');
  return colon > 0 && instance.indexOf(':') === colon ? instance.slice(0, colon) : instance;
}

/**
 * The knowledge-graph entity an alert is about, from its labels: pod, then deployment, service,
 * node, instance host (a Machine), job (a Service), namespace; `null` when none is present.
 * Pod wins over service because kube-prometheus puts the scraping service (kube-state-metrics)
 * in `service` on pod alerts. An alert without a cluster label is about the receiving process's cluster. Pure.
 */
export function alertEntity(labels: Readonly<Record<string, string>>, defaultCluster = 'default'): Uid | null {
  const cluster = pick(labels, LABELS.cluster) ?? defaultCluster;
  const ns = pick(labels, LABELS.namespace);
  const pod = pick(labels, LABELS.pod);
  if (pod !== undefined) return uids.pod(pod, ns ?? 'default', cluster);
  const deployment = pick(labels, LABELS.deployment);
  if (deployment !== undefined) return uids.deployment(deployment, ns ?? 'default', cluster);
  const service = pick(labels, LABELS.service);
  if (service !== undefined) return uids.service(service, ns ?? 'default', cluster);
  const node = pick(labels, LABELS.node);
  if (node !== undefined) return uids.machine(node, cluster);
  const instance = labels.instance;
  if (instance) return uids.machine(hostOf(instance), cluster);
  const job = labels.job;
  if (job) return uids.service(job, ns ?? 'default', cluster);
  if (ns !== undefined) return uids.namespace(ns, cluster);
  return null;
}
