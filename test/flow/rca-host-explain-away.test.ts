/**
 * The live RCA path discounts a machine whose anomaly a faulty pod on it explains, as the offline path
 * does: a simulated CPU hog on cartservice goes through the ingest server into the memory graph and
 * metric buffer, its alerts through the in-process incident flow (compress → rca → notify).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { analyseCase, DEFAULTS as ANALYSIS } from '../../src/rca/analyse-case.js';
import { liveIncident, NOW } from './helpers/live-incident.js';

describe('live RCA: a machine whose anomaly its faulty pod explains', () => {
  let hog: Awaited<ReturnType<typeof liveIncident>>;
  beforeAll(async () => {
    hog = await liveIncident({ seed: 11, fault: 'cpu-hog', target: 'cartservice' });
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
