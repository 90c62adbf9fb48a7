import { describe, expect, it } from 'vitest';
import type { TopologyEdge } from '../../src/alerts/causal-distance.js';
import { AlertCorrelator, type CorrelatedAlert } from '../../src/alerts/correlate-alerts.js';
import { DEFAULTS } from '../../src/alerts/correlation-score.js';
import { learnFromCorrections } from '../../src/alerts/learn-from-corrections.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const svc = (n: string) => uids.service(n, 'shop');
const topology: TopologyEdge[] = [
  ['fe', 'checkout'],
  ['checkout', 'payment'],
  ['fe', 'search'],
  ['search', 'search-index'],
  ['fe', 'ads'],
  ['ads', 'ads-db'],
].map(([a, b]) => ({ type: 'CALLS' as const, from: svc(a), to: svc(b) }));

const mk =
  (day: number, tag: string) =>
  (name: string, entity: string, minute: number): CorrelatedAlert => ({
    fingerprint: `${tag}-${day}-${name}-${entity}`,
    name,
    entity,
    startsAt: day * DAY + minute * MIN,
    labels: { alertname: name },
  });

/** Payment fault whose (unmodelled) queue side effect fires on search-index — humans know they go together. */
function paymentWithQueue(day: number): CorrelatedAlert[] {
  const a = mk(day, 'pq');
  return [
    a('HighErrorRate', svc('payment'), 0),
    a('HighErrorRate', svc('checkout'), 1),
    a('QueueBacklogGrowing', svc('search-index'), 2),
  ];
}
/** A front-end fault with a certificate warning that happens to fire at the same time on the same service. */
function feWithCert(day: number): CorrelatedAlert[] {
  const a = mk(day, 'fc');
  return [
    a('HighRequestLatency', svc('fe'), 0),
    a('HighErrorRate', svc('fe'), 1),
    a('CertificateExpiringSoon', svc('fe'), 2),
  ];
}
/** An unrelated ads fault at the same time. */
function adsFault(day: number): CorrelatedAlert[] {
  const a = mk(day, 'ad');
  return [a('HighRequestLatency', svc('ads-db'), 0), a('HighErrorRate', svc('ads'), 1)];
}

const sizes = (c: AlertCorrelator) =>
  c
    .incidents()
    .map((i) => i.fingerprints.length)
    .sort();

describe('learning from human corrections', () => {
  it('after a merge, the same pattern is grouped next time; unrelated faults stay apart', () => {
    const day0 = new AlertCorrelator({ topology });
    for (const x of paymentWithQueue(0)) day0.add(x);
    expect(sizes(day0)).toEqual([1, 2]);
    const [main, side] = [...day0.incidents()].sort((a, b) => b.fingerprints.length - a.fingerprints.length);
    const correction = day0.merge(main.id, side.id, 5 * MIN);
    expect(correction).toMatchObject({ kind: 'merge', incidents: [main.id, side.id] });
    expect(sizes(day0)).toEqual([3]);

    const untaught = new AlertCorrelator({ topology });
    const taught = new AlertCorrelator({ topology, corrections: day0.corrections });
    for (const c of [untaught, taught]) for (const x of [...paymentWithQueue(1), ...adsFault(1)]) c.add(x);
    expect(sizes(untaught)).toEqual([1, 2, 2]);
    expect(sizes(taught)).toEqual([2, 3]);
    expect(taught.incidentOf(paymentWithQueue(1)[2].fingerprint)).toBe(
      taught.incidentOf(paymentWithQueue(1)[0].fingerprint),
    );
  });

  it('after a split, the split-off alert stays apart next time while the rest stays together', () => {
    const day0 = new AlertCorrelator({ topology });
    for (const x of feWithCert(0)) day0.add(x);
    expect(sizes(day0)).toEqual([3]);
    const cert = feWithCert(0)[2].fingerprint;
    const { incident } = day0.split(day0.incidents()[0].id, [cert], 5 * MIN);
    expect(incident.fingerprints).toEqual([cert]);
    expect(sizes(day0)).toEqual([1, 2]);

    const untaught = new AlertCorrelator({ topology });
    const taught = new AlertCorrelator({ topology, corrections: day0.corrections });
    for (const c of [untaught, taught]) for (const x of feWithCert(1)) c.add(x);
    expect(sizes(untaught)).toEqual([3]);
    expect(sizes(taught)).toEqual([1, 2]);
  });

  it('corrections are plain records, learning is deterministic and bounded', () => {
    const c = new AlertCorrelator({ topology });
    for (const x of paymentWithQueue(0)) c.add(x);
    const [a, b] = c.incidents();
    c.merge(a.id, b.id, 0);
    const roundTrip = JSON.parse(JSON.stringify(c.corrections));
    const w1 = learnFromCorrections(roundTrip, DEFAULTS.weights);
    expect(w1).toEqual(learnFromCorrections(c.corrections, DEFAULTS.weights));
    for (const k of ['time', 'topology', 'text'] as const)
      expect(Math.abs(w1[k] - DEFAULTS.weights[k])).toBeLessThanOrEqual(0.02 * 3 + 1e-12);
  });

  it('rejects bad corrections with InputError', () => {
    const c = new AlertCorrelator({ topology });
    for (const x of feWithCert(0)) c.add(x);
    const id = c.incidents()[0].id;
    expect(() => c.merge(id, id, 0)).toThrow(/itself/);
    expect(() => c.merge(id, 'inc-99', 0)).toThrow(/no open incident/);
    expect(() => c.split(id, ['nope'], 0)).toThrow(/not in incident/);
    expect(() => c.split(id, c.incidents()[0].fingerprints, 0)).toThrow(/both sides/);
  });
});
