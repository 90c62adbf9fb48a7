import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertCorrelator } from '../../src/alerts/correlate-alerts.js';

const MIN = 60_000;
const entities = ['svc:a', 'svc:b', 'svc:c', 'svc:d'];
const topology = [
  { type: 'CALLS' as const, from: 'svc:a', to: 'svc:b' },
  { type: 'CALLS' as const, from: 'svc:b', to: 'svc:c' },
];

/** One step a live compressor can take; times are relative to the previous step, choices by index into what exists. */
const step = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    alert: fc.nat(4),
    gapMin: fc.nat(20),
    lateMin: fc.option(fc.nat(30)),
    recurrent: fc.boolean(),
    critical: fc.boolean(),
  }),
  fc.record({ op: fc.constant('resolve' as const), alert: fc.nat(4), agoMin: fc.nat(5) }),
  fc.record({ op: fc.constant('tick' as const), gapMin: fc.nat(90), ack: fc.boolean() }),
  fc.record({ op: fc.constant('merge' as const), a: fc.nat(50), b: fc.nat(50) }),
  fc.record({
    op: fc.constant('split' as const),
    inc: fc.nat(50),
    pick: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  }),
  fc.record({ op: fc.constant('forget' as const), agoMin: fc.nat(180) }),
);

describe('AlertCorrelator bookkeeping', () => {
  it('stays consistent through any mix of alerts, resolutions, ticks, merges, splits and forgetting', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 80 }), (steps) => {
        const c = new AlertCorrelator({ topology });
        const latest = new Map<string, number>();
        const firing = new Set<string>();
        let now = 0;
        for (const s of steps) {
          if (s.op === 'add') {
            const fp = `f${s.alert}`;
            now += s.gapMin * MIN;
            const startsAt = now - (s.lateMin ?? 0) * MIN;
            // The compressor only ever adds a newer episode of an alert.
            if (startsAt <= (latest.get(fp) ?? -Infinity)) continue;
            latest.set(fp, startsAt);
            firing.add(fp);
            c.add({
              fingerprint: fp,
              name: `N${s.alert % 3}`,
              labels: { severity: s.critical ? 'critical' : 'warning' },
              entity: entities[s.alert % 4],
              startsAt,
              recurrent: s.recurrent,
            });
          } else if (s.op === 'resolve') {
            const fp = `f${s.alert}`;
            if (!firing.delete(fp)) continue;
            c.resolve(fp, Math.max(latest.get(fp)!, now - s.agoMin * MIN));
          } else if (s.op === 'tick') {
            now += s.gapMin * MIN;
            c.tick(now);
            if (s.ack) c.ackPromoted(c.pendingPromoted());
          } else if (s.op === 'merge') {
            const live = c.incidents();
            const [x, y] = [live[s.a % Math.max(1, live.length)], live[s.b % Math.max(1, live.length)]];
            if (x && y && x.id !== y.id) c.merge(x.id, y.id, now);
          } else if (s.op === 'split') {
            const live = c.incidents().filter((i) => i.fingerprints.length >= 2);
            const x = live[s.inc % Math.max(1, live.length)];
            if (!x) continue;
            const moving = x.fingerprints.filter((_, i) => s.pick[i % s.pick.length]);
            if (moving.length > 0 && moving.length < x.fingerprints.length) c.split(x.id, moving, now);
          } else {
            for (const fp of c.forget(now - s.agoMin * MIN).fingerprints) latest.delete(fp);
          }
          expect(c.selfCheck()).toEqual([]);
          for (const id of c.pendingPromoted()) expect(c.incident(id)?.actionable).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
