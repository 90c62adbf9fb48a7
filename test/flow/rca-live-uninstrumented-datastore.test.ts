/**
 * A slow datastore that writes no spans (Redis, as most deployments run it), through the live path: its
 * calls are its callers' client spans naming it (db.system, server.address), and the live RCA reads the
 * slowness as the datastore's, not as its caller's own time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { liveIncident, NOW } from './helpers/live-incident.js';

describe('live RCA with an uninstrumented datastore (redis-cart hangs on a share of calls)', () => {
  let live: Awaited<ReturnType<typeof liveIncident>>;
  beforeAll(async () => {
    live = await liveIncident({
      seed: 3,
      fault: 'dependency-timeout',
      target: 'redis-cart',
      spans: true,
      datastoreSpans: 'none',
    });
  }, 90_000);

  it('blames the datastore named by the client spans, not the caller whose spans hold the wait', async () => {
    const { graph, metrics, spans, incident, service } = live;
    const recent = await spans!.spans(0, NOW);
    // What arrived: no span of redis-cart's own, cartservice's client spans naming it.
    expect(recent.some((s) => s.service === 'redis-cart')).toBe(false);
    expect(recent.filter((s) => s.peer !== undefined).every((s) => s.service === 'cartservice')).toBe(true);
    expect(new Set(recent.map((s) => s.peer).filter(Boolean))).toEqual(
      new Set([expect.stringMatching(/\/redis-cart$/)]),
    );

    const a = analyseCase((await buildRcaInput(incident, { graph, metrics, spans, now: () => NOW })).input);
    const cart = service.replace('redis-cart', 'cartservice');
    expect(a.traceShift?.entities.get(service)?.score ?? 0).toBeGreaterThan(5);
    // Its own operation (a Redis command), read from the stand-in spans under cartservice's client spans.
    expect(a.traceShift?.entities.get(service)?.op).toMatchObject({
      kind: 'own',
      operation: expect.stringMatching(/^[A-Z]+$/),
    });
    expect(a.traceShift?.entities.get(cart)?.score ?? 0).toBeLessThan(3);
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    expect([service, live.pod], top).toContain(incident.suspects[0].entity);
  });
});
