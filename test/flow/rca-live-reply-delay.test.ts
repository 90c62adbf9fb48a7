/**
 * A network delay on a pod, through the live path with server spans only (what most OTel server
 * instrumentation sends): the delay is not in the pod's own spans but in its caller's wait after them,
 * and the live RCA reads it there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { liveIncident, NOW } from './helpers/live-incident.js';

describe('live RCA with recent spans (network delay on paymentservice, no client spans)', () => {
  let live: Awaited<ReturnType<typeof liveIncident>>;
  beforeAll(async () => {
    live = await liveIncident({ seed: 5, fault: 'network-delay', target: 'paymentservice', spans: true });
  }, 90_000);

  it("blames the late replies on paymentservice, not on checkoutservice's own time", async () => {
    const { graph, metrics, spans, incident, service } = live;
    const a = analyseCase((await buildRcaInput(incident, { graph, metrics, spans, now: () => NOW })).input);
    const checkout = service.replace('paymentservice', 'checkoutservice');
    const payment = a.traceShift?.entities.get(service);
    expect(payment?.op.kind).toBe('reply');
    expect(payment?.score ?? 0).toBeGreaterThan(5);
    expect(a.traceShift?.entities.get(checkout)?.score ?? 0).toBeLessThan(3);
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    expect([service, live.pod], top).toContain(incident.suspects[0].entity);
    expect(incident.suspects[0].why ?? '', top).toMatch(/trace: reply delay \(1 caller\): callers wait longer/);
  });
});
