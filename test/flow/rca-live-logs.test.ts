/**
 * The live RCA reads application logs: the ingest aggregator's per-window template counts reach
 * `scoreLogs` as weighted records. Entities are graph uids; log-mentions.ts matches names, and a
 * service's lines naming itself stay its own (not its same-named Deployment's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { liveIncident, NOW } from './helpers/live-incident.js';

describe('live RCA with application logs (error-return on paymentservice)', () => {
  let live: Awaited<ReturnType<typeof liveIncident>>;
  beforeAll(async () => {
    live = await liveIncident({ seed: 5, fault: 'error-return', target: 'paymentservice', logs: true });
  }, 90_000);

  it("gives the RCA the faulty service's template counts, before and during the fault", async () => {
    const { graph, metrics, incident, service } = live;
    const { input } = await buildRcaInput(incident, { graph, metrics, now: () => NOW });
    const own = (input.logs ?? []).filter((l) => l.entity === service);
    expect(own.some((l) => l.level === 'error' && (l.count ?? 1) > 0 && l.timestamp >= input.incident.start)).toBe(
      true,
    );
    expect(own.some((l) => l.level === 'info' && l.timestamp < input.incident.start - 600)).toBe(true);
  });

  it('ranks paymentservice first on its own error templates, not its Deployment nor the callers that report them', async () => {
    const { graph, metrics, incident, service, deployment } = live;
    const analysis = analyseCase((await buildRcaInput(incident, { graph, metrics, now: () => NOW })).input);
    expect(analysis.logs.get(service)?.score ?? 0).toBeGreaterThan(50);
    expect(analysis.logs.has(deployment)).toBe(false);
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    expect([service, live.pod], top).toContain(incident.suspects[0].entity);
  });
});
