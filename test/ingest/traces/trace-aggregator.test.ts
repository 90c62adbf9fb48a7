import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../src/model/span-record.js';
import { TraceAggregator } from '../../../src/ingest/traces/trace-aggregator.js';
import { uids } from '../../../src/model/uid.js';

const span = (
  trace: number,
  id: string,
  parent: string | null,
  service: string,
  op: string,
  ms: number,
  error = false,
  startMs = 0,
): SpanRecord => ({
  traceId: `t${trace}`,
  spanId: id,
  parentSpanId: parent,
  service,
  namespace: 'shop',
  pod: `${service}-0`,
  machine: 'node-1',
  operation: op,
  startNs: startMs * 1e6,
  durationNs: ms * 1e6,
  error,
});
const trace = (n: number, ms: number, error = false, startMs = n * 1_000) => [
  span(n, `a${n}`, null, 'front', 'GET /cart', ms + 5, false, startMs),
  span(n, `b${n}`, `a${n}`, 'cart', 'GetCart', ms, error, startMs + 1),
];

describe('TraceAggregator', () => {
  it('waits for a trace to go idle, then folds it; late and duplicate spans are not counted', () => {
    let now = 0;
    const agg = new TraceAggregator({ cluster: 'c', traceIdleMs: 100, now: () => now });
    const [root, child] = trace(1, 10);
    expect(agg.add([root])).toEqual({ accepted: 1, duplicates: 0, late: 0 });
    expect(agg.drain()).toBeNull();
    expect(agg.add([child, child])).toEqual({ accepted: 1, duplicates: 1, late: 0 });
    now = 200;
    const batch = agg.drain();
    const call = batch?.edges.find((e) => e.type === 'CALLS' && e.from === uids.service('front', 'shop', 'c'));
    expect(call?.props).toMatchObject({ count: 1, errorCount: 0, windowStarts: [0], counts: [1] });
    expect(agg.add([child])).toEqual({ accepted: 0, duplicates: 0, late: 1 });
    expect(agg.drain()).toBeNull();
  });

  it('draws the call to a callee that writes no spans, named by the client span (a database)', () => {
    const agg = new TraceAggregator({ cluster: 'c' });
    agg.add([
      span(1, 'a', null, 'cart', 'GetCart', 12),
      { ...span(1, 'b', 'a', 'cart', 'HGETALL', 9), peer: 'shop/redis-cart' },
    ]);
    const batch = agg.drain({ force: true });
    const redis = uids.service('redis-cart', 'shop', 'c');
    expect(batch?.nodes.find((n) => n.uid === redis)?.props).toEqual({ name: 'redis-cart', namespace: 'shop' });
    const call = batch?.edges.find((e) => e.type === 'CALLS' && e.from === uids.service('cart', 'shop', 'c'));
    expect(call).toMatchObject({ to: redis, props: { count: 1 } });
  });

  it('counts errors per window and marks error traces anomalous in their pattern', () => {
    const agg = new TraceAggregator({ cluster: 'c' });
    agg.add([...trace(1, 10), ...trace(2, 12, true), ...trace(3, 11, false, 61_000)]);
    const batch = agg.drain({ force: true });
    const call = batch?.edges.find((e) => e.type === 'CALLS' && e.from === uids.service('front', 'shop', 'c'));
    expect(call?.props).toMatchObject({
      windowStarts: [0, 60_000],
      counts: [2, 1],
      errors: [1, 0],
      count: 3,
      errorCount: 1,
    });
    const pattern = batch?.nodes.find((n) => n.label === 'TracePattern');
    expect(pattern?.props).toMatchObject({
      normalCount: 2,
      anomalousCount: 1,
      operations: ['cart › GetCart', 'front › GET /cart'],
    });
  });

  it("a root far slower than its operation's history makes the trace anomalous", () => {
    const agg = new TraceAggregator({ cluster: 'c', minSamples: 10 });
    for (let i = 0; i < 20; i++) agg.add(trace(i, 10 + (i % 3)));
    agg.add(trace(99, 500));
    const pattern = agg.drain({ force: true })?.nodes.find((n) => n.label === 'TracePattern');
    expect(pattern?.props).toMatchObject({ normalCount: 20, anomalousCount: 1 });
  });

  it('two workers with disjoint traces merge into what one worker would hold (absorb)', () => {
    const all = new TraceAggregator({ cluster: 'c' });
    const w1 = new TraceAggregator({ cluster: 'c' });
    const w2 = new TraceAggregator({ cluster: 'c' });
    for (let i = 0; i < 30; i++) {
      const t = trace(i, 5 + i, i % 7 === 0, i * 7_000);
      all.add(t);
      (i % 2 ? w1 : w2).add(t);
    }
    const one = all.drain({ force: true })?.edges.filter((e) => e.type === 'CALLS');
    w1.drain({ force: true });
    for (const e of w2.drain({ force: true })?.edges.filter((x) => x.type === 'CALLS') ?? []) w1.absorb(e);
    const merged = w1.drain()?.edges.filter((e) => e.type === 'CALLS');
    const byKey = (es: typeof one) => Object.fromEntries((es ?? []).map((e) => [`${e.from}>${e.to}`, e.props]));
    expect(byKey(merged)).toEqual(byKey(one));
  });
});
