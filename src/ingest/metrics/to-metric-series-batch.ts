import type { EdgeRecord, GraphBatch, NodeRecord } from '../../model/graph.js';
import { uid, uids } from '../../model/uid.js';
import type { SeriesRef } from '../../ports/metric-source.js';

export interface MetricSeriesPlacement {
  /** Where the series live: `buffer` or `prometheus`. */
  source: string;
  namespace?: string;
  cluster?: string;
  observedAt?: number;
}

/** The uid of a series node: one per (cluster, namespace, entity, metric). */
export const metricSeriesUid = (ref: SeriesRef, p: Omit<MetricSeriesPlacement, 'source'> = {}) =>
  uid('MetricSeries', p.cluster ?? 'default', p.namespace ?? 'default', ref.entity, ref.metric);

/**
 * Which entity has which series: `Service -[:HAS_SERIES]-> MetricSeries` (entities named by metrics
 * are services, as in the case format). The samples stay in their source. Pure and idempotent.
 */
export function toMetricSeriesBatch(refs: readonly SeriesRef[], p: MetricSeriesPlacement): GraphBatch {
  const ns = p.namespace ?? 'default';
  const cluster = p.cluster ?? 'default';
  const nodes = new Map<string, NodeRecord>();
  const edges: EdgeRecord[] = [];
  for (const r of refs) {
    const svc = uids.service(r.entity, ns, cluster);
    const id = metricSeriesUid(r, p);
    nodes.set(svc, { label: 'Service', uid: svc, props: { name: r.entity, namespace: ns } });
    nodes.set(id, { label: 'MetricSeries', uid: id, props: { entity: r.entity, metric: r.metric, source: p.source } });
    edges.push({ type: 'HAS_SERIES', from: svc, to: id, props: {} });
  }
  return { nodes: [...nodes.values()], edges, ...(p.observedAt === undefined ? {} : { observedAt: p.observedAt }) };
}
