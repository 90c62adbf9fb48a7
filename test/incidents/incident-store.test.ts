import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { alertUid } from '../../src/incidents/incident.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { uids } from '../../src/model/uid.js';

describe('IncidentStore', () => {
  it('numbers incidents, reads them back exactly, links alerts and suspects in the graph', async () => {
    const graph = await MemoryGraphStore.open();
    const cart = uids.service('cartservice');
    await graph.upsert({
      nodes: [
        { label: 'Service', uid: cart, props: { name: 'cartservice' } },
        { label: 'Alert', uid: alertUid('fp1'), props: { fingerprint: 'fp1' } },
      ],
      edges: [],
    });
    const store = new IncidentStore(graph, () => 1_000);
    const first = await store.open({
      title: 'cart latency',
      severity: 'critical',
      entities: [cart],
      alertFingerprints: ['fp1'],
    });
    const second = await store.open({ title: 'other', severity: 'warning', entities: [], alertFingerprints: [] });
    expect([first.number, second.number]).toEqual([1, 2]);

    first.suspects = [
      {
        entity: cart,
        rank: 1,
        score: 0.9,
        why: 'cpu_usage z=12',
        explanation: { metrics: [{ metric: 'cpu_usage', z: 12 }] },
      },
    ];
    first.revision = 2;
    first.diagnosedRevision = 2;
    await store.save(first);
    expect(await store.get(1)).toEqual(first);
    expect((await store.listOpen()).map((i) => i.number)).toEqual([2, 1]);

    const sub = await graph.neighbourhood([`Incident:1`], { hops: 1 });
    expect(sub.edges.map((e) => `${e.type}>${e.to}`).sort()).toEqual([`GROUPS>${alertUid('fp1')}`, `SUSPECTS>${cart}`]);
    expect(sub.edges.find((e) => e.type === 'SUSPECTS')?.props).toMatchObject({ rank: 1, score: 0.9 });

    // A re-ranking drops the suspect it no longer names; splitting an alert off drops its GROUPS.
    first.suspects = [];
    first.alertFingerprints = [];
    first.revision = 3;
    first.diagnosedRevision = 3;
    await store.save(first);
    expect((await graph.neighbourhood([`Incident:1`], { hops: 1 })).edges).toEqual([]);

    second.status = 'resolved';
    await store.save(second);
    expect((await store.listOpen()).map((i) => i.number)).toEqual([1]);
  });
});

describe('IncidentStore concurrent writers', () => {
  it('a job holding an older revision cannot drop alerts added meanwhile, and a newer card or diagnosis survives', async () => {
    const graph = await MemoryGraphStore.open();
    const store = new IncidentStore(graph, () => 1_000);
    const opened = await store.open({ title: 't', severity: 'warning', entities: [], alertFingerprints: ['a'] });
    const rcaCopy = structuredClone(opened); // the RCA job read revision 1
    const notifyCopy = structuredClone(opened); // the notify job read revision 1 too
    const compress = (await store.get(1))!;
    compress.alertFingerprints = ['a', 'b'];
    compress.revision = 2;
    await store.save(compress);
    rcaCopy.suspects = [{ entity: 'x', rank: 1, score: 1, why: 'w', explanation: {} }];
    rcaCopy.diagnosedRevision = 1;
    await store.save(rcaCopy);
    notifyCopy.card = { channel: 'C', ts: '1.0' };
    notifyCopy.publishedRevision = 1;
    await store.save(notifyCopy);
    expect(await store.get(1)).toMatchObject({
      revision: 2,
      alertFingerprints: ['a', 'b'],
      diagnosedRevision: 1,
      publishedRevision: 1,
      card: { channel: 'C', ts: '1.0' },
    });
    expect((await store.get(1))?.suspects.map((s) => s.entity)).toEqual(['x']);
  });

  it('finds the incidents holding given alerts through their GROUPS edges, newest first', async () => {
    const graph = await MemoryGraphStore.open();
    await graph.upsert({
      nodes: ['a', 'b', 'c'].map((fp) => ({ label: 'Alert' as const, uid: alertUid(fp), props: { fingerprint: fp } })),
      edges: [],
    });
    const store = new IncidentStore(graph, () => 1_000);
    await store.open({ title: 'one', severity: 'warning', entities: [], alertFingerprints: ['a'] });
    await store.open({ title: 'two', severity: 'warning', entities: [], alertFingerprints: ['a', 'b'] });
    await store.open({ title: 'three', severity: 'warning', entities: [], alertFingerprints: ['c'] });
    expect((await store.holding(['a'])).map((i) => i.number)).toEqual([2, 1]);
    expect((await store.holding(['b', 'c'])).map((i) => i.number)).toEqual([3, 2]);
    expect(await store.holding(['zzz'])).toEqual([]);
  });
});
