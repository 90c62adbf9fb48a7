import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { alertFingerprint } from '../../../src/ingest/alertmanager/fingerprint.js';
import { parseAlertmanagerWebhook } from '../../../src/ingest/alertmanager/parse-alertmanager-webhook.js';
import { uids } from '../../../src/model/uid.js';

/** Shaped like what Alertmanager 0.25 posts to a webhook_config receiver. */
const payload = {
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'rootgraph',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency' },
  commonAnnotations: {},
  externalURL: 'http://am:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', service: 'checkout', namespace: 'shop', severity: 'critical' },
      annotations: { summary: 'p99 above 2s' },
      startsAt: '2024-05-01T10:00:00.123Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prom:9090/graph?g0.expr=x',
      fingerprint: '4ae098f3d3122238',
    },
    {
      status: 'resolved',
      labels: { alertname: 'PodCrashLooping', pod: 'payment-1', namespace: 'shop' },
      annotations: {},
      startsAt: '2024-05-01T09:58:00Z',
      endsAt: '2024-05-01T10:03:00Z',
      generatorURL: '',
    },
    { status: 'firing', labels: { alertname: 'X' }, startsAt: 'yesterday' },
    { status: 'pending', labels: { alertname: 'Y' }, startsAt: '2024-05-01T10:00:00Z' },
  ],
};

describe('parseAlertmanagerWebhook', () => {
  it('accepts good alerts and rejects bad ones with their path', () => {
    const { accepted, rejected } = parseAlertmanagerWebhook(payload);
    expect(accepted).toHaveLength(2);
    const [a, b] = accepted;
    expect(a).toMatchObject({ fingerprint: '4ae098f3d3122238', name: 'HighLatency', status: 'firing', endsAt: null });
    expect(a.startsAt).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(a.entity).toBe(uids.service('checkout', 'shop'));
    expect(a.generatorURL).toBe('http://prom:9090/graph?g0.expr=x');
    expect(b.fingerprint).toBe(alertFingerprint({ alertname: 'PodCrashLooping', pod: 'payment-1', namespace: 'shop' }));
    expect(b.endsAt).toBe(Date.UTC(2024, 4, 1, 10, 3));
    expect(b.generatorURL).toBeNull();
    expect(rejected.map((r) => [r.index, r.where])).toEqual([
      [2, 'alerts[2].startsAt'],
      [3, 'alerts[3].status'],
    ]);
  });

  it('throws InputError naming the path when the envelope is wrong', () => {
    expect(() => parseAlertmanagerWebhook([], 'in.jsonl › line 2')).toThrow(InputError);
    expect(() => parseAlertmanagerWebhook({ version: '4' })).toThrow(/alerts/);
    expect(() => parseAlertmanagerWebhook({ version: '3', alerts: [] })).toThrow(/^version/);
    try {
      parseAlertmanagerWebhook({ alerts: 'nope' }, 'f › line 1');
      expect.unreachable();
    } catch (err) {
      expect((err as InputError).where).toBe('f › line 1 › alerts');
    }
  });

  const alertish = fc.record(
    {
      status: fc.oneof(fc.constantFrom('firing', 'resolved'), fc.anything()),
      labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
      annotations: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
      startsAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.anything(),
      ),
      endsAt: fc.oneof(fc.constant('0001-01-01T00:00:00Z'), fc.anything()),
      fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.anything()),
    },
    { requiredKeys: [] },
  );

  it('never throws anything but InputError and never drops an alert silently', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ version: fc.constant('4'), alerts: fc.array(fc.oneof(alertish, fc.anything())) }),
        ),
        (input) => {
          let out;
          try {
            out = parseAlertmanagerWebhook(input);
          } catch (err) {
            expect(err).toBeInstanceOf(InputError);
            return;
          }
          const n = (input as { alerts: unknown[] }).alerts.length;
          expect(out.accepted.length + out.rejected.length).toBe(n);
          const indices = out.rejected.map((r) => r.index);
          expect(new Set(indices).size).toBe(indices.length);
          for (const r of out.rejected) expect(r.where.startsWith(`alerts[${r.index}]`)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts every well-formed alert and keeps its labels', () => {
    const good = fc.record({
      status: fc.constantFrom('firing' as const, 'resolved' as const),
      labels: fc.dictionary(fc.string(), fc.string(), { minKeys: 1 }),
      startsAt: fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(fc.array(good), (alerts) => {
        const out = parseAlertmanagerWebhook({
          version: '4',
          alerts: alerts.map((a) => ({ ...a, startsAt: a.startsAt.toISOString() })),
        });
        expect(out.rejected).toEqual([]);
        out.accepted.forEach((r, i) => {
          expect(r.labels).toEqual(alerts[i].labels);
          expect(r.startsAt).toBe(alerts[i].startsAt.getTime());
          expect(r.fingerprint).toBe(alertFingerprint(alerts[i].labels));
        });
      }),
    );
  });
});

describe('parseAlertmanagerWebhook label names', () => {
  it('keeps a label named __proto__ (found by the property test above)', () => {
    const out = parseAlertmanagerWebhook(
      JSON.parse(
        '{"version":"4","alerts":[{"status":"firing","labels":{"__proto__":"x","alertname":"A"},"startsAt":"2026-01-01T00:00:00Z"}]}',
      ),
    );
    expect(out.rejected).toEqual([]);
    expect(Object.keys(out.accepted[0].labels).sort()).toEqual(['__proto__', 'alertname']);
  });
});
