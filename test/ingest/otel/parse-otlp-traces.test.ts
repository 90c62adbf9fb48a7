import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { decodeOtlpProtobuf, otlpType } from '../../../src/ingest/otel/otlp-proto.js';
import { decodeOtlpSpans, parseOtlpTracesProtobuf } from '../../../src/ingest/otel/decode-otlp-traces.js';
import { parseOtlpTraces } from '../../../src/ingest/otel/parse-otlp-traces.js';
import { simOtlpTraces } from '../helpers/sim-telemetry.js';

const span = (over: Record<string, unknown> = {}) => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'GET /cart',
  kind: 2,
  startTimeUnixNano: '1544712660000000000',
  endTimeUnixNano: '1544712661000000000',
  status: { code: 2, message: 'boom' },
  ...over,
});
const request = (spans: unknown[]) => ({
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'cart' } },
          { key: 'k8s.pod.name', value: { stringValue: 'cart-1' } },
        ],
      },
      scopeSpans: [{ spans }],
    },
  ],
});

describe('parseOtlpTraces', () => {
  it("reads the simulator's OTLP JSON: every span accepted, identity from resource attributes", () => {
    const payload = simOtlpTraces(60);
    const out = parseOtlpTraces(payload);
    expect(out.rejected).toEqual([]);
    expect(out.accepted.length).toBeGreaterThan(50);
    expect(out.accepted.some((s) => s.pod && s.namespace === 'boutique' && s.parentSpanId === null)).toBe(true);
  });

  it('reads a span: ids, duration from 64-bit nanos, error status, service/pod', () => {
    const { accepted } = parseOtlpTraces(request([span()]));
    expect(accepted).toEqual([
      {
        service: 'cart',
        namespace: 'default',
        pod: 'cart-1',
        machine: null,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: null,
        operation: 'GET /cart',
        startNs: 1544712660000000000,
        durationNs: 1e9,
        error: true,
      },
    ]);
  });

  it('names the bad field with its full path and keeps the good spans', () => {
    const bad = request([
      span(),
      span({ spanId: 'aaaaaaaaaaaaaaa1' }),
      span({ spanId: 'aaaaaaaaaaaaaaa2', startTimeUnixNano: 'soon' }),
    ]);
    const out = parseOtlpTraces(bad);
    expect(out.accepted).toHaveLength(2);
    expect(out.rejected).toEqual([
      { where: 'resourceSpans[0].scopeSpans[0].spans[2].startTimeUnixNano', reason: 'not a number' },
    ]);
  });

  it('rejects a span that ends before it starts, and zero ids', () => {
    const out = parseOtlpTraces(request([span({ endTimeUnixNano: '1' }), span({ traceId: '0'.repeat(32) })]));
    expect(out.rejected.map((r) => r.where)).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano',
      'resourceSpans[0].scopeSpans[0].spans[1].traceId',
    ]);
  });

  it('throws InputError for something that is not an export request', () => {
    expect(() => parseOtlpTraces([1, 2])).toThrow(InputError);
    expect(() => parseOtlpTraces({ resourceSpans: 'x' })).toThrow('resourceSpans: expected a list');
  });

  it('decodes protobuf to the same records as JSON (ids as bytes, times as fixed64)', () => {
    const json = simOtlpTraces(30);
    const type = otlpType('ExportTraceServiceRequest');
    const hexToB64 = (h: unknown) => (typeof h === 'string' ? Buffer.from(h, 'hex').toString('base64') : h);
    const asProtoJson = JSON.parse(JSON.stringify(json), (k, v) =>
      ['traceId', 'spanId', 'parentSpanId'].includes(k) ? hexToB64(v) : v,
    );
    const bytes = type.encode(type.fromObject(asProtoJson)).finish();
    expect(parseOtlpTraces(decodeOtlpProtobuf('traces', bytes))).toEqual(parseOtlpTraces(json));
    expect(() => decodeOtlpProtobuf('traces', Uint8Array.from([0x0a, 0xff, 0xff]))).toThrow(
      /not a protobuf ExportTraceServiceRequest/,
    );
  });

  it('names an operation by its route: a raw URL in the span name loses its identifiers, on JSON and protobuf alike', () => {
    const names = ['GET /orders/3fa85f64-5717-4562-b3fc-2c963f66afa6?expand=1', 'GET /orders/77', 'GET /orders/{id}'];
    const json = request(names.map((name, i) => span({ name, spanId: `eee19b7ec3c1b17${i}` })));
    expect(parseOtlpTraces(json).accepted.map((s) => s.operation)).toEqual(Array(3).fill('GET /orders/{id}'));
    const type = otlpType('ExportTraceServiceRequest');
    const hexToB64 = (h: unknown) => (typeof h === 'string' ? Buffer.from(h, 'hex').toString('base64') : h);
    const asProtoJson = JSON.parse(JSON.stringify(json), (k, v) =>
      ['traceId', 'spanId', 'parentSpanId'].includes(k) ? hexToB64(v) : v,
    );
    const bytes = type.encode(type.fromObject(asProtoJson)).finish();
    expect(parseOtlpTracesProtobuf(bytes).accepted.map((s) => s.operation)).toEqual(Array(3).fill('GET /orders/{id}'));
    expect(decodeOtlpSpans(bytes)?.map((s) => s.operation)).toEqual(Array(3).fill('GET /orders/{id}'));
  });

  it('property: arbitrary JSON values never crash the parser; every rejection has a path', () => {
    const junkSpan = fc.dictionary(
      fc.constantFrom(
        'traceId',
        'spanId',
        'parentSpanId',
        'name',
        'startTimeUnixNano',
        'endTimeUnixNano',
        'status',
        'attributes',
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junkSpan, fc.jsonValue()), { maxLength: 5 }), (spans) => {
        const out = parseOtlpTraces(request(spans));
        expect(out.accepted.length + out.rejected.length).toBe(spans.length);
        for (const r of out.rejected) expect(r.where).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[\d+\]/);
      }),
      { numRuns: 500 },
    );
  });

  it('property: valid spans round-trip their duration exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (start, dur) => {
        const { accepted } = parseOtlpTraces(
          request([span({ startTimeUnixNano: String(start), endTimeUnixNano: String(start + dur) })]),
        );
        expect(accepted[0].durationNs).toBe(Number(dur));
      }),
    );
  });
});
