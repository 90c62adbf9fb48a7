import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/alert-event.js';
import { type DedupState, dedupAlert } from '../../src/alerts/deduplicate-alerts.js';

const ev = (over: Partial<AlertEvent>): AlertEvent => ({
  fingerprint: 'f1',
  name: 'HighLatency',
  status: 'firing',
  labels: { alertname: 'HighLatency' },
  startsAt: 1_000,
  endsAt: null,
  entity: null,
  ...over,
});

describe('dedupAlert', () => {
  it('counts repeats, updates last-seen, and tracks resolve then re-fire as one alert with two occurrences', () => {
    const s: DedupState = new Map();
    expect(dedupAlert(s, ev({ receivedAt: 1_000 })).outcome).toBe('new');
    expect(dedupAlert(s, ev({ receivedAt: 61_000 })).outcome).toBe('repeat');
    expect(dedupAlert(s, ev({ status: 'resolved', endsAt: 90_000 })).outcome).toBe('resolved');
    expect(dedupAlert(s, ev({ status: 'resolved', endsAt: 90_000 })).outcome).toBe('repeat');
    const { alert, outcome } = dedupAlert(s, ev({ startsAt: 500_000 }));
    expect(outcome).toBe('refired');
    expect(s.size).toBe(1);
    expect(alert).toMatchObject({ notifications: 5, lastSeen: 500_000, firstSeen: 1_000, status: 'firing' });
    expect(alert.occurrences).toEqual([
      { startsAt: 1_000, endsAt: 90_000 },
      { startsAt: 500_000, endsAt: null },
    ]);
  });

  it('closes an open occurrence when a later start arrives (a missed resolution)', () => {
    const s: DedupState = new Map();
    dedupAlert(s, ev({}));
    dedupAlert(s, ev({ startsAt: 9_000 }));
    expect(s.get('f1')!.occurrences).toEqual([
      { startsAt: 1_000, endsAt: 9_000 },
      { startsAt: 9_000, endsAt: null },
    ]);
  });

  it('never loses a notification: one alert per fingerprint, notifications sum to the input, occurrences sorted', () => {
    const arb = fc.array(
      fc.record({
        fingerprint: fc.constantFrom('a', 'b', 'c'),
        status: fc.constantFrom('firing' as const, 'resolved' as const),
        startsAt: fc.integer({ min: 0, max: 20 }).map((x) => x * 1_000),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, (xs) => {
        const s: DedupState = new Map();
        for (const x of xs) dedupAlert(s, ev({ ...x, endsAt: x.status === 'resolved' ? x.startsAt + 500 : null }));
        expect(s.size).toBe(new Set(xs.map((x) => x.fingerprint)).size);
        expect([...s.values()].reduce((n, a) => n + a.notifications, 0)).toBe(xs.length);
        for (const a of s.values()) {
          const starts = a.occurrences.map((o) => o.startsAt);
          expect(starts).toEqual([...starts].sort((p, q) => p - q));
          expect(new Set(starts).size).toBe(starts.length);
        }
      }),
    );
  });
});
