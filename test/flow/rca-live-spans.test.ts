/**
 * The live RCA judges operations by recent spans (the ingest buffer, as `serve` wires it): the graph's
 * CALLS edges carry per-window statistics only, so without the buffer a live analysis has no trace
 * evidence at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { liveIncident, NOW } from './helpers/live-incident.js';

describe('live RCA with recent spans (error-return on paymentservice)', () => {
  let live: Awaited<ReturnType<typeof liveIncident>>;
  beforeAll(async () => {
    live = await liveIncident({ seed: 5, fault: 'error-return', target: 'paymentservice', spans: true });
  }, 90_000);

  it("gives the RCA the spans around the start, the faulty service's under its uid", async () => {
    const { graph, metrics, spans, incident, service } = live;
    const { input } = await buildRcaInput(incident, { graph, metrics, spans, now: () => NOW });
    const own = (input.spans ?? []).filter((s) => s.entity === service);
    expect(own.some((s) => s.startNs < input.incident.start * 1e9)).toBe(true);
    expect(own.some((s) => s.startNs >= input.incident.start * 1e9 && s.status === 'error')).toBe(true);
  });

  it("judges paymentservice's own operations and ranks it first; without the spans there is no trace evidence", async () => {
    const { graph, metrics, spans, incident, service } = live;
    const traced = analyseCase((await buildRcaInput(incident, { graph, metrics, spans, now: () => NOW })).input);
    expect(traced.coverage.traces).toBe(true);
    // Errors start in paymentservice (12 of 37 calls after the start, 1 of 31 before, at 1 trace/s);
    // its caller's failed spans have a failed child, so they do not count as its own.
    const checkout = service.replace('paymentservice', 'checkoutservice');
    const own = traced.traceShift?.entities.get(service)?.op.errorZ ?? 0;
    expect(own).toBeGreaterThan(2);
    expect(traced.traceShift?.entities.get(checkout)?.op.errorZ ?? 0).toBeLessThan(own);
    const top = incident.suspects.map((s) => `${s.rank} ${s.entity} ${s.score}`).join('; ');
    expect([service, live.pod], top).toContain(incident.suspects[0].entity);
    expect(incident.suspects[0].why ?? '', top).toMatch(/trace: hipstershop\.PaymentService\/Charge/);
    const blind = analyseCase((await buildRcaInput(incident, { graph, metrics, now: () => NOW })).input);
    expect(blind.coverage.traces).toBe(false);
    expect(blind.traceShift).toBeNull();
  });

  it('does not say the first suspect shows nothing of its own: it calls nothing, so its errors are its own', () => {
    expect(live.incident.confidence?.caveats ?? []).not.toContainEqual(expect.stringMatching(/nothing of its own/));
    expect(live.incident.confidence?.value ?? 0).toBeGreaterThanOrEqual(0.5);
  });
});
