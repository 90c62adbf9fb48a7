import { describe, expect, it } from 'vitest';
import { rankMicroRank, type SpanIn } from '../../src/rca/microrank.js';

// fe/GET calls cart/get and pay/charge. From t = 100 s, pay/charge fails in some traces.
function traces(): SpanIn[] {
  const out: SpanIn[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = i * 1e9;
    const failing = i >= 100 && i % 2 === 0;
    const id = `t${i}`;
    out.push({
      traceId: id,
      spanId: 'r',
      parentSpanId: null,
      entity: 'fe',
      operation: 'GET',
      startNs: t0,
      durationNs: 30e6 + (i % 5) * 1e6,
      status: failing ? 'error' : 'ok',
    });
    out.push({
      traceId: id,
      spanId: 'c',
      parentSpanId: 'r',
      entity: 'cart',
      operation: 'get',
      startNs: t0 + 1e6,
      durationNs: 5e6 + (i % 3) * 1e5,
      status: 'ok',
    });
    if (i % 4 !== 1)
      out.push({
        traceId: id,
        spanId: 'p',
        parentSpanId: 'r',
        entity: 'pay',
        operation: 'charge',
        startNs: t0 + 7e6,
        durationNs: 10e6,
        status: failing ? '503' : 'ok',
      });
  }
  return out;
}

describe('MicroRank', () => {
  it('finds the failing operation and maps it to its service', () => {
    const r = rankMicroRank(traces(), 100e9);
    expect(r.anomalousTraces).toBe(50);
    expect(r.normalTraces).toBe(50);
    expect(r.operations[0]).toMatchObject({ entity: 'pay', operation: 'charge' });
    expect(r.entities.get('pay')?.score ?? 0).toBeGreaterThan(r.entities.get('cart')?.score ?? 0);
  });

  it('flags a trace slower than Σ count·(μ + nσ) of its operations', () => {
    const spans = traces().map((s) => (s.startNs >= 150e9 && s.entity === 'cart' ? { ...s, durationNs: 500e6 } : s));
    const r = rankMicroRank(spans, 150e9, { formula: 'dstar2' });
    expect(r.anomalousTraces).toBeGreaterThan(0);
    expect(r.entities.get('cart')?.score).toBeGreaterThan(0);
  });

  it('judges anomaly per operation: a nested call twice as slow is found though the trace stays within Σ(μ + 3σ)', () => {
    // From 150 s pay/charge takes 20 ms instead of 10 ms and its caller's span grows by as much. The
    // trace (≤ 42 ms) stays below the sum of its spans' μ + 3σ (≈ 45 ms): a per-trace sum flags nothing.
    const spans = traces().map((x) => {
      const s = { ...x, status: 'ok' }; // latency only: no failed call to give it away
      if (s.startNs < 150e9) return s;
      if (s.entity === 'pay') return { ...s, durationNs: 20e6 };
      // The caller waits for the call: only traces that call pay get slower.
      if (s.entity === 'fe' && Number(s.traceId.slice(1)) % 4 !== 1) return { ...s, durationNs: s.durationNs + 10e6 };
      return s;
    });
    const r = rankMicroRank(spans, 150e9);
    expect(r.anomalousTraces).toBeGreaterThan(0);
    expect(r.operations[0]).toMatchObject({ entity: 'pay', operation: 'charge' });
    expect(r.entities.get('pay')?.score ?? 0).toBeGreaterThan(r.entities.get('cart')?.score ?? 0);
  });
});
