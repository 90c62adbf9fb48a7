import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import type { SpanRecord } from '../../../src/model/span-record.js';
import { TraceAggregator, type TraceAggregatorOptions } from '../../../src/ingest/traces/trace-aggregator.js';

/** One step of a run: spans arriving, the clock moving, a drain (forced or not). */
type Step = { add: SpanRecord[] } | { advance: number } | { drain: boolean };

// Small limits so short runs exercise window eviction, forgotten trace ids, the pod cache restarting
// and the slow-root rule.
const KNOBS: Partial<TraceAggregatorOptions> = {
  cluster: 'c',
  windowMs: 1_000,
  retainWindows: 3,
  traceIdleMs: 50,
  rememberTraces: 6,
  minSamples: 3,
  cachedPods: 3,
};

const SERVICES = ['front', 'cart', 'pay', 'ship'];
const traceArb = fc.record({
  trace: fc.integer({ min: 1, max: 40 }),
  spans: fc.array(
    fc.record({
      service: fc.constantFrom(...SERVICES),
      op: fc.constantFrom('GET /', 'Get', 'Put', 'weird › name'),
      pod: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      machine: fc.option(fc.constantFrom('n1', 'n2'), { nil: null }),
      parent: fc.nat(5),
      startMs: fc.integer({ min: 0, max: 8_000 }),
      ms: fc.double({ min: 0, max: 900, noNaN: true }),
      error: fc.boolean(),
      // A client span naming a callee that writes no spans (it gets a stand-in when it has no child).
      peer: fc.option(fc.constantFrom('shop/redis', 'db'), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
});
type TraceInput = typeof traceArb extends fc.Arbitrary<infer T> ? T : never;
const toSpans = ({ trace, spans }: TraceInput): SpanRecord[] =>
  spans.map((s, i) => ({
    traceId: `t${trace}`,
    spanId: `s${i}`,
    parentSpanId: i === 0 ? null : `s${s.parent % i}`,
    service: s.service,
    namespace: 'shop',
    pod: s.pod === null ? null : `${s.service}-${s.pod}`,
    machine: s.pod === null ? null : s.machine,
    operation: s.op,
    startNs: s.startMs * 1e6,
    durationNs: Math.round(s.ms * 1e6),
    error: s.error,
    ...(s.peer !== undefined && { peer: s.peer }),
  }));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(traceArb, { minLength: 1, maxLength: 3 }).map((ts) => ({ add: ts.flatMap(toSpans) })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 120 }).map((advance) => ({ advance })) },
  { weight: 2, arbitrary: fc.boolean().map((force) => ({ drain: force })) },
);

/** Runs steps on an aggregator whose clock is `clock.now`; returns what each step answered. */
function run(agg: TraceAggregator, clock: { now: number }, steps: Step[]): unknown[] {
  return steps.map((s) => {
    if ('add' in s) return agg.add(s.add);
    if ('advance' in s) return (clock.now += s.advance);
    return agg.drain({ force: s.drain });
  });
}

describe('TraceAggregator snapshot and restore', () => {
  it('property: fed all, or fed the first k, snapshotted through JSON, restored and fed the rest: the same drains', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), fc.nat(), (steps, at) => {
        const k = at % (steps.length + 1);
        const clockA = { now: 0 };
        const a = new TraceAggregator({ ...KNOBS, now: () => clockA.now });
        const outA = [...run(a, clockA, steps), a.drain({ force: true })];

        const clockB = { now: 0 };
        const b = new TraceAggregator({ ...KNOBS, now: () => clockB.now });
        const before = run(b, clockB, steps.slice(0, k));
        const state: unknown = JSON.parse(JSON.stringify(b.snapshot()));
        const c = TraceAggregator.restore(state, { now: () => clockB.now });
        const after = [...run(c, clockB, steps.slice(k)), c.drain({ force: true })];

        expect([...before, ...after]).toEqual(outA);
        expect(c.pendingSpans).toBe(a.pendingSpans);
        expect(JSON.parse(JSON.stringify(c.snapshot()))).toEqual(JSON.parse(JSON.stringify(a.snapshot())));
      }),
      { numRuns: 300 },
    );
  });

  it('counts continue after a restore instead of starting from zero', () => {
    const span = (trace: number, id: string, parent: string | null, service: string): SpanRecord => ({
      traceId: `t${trace}`,
      spanId: id,
      parentSpanId: parent,
      service,
      namespace: 'shop',
      pod: null,
      machine: null,
      operation: 'op',
      startNs: 0,
      durationNs: 1e6,
      error: false,
    });
    const first = new TraceAggregator({ cluster: 'c' });
    for (let t = 0; t < 50; t++) first.add([span(t, 'a', null, 'front'), span(t, 'b', 'a', 'cart')]);
    first.drain({ force: true });
    const again = TraceAggregator.restore(JSON.parse(JSON.stringify(first.snapshot())));
    again.add([span(50, 'a', null, 'front'), span(50, 'b', 'a', 'cart'), span(3, 'a', null, 'front')]);
    const batch = again.drain({ force: true });
    expect(batch?.edges.find((e) => e.type === 'CALLS' && e.from.includes('front'))?.props).toMatchObject({
      count: 51,
    });
    expect(batch?.nodes.find((n) => n.label === 'TracePattern')?.props).toMatchObject({ count: 51 });
  });

  it('refuses a malformed state, or one made with another window length, naming the field', () => {
    const state = new TraceAggregator({ cluster: 'c' }).snapshot();
    expect(() => TraceAggregator.restore({ ...state, version: 2 })).toThrow(InputError);
    expect(() =>
      TraceAggregator.restore({ ...state, patterns: [{ key: '9,', normal: 1, anomalous: 0, epoch: 0 }] }),
    ).toThrow('patterns.0.key');
    expect(() => TraceAggregator.restore(state, { windowMs: 5_000 })).toThrow('options.windowMs');
  });
});
