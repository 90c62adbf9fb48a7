import type { NodeLabel, Uid } from './graph.js';

/**
 * Builds a node's stable key from its natural identity: `Label:part/part/…`.
 * Parts are escaped so that `/` inside a name cannot collide with the separator.
 * Pure and deterministic: the same identity always yields the same uid.
 */
export function uid(label: NodeLabel, ...parts: Array<string | number>): Uid {
  return `${label}:${parts.map((p) => String(p).replaceAll('%', '%25').replaceAll('/', '%2F')).join('/')}`;
}

/** The label a uid was built for. */
export function labelOf(id: Uid): string {
  const i = id.indexOf(':');
  return i < 0 ? '' : id.slice(0, i);
}

/** Shorthands for the entities every adapter names. `cluster` defaults to `default`. */
export const uids = {
  cluster: (cluster = 'default') => uid('Cluster', cluster),
  namespace: (ns: string, cluster = 'default') => uid('Namespace', cluster, ns),
  machine: (name: string, cluster = 'default') => uid('Machine', cluster, name),
  service: (name: string, ns = 'default', cluster = 'default') => uid('Service', cluster, ns, name),
  pod: (name: string, ns = 'default', cluster = 'default') => uid('Pod', cluster, ns, name),
  deployment: (name: string, ns = 'default', cluster = 'default') => uid('Deployment', cluster, ns, name),
  operation: (service: string, op: string, ns = 'default', cluster = 'default') =>
    uid('Operation', cluster, ns, service, op),
} as const;

/** The graph uid of an alert by fingerprint (Alertmanager's when present): every notification of one alert lands on one node. */
export const alertUid = (fingerprint: string): Uid => uid('Alert', fingerprint);
