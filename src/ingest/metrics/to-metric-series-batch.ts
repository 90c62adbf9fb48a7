import type { EdgeRecord, GraphBatch, NodeRecord, Uid } from '../../model/graph.js';
import type { PlacedEntity } from '../identity/telemetry-entity.js';
import { uid, uids } from '../../model/uid.js';
import type { SeriesRef } from '../../ports/metric-source.js';

export interface MetricSeriesPlacement {
  /** Where the series live: `buffer` or `prometheus`. */
  source: string;
  namespace?: string;
  cluster?: string;
  observedAt?: number;
  /** Entities that are machines, not services (a case's shared hosts: cases/shared-host-series.ts). */
  machines?: ReadonlySet<string>;
}

/** The uid of a series node: one per (cluster, namespace, entity, metric). */
export const metricSeriesUid = (ref: SeriesRef, p: Omit<MetricSeriesPlacement, 'source'> = {}) =>
  uid('MetricSeries', p.cluster ?? 'default', p.namespace ?? 'default', ref.entity, ref.metric);

/**
 * Which entity has which series: `Service -[:HAS_SERIES]-> MetricSeries` (entities named by metrics
 * are services, as in the case format; `machines` are Machines). The samples stay in their source.
 * Pure and idempotent.
 */
export function toMetricSeriesBatch(refs: readonly SeriesRef[], p: MetricSeriesPlacement): GraphBatch {
  const ns = p.namespace ?? 'default';
  const cluster = p.cluster ?? 'default';
  const nodes = new Map<string, NodeRecord>();
  const edges: EdgeRecord[] = [];
  for (const r of refs) {
    const machine = p.machines?.has(r.entity) ?? false;
    const svc = machine ? uids.machine(r.entity, cluster) : uids.service(r.entity, ns, cluster);
    const id = metricSeriesUid(r, p);
    nodes.set(
      svc,
      machine
        ? { label: 'Machine', uid: svc, props: { name: r.entity } }
        : { label: 'Service', uid: svc, props: { name: r.entity, namespace: ns } },
    );
    nodes.set(id, { label: 'MetricSeries', uid: id, props: { entity: r.entity, metric: r.metric, source: p.source } });
    edges.push({ type: 'HAS_SERIES', from: svc, to: id, props: {} });
  }
  return { nodes: [...nodes.values()], edges, ...(p.observedAt === undefined ? {} : { observedAt: p.observedAt }) };
}

/** One series of an entity that telemetry named (see telemetry-entity.ts). */
export interface EntitySeries {
  placed: PlacedEntity;
  metric: string;
  /** A trace the latest exemplar of this series links to. */
  exemplarTraceId?: string;
}

/** The uid of an entity's series node: one per (entity uid, metric). */
export const entitySeriesUid = (entity: Uid, metric: string): Uid => uid('MetricSeries', entity, metric);

/**
 * The entities (with the nodes and edges that place them) and `entity -[:HAS_SERIES]-> MetricSeries`
 * for series that OTLP metrics or remote-write named. The series node keeps the metric source's key
 * of its entity and the entity's uid, so a series read from the source finds its entity. Pure.
 */
export function toEntitySeriesBatch(series: readonly EntitySeries[], p: MetricSeriesPlacement): GraphBatch {
  const nodes = new Map<string, NodeRecord>();
  const edges = new Map<string, EdgeRecord>();
  for (const s of series) {
    const { entity } = s.placed;
    for (const n of s.placed.nodes) if (!nodes.has(n.uid)) nodes.set(n.uid, n);
    for (const e of s.placed.edges) edges.set(`${e.type} ${e.from} ${e.to}`, e);
    const id = entitySeriesUid(entity.uid, s.metric);
    nodes.set(id, {
      label: 'MetricSeries',
      uid: id,
      props: {
        entity: entity.key,
        entityUid: entity.uid,
        metric: s.metric,
        source: p.source,
        ...(s.exemplarTraceId ? { exemplarTraceId: s.exemplarTraceId } : {}),
      },
    });
    edges.set(`HAS_SERIES ${entity.uid} ${id}`, { type: 'HAS_SERIES', from: entity.uid, to: id, props: {} });
  }
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    ...(p.observedAt === undefined ? {} : { observedAt: p.observedAt }),
  };
}
