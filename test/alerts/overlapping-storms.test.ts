import { describe, expect, it } from 'vitest';
import type { TopologyEdge } from '../../src/alerts/causal-distance.js';
import { AlertCorrelator, type CorrelatedAlert } from '../../src/alerts/correlate-alerts.js';
import { uids } from '../../src/model/uid.js';

// Known-answer tests for storms on dense call graphs, where one fault's symptoms climb past the
// distance bound and two faults' callers overlap.
const MIN = 60_000;
const svc = (n: string) => uids.service(n, 'shop');
const calls = (pairs: Array<[string, string]>): TopologyEdge[] =>
  pairs.map(([a, b]) => ({ type: 'CALLS' as const, from: svc(a), to: svc(b) }));

let n = 0;
const alert = (name: string, service: string, startsAt: number): CorrelatedAlert => ({
  fingerprint: `fp${++n}`,
  name,
  entity: svc(service),
  startsAt,
  labels: { alertname: name, severity: 'critical', service },
});

describe('alert correlation on dense call graphs', () => {
  it('a symptom four hops above the fault is no root, so a fault on another of its back ends opens its own incident', () => {
    // s4 → s3 → s2 → s1 → db, and s4 → queue: queue is neither up- nor downstream of db.
    const topology = calls([
      ['s4', 's3'],
      ['s3', 's2'],
      ['s2', 's1'],
      ['s1', 'db'],
      ['s4', 'queue'],
    ]);
    const c = new AlertCorrelator({ topology });
    const storm = ['db', 's1', 's2', 's3', 's4'].map((s, i) => c.add(alert('HighErrorRate', s, (i * MIN) / 2)));
    expect(new Set(storm).size).toBe(1);
    const other = c.add(alert('HighErrorRate', 'queue', 3 * MIN));
    expect(other).not.toBe(storm[0]);
    expect(c.incidents()).toHaveLength(2);
  });

  it('a caller both ongoing incidents reach alike joins the one whose related alerts started last (the failure spreading to it now)', () => {
    // caller → a1 → a-db and caller → b1 → b-db: two faults whose blast radii meet at the caller.
    const topology = calls([
      ['caller', 'a1'],
      ['a1', 'a-db'],
      ['caller', 'b1'],
      ['b1', 'b-db'],
    ]);
    const c = new AlertCorrelator({ topology });
    const a = [c.add(alert('HighErrorRate', 'a-db', 0)), c.add(alert('HighErrorRate', 'a1', MIN / 2))];
    const b = [c.add(alert('HighErrorRate', 'b-db', 3 * MIN)), c.add(alert('HighErrorRate', 'b1', 3.5 * MIN))];
    expect(a[0]).toBe(a[1]);
    expect(b[0]).toBe(b[1]);
    expect(b[0]).not.toBe(a[0]);
    // The first fault's back end re-fires with the caller, in the same instant: that shows no spreading.
    expect(c.add(alert('KubePodCrashLooping', 'a-db', 4 * MIN))).toBe(a[0]);
    expect(c.add(alert('HighErrorRate', 'caller', 4 * MIN))).toBe(b[0]);
  });
});
