import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { decodeOtlpSpans, parseOtlpTracesProtobuf } from '../../../src/ingest/otel/decode-otlp-traces.js';
import { decodeOtlpProtobuf, otlpType } from '../../../src/ingest/otel/otlp-proto.js';
import type { ReceiveOptions } from '../../../src/ingest/input-limits.js';
import { parseOtlpTraces } from '../../../src/ingest/otel/parse-otlp-traces.js';
import { PEER_KEYS } from '../../../src/ingest/otel/span-peer.js';
import { simOtlpTraces } from '../helpers/sim-telemetry.js';

const type = otlpType('ExportTraceServiceRequest');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const toBytes = (json: object): Uint8Array => type.encode(type.fromObject(json)).finish();

/** The generated decoder and the JSON-shape parser: the reference the fast path must equal. */
const reference = (bytes: Uint8Array, opts: ReceiveOptions) =>
  parseOtlpTraces(decodeOtlpProtobuf('traces', bytes), opts);
const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
};

/** Like opentelemetry-proto's examples/trace.json, in protobuf-JSON form (ids as base64). */
const officialLike = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeSpans: [
        {
          scope: {
            name: 'my.library',
            version: '1.0.0',
            attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }],
          },
          spans: [
            {
              traceId: b64('5b8efff798038103d269b633813fc60c'),
              spanId: b64('eee19b7ec3c1b174'),
              parentSpanId: b64('eee19b7ec3c1b173'),
              name: "I'm a server span",
              startTimeUnixNano: '1544712660000000000',
              endTimeUnixNano: '1544712661000000000',
              kind: 2,
              attributes: [
                { key: 'my.span.attr', value: { stringValue: 'some value' } },
                { key: 'http.response.status_code', value: { intValue: '503' } },
                { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { doubleValue: 1.5 }] } } },
                { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
              ],
              events: [{ timeUnixNano: '1544712660500000000', name: 'ev', attributes: [{ key: 'e', value: {} }] }],
              links: [{ traceId: b64('5b8efff798038103d269b633813fc60d'), spanId: b64('eee19b7ec3c1b175') }],
              status: { code: 1, message: 'fine' },
            },
            {
              traceId: b64('5b8efff798038103d269b633813fc60c'),
              spanId: b64('eee19b7ec3c1b176'),
              parentSpanId: b64('eee19b7ec3c1b174'),
              name: 'HGETALL',
              startTimeUnixNano: '1544712660100000000',
              endTimeUnixNano: '1544712660200000000',
              kind: 3,
              attributes: [
                { key: 'db.system', value: { stringValue: 'redis' } },
                { key: 'server.address', value: { stringValue: 'redis-cart.shop.svc.cluster.local' } },
                { key: 'server.port', value: { intValue: '6379' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

// Random requests near the valid ones: ids of odd lengths or zeros, long or control-character names,
// times in any order, nested attribute values, events and links, HTTP status attributes of every kind.
const hexOf = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a).toString('base64'));
const idOf = (n: number) =>
  fc.oneof({ weight: 8, arbitrary: hexOf(n) }, hexOf(n - 1), fc.constant(''), fc.constant(b64('00'.repeat(n))));
const anyValue: fc.Arbitrary<object> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: fc.oneof(fc.string(), fc.constantFrom('500', '200', ' 503 ', '5e2')) }),
    fc.record({ intValue: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ bytesValue: fc.uint8Array({ maxLength: 4 }).map((a) => Buffer.from(a).toString('base64')) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 2 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(tie('kv'), { maxLength: 2 }) }) }),
    fc.constant({}),
  ),
  kv: fc.record(
    {
      key: fc.oneof(fc.constantFrom('http.response.status_code', 'http.status_code', 'k', ''), fc.string()),
      value: tie('value'),
    },
    { requiredKeys: [] },
  ),
})).value;
// Peer attributes (span-peer.ts) mostly with plain string values, as exporters write them.
const peerValue = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      stringValue: fc.constantFrom('redis', 'redis-cart.shop.svc.cluster.local', '', ' ', 'x'.repeat(300)),
    }),
  },
  anyValue,
);
const attrs = fc.array(
  fc.oneof(
    fc.record(
      {
        key: fc.oneof(fc.constantFrom('http.response.status_code', 'http.status_code', 'rpc.method'), fc.string()),
        value: anyValue,
      },
      { requiredKeys: ['key'] },
    ),
    fc.record({ key: fc.constantFrom(...PEER_KEYS), value: peerValue }, { requiredKeys: ['key'] }),
  ),
  { maxLength: 4 },
);
const nanos = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

/**
 * Whether a span holds an attribute the fast path leaves to the full check: an HTTP status as bytes, or
 * a peer attribute (span-peer.ts) as bytes, an array or a map.
 */
