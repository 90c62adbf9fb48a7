import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import type { Incident, Suspect } from '../../src/incidents/incident.js';
import { alertUid } from '../../src/incidents/incident.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/graph.js';
import { uid, uids } from '../../src/model/uid.js';
import { onlineBoutique } from '../../src/sim/index.js';

/** The fixed clock of the fixture (ms). */
export const NOW = Date.UTC(2025, 4, 6, 12, 0, 0);
export const NS = 'boutique';
export const svc = (name: string) => uids.service(name, NS);

/**
 * Writes the simulator's Online Boutique topology (services, pods, CALLS) into the graph, plus a
 * realistic fault on paymentservice (checkout → payment): metric and log anomalies, firing alerts,
 * a rollout Change, and one incident whose suspects look like src/rca/explain.ts output.
 */
export async function seedBoutique(
  graph: GraphStore,
  now = NOW,
): Promise<{ incident: Incident; incidents: IncidentStore }> {
  const NOW = now;
  const t = onlineBoutique(1);
  const nodes: NodeRecord[] = t.services.map((s) => ({
    label: 'Service',
    uid: svc(s.name),
    props: { name: s.name, namespace: NS },
  }));
  const edges: EdgeRecord[] = t.edges.map((e) => ({
    type: 'CALLS',
    from: svc(e.source),
    to: svc(e.target),
    props: { count: 1200, errors: e.target === 'paymentservice' ? 140 : 0 },
  }));
  for (const p of t.pods) {
    nodes.push({ label: 'Pod', uid: uids.pod(p.name, NS), props: { name: p.name, namespace: NS } });
    edges.push({ type: 'SELECTS', from: svc(p.service), to: uids.pod(p.name, NS), props: {} });
  }
  const nowS = NOW / 1000;
  const anomaly = (entity: string, metric: string, score: number, agoS: number): NodeRecord => ({
    label: 'Anomaly',
    uid: uid('Anomaly', 'spot', entity, metric, nowS - agoS - 60),
    props: { entity, metric, start: nowS - agoS - 60, end: nowS - agoS, score, detector: 'spot' },
  });
  const anomalies = [
    anomaly('paymentservice', 'latency_p99', 41.5, 120),
    anomaly('paymentservice', 'error_rate', 22.1, 120),
    anomaly('checkoutservice', 'latency_p99', 9.2, 60),
    anomaly('frontend', 'latency_p99', 4.1, 30),
    anomaly('adservice', 'cpu_usage', 3.0, 3 * 86_400),
  ];
  nodes.push(...anomalies);
  edges.push(
    ...anomalies.map((a) => ({
      type: 'FOUND_ON' as const,
      from: a.uid,
      to: svc(String(a.props.entity)),
      props: { metric: String(a.props.metric) },
    })),
  );
  const logAnomaly: NodeRecord = {
    label: 'Anomaly',
    uid: uid('Anomaly', 'logs', 'paymentservice', NOW - 300_000),
    props: {
      source: 'logs',
      kind: 'new-template',
      service: 'paymentservice',
      start: NOW - 300_000,
      end: NOW - 240_000,
      score: 8,
      summary: 'new error template: charge failed: card processor timeout after <*> ms',
    },
  };
  nodes.push(logAnomaly);
  edges.push({ type: 'FOUND_ON', from: logAnomaly.uid, to: svc('paymentservice'), props: {} });
  const alerts = ['PaymentLatencyHigh', 'PaymentErrors', 'CheckoutLatencyHigh'].map((name, i): NodeRecord => ({
    label: 'Alert',
    uid: alertUid(`fp${i}`),
    props: {
      fingerprint: `fp${i}`,
      name,
      status: 'firing',
      severity: 'critical',
      startsAt: NOW - 200_000 + i * 1000,
      summary: `${name} in ${NS}`,
    },
  }));
  nodes.push(...alerts);
  edges.push(
    ...alerts.map((a, i) => ({
      type: 'FIRED_ON' as const,
      from: a.uid,
      to: svc(i < 2 ? 'paymentservice' : 'checkoutservice'),
      props: {},
    })),
  );
  const change: NodeRecord = {
    label: 'Change',
    uid: uid('Change', NS, 'paymentservice', 'rollout-42'),
    props: { kind: 'rollout', description: 'image paymentservice:v0.9.1 → v0.9.2', at: NOW - 900_000, by: 'ci-bot' },
  };
  nodes.push(change);
  edges.push({ type: 'CHANGED', from: change.uid, to: svc('paymentservice'), props: {} });
  const report = await graph.upsert({ nodes, edges, observedAt: NOW });
  if (report.rejected.length) throw new Error(`fixture rejected: ${JSON.stringify(report.rejected[0])}`);

  const incidents = new IncidentStore(graph, () => NOW);
  const incident = await incidents.open({
    title: 'Checkout latency and payment errors',
    severity: 'critical',
    entities: [svc('frontend'), svc('checkoutservice'), svc('paymentservice')],
    alertFingerprints: ['fp0', 'fp1', 'fp2'],
    entry: svc('frontend'),
    openedAt: NOW - 180_000,
  });
  incident.suspects = suspects(['paymentservice', 'checkoutservice', 'frontend', 'currencyservice'], now);
  incident.revision = 2;
  incident.diagnosedRevision = 2;
  await incidents.save(incident);
  return { incident, incidents };
}

/** Ranked suspects shaped like the RCA's output; the first is the top candidate. */
export function suspects(names: string[], now = NOW): Suspect[] {
  const NOW = now;
  return names.map((n, i) => ({
    entity: svc(n),
    rank: i + 1,
    score: Number((0.9 / (i + 1)).toFixed(3)),
    why:
      i === 0
        ? 'latency_p99 z=41.5, error_rate z=22.1; new error log template; rolled out 15 min before'
        : `downstream of ${names[0]}, latency_p99 z=${(9 / (i + 1)).toFixed(1)}`,
    explanation: {
      components: { metrics: 0.9, logs: 0.5, traces: 0.4, changes: 0.8 },
      metrics: [
        { metric: 'latency_p99', z: 41.5, normal: 120, peak: 2300 },
        { metric: 'error_rate', z: 22.1, normal: 0.01, peak: 0.12 },
      ],
      logTemplates: [
        { template: 'charge failed: card processor timeout after <*> ms', windowCount: 140, expected: 0.5, score: 8 },
      ],
      trace: { operation: 'hipstershop.PaymentService/Charge', score: 0.8 },
      changes: [{ entity: n, at: NOW / 1000 - 900, description: 'image paymentservice:v0.9.1 → v0.9.2' }],
      path: [svc(n), svc('checkoutservice'), svc('frontend')],
      graph: 'traces',
    },
  }));
}

/** A fresh memory graph with the boutique fault in it. */
export async function boutiqueGraph(
  dataDir?: string,
  now = NOW,
): Promise<{ graph: MemoryGraphStore; incident: Incident; incidents: IncidentStore }> {
  const graph = await MemoryGraphStore.open({ dataDir, now: () => now });
  const { incident, incidents } = await seedBoutique(graph, now);
  return { graph, incident, incidents };
}
