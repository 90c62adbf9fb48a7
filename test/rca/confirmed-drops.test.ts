import { describe, expect, it } from 'vitest';
import type { CallDrop } from '../../src/rca/call-drops.js';
import { withCorroboratedDrops } from '../../src/rca/confirmed-drops.js';
import type { OperationShift } from '../../src/rca/shift-judging.js';
import type { TraceShiftResult } from '../../src/rca/trace-shift.js';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import type { SpanIn } from '../../src/rca/microrank.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

const op = (entity: string, operation: string, callsZ: number, latencyZ = 0): OperationShift => ({
  entity,
  operation,
  kind: 'own',
  latencyZ,
  errorZ: 0,
  callsZ,
  judged: true,
});

function shift(...ops: OperationShift[]): TraceShiftResult {
  const entities = new Map<string, { score: number; op: OperationShift; judged: boolean }>();
  for (const o of ops) {
    const score = Math.max(o.latencyZ, o.errorZ, o.callsZ);
    if (!entities.has(o.entity) || score > entities.get(o.entity)!.score)
      entities.set(o.entity, { score, op: o, judged: true });
  }
  return { entities, operations: ops, wires: [], replies: [], callDrops: [] };
}

const drop = (callee: string, z: number): CallDrop => ({
  caller: 'checkout',
  callee,
  operation: 'PlaceOrder',
  z,
  normal: 1,
  window: 0.75,
});

describe('corroborated call drops as the caller’s trace evidence', () => {
  it("raises the caller's operation and entity to the drop's combined z, the largest of its drops", () => {
    const before = shift(
      op('checkout', 'PlaceOrder', 2.2),
      op('checkout', 'GetQuote', 0, 1.5),
      op('payment', 'Charge', 0, 1),
    );
    const after = withCorroboratedDrops(before, [drop('email', 4.1), drop('payment', 5.2)]);
    expect(after.entities.get('checkout')?.score).toBe(5.2);
    expect(after.entities.get('checkout')?.op.calls).toEqual({
      child: 'payment',
      normal: 1,
      window: 0.75,
      confirmed: true,
    });
    expect(after.operations.find((o) => o.operation === 'PlaceOrder')?.callsZ).toBe(5.2);
    expect(after.entities.get('payment')).toBe(before.entities.get('payment'));
    // The input is untouched.
    expect(before.entities.get('checkout')?.score).toBe(2.2);
    expect(before.operations[0].callsZ).toBe(2.2);
  });

  it('keeps a stronger shift the caller already shows, and changes nothing without a drop', () => {
    const slow = shift(op('checkout', 'PlaceOrder', 2.2, 9));
    expect(withCorroboratedDrops(slow, [drop('payment', 5.2)]).entities.get('checkout')?.score).toBe(9);
    expect(withCorroboratedDrops(slow, [])).toBe(slow);
  });
});

describe('a caller that skips a call, seen in few sampled spans and in its callee’s load', () => {
  // fe → co (place) → cart, pay; one trace sampled a minute. From the start co skips pay in one of eight
  // of its requests: pay's CPU falls, co's own metrics stay flat; cart's CPU creeps up a little.
  function incident(): RcaInput {
    const rng = seededRng(3);
    const minutes = 120,
      startMin = 90;
    const timestamps = Float64Array.from({ length: minutes }, (_, i) => 1_000_000 + i * 60);
    const start = timestamps[startMin];
    const spans: SpanIn[] = [];
    for (let i = 0; i < minutes; i++) {
      const at = timestamps[i] * 1e9;
      const span = (id: string, parent: string | null, entity: string, operation: string) =>
        spans.push({
          traceId: `t${i}`,
          spanId: id,
          parentSpanId: parent,
          entity,
          operation,
          startNs: at,
          durationNs: 5e6,
          status: 'ok',
        });
      span('r', null, 'fe', 'home');
      span('p', 'r', 'co', 'place');
      span('c', 'p', 'cart', 'get');
      if (i < startMin || i % 8 !== 0) span('y', 'p', 'pay', 'charge');
    }
    const noisy = (base: number, move: (i: number) => number) =>
      Float64Array.from(timestamps, (_, i) => base * (1 + 0.04 * (rng() - 0.5)) + move(i));
    const after = (i: number) => i >= startMin;
    const series = [
      { entity: 'fe', metric: 'latency_p99', values: noisy(50, () => 0) },
      { entity: 'fe', metric: 'cpu_usage', values: noisy(1, () => 0) },
      { entity: 'co', metric: 'cpu_usage', values: noisy(1, () => 0) },
      { entity: 'cart', metric: 'cpu_usage', values: noisy(1, (i) => (after(i) ? 0.05 : 0)) },
      { entity: 'pay', metric: 'cpu_usage', values: noisy(1, (i) => (after(i) ? -0.3 : 0)) },
    ];
    return { timestamps, series, topology: [], spans, incident: { start, entry: 'fe', entryMetric: 'latency_p99' } };
  }

  it('the drop is below the trace margin alone, and the confirmed drop ranks the caller first', () => {
    const a = analyseCase(incident());
    const drop = a.traceShift?.callDrops.find((d) => d.caller === 'co' && d.callee === 'pay');
    expect(drop?.z).toBeGreaterThanOrEqual(2);
    expect(drop?.z).toBeLessThan(3);
    expect(a.traceShift?.entities.get('co')?.op.calls?.confirmed).toBe(true);
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('co');
  });
});