function leftToFullCheck(json: unknown): boolean {
  type Spans = { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ attributes?: unknown[] }> }> }> };
  const spans =
    (json as Spans).resourceSpans?.flatMap((rs) => rs.scopeSpans?.flatMap((ss) => ss.spans ?? []) ?? []) ?? [];
  const http = ['http.response.status_code', 'http.status_code'];
  return spans.some((sp) =>
    (sp.attributes ?? []).some((a) => {
      const { key = '', value } = a as { key?: string; value?: Record<string, unknown> };
      const has = (k: string) => value?.[k] !== undefined;
      if (http.includes(key)) return has('bytesValue');
      return (PEER_KEYS as readonly string[]).includes(key) && ['bytesValue', 'arrayValue', 'kvlistValue'].some(has);
    }),
  );
}
const span = fc
  .record(
    {
      traceId: idOf(16),
      spanId: idOf(8),
      parentSpanId: idOf(8),
      name: fc.oneof(fc.string(), fc.constantFrom('GET /cart', 'x'.repeat(300), 'a\u202eb\u0000c')),
      kind: fc.integer({ min: 0, max: 5 }),
      start: nanos,
      duration: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: -(10n ** 9n), max: 10n ** 18n })),
      attributes: attrs,
      events: fc.array(fc.record({ name: fc.string(), attributes: attrs }), { maxLength: 1 }),
      links: fc.array(fc.record({ traceId: hexOf(16), spanId: hexOf(8) }), { maxLength: 1 }),
      status: fc.record({ code: fc.integer({ min: 0, max: 3 }), message: fc.string() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['traceId', 'spanId', 'start'] },
  )
  .map(({ start, duration, ...s }) => {
    const end = duration === undefined ? undefined : start + duration;
    return {
      ...s,
      startTimeUnixNano: String(start),
      ...(end !== undefined && end >= 0n && end < 2n ** 64n ? { endTimeUnixNano: String(end) } : {}),
    };
  });
