import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, otlpType } from '../../../src/ingest/otel/otlp-proto.js';
import { parseOtlpLogs } from '../../../src/ingest/otel/parse-otlp-logs.js';
import { simOtlpLogs } from '../helpers/sim-telemetry.js';

const rec = (over: Record<string, unknown> = {}) => ({
  timeUnixNano: '1700000000123000000',
  severityNumber: 17,
  body: { stringValue: 'connection refused to redis-cart:6379' },
  ...over,
});
const request = (logRecords: unknown[]) => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] },
      scopeLogs: [{ logRecords }],
    },
  ],
});

describe('parseOtlpLogs', () => {
  it("reads the simulator's OTLP logs", () => {
    const out = parseOtlpLogs(simOtlpLogs(120));
    expect(out.rejected).toEqual([]);
    expect(out.accepted.length).toBeGreaterThan(10);
    expect(out.accepted.every((l) => l.namespace === 'boutique' && l.pod)).toBe(true);
  });

  it('reads time (ms), level from severityNumber, body; falls back to observed time', () => {
    const out = parseOtlpLogs(
      request([rec(), rec({ timeUnixNano: '0', observedTimeUnixNano: '1700000001000000000', severityText: 'warn' })]),
    );
    expect(out.accepted.map((l) => [l.timeMs, l.level, l.service])).toEqual([
      [1700000000123, 'ERROR', 'cart'],
      [1700000001000, 'warn', 'cart'],
    ]);
  });

  it('reads the level from the body when the record states none (stdout shipped as is)', () => {
    const bare = (text: string) => rec({ severityNumber: undefined, body: { stringValue: text } });
    const out = parseOtlpLogs(
      request([
        bare('2022-08-22 03:42:01.123 ERROR 1 --- [exec-1] c.s.t.OrderService : order failed'),
        bare('{"severity":"warning","message":"slow upstream"}'),
        bare('GET /cart 200 12ms'),
        rec({ severityText: 'INFO', body: { stringValue: 'ERROR in a message at info level' } }),
      ]),
    );
    expect(out.accepted.map((l) => l.level)).toEqual(['ERROR', 'WARNING', '', 'INFO']);
  });

  it('rejects an empty body and a bad time with their paths, keeping the rest', () => {
    const out = parseOtlpLogs(request([rec({ body: { stringValue: ' ' } }), rec(), rec({ timeUnixNano: 'x' })]));
    expect(out.accepted).toHaveLength(1);
    expect(out.rejected).toEqual([
      { where: 'resourceLogs[0].scopeLogs[0].logRecords[0].body', reason: 'empty: nothing to mine' },
      { where: 'resourceLogs[0].scopeLogs[0].logRecords[2].timeUnixNano', reason: 'not a number' },
    ]);
  });

  it('decodes protobuf to the same lines as JSON', () => {
    const json = simOtlpLogs(60);
    const type = otlpType('ExportLogsServiceRequest');
    const asProtoJson = JSON.parse(JSON.stringify(json), (k, v) =>
      k === 'traceId' && typeof v === 'string' ? Buffer.from(v, 'hex').toString('base64') : v,
    );
    const bytes = type.encode(type.fromObject(asProtoJson)).finish();
    expect(parseOtlpLogs(decodeOtlpProtobuf('logs', bytes))).toEqual(parseOtlpLogs(json));
  });

  it('property: arbitrary records never crash the parser and each is accepted or rejected', () => {
    const junk = fc.dictionary(
      fc.constantFrom('timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'body'),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junk, fc.jsonValue()), { maxLength: 5 }), (records) => {
        const out = parseOtlpLogs(request(records));
        expect(out.accepted.length + out.rejected.length).toBe(records.length);
      }),
      { numRuns: 500 },
    );
  });
});
