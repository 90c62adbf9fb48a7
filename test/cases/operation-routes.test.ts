import { describe, expect, it } from 'vitest';
import { normaliseCase } from '../../src/cases/normalise-case.js';
import { readOperationsAsRoutes } from '../../src/cases/operation-routes.js';
import { readingNotes } from '../../src/cases/reading-notes.js';
import type { CaseData, CaseSpan } from '../../src/cases/types.js';
import { scoreTraceShift } from '../../src/rca/trace-shift.js';

const START_S = 1_700_000_000;

/**
 * One service whose order route slowed from 10 ms to 40 ms at START_S, 200 requests before and 100
 * after, each span named by its raw URL (the order's own number) as some instrumentation writes it.
 */
function rawUrlCase(): CaseData {
  const spans: CaseSpan[] = [];
  for (let i = 0; i < 300; i++) {
    const after = i >= 200;
    spans.push({
      traceId: `t${i}`,
      spanId: `s${i}`,
      parentSpanId: null,
      entity: 'orders',
      operation: `GET /orders/${100_000 + i}`,
      startNs: (START_S + (after ? i - 200 : i - 200 - 1) * 3) * 1e9,
      durationNs: ((after ? 40 : 10) + (i % 7) * 0.3) * 1e6,
      status: 'ok',
    });
  }
  return {
    name: 'raw-urls',
    timestamps: new Float64Array(0),
    series: [],
    topology: [],
    spans,
    logs: [],
    incident: { start: START_S },
    has: { metrics: false, topology: false, traces: true, logs: false },
  };
}

const ordersShift = (c: CaseData) => scoreTraceShift(c.spans, START_S * 1e9).entities.get('orders');

describe('readOperationsAsRoutes', () => {
  it('folds one-off URL names into their route, so the route slowing is judged at all', () => {
    const raw = rawUrlCase();
    // As written: 300 operations of one span each, none judged, no evidence.
    expect(ordersShift(raw)).toMatchObject({ judged: false, score: 0 });
    const read = normaliseCase(raw);
    expect(new Set(read.spans.map((s) => s.operation))).toEqual(new Set(['GET /orders/{id}']));
    const shift = ordersShift(read);
    expect(shift?.judged).toBe(true);
    expect(shift?.score).toBeGreaterThan(10);
    expect(readingNotes(read)).toEqual([
      '300 span names with identifiers read as 1 route (GET /orders/100000 → GET /orders/{id})',
    ]);
  });

  it('leaves a case whose names are routes already as it was', () => {
    const c = normaliseCase(rawUrlCase());
    const again = readOperationsAsRoutes(c);
    expect(again.routes).toBeNull();
    expect(again.data).toBe(c);
  });
});
