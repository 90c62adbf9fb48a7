import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyEdge } from '../../src/alerts/causal-distance.js';
import { AlertCorrelator, type CorrelatedAlert } from '../../src/alerts/correlate-alerts.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const svc = (n: string) => uids.service(n, 'shop');
const pod = (n: string) => uids.pod(n, 'shop');

// fe → checkout → payment → payment-db ; fe → search → search-index ; pods on two machines.
const calls: Array<[string, string]> = [
  ['fe', 'checkout'],
  ['checkout', 'payment'],
  ['payment', 'payment-db'],
  ['fe', 'search'],
  ['search', 'search-index'],
];
const topology: TopologyEdge[] = [
  ...calls.map(([a, b]) => ({ type: 'CALLS' as const, from: svc(a), to: svc(b) })),
  ...['fe', 'checkout', 'payment', 'payment-db', 'search', 'search-index'].flatMap((s, i) => [
    { type: 'SELECTS' as const, from: svc(s), to: pod(`${s}-0`) },
    { type: 'RUNS_ON' as const, from: pod(`${s}-0`), to: uids.machine(`m${i}`) },
  ]),
];

let n = 0;
const alert = (
  name: string,
  entity: string,
  startsAt: number,
  labels: Record<string, string> = {},
): CorrelatedAlert => ({
  fingerprint: `fp${++n}`,
  name,
  entity,
  startsAt,
  labels: { alertname: name, severity: 'warning', ...labels },
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

  it('alerts outside the time window open a new incident once the first has stopped firing', () => {
    const c = new AlertCorrelator({ topology, windowMs: 15 * MIN });
    const first = alert('HighErrorRate', svc('payment'), 0);
    c.add(first);
    c.resolve(first.fingerprint, 5 * MIN);
    c.add(alert('HighErrorRate', svc('payment'), 40 * MIN));
    expect(c.incidents()).toHaveLength(2);
  });

  it('an incident whose alert still fires is happening now: a related alert joins long after the window', () => {
    const c = new AlertCorrelator({ topology, windowMs: 15 * MIN });
    const inc = c.add(alert('HighErrorRate', svc('payment'), 0));
    expect(c.add(alert('HighRequestLatency', svc('checkout'), 40 * MIN))).toBe(inc);
    expect(c.add(alert('DiskFull', uids.machine('m9'), 41 * MIN))).not.toBe(inc);
  });

  it('after every alert of it resolved, an incident takes new alerts only for the grace period', () => {
    const c = new AlertCorrelator({ topology, endedGraceMs: 5 * MIN });
    const a = alert('HighErrorRate', svc('payment'), 0);
    const inc = c.add(a);
    c.resolve(a.fingerprint, 2 * MIN);
    expect(c.add(alert('HighErrorRate', svc('checkout'), 4 * MIN))).toBe(inc);
    const b = c.incidents()[0].fingerprints[1];
    c.resolve(b, 5 * MIN);
    expect(c.add(alert('HighErrorRate', svc('fe'), 11 * MIN))).not.toBe(inc);
  });

  it('a symptom spreading up the callers joins through the member it depends on, however far from the root', () => {
    // chain: fe → checkout → payment → payment-db; with maxHops 1 only neighbours are related.
    const c = new AlertCorrelator({ topology, maxHops: 1 });
    const inc = c.add(alert('HighErrorRate', svc('payment-db'), 0));
    expect(c.add(alert('HighErrorRate', svc('payment'), MIN))).toBe(inc);
    expect(c.add(alert('HighErrorRate', svc('checkout'), 2 * MIN))).toBe(inc);
    expect(c.add(alert('HighErrorRate', svc('fe'), 3 * MIN))).toBe(inc);
    // search sits under fe, not above anything in the incident: it is a sibling branch, not a symptom.
    expect(c.add(alert('HighRequestLatency', svc('search'), 3 * MIN))).not.toBe(inc);
  });

  it('a promoted watch item dates its problem from the episodes still firing or recent, not from its history', () => {
    const c = new AlertCorrelator({ topology });
    // A warning that has fired since 0 is joined 40 min later: the problem began at 0.
    const held = alert('HighRequestLatency', svc('search-index'), 0);
    const w = c.add(held);
    c.add(alert('HighErrorRate', svc('search'), 10 * MIN));
    expect(c.incidents().find((i) => i.id === w)).toMatchObject({ actionableSince: 10 * MIN, problemStart: 0 });

    // A chronic warning (resolved, back two hours later) joined then: only its latest episode counts.
    const chronic = alert('CertificateExpiringSoon', svc('payment-db'), 0);
    const id = c.add(chronic);
    c.resolve(chronic.fingerprint, MIN);
    c.add({ ...chronic, startsAt: 120 * MIN });
    c.add(alert('HighErrorRate', svc('payment'), 121 * MIN));
    expect(c.incidents().find((i) => i.id === id)).toMatchObject({
      firstStart: 0,
      actionableSince: 121 * MIN,
      problemStart: 120 * MIN,
    });
  });

  it('a lone warning is a watch item until a second alert joins or one is critical', () => {
    const c = new AlertCorrelator({ topology });
    const w = c.add(alert('CertificateExpiringSoon', svc('search'), 0));
    expect(c.incidents()[0]).toMatchObject({ id: w, actionable: false, actionableSince: null });
    c.add(alert('HighRequestLatency', svc('search'), 2 * MIN));
    expect(c.incidents()[0]).toMatchObject({ id: w, actionable: true, actionableSince: 2 * MIN });
    const crit = c.add(alert('KubePodCrashLooping', pod('payment-db-0'), 3 * MIN, { severity: 'critical' }));
    expect(c.incidents().find((i) => i.id === crit)).toMatchObject({ actionable: true, actionableSince: 3 * MIN });
  });

  it('without topology, same-name concurrent alerts group by time and text', () => {
    const c = new AlertCorrelator();
    c.add(alert('HighErrorRate', svc('payment'), 0));
    c.add(alert('HighErrorRate', svc('search'), MIN));
    c.add(alert('DiskFull', uids.machine('m9'), MIN, { severity: 'critical' }));
    expect(
      c
        .incidents()
        .map((i) => i.fingerprints.length)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('every alert lands in exactly one incident, whatever the arrival order', () => {
    const pool = [
      ...storm('payment-db', ['payment', 'checkout', 'fe'], 0),
      ...storm('search-index', ['search', 'fe'], 2 * MIN),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (xs) => {
        const c = new AlertCorrelator({ topology });
        for (const x of xs) c.add(x);
        const seen = c.incidents().flatMap((i) => i.fingerprints);
        expect(seen.sort()).toEqual(xs.map((x) => x.fingerprint).sort());
      }),
    );
  });
});

describe('recurrent alerts and time decay', () => {
  const at = (fp: string, name: string, entity: string, startsAt: number, recurrent = false): CorrelatedAlert => ({
    fingerprint: fp,
    name,
    entity,
    startsAt,
    recurrent,
    labels: { alertname: name, severity: name === 'KubePodCrashLooping' ? 'critical' : 'warning' },
  });

  it('a lone recurrent alert does not seed the next storm, and its later episodes stay its own', () => {
    const c = new AlertCorrelator({ topology });
    const weak = c.add(at('flap', 'HighErrorRate', svc('checkout'), 0, true));
    // A fault on payment 4 min later: same branch, but the flapper's incident attracts nothing.
    const storm = c.add(at('crash', 'KubePodCrashLooping', pod('payment-0'), 4 * MIN));
    expect(storm).not.toBe(weak);
    expect(c.add(at('err', 'HighErrorRate', svc('payment'), 4 * MIN + 10_000))).toBe(storm);
    // The flapper fires again during the fault: low information, it goes back to its own item.
    expect(c.add(at('flap', 'HighErrorRate', svc('checkout'), 6 * MIN, true))).toBe(weak);
    const byId = new Map(c.incidents().map((i) => [i.id, i]));
    expect(byId.get(weak)!.episodes).toEqual([`flap@0`, `flap@${6 * MIN}`]);
    expect(byId.get(storm)!.episodes).not.toContain(`flap@${6 * MIN}`);
  });

  it('a recurrent episode heard just before the storm (same batch) is adopted by it', () => {
    const c = new AlertCorrelator({ topology });
    const weak = c.add(at('flap2', 'HighErrorRate', svc('checkout'), 0, true));
    const storm = c.add(at('crash2', 'KubePodCrashLooping', pod('payment-0'), 20_000));
    expect(storm).not.toBe(weak);
    expect(c.incidents().map((i) => i.id)).toEqual([storm]);
    expect(c.incidents()[0].episodes.sort()).toEqual([`crash2@20000`, `flap2@0`]);
  });

  it('a recurrent alert joins only what is happening now: not an incident that has ended, nor one quiet for longer than a half-life', () => {
    const c = new AlertCorrelator({ topology });
    const inc = c.add(at('job', 'KubeJobFailed', svc('payment'), 0));
    c.resolve('job', MIN);
    expect(c.add(at('flap3', 'HighErrorRate', svc('checkout'), 3 * MIN, true))).not.toBe(inc);
    expect(c.add(at('flap4', 'HighErrorRate', svc('checkout'), 3 * MIN, false))).toBe(inc);

    const quiet = new AlertCorrelator({ topology, ongoingMaxMs: 0 });
    const q = quiet.add(at('job', 'KubeJobFailed', svc('payment'), 0));
    expect(quiet.add(at('flap5', 'HighErrorRate', svc('checkout'), 8 * MIN, true))).not.toBe(q);
  });

  it('an episode heard of late (after its incident ended) is judged at its own start, when the incident was still going', () => {
    const c = new AlertCorrelator({ topology });
    const inc = c.add(at('lat7', 'HighRequestLatency', svc('payment'), 0));
    c.resolve('lat7', 10 * MIN);
    // Its firing notification was missed; it is first heard of as a resolution, after the incident ended.
    expect(c.add(at('err7', 'HighErrorRate', svc('checkout'), 8 * MIN))).toBe(inc);
    c.resolve('err7', 10 * MIN);
    // A recurrent episode starting after the end does not revive it.
    expect(c.add(at('flap8', 'HighErrorRate', svc('checkout'), 11 * MIN, true))).not.toBe(inc);
  });

  it('whether a late episode joins does not depend on unrelated alerts heard in between', () => {
    for (const unrelatedFirst of [false, true]) {
      const c = new AlertCorrelator({ topology });
      const inc = c.add(at('lat9', 'HighRequestLatency', svc('payment'), 0));
      c.resolve('lat9', 10 * MIN);
      if (unrelatedFirst) c.add(at('disk9', 'DiskFull', uids.machine('m9'), 16 * MIN));
      // Heard of at 16 min: an episode that ran 8–9 min, while the incident was still going.
      expect(c.add(at('err9', 'HighErrorRate', svc('checkout'), 8 * MIN)), String(unrelatedFirst)).toBe(inc);
    }
  });

  it('a watch item whose alert keeps firing becomes an incident once it has lasted (and a late resolution could have come), dated from its start', () => {
    const c = new AlertCorrelator({ topology, actionable: { sustainedMs: 15 * MIN, resolutionLagMs: 5 * MIN } });
    const w = c.add(at('lat10', 'HighRequestLatency', svc('search-index'), 0));
    c.tick(19 * MIN);
    expect(c.pendingPromoted()).toEqual([]);
    c.tick(21 * MIN);
    expect(c.pendingPromoted()).toEqual([w]);
    expect(c.pendingPromoted()).toEqual([w]); // until acknowledged
    c.ackPromoted([w]);
    expect(c.pendingPromoted()).toEqual([]);
    expect(c.incident(w)).toMatchObject({ actionable: true, actionableSince: 21 * MIN, problemStart: 0 });
    // One that resolved in time stays a watch item.
    const brief = c.add(at('lat11', 'DiskFull', uids.machine('m9'), 20 * MIN));
    c.resolve('lat11', 30 * MIN);
    c.tick(60 * MIN);
    expect(c.incident(brief)).toMatchObject({ actionable: false });
  });

  it('a warning whose resolution arrives late is not promoted, one first heard of long after it began is', () => {
    const c = new AlertCorrelator({ topology, actionable: { sustainedMs: 15 * MIN, resolutionLagMs: 5 * MIN } });
    const brief = c.add(at('lat12', 'HighRequestLatency', svc('search-index'), 0));
    c.tick(17 * MIN);
    c.resolve('lat12', 12 * MIN); // ended at 12 min, heard of at 17
    c.tick(40 * MIN);
    expect(c.incident(brief)?.actionable).toBe(false);
    // Heard of at 40 min, firing since 0 (a worker restart, an ingest outage): promoted on the next tick.
    const old = c.add({ ...at('disk12', 'DiskFull', uids.machine('m9'), 0), heardAt: 40 * MIN });
    c.tick(41 * MIN);
    expect(c.pendingPromoted()).toContain(old);
  });

  it('an alert stamped in the future does not age the others', () => {
    const c = new AlertCorrelator({ topology });
    const inc = c.add(at('crash13', 'KubePodCrashLooping', pod('payment-0'), 0));
    c.add({ ...at('skewed', 'HighErrorRate', svc('search'), 24 * 60 * MIN), heardAt: MIN });
    expect(c.add(at('err13', 'HighErrorRate', svc('payment'), 2 * MIN))).toBe(inc);
  });

  it('a chronic alert that comes back alone is the same item, and its episode during a fault goes to the fault', () => {
    const c = new AlertCorrelator({ topology });
    const chronic = c.add(at('flap6', 'HighErrorRate', svc('checkout'), 0));
    c.resolve('flap6', MIN);
    expect(c.add(at('flap6', 'HighErrorRate', svc('checkout'), 50 * MIN, true))).toBe(chronic);
    c.resolve('flap6', 51 * MIN);
    const storm = c.add(at('crash6', 'KubePodCrashLooping', pod('payment-0'), 100 * MIN));
    expect(c.add(at('flap6', 'HighErrorRate', svc('checkout'), 101 * MIN, false))).toBe(storm);
    expect(c.incidents().find((i) => i.id === chronic)!.episodes).toEqual(['flap6@0', `flap6@${50 * MIN}`]);
  });

  it('time proximity halves every half-life and is 0 beyond the window (known answers)', async () => {
    const { timeSimilarity } = await import('../../src/alerts/correlation-score.js');
    expect(timeSimilarity(0, 15 * MIN, 5 * MIN)).toBe(1);
    expect(timeSimilarity(-5 * MIN, 15 * MIN, 5 * MIN)).toBeCloseTo(0.5, 12);
    expect(timeSimilarity(10 * MIN, 15 * MIN, 5 * MIN)).toBeCloseTo(0.25, 12);
    expect(timeSimilarity(15 * MIN + 1, 15 * MIN, 5 * MIN)).toBe(0);
  });
});
