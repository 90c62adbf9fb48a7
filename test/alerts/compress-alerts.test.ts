import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/alert-event.js';
import { AlertCompressor, compressAlerts } from '../../src/alerts/compress-alerts.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const ev = (
  fp: string,
  status: 'firing' | 'resolved',
  startsAt: number,
  endsAt: number | null = null,
  receivedAt?: number,
): AlertEvent => ({
  fingerprint: fp,
  name: fp.startsWith('lat') ? 'HighRequestLatency' : 'HighErrorRate',
  status,
  startsAt,
  endsAt,
  labels: { alertname: 'x' },
  entity: uids.service(fp.split('-')[1], 'shop'),
  ...(receivedAt === undefined ? {} : { receivedAt }),
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
    expect(stats).toMatchObject({
      notifications: events.length,
      alerts: 2,
      repeats: 7,
      flapsSuppressed: 5,
      flapping: 1,
      incidents: 1,
    });
    expect(alerts.find((a) => a.fingerprint === 'lat-cart')!.occurrences).toHaveLength(6);
  });

  it('a lone alert firing again after a calm spell is the same item again, with both episodes', () => {
    const c = new AlertCompressor({ windowMs: 15 * MIN });
    c.push(ev('err-cart', 'firing', 0));
    c.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    const r = c.push(ev('err-cart', 'firing', 120 * MIN));
    expect(r).toMatchObject({ outcome: 'refired', suppressed: false });
    expect(c.incidents()).toHaveLength(1);
    expect(c.incidents()[0].episodes).toEqual(['err-cart@0', `err-cart@${120 * MIN}`]);
    expect(c.alerts()).toHaveLength(1);
  });

  it('…but not after a day, nor when its earlier item holds other alerts by then', () => {
    const day = new AlertCompressor();
    day.push(ev('err-cart', 'firing', 0));
    day.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    day.push(ev('err-cart', 'firing', 25 * 60 * MIN));
    expect(day.incidents()).toHaveLength(2);

    const shared = new AlertCompressor();
    shared.push(ev('err-cart', 'firing', 0));
    shared.push(ev('lat-cart', 'firing', MIN));
    shared.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    shared.push(ev('lat-cart', 'resolved', MIN, 5 * MIN));
    shared.push(ev('err-cart', 'firing', 120 * MIN));
    expect(shared.incidents().map((i) => i.fingerprints)).toEqual([['err-cart', 'lat-cart'], ['err-cart']]);
  });

  it('is deterministic and does not depend on the input order of simultaneous-free events', () => {
    const events = [ev('err-cart', 'firing', 0), ev('lat-pay', 'firing', 3 * MIN), ev('err-pay', 'firing', 2 * MIN)];
    expect(compressAlerts(events)).toEqual(compressAlerts([...events].reverse()));
  });
});

describe('an incident stays ongoing while its alerts fire', () => {
  // err-cart fires at 0; lat-cart starts 40 min later on the same service, past the 15-min window.
  const late = [ev('err-cart', 'firing', 0, null, 0), ev('lat-cart', 'firing', 40 * MIN, null, 40 * MIN)];

  it('a related alert starting long after joins while the first still fires', () => {
    expect(compressAlerts(late).incidents).toHaveLength(1);
  });

  it('once every alert of it resolved (and the grace passed), a late alert opens a new incident', () => {
    const events = [...late.slice(0, 1), ev('err-cart', 'resolved', 0, 20 * MIN, 21 * MIN), late[1]];
    expect(compressAlerts(events).incidents).toHaveLength(2);
  });

  it('stops being ongoing an hour after its latest start, firing or not', () => {
    const events = [late[0], ev('lat-cart', 'firing', 70 * MIN, null, 70 * MIN)];
    expect(compressAlerts(events).incidents).toHaveLength(2);
  });
});

describe('bounded state', () => {
  it('forgets groups quiet since a time and their alerts, keeps ongoing ones, and treats a forgotten alert as new', () => {
    const c = new AlertCompressor();
    c.push(ev('err-cart', 'firing', 0));
    c.push(ev('lat-cart', 'firing', MIN));
    c.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    c.push(ev('lat-cart', 'resolved', MIN, 5 * MIN));
    c.push(ev('err-pay', 'firing', 60 * MIN)); // still firing: its group stays however old
    const [quiet, ongoing] = c.incidents().map((i) => i.id);
    expect(c.forget(30 * 60 * MIN)).toEqual([quiet]);
    expect(c.incidents().map((i) => i.id)).toEqual([ongoing]);
    expect(c.incident(quiet)).toBeUndefined();
    expect(c.alert('err-cart')).toBeUndefined();
    expect(c.alerts().map((a) => a.fingerprint)).toEqual(['err-pay']);
    expect(c.push(ev('err-cart', 'firing', 40 * 60 * MIN)).outcome).toBe('new');
  });

  it('keeps a group that ended after the cut-off, even when its last alert started before it', () => {
    const c = new AlertCompressor();
    c.push(ev('err-cart', 'firing', 0));
    c.push(ev('err-cart', 'resolved', 0, 50 * MIN));
    expect(c.forget(40 * MIN)).toEqual([]);
    expect(c.forget(60 * MIN)).toHaveLength(1);
  });

  it('keeps an alert that a kept incident still lists, even when the group of its latest episode is forgotten', () => {
    const H = 60 * MIN;
    const c = new AlertCompressor();
    c.push(ev('err-cart', 'firing', 0));
    c.push(ev('lat-cart', 'firing', MIN)); // keeps firing: its incident is kept
    c.push(ev('err-cart', 'resolved', 0, 5 * MIN));
    c.push(ev('err-cart', 'firing', 2 * H)); // the first incident is no longer ongoing: a group of its own
    c.push(ev('err-cart', 'resolved', 2 * H, 2 * H + 5 * MIN));
    const [kept, quiet] = c.incidents();
    expect(quiet.fingerprints).toEqual(['err-cart']);
    expect(c.forget(30 * H)).toEqual([quiet.id]);
    expect(c.alert('err-cart')?.status).toBe('resolved');
    c.push(ev('lat-cart', 'resolved', MIN, 31 * H));
    expect(kept.fingerprints.every((fp) => c.alert(fp)?.status === 'resolved')).toBe(true);
    expect(c.correlator.split(kept.id, ['lat-cart'], 31 * H).incident.fingerprints).toEqual(['lat-cart']);
  });
});
