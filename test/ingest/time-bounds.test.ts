import { describe, expect, it } from 'vitest';
import { parseAlertmanagerWebhook } from '../../src/ingest/alertmanager/parse-alertmanager-webhook.js';
import { durationText, timeProblem, type ReceiveOptions } from '../../src/ingest/input-limits.js';
import { parseMetricPush } from '../../src/ingest/metrics/parse-metric-push.js';
import { decodeOtlpSpans } from '../../src/ingest/otel/decode-otlp-traces.js';
import { otlpType } from '../../src/ingest/otel/otlp-proto.js';
import { parseOtlpLogs } from '../../src/ingest/otel/parse-otlp-logs.js';
import { parseOtlpMetrics } from '../../src/ingest/otel/parse-otlp-metrics.js';
import { parseOtlpTraces } from '../../src/ingest/otel/parse-otlp-traces.js';
import { decodeRemoteWrite, parseRemoteWrite } from '../../src/ingest/prometheus/parse-remote-write.js';
import { remoteWriteBody } from './helpers/remote-write-body.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const service = { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] };

interface Outcome {
  accepted: number;
  rejected: Array<{ where: string; reason: string }>;
}

/** Each time-bearing parser of the ingest server, fed one good item (now) and one stamped `atMs`. */
const PARSERS: Record<string, (atMs: number, opts: ReceiveOptions) => Outcome> = {
  'OTLP spans (JSON)': (at, opts) => {
    const span = (t: number, id: string) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: id,
      name: 'GET /',
      startTimeUnixNano: ns(t - 5),
      endTimeUnixNano: ns(t),
    });
    const body = {
      resourceSpans: [
        { resource: service, scopeSpans: [{ spans: [span(NOW, 'eee19b7ec3c1b174'), span(at, 'eee19b7ec3c1b175')] }] },
      ],
    };
    const r = parseOtlpTraces(body, opts);
    return { accepted: r.accepted.length, rejected: r.rejected };
  },
  'OTLP spans (protobuf fast path)': (at, opts) => {
    const type = otlpType('ExportTraceServiceRequest');
    const span = (t: number, id: string) => ({
      traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
      spanId: Buffer.from(id, 'hex'),
      name: 'GET /',
      startTimeUnixNano: ns(t - 5),
      endTimeUnixNano: ns(t),
    });
    const body = type
      .encode(
        type.fromObject({
          resourceSpans: [
            {
              resource: service,
              scopeSpans: [{ spans: [span(NOW, 'eee19b7ec3c1b174'), span(at, 'eee19b7ec3c1b175')] }],
            },
          ],
        }),
      )
      .finish();
    const fast = decodeOtlpSpans(body, opts);
    // The fast path answers only when every span is in the window; else the full parser lists why.
    return fast
      ? { accepted: fast.length, rejected: [] }
      : { accepted: -1, rejected: [{ where: 'fast path', reason: 'gave up' }] };
  },
  'OTLP log records': (at, opts) => {
    const record = (t: number) => ({ timeUnixNano: ns(t), body: { stringValue: 'user login ok' } });
    const r = parseOtlpLogs(
      { resourceLogs: [{ resource: service, scopeLogs: [{ logRecords: [record(NOW), record(at)] }] }] },
      opts,
    );
    return { accepted: r.accepted.length, rejected: r.rejected };
  },
  'OTLP metric data points': (at, opts) => {
    const point = (t: number) => ({ timeUnixNano: ns(t), asDouble: 1 });
    const r = parseOtlpMetrics(
      {
        resourceMetrics: [
          {
            resource: service,
            scopeMetrics: [{ metrics: [{ name: 'cpu', gauge: { dataPoints: [point(NOW), point(at)] } }] }],
          },
        ],
      },
      'default',
      opts,
    );
    return { accepted: r.accepted.length, rejected: r.rejected };
  },
  'remote-write samples': (at, opts) => {
    const labels = [
      { name: '__name__', value: 'cpu' },
      { name: 'service', value: 'cart' },
    ];
    const body = remoteWriteBody([
      {
        labels,
        samples: [
          { value: 1, timestamp: NOW },
          { value: 2, timestamp: at },
        ],
      },
    ]);
    const r = parseRemoteWrite(decodeRemoteWrite(body), 'default', opts);
    return { accepted: r.accepted.length, rejected: r.rejected };
  },
  'JSON push samples': (at, opts) => {
    const r = parseMetricPush(
      { series: [{ entity: 'cart', metric: 'cpu', timestamps: [NOW / 1000, at / 1000], values: [1, 2] }] },
      opts,
    );
    return { accepted: r.accepted.length, rejected: r.rejected };
  },
};

