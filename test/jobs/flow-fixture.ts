/** A tiny live system for flow tests: three services in the graph, their metrics, two alerts and a card recorder. */
import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { MemoryChannelRateLimiter } from '../../jobs/memory-channel-rate-limiter.js';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import { registerFlow } from '../../src/flow/register-flow.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import type { AlertRecord } from '../../src/model/alert-record.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';
import type { MetricQuery, MetricSeries, MetricSource, SeriesRef } from '../../src/ports/metric-source.js';
import { uids } from '../../src/model/uid.js';

/** Incident start (ms) and the fixed clock the flow runs at: 15 minutes later. */
export const T0 = 1_700_000_000_000;
export const NOW = T0 + 15 * 60_000;
export const SVC = {
  frontend: uids.service('frontend'),
  checkout: uids.service('checkout'),
  payment: uids.service('payment'),
};

/** frontend → checkout → payment, as CALLS edges. */
export async function flowGraph(): Promise<MemoryGraphStore> {
  const graph = await MemoryGraphStore.open({ now: () => NOW });
  await graph.upsert({
    nodes: Object.entries(SVC).map(([name, uid]) => ({ label: 'Service' as const, uid, props: { name } })),
    edges: [
      { type: 'CALLS', from: SVC.frontend, to: SVC.checkout, props: {} },
      { type: 'CALLS', from: SVC.checkout, to: SVC.payment, props: {} },
    ],
  });
  return graph;
}

/** Deterministic metrics: payment's cpu and latency jump at T0, the callers' latency follows less. */
export class FixtureMetrics implements MetricSource {
  readonly kind = 'buffer' as const;
  private readonly lift: Record<string, Record<string, number>> = {
    payment: { cpu_usage: 6, latency_p99: 5 },
    checkout: { cpu_usage: 1, latency_p99: 2.5 },
    frontend: { cpu_usage: 1, latency_p99: 2 },
  };

  async query(q: MetricQuery): Promise<MetricSeries[]> {
    const n = Math.floor((q.to - q.from) / q.stepS) + 1;
    const timestamps = Float64Array.from({ length: n }, (_, i) => q.from + i * q.stepS);
    const out: MetricSeries[] = [];
    for (const entity of q.entities ?? Object.keys(this.lift)) {
      const lifts = this.lift[entity];
      if (!lifts) continue;
      for (const [metric, lift] of Object.entries(lifts)) {
        const values = timestamps.map(
          (t, i) => (10 + Math.sin(i * 1.7 + entity.length) + 0.3 * Math.cos(i * 0.31)) * (t >= T0 / 1000 ? lift : 1),
        );
        out.push({ entity, metric, timestamps, values });
      }
    }
    return out;
  }

  async listSeries(entity?: string): Promise<SeriesRef[]> {
    return Object.entries(this.lift)
      .filter(([e]) => !entity || e === entity)
      .flatMap(([e, m]) => Object.keys(m).map((metric) => ({ entity: e, metric })));
  }
}

/** A Notifier that records what it posted: the first publish posts, later ones edit the same card. */
export class RecordingNotifier implements Notifier {
  readonly kind = 'recording';
  readonly posts: Array<{ incident: number; revision: number; top?: string }> = [];
  readonly edits: Array<{ incident: number; revision: number }> = [];

  async publish(incident: Incident): Promise<CardRef | undefined> {
    if (incident.card) {
      this.edits.push({ incident: incident.number, revision: incident.revision });
      return incident.card;
    }
    this.posts.push({ incident: incident.number, revision: incident.revision, top: incident.suspects[0]?.entity });
    return { channel: '#incidents', ts: `${this.posts.length}.000` };
  }

  async reply(): Promise<void> {}
}

/** Two firing alerts, on frontend (latency) and payment (cpu), a few seconds apart. */
export function flowAlerts(): AlertRecord[] {
  const alert = (name: string, service: string, fp: string, dt: number): AlertRecord => ({
    fingerprint: fp,
    name,
    status: 'firing',
    labels: { alertname: name, service, severity: 'critical' },
    annotations: {},
    startsAt: T0 + dt,
    endsAt: null,
    generatorURL: null,
    entity: uids.service(service),
  });
  return [
    alert('HighLatency', 'frontend', 'fp-frontend-latency', 20_000),
    alert('HighCpu', 'payment', 'fp-payment-cpu', 5_000),
  ];
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The incident flow as one process runs it: an in-process runner with every queue's processor on `graph`, at the clock `now`. */
export function flowProcess(graph: MemoryGraphStore, state = new AlertFlowState(), now: () => number = () => NOW) {
  const runner = new InProcessRunner();
  const incidents = new IncidentStore(graph, now);
  registerFlow(runner, {
    graph,
    incidents,
    alertFlow: state,
    metrics: new FixtureMetrics(),
    notifier: new RecordingNotifier(),
    limiter: new MemoryChannelRateLimiter(0),
    now,
  });
  return { runner, incidents, state };
}

/** Incident #1 as the flow diagnoses flowAlerts() on a fresh flowGraph(), the flow closed after. */
export async function diagnosedFlowIncident() {
  const graph = await flowGraph();
  const { runner, incidents } = flowProcess(graph);
  await runner.enqueue('compress', { alerts: flowAlerts(), receivedAt: NOW });
  await runner.drained();
  await runner.close({ timeoutMs: 5_000 });
  return { graph, incidents, incident: (await incidents.get(1))! };
}
