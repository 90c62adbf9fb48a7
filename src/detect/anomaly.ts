/** Anomalies as plain records and their pure mapping to the knowledge graph (`Anomaly` -FOUND_ON-> entity). */
import { isNodeLabel, type GraphBatch, type NodeRecord, type EdgeRecord, type Uid } from '../model/graph.js';
import { labelOf, uid, uids } from '../model/uid.js';

/** One anomaly: a detector flagged `metric` of `entity` from `start` to `end` (unix seconds, inclusive). */
export interface AnomalyRecord {
  entity: string;
  /** The metric name, or `*` when a multivariate detector flags the entity as a whole. */
  metric: string;
  start: number;
  end: number;
  /** The detector's largest score over the window (detector-specific units). */
  score: number;
  detector: string;
}

/** The stable uid of an anomaly: detector, entity, metric and start identify it. */
export function anomalyUid(a: AnomalyRecord): Uid {
  return uid('Anomaly', a.detector, a.entity, a.metric, a.start);
}

/**
 * Maps anomalies to a graph batch: one `Anomaly` node each, `FOUND_ON` its entity, and the entity
 * node itself (name only, so the edge has an end even before ingestion saw the entity). Pure and
 * idempotent: the same anomalies give the same uids. `entityUid` defaults to a Service in `default`.
 */
export function toAnomalyBatch(
  anomalies: readonly AnomalyRecord[],
  opts: { entityUid?: (entity: string) => Uid; observedAt?: number } = {},
): GraphBatch {
  const entityUid = opts.entityUid ?? ((e: string) => uids.service(e));
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const entities = new Map<Uid, string>();
  for (const a of anomalies) {
    const id = anomalyUid(a);
    const target = entityUid(a.entity);
    entities.set(target, a.entity);
    nodes.push({
      label: 'Anomaly',
      uid: id,
      props: {
        entity: a.entity,
        metric: a.metric,
        start: a.start,
        end: a.end,
        score: Number.isFinite(a.score) ? a.score : Number.MAX_VALUE,
        detector: a.detector,
      },
    });
    edges.push({ type: 'FOUND_ON', from: id, to: target, props: { metric: a.metric } });
  }
  for (const [id, name] of entities) {
    const label = labelOf(id);
    nodes.push({ label: isNodeLabel(label) ? label : 'Service', uid: id, props: { name } });
  }
  return { nodes, edges, ...(opts.observedAt === undefined ? {} : { observedAt: opts.observedAt }) };
}
