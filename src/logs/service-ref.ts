/**
 * Which service a log line, window, template or finding belongs to: its name and where it runs.
 * The same name in two namespaces or clusters is two services, as the graph's Service uids say
 * (uid.ts: `Service:cluster/namespace/name`). Absent placement means `default`, as in uid.ts, so
 * lines that carry only a service name keep meaning what they meant.
 */

export interface ServiceRef {
  service: string;
  /** The namespace the ingest path files the service under (k8s.namespace.name); `default` when absent. */
  namespace?: string;
  /** The cluster the ingest process serves (ROOTGRAPH_CLUSTER); `default` when absent. */
  cluster?: string;
}

/** One key per service: the grouping of miners, windows and findings. */
export const serviceKey = (s: ServiceRef): string =>
  `${s.cluster ?? 'default'}\u0000${s.namespace ?? 'default'}\u0000${s.service}`;

/** Whether two records are about the same service. */
export const sameService = (a: ServiceRef, b: ServiceRef): boolean => serviceKey(a) === serviceKey(b);

/** The identity fields of `s` alone; absent placement stays absent (old records compare as before). */
export function serviceRefOf(s: ServiceRef): ServiceRef {
  return {
    service: s.service,
    ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
    ...(s.cluster === undefined ? {} : { cluster: s.cluster }),
  };
}

/**
 * The service as a title names it: `cart` in the default namespace, `shop/cart` in another (the
 * `namespace/name` the assistant resolves), and ` in eu1` after it when the cluster is not `default`.
 */
export function serviceTitle(s: ServiceRef): string {
  const namespace = s.namespace ?? 'default';
  const cluster = s.cluster ?? 'default';
  const name = namespace === 'default' ? s.service : `${namespace}/${s.service}`;
  return cluster === 'default' ? name : `${name} in ${cluster}`;
}
