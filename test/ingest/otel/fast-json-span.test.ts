import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastSpan } from '../../../src/ingest/otel/fast-json-span.js';
import { parseSpan } from '../../../src/ingest/otel/parse-otlp-traces.js';
import { PEER_KEYS } from '../../../src/ingest/otel/span-peer.js';
import type { ResourceIdentity } from '../../../src/ingest/otel/otlp-values.js';
import type { ReceiveOptions } from '../../../src/ingest/input-limits.js';
import { simOtlpTraces } from '../helpers/sim-telemetry.js';

const RES: ResourceIdentity = { service: 'cart', namespace: 'shop', pod: 'cart-1', machine: null };
// The receiving clock just after the simulated run (it starts 2026-01-05 10:00).
const NOW = Date.UTC(2026, 0, 5, 11);
const full = (raw: unknown, opts: ReceiveOptions) => {
  try {
    return parseSpan(raw, RES, 'span', opts);
  } catch {
    return undefined;
  }
};

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a).toString('hex'));
const id = (n: number) =>
  fc.oneof(
    { weight: 6, arbitrary: hex(n) },
    hex(n).map((h) => h.toUpperCase()),
    hex(n).map((h) => Buffer.from(h, 'hex').toString('base64')),
    fc.constantFrom('', '0'.repeat(n * 2), null, 7, 'zz'.repeat(n)),
  );
const nanos = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }).map(String) },
  fc.bigInt({ min: 0n, max: 2n ** 53n }).map(Number),
  fc.constantFrom('', '-1', '1e9', ' 1', '123456789012345678901', undefined),
);
const value = fc.oneof(
  fc.record({ stringValue: fc.oneof(fc.string(), fc.constantFrom('500', '404', '5e2', '')) }),
  fc.record({ intValue: fc.oneof(fc.constantFrom('500', '200', 503), fc.string()) }),
  fc.record({ doubleValue: fc.oneof(fc.double(), fc.constant(500)) }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ arrayValue: fc.record({ values: fc.array(fc.record({ stringValue: fc.string() }), { maxLength: 2 }) }) }),
  fc.jsonValue(),
);
const attribute = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ key: fc.constantFrom('http.response.status_code', 'http.status_code', 'x'), value }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      key: fc.constantFrom(...PEER_KEYS),
      value: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({ stringValue: fc.constantFrom('redis', 'pg.db.svc', 'a.b.svc.cluster.local', '') }),
        },
        value,
      ),
    }),
  },
  fc.record({ key: fc.constantFrom('http.status_code') }),
  fc.jsonValue(),
);
const span = fc
  .record(
    {
      traceId: id(16),
      spanId: id(8),
      parentSpanId: id(8),
      name: fc.oneof({ weight: 5, arbitrary: fc.string() }, fc.constantFrom('y'.repeat(254), 'a\u202eb', null, 5)),
      startJunk: nanos,
      endJunk: nanos,
      times: fc.tuple(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 2n ** 54n })),
        fc.noBias(fc.integer({ min: 0, max: 9 })),
      ),
      status: fc.oneof(
        { weight: 5, arbitrary: fc.record({ code: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('2')) }) },
        fc.jsonValue(),
      ),
      attributes: fc.oneof({ weight: 5, arbitrary: fc.array(attribute, { maxLength: 4 }) }, fc.jsonValue()),
      kind: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(3, 4, 'SPAN_KIND_CLIENT') },
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', '3', 'x'),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: ['traceId', 'spanId', 'times'] },
  )
  .map(({ times: [start, duration, junk], startJunk, endJunk, ...raw }) => ({
    // Mostly well-formed times; some junk, some ending before they start.
    startTimeUnixNano: junk === 0 ? startJunk : String(start),
    endTimeUnixNano: junk === 1 ? endJunk : String(junk === 2 ? start - duration : start + duration),
    ...raw,
  }));

// No clock; clocks with the default bounds; and wide windows, so that times anywhere in 0..2^64 ns land on both sides of them.
const CLOCKS: ReceiveOptions[] = [
  {},
  { nowMs: NOW },
  { nowMs: 0 },
  { nowMs: Date.UTC(2700, 0, 1), maxPastMs: 0 },
  { nowMs: Date.UTC(2300, 0, 1), maxPastMs: 200 * 365 * 86_400_000, maxFutureMs: 100 * 365 * 86_400_000 },
];

describe('fastSpan (the JSON fast path)', () => {
  it("answers every span of the simulator's requests, with the full check's record", () => {
    const json = simOtlpTraces(120) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    const spans = json.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans.length).toBeGreaterThan(100);
    for (const s of spans) expect(fastSpan(s, RES, { nowMs: NOW })).toEqual(full(s, { nowMs: NOW }));
    expect(spans.every((s) => fastSpan(s, RES, { nowMs: NOW }) !== undefined)).toBe(true);
  });

  it('property: when it answers, the full check accepts the span with the same record', () => {
    let answered = 0;
    let peers = 0;
    fc.assert(
      fc.property(span, fc.constantFrom<ReceiveOptions>(...CLOCKS), (raw, opts) => {
        const fast = fastSpan(raw, RES, opts);
        if (fast === undefined) return;
        answered++;
        if (fast.peer !== undefined) peers++;
        expect(fast).toEqual(full(raw, opts));
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(100);
    expect(peers).toBeGreaterThan(10);
  });
});
