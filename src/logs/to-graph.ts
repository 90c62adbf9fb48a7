/**
 * Maps mined templates and log anomalies onto the knowledge graph: `LogTemplate -[:EMITTED_BY]->
 * Service` and `Anomaly -[:FOUND_ON]-> Service`, with uids from natural identity so upserting the
 * same findings twice changes nothing.
 */
import type { EdgeRecord, GraphBatch, NodeRecord } from '../model/graph.js';
import { uid, uids } from '../model/uid.js';
import type { LogAnomaly } from './log-checks.js';
import type { TemplateInfo } from './template-windows.js';

/** Where the services live; both default to `default`, as uid.ts does. */
export interface GraphPlacement {
  namespace?: string;
  cluster?: string;
  /** Stored as `lastSeen` (ms since epoch). */
  observedAt?: number;
}

/** The uid of a service's template: templates are per service, so the service is part of it. */
export function logTemplateUid(service: string, templateId: string, p: GraphPlacement = {}): string {
  return uid('LogTemplate', p.cluster ?? 'default', p.namespace ?? 'default', service, templateId);
}

/** The uid of a log anomaly: one per (service, window, kind). */
export function logAnomalyUid(a: Pick<LogAnomaly, 'service' | 'kind' | 'start'>, p: GraphPlacement = {}): string {
  return uid('Anomaly', p.cluster ?? 'default', p.namespace ?? 'default', a.service, 'logs', a.kind, a.start);
}

/**
 * Pure mapping to one GraphBatch. Service nodes are included (name and namespace only) so the
 * edges always have both ends; other adapters add the rest of a service's properties.
 */
export function toLogGraphBatch(
  input: { templates: Iterable<TemplateInfo>; anomalies: readonly LogAnomaly[] } & GraphPlacement,
): GraphBatch {
  const ns = input.namespace ?? 'default';
  const cluster = input.cluster ?? 'default';
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const services = new Set<string>();
  const serviceUid = (name: string) => uids.service(name, ns, cluster);
  for (const t of input.templates) {
    services.add(t.service);
    const id = logTemplateUid(t.service, t.id, input);
    nodes.push({
      label: 'LogTemplate',
      uid: id,
      props: { service: t.service, templateId: t.id, template: t.text, count: t.size },
    });
    edges.push({ type: 'EMITTED_BY', from: id, to: serviceUid(t.service), props: {} });
  }
  for (const a of input.anomalies) {
    services.add(a.service);
    const id = logAnomalyUid(a, input);
    nodes.push({
      label: 'Anomaly',
      uid: id,
      props: {
        source: 'logs',
        kind: a.kind,
        service: a.service,
        start: a.start,
        end: a.end,
        score: a.score,
        summary: a.summary,
        evidence: [...a.evidence],
        templateUids: a.templateIds.map((t) => logTemplateUid(a.service, t, input)),
      },
    });
    edges.push({ type: 'FOUND_ON', from: id, to: serviceUid(a.service), props: { kind: a.kind, score: a.score } });
  }
  for (const s of [...services].sort())
    nodes.push({ label: 'Service', uid: serviceUid(s), props: { name: s, namespace: ns } });
  return input.observedAt === undefined ? { nodes, edges } : { nodes, edges, observedAt: input.observedAt };
}
