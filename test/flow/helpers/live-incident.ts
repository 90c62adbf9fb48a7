/**
 * A simulated fault on Online Boutique taken through the live path as in full mode: manifests,
 * metrics, traces (and on request logs) through the ingest server into the memory graph and metric
 * buffer, the fault's onset alerts through the in-process incident flow (compress → rca → notify).
 */
import { expect } from 'vitest';
import { slicePayloads } from '../../../app/demo/sim-payloads.js';
import { InProcessRunner } from '../../../jobs/in-process-runner.js';
import { MemoryChannelRateLimiter } from '../../../jobs/memory-channel-rate-limiter.js';
import { registerFlow } from '../../../src/flow/register-flow.js';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { MemorySpanBuffer } from '../../../src/ingest/traces/memory-span-buffer.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { uids } from '../../../src/model/uid.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { kubernetesManifests, simulate, toAlertmanagerWebhooks, type FaultType } from '../../../src/sim/index.js';
import { toOtlpTraces } from '../../../src/sim/otlp.js';
import { RecordingNotifier } from '../../jobs/flow-fixture.js';

export const LEARN_MIN = 60;
export const FAULT_MIN = 15;
const START = Date.UTC(2026, 0, 5, 10);
/** The clock everything runs at: the end of the simulated run. */
export const NOW = START + (LEARN_MIN + FAULT_MIN) * 60_000;

/** `fault` on `target` from minute LEARN_MIN, ingested and alerted on as in full mode; the ports and the truth. */
export async function liveIncident(a: {
  seed: number;
  fault: FaultType;
  target: string;
  logs?: boolean;
  /** Keep accepted spans for the analyses, as `serve` does. */
  spans?: boolean;
  /** `none`: datastores write no spans, their callers' client spans name them (src/sim/otlp.ts). */
  datastoreSpans?: 'server' | 'none';
}) {
  const run = simulate({
    system: 'online-boutique',
    seed: a.seed,
    start: START,
    durationS: (LEARN_MIN + FAULT_MIN) * 60,
    stepS: 30,
    traceRatePerS: 1,
    faults: [{ type: a.fault, target: a.target, startS: LEARN_MIN * 60, durationS: FAULT_MIN * 60 }],
  });
  const graph = await MemoryGraphStore.open({ now: () => NOW });
  const metrics = new BufferMetricSource();
  const incidents = new IncidentStore(graph, () => NOW);
  const runner = new InProcessRunner();
  const recentSpans = a.spans ? new MemorySpanBuffer() : undefined;
  registerFlow(runner, {
    graph,
    incidents,
    metrics,
    notifier: new RecordingNotifier(),
    limiter: new MemoryChannelRateLimiter(0),
    now: () => NOW,
    ...(recentSpans ? { spans: recentSpans } : {}),
  });
  const app = await buildIngestServer({
    graph,
    metrics,
    now: () => NOW,
    ...(recentSpans ? { recentSpans } : {}),
    alertOwner: async (alerts, receivedAt) => {
      await runner.enqueue('compress', { alerts, receivedAt });
    },
  });
  const post = async (url: string, payload: unknown, contentType = 'application/json') => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const res = await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  };
  try {
    await post('/v1/k8s', kubernetesManifests(run.topology), 'application/yaml');
    await post('/v1/metrics', slicePayloads(run, 0, (LEARN_MIN + FAULT_MIN) * 60).metrics);
    // Traces of the last minutes before and during the fault give the CALLS edges.
    for (let m = LEARN_MIN - 10; m < LEARN_MIN + FAULT_MIN; m++)
      await post(
        '/v1/traces',
        toOtlpTraces(run.topology, run.traces({ fromS: m * 60, toS: (m + 1) * 60 }), {
          datastoreSpans: a.datastoreSpans ?? 'server',
        }),
      );
    // Logs of the last hour (the aggregator keeps an hour of per-minute template counts).
    if (a.logs)
      for (let m = FAULT_MIN; m < LEARN_MIN + FAULT_MIN; m++)
        await post('/v1/logs', slicePayloads(run, m * 60, (m + 1) * 60).logs);
    await app.ingest.flush();
    // The fault's alerts that began in its first five minutes, as Alertmanager delivers them.
    const onsetUntil = START + (LEARN_MIN + 5) * 60_000;
    const firing = run.alerts.filter((a) => a.incident === 0 && a.endsAt === null && a.startsAt <= onsetUntil);
    expect(firing.length).toBeGreaterThan(0);
    for (const d of toAlertmanagerWebhooks(firing, NOW)) await post('/v1/alerts/alertmanager', d.payload);
    await runner.drained();
  } finally {
    await app.close();
    await runner.close({ timeoutMs: 5_000 });
  }
  const open = await incidents.listOpen();
  expect(open.length).toBeGreaterThan(0);
  const incident = open.sort((a, b) => b.alertFingerprints.length - a.alertFingerprints.length)[0];
  const truth = run.truth.faults[0];
  const ns = run.topology.services.find((s) => s.name === truth.service)?.namespace;
  return {
    run,
    graph,
    metrics,
    spans: recentSpans,
    incident,
    service: uids.service(truth.service, ns),
    pod: uids.pod(truth.pods[0], ns),
    deployment: uids.deployment(truth.service, ns),
    machine: uids.machine(truth.machines[0]),
  };
}
