import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/alert-event.js';
import { AlertCompressor, compressAlerts } from '../../src/alerts/compress-alerts.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const ev = (fp: string, status: 'firing' | 'resolved', startsAt: number, endsAt: number | null = null, receivedAt?: number): AlertEvent => ({
  fingerprint: fp, name: fp.startsWith('lat') ? 'HighRequestLatency' : 'HighErrorRate', status, startsAt, endsAt,
  labels: { alertname: 'x' }, entity: uids.service(fp.split('-')[1], 'shop'), ...(receivedAt === undefined ? {} : { receivedAt }),
});

describe('compressAlerts', () => {
  it('repeats and resolutions are not correlated again; a flapping alert stays one alert in one incident', () => {
    const events: AlertEvent[] = [
      ev('err-cart', 'firing', 0, null, 0),
      ev('err-cart', 'firing', 0, null, 5 * MIN),
      ev('err-cart', 'firing', 0, null, 10 * MIN),
      ev('lat-cart', 'firing', MIN, null, MIN),
    ];
    // lat-cart flaps: resolves and re-fires every 2 minutes, five times.
    for (let k = 0; k < 5; k++) {
      const start = MIN + k * 4 * MIN;
      events.push(ev('lat-cart', 'resolved', start, start + 2 * MIN));
      events.push(ev('lat-cart', 'firing', start + 4 * MIN, null));
    }
    const { incidents, alerts, stats } = compressAlerts(events);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].fingerprints.sort()).toEqual(['err-cart', 'lat-cart']);
    expect(stats).toMatchObject({ notifications: events.length, alerts: 2, repeats: 7, flapsSuppressed: 5, flapping: 1, incidents: 1 });
    expect(alerts.find((a) => a.fingerprint === 'lat-cart')!.occurrences).toHaveLength(6);
  });

  it('a re-fire after a calm spell longer than the window opens a new incident for the same alert', () => {
    const c = new AlertCompressor({ windowMs: 15 * MIN });
    c.push(ev('err-cart', 'firing', 0));
    c.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    const r = c.push(ev('err-cart', 'firing', 120 * MIN));
    expect(r).toMatchObject({ outcome: 'refired', suppressed: false });
    expect(c.incidents()).toHaveLength(2);
    expect(c.alerts()).toHaveLength(1);
  });

  it('is deterministic and does not depend on the input order of simultaneous-free events', () => {
    const events = [ev('err-cart', 'firing', 0), ev('lat-pay', 'firing', 3 * MIN), ev('err-pay', 'firing', 2 * MIN)];
    expect(compressAlerts(events)).toEqual(compressAlerts([...events].reverse()));
  });
});

describe('holdWhileFiring', () => {
  it('keeps an incident open while its alert keeps firing, only when asked', () => {
    // err-cart fires at 0 and is repeated every 5 min; lat-cart starts 40 min later on the same service.
    const events = [0, 5, 10, 15, 20, 25, 30, 35, 40].map((m) => ev('err-cart', 'firing', 0, null, m * MIN));
    events.push(ev('lat-cart', 'firing', 40 * MIN, null, 40 * MIN));
    expect(compressAlerts(events).incidents).toHaveLength(2);
    expect(compressAlerts(events, { holdWhileFiring: true }).incidents).toHaveLength(1);
  });
});
