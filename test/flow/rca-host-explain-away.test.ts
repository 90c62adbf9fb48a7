/**
 * The live RCA path discounts a machine whose anomaly a faulty pod on it explains, as the offline path
 * does: a simulated CPU hog on cartservice goes through the ingest server into the memory graph and
 * metric buffer, its alerts through the in-process incident flow (compress → rca → notify).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { slicePayloads } from '../../app/demo/sim-payloads.js';
import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { MemoryChannelRateLimiter } from '../../jobs/memory-channel-rate-limiter.js';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { registerFlow } from '../../src/flow/register-flow.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { uids } from '../../src/model/uid.js';
import { analyseCase, DEFAULTS as ANALYSIS } from '../../src/rca/analyse-case.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';
import { kubernetesManifests, simulate, toAlertmanagerWebhooks } from '../../src/sim/index.js';
import { RecordingNotifier } from '../jobs/flow-fixture.js';

const LEARN_MIN = 60;
const FAULT_MIN = 15;
const START = Date.UTC(2026, 0, 5, 10);
/** The clock everything runs at: the end of the simulated run. */
const NOW = START + (LEARN_MIN + FAULT_MIN) * 60_000;

/** A CPU hog on cartservice's pod, ingested and alerted on as in full mode; returns the ports and the truth. */
async function cpuHogIncident(seed: number) {
  const run = simulate({
    system: 'online-boutique',
    seed,
    start: START,
    durationS: (LEARN_MIN + FAULT_MIN) * 60,
    stepS: 30,
    traceRatePerS: 1,
    faults: [{ type: 'cpu-hog', target: 'cartservice', startS: LEARN_MIN * 60, durationS: FAULT_MIN * 60 }],
  });
  const graph = await MemoryGraphStore.open({ now: () => NOW });
  const metrics = new BufferMetricSource();
  const incidents = new IncidentStore(graph, () => NOW);
  const runner = new InProcessRunner();
  registerFlow(runner, {
    graph,
    incidents,
    metrics,
    notifier: new RecordingNotifier(),
    limiter: new MemoryChannelRateLimiter(0),
    now: () => NOW,
  });
  const app = await buildIngestServer({
    graph,
    metrics,
    now: () => NOW,
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
      await post('/v1/traces', slicePayloads(run, m * 60, (m + 1) * 60).traces);
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
    graph,
    metrics,
    incident,
    service: uids.service(truth.service, ns),
    pod: uids.pod(truth.pods[0], ns),
    deployment: uids.deployment(truth.service, ns),
    machine: uids.machine(truth.machines[0]),
  };
}

describe('live RCA: a machine whose anomaly its faulty pod explains', () => {
  let hog: Awaited<ReturnType<typeof cpuHogIncident>>;
  beforeAll(async () => {
    hog = await cpuHogIncident(11);
  }, 60_000);

  it('is discounted by host explain-away and ranks below the faulty service', async () => {
    const { graph, metrics, incident, service, pod, machine } = hog;
    expect(incident.diagnosedRevision).toBe(incident.revision);
    const analysis = analyseCase((await buildRcaInput(incident, { graph, metrics, now: () => NOW })).input);
    const j = analysis.graph.index.get(machine);
    expect(j, 'the machine is a candidate with metrics').toBeDefined();
    // The machine's CPU moved, so there is something to explain.
    expect(analysis.moves[j!][0]?.harm ?? 0).toBeGreaterThanOrEqual(ANALYSIS.anomalousZ);
    expect(analysis.hosts[j!]).toBe(1);
    expect(analysis.discount[j!]).toBe(ANALYSIS.explainedShare);
    expect([pod, service]).toContain(analysis.explainedBy[j!]);

    // The suspects the flow stored: the faulty service outranks the machine.
    const rankOf = (u: string) => incident.suspects.find((s) => s.entity === u)?.rank ?? Infinity;
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    expect(rankOf(service), top).toBeLessThan(rankOf(machine));
  });

  it('gives the series ingest hung off the Service to the Service, not to its same-named Deployment', async () => {
    const { graph, metrics, incident, service, deployment } = hog;
    const built = await buildRcaInput(incident, { graph, metrics, now: () => NOW });
    expect(built.nameOf.has(deployment), 'the Deployment is a candidate too').toBe(true);
    const owners = built.input.series.filter((s) => s.metric === 'latency_p99').map((s) => s.entity);
    expect(owners).toContain(service);
    expect(owners).not.toContain(deployment);
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    const evidence = incident.suspects.find((s) => s.entity === service)?.explanation?.metrics ?? [];
    expect(evidence.length, top).toBeGreaterThan(0);
  });
});