describe('time bounds: a record too far in the past or future is rejected alone, with the limit and its setting', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    const fast = name.includes('fast path');
    it(`${name}: 8 days old is rejected, 6 days old is kept`, () => {
      const old = parse(NOW - 8 * DAY, { nowMs: NOW });
      if (fast) expect(old.accepted).toBe(-1);
      else {
        expect(old.accepted).toBe(1);
        expect(old.rejected).toHaveLength(1);
        expect(old.rejected[0].reason).toMatch(
          /more than 7 days in the past \(maxPastMs; ROOTGRAPH_MAX_PAST_MS=off accepts old data\)/,
        );
      }
      expect(parse(NOW - 6 * DAY, { nowMs: NOW })).toEqual({ accepted: 2, rejected: [] });
    });

    it(`${name}: maxPastMs 0 accepts any age; a shorter bound is applied`, () => {
      expect(parse(Date.UTC(2018, 0, 1), { nowMs: NOW, maxPastMs: 0 })).toEqual({ accepted: 2, rejected: [] });
      const shorter = parse(NOW - 2 * 3_600_000, { nowMs: NOW, maxPastMs: 3_600_000 });
      if (!fast) expect(shorter.rejected[0].reason).toMatch(/more than 1 h in the past/);
      else expect(shorter.accepted).toBe(-1);
    });

    it(`${name}: beyond the future bound is rejected, naming ROOTGRAPH_MAX_FUTURE_MS`, () => {
      const late = parse(NOW + 3_600_000, { nowMs: NOW });
      if (fast) expect(late.accepted).toBe(-1);
      else expect(late.rejected[0].reason).toMatch(/more than 10 min in the future .*ROOTGRAPH_MAX_FUTURE_MS/);
      expect(parse(NOW + 3_600_000, { nowMs: NOW, maxFutureMs: 2 * 3_600_000 })).toEqual({ accepted: 2, rejected: [] });
    });

    it(`${name}: without a receiving clock (files, replays of a case) nothing is checked`, () => {
      expect(parse(Date.UTC(2018, 0, 1), {})).toEqual({ accepted: 2, rejected: [] });
    });
  }

  it('an alert is checked against the future bound only: Alertmanager resends long-firing alerts with their first startsAt', () => {
    const alert = (startsAt: number) => ({
      status: 'firing',
      labels: { alertname: `A${startsAt}` },
      startsAt: new Date(startsAt).toISOString(),
    });
    const r = parseAlertmanagerWebhook(
      { version: '4', alerts: [alert(NOW - 30 * DAY), alert(NOW + 3_600_000), alert(NOW)] },
      'body',
      { nowMs: NOW },
    );
    expect(r.accepted.map((a) => a.startsAt)).toEqual([NOW - 30 * DAY, NOW]);
    expect(r.rejected).toEqual([
      { index: 1, where: 'alerts[1].startsAt', reason: expect.stringMatching(/10 min in the future/) },
    ]);
  });

  it('timeProblem: the window is inclusive at both ends; durations read as an operator writes them', () => {
    expect(timeProblem(NOW - 7 * DAY, { nowMs: NOW })).toBeUndefined();
    expect(timeProblem(NOW - 7 * DAY - 1, { nowMs: NOW })).toMatch(/past/);
    expect(timeProblem(NOW + 600_000, { nowMs: NOW })).toBeUndefined();
    expect(timeProblem(NOW + 600_001, { nowMs: NOW })).toMatch(/future/);
    expect([7 * DAY, 36 * 3_600_000, 600_000, 45_000, 1_500].map(durationText)).toEqual([
      '7 days',
      '36 h',
      '10 min',
      '45 s',
      '1500 ms',
    ]);
  });
});
