import { describe, expect, it } from 'vitest';
import { readRecentSpans } from '../../../src/flow/rca-recent-spans.js';
import { MemorySpanBuffer } from '../../../src/ingest/traces/memory-span-buffer.js';
import { TraceIngestor } from '../../../src/ingest/traces/trace-ingestor.js';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import type { SpanRecord } from '../../../src/model/span-record.js';
import { uids } from '../../../src/model/uid.js';

const span = (id: string, startMs: number, over: Partial<SpanRecord> = {}): SpanRecord => ({
  traceId: 't',
  spanId: id,
  parentSpanId: null,
  operation: 'op',
  startNs: startMs * 1e6,
  durationNs: 1e6,
  error: false,
  service: 'cart',
  namespace: 'shop',
  pod: null,
  machine: null,
  ...over,
});

describe('MemorySpanBuffer', () => {
  it('returns spans that started in [from, to) in start order, whatever order they arrived in', async () => {
    const b = new MemorySpanBuffer();
    b.append([span('a', 1000), span('c', 3000)]);
    b.append([span('b', 2000), span('d', 4000)]);
    expect((await b.spans(1500, 4000)).map((s) => s.spanId)).toEqual(['b', 'c']);
    expect((await b.spans(0, 10_000)).map((s) => s.spanId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('merges a request whose children come before their parent into the spans kept', async () => {
    const b = new MemorySpanBuffer();
    b.append([span('p1', 1000), span('p3', 3000), span('p5', 5000)]);
    // The child (4.1 s) before its parent (4 s), and one older than the newest kept (2.5 s).
    b.append([span('c4', 4100), span('p4', 4000), span('c2', 2500)]);
    expect((await b.spans(0, 10_000)).map((s) => s.spanId)).toEqual(['p1', 'c2', 'p3', 'p4', 'c4', 'p5']);
  });

  it('keeps the spans that started last beyond its capacity', async () => {
    const b = new MemorySpanBuffer(3);
    b.append([1, 2, 3, 4, 5].map((i) => span(`s${i}`, i * 1000)));
    expect(b.size).toBe(3);
    expect((await b.spans(0, 10_000)).map((s) => s.spanId)).toEqual(['s3', 's4', 's5']);
    // Many more, one at a time and one out of order: still the last three, in order.
    for (let i = 6; i <= 20; i++) b.append([span(`s${i}`, i * 1000)]);
    b.append([span('late', 18_500)]);
    expect(b.size).toBe(3);
    expect((await b.spans(0, 100_000)).map((s) => s.spanId)).toEqual(['late', 's19', 's20']);
  });
});

describe('TraceIngestor with a recent-span buffer', () => {
  it("keeps each accepted request's spans once: an exporter's retry of the same request adds none", async () => {
    const recent = new MemorySpanBuffer();
    const traces = new TraceIngestor(await MemoryGraphStore.open(), { recent, traceIdleMs: 60_000 });
    const request = [span('a', 1000), span('b', 1100, { parentSpanId: 'a' })];
    await traces.ingest(request);
    await traces.ingest(request);
    expect(recent.size).toBe(2);
  });
});

describe('readRecentSpans', () => {
  it("names a candidate Service's spans by its uid, others by namespace/name, errors as status", async () => {
    const b = new MemorySpanBuffer();
    b.append([span('a', 1000, { error: true }), span('b', 1500, { service: 'pay', parentSpanId: 'a' })]);
    const cart = uids.service('cart', 'shop', 'prod');
    const spans = await readRecentSpans(
      b,
      [{ uid: cart, label: 'Service', props: { name: 'cart', namespace: 'shop' } }],
      {
        fromS: 0,
        toS: 2,
      },
    );
    expect(spans.map((s) => [s.entity, s.status, s.parentSpanId])).toEqual([
      [cart, 'error', null],
      ['shop/pay', 'ok', 'a'],
    ]);
  });
});
