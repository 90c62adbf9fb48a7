import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSystem, onlineBoutique, simulate, type Topology } from '../../src/sim/index.js';

function assertWellFormed(t: Topology): void {
  const services = new Set(t.services.map((s) => s.name));
  const ops = new Set(t.operations.map((o) => `${o.service}/${o.name}`));
  for (const o of t.operations) {
    expect(services.has(o.service)).toBe(true);
    for (const c of o.calls) expect(ops.has(`${c.service}/${c.operation}`)).toBe(true);
  }
  for (const p of t.pods) expect(services.has(p.service)).toBe(true);
  expect(t.operations.some((o) => o.entryShare > 0)).toBe(true);
  expect(new Set(t.pods.map((p) => p.name)).size).toBe(t.pods.length);
}

describe('topologies', () => {
  it('Online Boutique has the real services and call graph', () => {
    const t = onlineBoutique();
    assertWellFormed(t);
    expect(t.services.map((s) => s.name).sort()).toEqual([
      'adservice',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'emailservice',
      'frontend',
      'paymentservice',
      'productcatalogservice',
      'recommendationservice',
      'redis-cart',
      'shippingservice',
    ]);
    const callees = (s: string) =>
      t.edges
        .filter((e) => e.source === s)
        .map((e) => e.target)
        .sort();
    expect(callees('frontend')).toEqual([
      'adservice',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'productcatalogservice',
      'recommendationservice',
      'shippingservice',
    ]);
    expect(callees('checkoutservice')).toEqual([
      'cartservice',
      'currencyservice',
      'emailservice',
      'paymentservice',
      'productcatalogservice',
      'shippingservice',
    ]);
    expect(callees('recommendationservice')).toEqual(['productcatalogservice']);
    expect(callees('cartservice')).toEqual(['redis-cart']);
    expect(t.operations.map((o) => o.name)).toContain('hipstershop.CartService/GetCart');
  });

  it('generated systems are well formed, acyclic and heavy-tailed for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 400 }), fc.integer({ min: 0, max: 1_000 }), (n, seed) => {
        const t = generateSystem({ services: n, seed });
        expect(t.services.length).toBe(n);
        assertWellFormed(t);
        simulate({ system: { generated: { services: n } }, seed, start: 0, durationS: 600, stepS: 60, faults: [] }); // throws on a cycle
      }),
      { numRuns: 15 },
    );
  });

  it('3,000 services: a few shared back ends are called by many services', () => {
    const t = generateSystem({ services: 3_000, seed: 5 });
    const indeg = new Map<string, number>();
    for (const e of t.edges) indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
    const degs = [...indeg.values()].sort((a, b) => b - a);
    expect(degs[0]).toBeGreaterThan(20 * degs[Math.floor(degs.length / 2)]);
  });

  it('is deterministic in the seed', () => {
    const o = {
      system: 'online-boutique' as const,
      start: 0,
      durationS: 1_800,
      stepS: 30,
      faults: [{ type: 'pod-crash' as const, target: 'cartservice', startS: 600, durationS: 600 }],
    };
    const a = simulate({ ...o, seed: 1 });
    const b = simulate({ ...o, seed: 1 });
    const c = simulate({ ...o, seed: 2 });
    expect([...a.metrics.series.get('frontend|latency_p99')!.values]).toEqual([
      ...b.metrics.series.get('frontend|latency_p99')!.values,
    ]);
    expect([...a.metrics.series.get('frontend|latency_p99')!.values]).not.toEqual([
      ...c.metrics.series.get('frontend|latency_p99')!.values,
    ]);
    expect([...a.traces({ fromS: 600, toS: 700 })]).toEqual([...b.traces({ fromS: 600, toS: 700 })]);
    expect([...a.logs({ fromS: 600, toS: 700 })]).toEqual([...b.logs({ fromS: 600, toS: 700 })]);
    expect(a.alerts).toEqual(b.alerts);
  });

  it('traces: one root per trace, children inside their parent, errors at the crashed service', () => {
    const run = simulate({
      system: 'online-boutique',
      seed: 4,
      start: 0,
      durationS: 1_800,
      stepS: 30,
      traceRatePerS: 2,
      faults: [{ type: 'pod-crash', target: 'currencyservice', startS: 600, durationS: 600 }],
    });
    let unavailable = 0;
    for (const tr of run.traces({ fromS: 600, toS: 1_200 })) {
      const byId = new Map(tr.spans.map((s) => [s.spanId, s]));
      expect(tr.spans.filter((s) => s.parentSpanId === '').length).toBe(1);
      const parents = new Set(tr.spans.map((s) => s.parentSpanId));
      for (const s of tr.spans) {
        // A refused connection ends a span at once: no children, and only the crashed service does that.
        if (s.statusMessage === 'UNAVAILABLE' && !parents.has(s.spanId)) {
          expect(s.service).toBe('currencyservice');
          unavailable++;
        }
        const p = byId.get(s.parentSpanId);
        if (p) expect(s.startNs).toBeGreaterThanOrEqual(p.startNs);
      }
    }
    expect(unavailable).toBeGreaterThan(0);
  });
});
