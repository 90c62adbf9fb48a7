/**
 * Maps mined templates and log anomalies onto the knowledge graph: `LogTemplate -[:EMITTED_BY]->
 * Service` and `Anomaly -[:FOUND_ON]-> Service`, with uids from natural identity so upserting the
 * same findings twice changes nothing.
 */
import type { EdgeRecord, GraphBatch, NodeRecord } from '../model/graph.js';
import { uid, uids } from '../model/uid.js';
import type { LogAnomaly } from './log-checks.js';
import type { ServiceRef } from './service-ref.js';
import { hashKey } from './template-group.js';
import { templateKey, type TemplateInfo } from './template-windows.js';

/** Where the services live, unless a record names its own; both default to `default`, as uid.ts does. */
export interface GraphPlacement {
  namespace?: string;
  cluster?: string;
  /** Stored as `lastSeen` (ms since epoch). */
  observedAt?: number;
}

/**
 * The uid of a service's template, from what it is: the service and a 53-bit hash of the template's
 * text. Miner ids are not used (each miner numbers its own from 1), so the ingest aggregator and the
 * log-check job write the same template to the same node and different templates to different ones.
 */
export function logTemplateUid(service: string, template: string, p: GraphPlacement = {}): string {
  const text = `t${hashKey(template).toString(36)}`;
  return uid('LogTemplate', p.cluster ?? 'default', p.namespace ?? 'default', service, text);
}

/** The uid of a log anomaly: one per (service, window, kind); the anomaly's own placement wins over `p`. */
export function logAnomalyUid(
  a: Pick<LogAnomaly, 'service' | 'namespace' | 'cluster' | 'kind' | 'start'>,
  p: GraphPlacement = {},
): string {
  const at = placementOf(a, p);
  return uid('Anomaly', at.cluster, at.namespace, a.service, 'logs', a.kind, a.start);
}

/** Where a record's service lives: its own namespace and cluster, else the batch's, else `default`. */
function placementOf(s: ServiceRef, p: GraphPlacement): Required<Omit<GraphPlacement, 'observedAt'>> {
  return { namespace: s.namespace ?? p.namespace ?? 'default', cluster: s.cluster ?? p.cluster ?? 'default' };
}

/**
 * Pure mapping to one GraphBatch. Each template and anomaly attaches to its own service's node
 * (its namespace and cluster, else the batch's). Service nodes are included (name and namespace
 * only) so the edges always have both ends; other adapters add the rest of a service's properties.
 */
export function toLogGraphBatch(
  input: { templates: Iterable<TemplateInfo>; anomalies: readonly LogAnomaly[] } & GraphPlacement,
): GraphBatch {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  /** Service uid → its node: one per service however many records name it. */
  const services = new Map<string, NodeRecord>();
  const serviceUid = (s: ServiceRef): string => {
    const at = placementOf(s, input);
    const id = uids.service(s.service, at.namespace, at.cluster);
    if (!services.has(id))
      services.set(id, { label: 'Service', uid: id, props: { name: s.service, namespace: at.namespace } });
    return id;
  };
  /** templateKey → the template's uid: anomalies name templates by their miner's ids. */
  const templateUids = new Map<string, string>();
  for (const t of input.templates) {
    const at = placementOf(t, input);
    const id = logTemplateUid(t.service, t.text, at);
    templateUids.set(templateKey(t, t.id), id);
    // No miner id or `count`: the node may also be the aggregator's, whose id and running count they are.
    nodes.push({
      label: 'LogTemplate',
      uid: id,
      props: { service: t.service, namespace: at.namespace, template: t.text, checkCount: t.size },
    });
    edges.push({ type: 'EMITTED_BY', from: id, to: serviceUid(t), props: {} });
  }
  for (const a of input.anomalies) {
    const id = logAnomalyUid(a, input);
    const at = placementOf(a, input);
    nodes.push({
      label: 'Anomaly',
      uid: id,
      props: {
        source: 'logs',
        kind: a.kind,
        service: a.service,
        namespace: at.namespace,
        cluster: at.cluster,
        start: a.start,
        end: a.end,
        score: a.score,
        summary: a.summary,
        evidence: [...a.evidence],
        templateUids: a.templateIds.flatMap((t) => templateUids.get(templateKey(a, t)) ?? []),
      },
    });
    edges.push({ type: 'FOUND_ON', from: id, to: serviceUid(a), props: { kind: a.kind, score: a.score } });
  }
  for (const [, s] of [...services].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) nodes.push(s);
  return input.observedAt === undefined ? { nodes, edges } : { nodes, edges, observedAt: input.observedAt };
}
