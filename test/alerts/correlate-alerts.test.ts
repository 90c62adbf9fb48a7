import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyEdge } from '../../src/alerts/causal-distance.js';
import { AlertCorrelator, type CorrelatedAlert } from '../../src/alerts/correlate-alerts.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const svc = (n: string) => uids.service(n, 'shop');
const pod = (n: string) => uids.pod(n, 'shop');

// fe → checkout → payment → payment-db ; fe → search → search-index ; pods on two machines.
const calls: Array<[string, string]> = [['fe', 'checkout'], ['checkout', 'payment'], ['payment', 'payment-db'], ['fe', 'search'], ['search', 'search-index']];
const topology: TopologyEdge[] = [
  ...calls.map(([a, b]) => ({ type: 'CALLS' as const, from: svc(a), to: svc(b) })),
  ...['fe', 'checkout', 'payment', 'payment-db', 'search', 'search-index'].flatMap((s, i) => [
    { type: 'SELECTS' as const, from: svc(s), to: pod(`${s}-0`) },
    { type: 'RUNS_ON' as const, from: pod(`${s}-0`), to: uids.machine(`m${i}`) },
  ]),
];

let n = 0;
const alert = (name: string, entity: string, startsAt: number, labels: Record<string, string> = {}): CorrelatedAlert => ({
  fingerprint: `fp${++n}`, name, entity, startsAt, labels: { alertname: name, severity: 'warning', ...labels },
});

/** A fault on `root`: its pod and service alert, then its callers up to the front end. */
function storm(root: string, callers: string[], t0: number): CorrelatedAlert[] {
  return [
    alert('KubePodCrashLooping', pod(`${root}-0`), t0, { severity: 'critical' }),
    alert('HighErrorRate', svc(root), t0 + MIN),
    ...callers.map((c, i) => alert('HighErrorRate', svc(c), t0 + (i + 2) * MIN)),
    ...callers.map((c, i) => alert('HighRequestLatency', svc(c), t0 + (i + 2) * MIN)),
  ];
}

describe('AlertCorrelator', () => {
  it('one fault → one incident, growing as alerts arrive', () => {
    const c = new AlertCorrelator({ topology });
    const alerts = storm('payment-db', ['payment', 'checkout', 'fe'], 0);
    const ids = alerts.map((a) => c.add(a));
    expect(new Set(ids).size).toBe(1);
    expect(c.incidents()).toHaveLength(1);
    expect(c.incidents()[0].fingerprints).toEqual(alerts.map((a) => a.fingerprint));
  });

  it('two concurrent faults in unrelated branches stay two incidents, even with the same alert names', () => {
    const c = new AlertCorrelator({ topology });
    const a = storm('payment-db', ['payment', 'checkout'], 0);
    const b = storm('search-index', ['search'], 30_000);
    // Interleave them in time, as they would arrive.
    const all = [...a, ...b].sort((x, y) => x.startsAt - y.startsAt);
    for (const x of all) c.add(x);
    const incidents = c.incidents();
    expect(incidents).toHaveLength(2);
    const groups = incidents.map((i) => new Set(i.fingerprints));
    expect(groups.some((g) => a.every((x) => g.has(x.fingerprint)))).toBe(true);
    expect(groups.some((g) => b.every((x) => g.has(x.fingerprint)))).toBe(true);
  });

  it('alerts outside the time window open a new incident', () => {
    const c = new AlertCorrelator({ topology, windowMs: 15 * MIN });
    c.add(alert('HighErrorRate', svc('payment'), 0));
    c.add(alert('HighErrorRate', svc('payment'), 40 * MIN));
    expect(c.incidents()).toHaveLength(2);
  });

  it('without topology, same-name concurrent alerts group by time and text', () => {
    const c = new AlertCorrelator();
    c.add(alert('HighErrorRate', svc('payment'), 0));
    c.add(alert('HighErrorRate', svc('search'), MIN));
    c.add(alert('DiskFull', uids.machine('m9'), MIN, { severity: 'critical' }));
    expect(c.incidents().map((i) => i.fingerprints.length).sort()).toEqual([1, 2]);
  });

  it('every alert lands in exactly one incident, whatever the arrival order', () => {
    const pool = [...storm('payment-db', ['payment', 'checkout', 'fe'], 0), ...storm('search-index', ['search', 'fe'], 2 * MIN)];
    fc.assert(fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (xs) => {
      const c = new AlertCorrelator({ topology });
      for (const x of xs) c.add(x);
      const seen = c.incidents().flatMap((i) => i.fingerprints);
      expect(seen.sort()).toEqual(xs.map((x) => x.fingerprint).sort());
    }));
  });
});