const resource = fc.record(
  {
    attributes: fc.array(
      fc.record({
        key: fc.constantFrom('service.name', 'k8s.pod.name', 'k8s.namespace.name', 'k8s.node.name', 'host.name'),
        value: fc.record({ stringValue: fc.oneof(fc.string(), fc.constant('y'.repeat(300))) }),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  resourceSpans: fc.array(
    fc.record(
      { resource, scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 4 }) }), { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
});
// The receiving clock just after the simulated run (it starts 2026-01-05 10:00).
const NOW = { nowMs: Date.UTC(2026, 0, 5, 11) };

describe('parseOtlpTracesProtobuf (the hand-written decoder)', () => {
  it("equals the generated decoder on the simulator's requests, and answers them on the fast path", () => {
    const json = simOtlpTraces(120);
    const bytes = toBytes(
      JSON.parse(JSON.stringify(json), (k, v) =>
        ['traceId', 'spanId', 'parentSpanId'].includes(k) && typeof v === 'string' ? b64(v) : v,
      ),
    );
    const fast = decodeOtlpSpans(bytes, NOW);
    expect(fast).toBeDefined();
    expect(fast!.length).toBeGreaterThan(100);
    expect({ accepted: fast, rejected: [] }).toEqual(reference(bytes, NOW));
    expect(parseOtlpTraces(json, NOW)).toEqual(reference(bytes, NOW));
  });

  it('equals the generated decoder on an official-example-like request (scope, events, links, nested values)', () => {
    const bytes = toBytes(officialLike);
    const fast = decodeOtlpSpans(bytes);
    expect(fast).toEqual(reference(bytes, {}).accepted);
    expect(fast).toMatchObject([
      { service: 'my.service', parentSpanId: 'eee19b7ec3c1b173', error: true },
      // A client span to a database that writes no spans names it, by its Kubernetes Service.
      { operation: 'HGETALL', parentSpanId: 'eee19b7ec3c1b174', peer: 'shop/redis-cart' },
    ]);
    expect(fast![0].peer).toBeUndefined();
  });

  it('property: on generated requests the fast path, when it answers, gives what the generated decoder gives', () => {
    let answered = 0;
    fc.assert(
      fc.property(request, (json) => {
        const bytes = toBytes(json);
        const fast = decodeOtlpSpans(bytes, NOW);
        const ref = reference(bytes, NOW);
        if (fast) {
          answered++;
          expect(ref).toEqual({ accepted: fast, rejected: [] });
        } else expect(ref.rejected.length > 0 || leftToFullCheck(json)).toBe(true);
        expect(parseOtlpTracesProtobuf(bytes, NOW)).toEqual(ref);
      }),
      { numRuns: 400 },
    );
    expect(answered).toBeGreaterThan(20);
  });

  it('property: on well-formed client and producer spans the fast path reads the peer they name as the full check does', () => {
    // Valid ids and times near the clock, any kind, peer attributes among others: the spans the fast path must answer.
    const nowNs = BigInt(NOW.nowMs) * 1_000_000n;
    const wellFormed = fc.record({
      traceId: hexOf(16),
      spanId: hexOf(8),
      name: fc.constantFrom('HGETALL', 'SELECT orders', 'publish'),
      kind: fc.integer({ min: 0, max: 5 }),
      startTimeUnixNano: fc.bigInt({ min: nowNs - 10n ** 11n, max: nowNs - 10n ** 10n }).map(String),
      endTimeUnixNano: fc.constant(String(nowNs - 10n ** 9n)),
      // Mostly database clients (only they name a peer), the rest of the attributes anywhere around.
      attributes: fc
        .tuple(fc.constantFrom([], [{ key: 'db.system', value: { stringValue: 'redis' } }]), attrs, fc.boolean())
        .map(([db, rest, first]) => (first ? [...db, ...rest] : [...rest, ...db])),
    });
    let peers = 0;
    fc.assert(
      fc.property(fc.array(wellFormed, { minLength: 1, maxLength: 6 }), (spans) => {
        const json = { resourceSpans: [{ scopeSpans: [{ spans }] }] };
        const bytes = toBytes(json);
        const fast = decodeOtlpSpans(bytes, NOW);
        const ref = reference(bytes, NOW);
        if (fast) {
          expect(ref).toEqual({ accepted: fast, rejected: [] });
          peers += fast.filter((r) => r.peer !== undefined).length;
        } else expect(ref.rejected.length > 0 || leftToFullCheck(json)).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(peers).toBeGreaterThan(50);
  });

  it('a KeyValue whose key comes again after its value is left to the full check (the value was read for the first key)', () => {
    // Hand-written bytes: protobufjs never writes a field twice. KeyValue { key "x", value "503", key K }.
    const kv = (key2: string) => {
      const w = protobuf.Writer.create();
      w.uint32((1 << 3) | 2).string('x');
      w.uint32((2 << 3) | 2)
        .fork()
        .uint32((1 << 3) | 2)
        .string('503')
        .ldelim();
      w.uint32((1 << 3) | 2).string(key2);
      return w.finish();
    };
    for (const key of ['http.status_code', 'peer.service']) {
      const w = protobuf.Writer.create();
      const rs = w.uint32((1 << 3) | 2).fork();
      const ss = rs.uint32((2 << 3) | 2).fork();
      const sp = ss.uint32((2 << 3) | 2).fork();
      sp.uint32((1 << 3) | 2).bytes(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'));
      sp.uint32((2 << 3) | 2).bytes(Buffer.from('eee19b7ec3c1b174', 'hex'));
      sp.uint32((5 << 3) | 2).string('HGET');
      sp.uint32((6 << 3) | 0).int32(3);
      sp.uint32((7 << 3) | 1).fixed64(1_767_607_200_000_000_000);
      sp.uint32((8 << 3) | 1).fixed64(1_767_607_200_100_000_000);
      sp.uint32((9 << 3) | 2)
        .fork()
        .uint32((1 << 3) | 2)
        .string('db.system')
        .uint32((2 << 3) | 2)
        .fork()
        .uint32((1 << 3) | 2)
        .string('redis')
        .ldelim()
        .ldelim();
      sp.uint32((9 << 3) | 2).bytes(kv(key));
      sp.ldelim();
      ss.ldelim();
      rs.ldelim();
      const bytes = w.finish();
      const ref = reference(bytes, NOW);
      expect(ref.accepted).toHaveLength(1);
      expect(parseOtlpTracesProtobuf(bytes, NOW)).toEqual(ref);
    }
  });

  it('property: on corrupted bytes both answer alike (the same records, or the same error)', () => {
    const valid = fc.sample(request, { numRuns: 60, seed: 19 }).map(toBytes);
    const corrupt = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), {
          minLength: 1,
          maxLength: 3,
        }),
      )
      .map(([bytes, edits]) => {
        let b = Buffer.from(bytes);
        for (const [at, v, how] of edits) {
          const i = b.length ? at % b.length : 0;
          if (how === 'set' && b.length) b[i] = v;
          else if (how === 'cut') b = b.subarray(0, i);
          else b = Buffer.concat([b.subarray(0, i), Buffer.from([v]), b.subarray(i)]);
        }
        return b;
      });
    fc.assert(
      fc.property(corrupt, (bytes) => {
        const ref = outcome(() => reference(bytes, NOW));
        const fast = decodeOtlpSpans(bytes, NOW);
        if (fast) expect(ref).toEqual({ value: { accepted: fast, rejected: [] } });
        expect(outcome(() => parseOtlpTracesProtobuf(bytes, NOW))).toEqual(ref);
      }),
      { numRuns: 1500 },
    );
  });
});
