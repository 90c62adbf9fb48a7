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

describe('recurrent alerts and time decay', () => {
  const at = (fp: string, name: string, entity: string, startsAt: number, recurrent = false): CorrelatedAlert => ({
    fingerprint: fp, name, entity, startsAt, recurrent, labels: { alertname: name, severity: 'warning' },
  });

  it('a lone recurrent alert does not seed the next storm; its co-firing episode moves into the storm', () => {
    const c = new AlertCorrelator({ topology });
    const weak = c.add(at('flap', 'HighErrorRate', svc('checkout'), 0, true));
    // A fault on payment 4 min later: same branch, but the flapper's incident attracts nothing.
    const storm = c.add(at('crash', 'KubePodCrashLooping', pod('payment-0'), 4 * MIN));
    expect(storm).not.toBe(weak);
    expect(c.add(at('err', 'HighErrorRate', svc('payment'), 4 * MIN + 10_000))).toBe(storm);
    // The flapper's next episode, during the fault, belongs to the fault.
    expect(c.add(at('flap', 'HighErrorRate', svc('checkout'), 6 * MIN, true))).toBe(storm);
    const byId = new Map(c.incidents().map((i) => [i.id, i]));
    expect(byId.get(weak)!.episodes).toEqual([`flap@0`]);
    expect(byId.get(storm)!.episodes).toContain(`flap@${6 * MIN}`);
  });

  it('a recurrent episode heard just before the storm (same batch) is adopted by it', () => {
    const c = new AlertCorrelator({ topology });
    const weak = c.add(at('flap2', 'HighErrorRate', svc('checkout'), 0, true));
    const storm = c.add(at('crash2', 'KubePodCrashLooping', pod('payment-0'), 20_000));
    expect(storm).not.toBe(weak);
    expect(c.incidents().map((i) => i.id)).toEqual([storm]);
    expect(c.incidents()[0].episodes.sort()).toEqual([`crash2@20000`, `flap2@0`]);
  });

  it('a recurrent alert joins only what is happening now, not a related incident quiet for longer than a half-life', () => {
    const c = new AlertCorrelator({ topology });
    const inc = c.add(at('job', 'KubeJobFailed', svc('payment'), 0));
    expect(c.add(at('flap3', 'HighErrorRate', svc('checkout'), 8 * MIN, true))).not.toBe(inc);
    expect(c.add(at('flap4', 'HighErrorRate', svc('checkout'), 9 * MIN, false))).toBe(inc);
  });

  it('time proximity halves every half-life and is 0 beyond the window (known answers)', async () => {
    const { timeSimilarity } = await import('../../src/alerts/correlation-score.js');
    expect(timeSimilarity(0, 15 * MIN, 5 * MIN)).toBe(1);
    expect(timeSimilarity(-5 * MIN, 15 * MIN, 5 * MIN)).toBeCloseTo(0.5, 12);
    expect(timeSimilarity(10 * MIN, 15 * MIN, 5 * MIN)).toBeCloseTo(0.25, 12);
    expect(timeSimilarity(15 * MIN + 1, 15 * MIN, 5 * MIN)).toBe(0);
  });
});
