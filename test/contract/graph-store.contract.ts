import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/graph-store.js';
import type { GraphBatch } from '../../src/model/graph.js';
import { uid } from '../../src/model/uid.js';

/**
 * The GraphStore contract: every adapter (memory, Neo4j) must pass this same suite.
 * Each test works under its own random tag so tests can share one database.
 */
export function graphStoreContract(name: string, open: () => Promise<GraphStore>): void {
  describe(`GraphStore contract (${name})`, () => {
    let store: GraphStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    const tagged = () => {
      const tag = randomUUID().slice(0, 8);
      return {
        tag,
        svc: (n: string) => uid('Service', tag, 'default', n),
        pod: (n: string) => uid('Pod', tag, 'default', n),
        machine: (n: string) => uid('Machine', tag, n),
      };
    };

    const smallSystem = (t: ReturnType<typeof tagged>, observedAt = 1_700_000_000_000): GraphBatch => ({
      observedAt,
      nodes: [
        { label: 'Service', uid: t.svc('frontend'), props: { name: 'frontend' } },
        { label: 'Service', uid: t.svc('cart'), props: { name: 'cart', replicas: 2 } },
        { label: 'Pod', uid: t.pod('cart-1'), props: { name: 'cart-1' } },
      ],
      edges: [
        { type: 'CALLS', from: t.svc('frontend'), to: t.svc('cart'), props: { count: 10 } },
        { type: 'SELECTS', from: t.svc('cart'), to: t.pod('cart-1'), props: {} },
      ],
    });

    it('upserting the same batch twice creates it once', async () => {
      const t = tagged();
      const first = await store.upsert(smallSystem(t));
      expect(first).toMatchObject({ nodesCreated: 3, nodesUpdated: 0, edgesCreated: 2, edgesUpdated: 0, rejected: [] });
      const second = await store.upsert(smallSystem(t));
      expect(second).toMatchObject({
        nodesCreated: 0,
        nodesUpdated: 3,
        edgesCreated: 0,
        edgesUpdated: 2,
        rejected: [],
      });
      const sub = await store.neighbourhood([t.svc('frontend')], { hops: 5 });
      expect(sub.nodes).toHaveLength(3);
      expect(sub.edges).toHaveLength(2);
    });

    it('merges node and edge properties; null removes one', async () => {
      const t = tagged();
      await store.upsert(smallSystem(t));
      await store.upsert({
        nodes: [
          { label: 'Service', uid: t.svc('cart'), props: { team: 'checkout', replicas: null, tags: ['a', 'b'] } },
        ],
        edges: [{ type: 'CALLS', from: t.svc('frontend'), to: t.svc('cart'), props: { errors: 3 } }],
      });
      const cart = await store.getNode(t.svc('cart'));
      expect(cart).toEqual({
        label: 'Service',
        uid: t.svc('cart'),
        props: { name: 'cart', team: 'checkout', tags: ['a', 'b'] },
      });
      const sub = await store.neighbourhood([t.svc('frontend')], { hops: 1, edges: ['CALLS'] });
      expect(sub.edges).toEqual([
        { type: 'CALLS', from: t.svc('frontend'), to: t.svc('cart'), props: { count: 10, errors: 3 } },
      ]);
    });

    it('reads a subgraph by hops, relationship types and direction', async () => {
      const t = tagged();
      const chain = ['a', 'b', 'c', 'd'];
      await store.upsert({
        nodes: [
          ...chain.map((n) => ({ label: 'Service' as const, uid: t.svc(n), props: { name: n } })),
          { label: 'Machine', uid: t.machine('m1'), props: {} },
        ],
        edges: [
          { type: 'CALLS', from: t.svc('a'), to: t.svc('b'), props: {} },
          { type: 'CALLS', from: t.svc('b'), to: t.svc('c'), props: {} },
          { type: 'CALLS', from: t.svc('c'), to: t.svc('d'), props: {} },
          { type: 'RUNS_ON', from: t.svc('b'), to: t.machine('m1'), props: {} },
        ],
      });
      const uids = async (roots: string[], opts: Parameters<GraphStore['neighbourhood']>[1]) =>
        (await store.neighbourhood(roots, opts)).nodes.map((n) => n.uid).sort();
      expect(await uids([t.svc('a')], { hops: 0 })).toEqual([t.svc('a')]);
      expect(await uids([t.svc('a')], { hops: 2, edges: ['CALLS'] })).toEqual([t.svc('a'), t.svc('b'), t.svc('c')]);
      expect(await uids([t.svc('a')], { hops: 2 })).toEqual(
        [t.svc('a'), t.svc('b'), t.svc('c'), t.machine('m1')].sort(),
      );
      expect(await uids([t.svc('c')], { hops: 5, edges: ['CALLS'], direction: 'in' })).toEqual([
        t.svc('a'),
        t.svc('b'),
        t.svc('c'),
      ]);
      expect(await uids([t.svc('c')], { hops: 5, edges: ['CALLS'], direction: 'out' })).toEqual([
        t.svc('c'),
        t.svc('d'),
      ]);
      expect(await uids([t.svc('nope')], { hops: 3 })).toEqual([]);
      const sub = await store.neighbourhood([t.svc('b')], { hops: 1, edges: ['CALLS'] });
      expect(sub.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
        `${t.svc('a')}>${t.svc('b')}`,
        `${t.svc('b')}>${t.svc('c')}`,
      ]);
    });

    it('expires observations not seen since a cut-off, and keeps fresh ones', async () => {
      const t = tagged();
      const old = 1_000 + Math.floor(Math.random() * 1_000);
      await store.upsert(smallSystem(t, old));
      // The pod and the cart→pod edge are seen again later; frontend and its CALLS edge go stale.
      await store.upsert({
        observedAt: old + 10_000,
        nodes: [
          { label: 'Service', uid: t.svc('cart'), props: {} },
          { label: 'Pod', uid: t.pod('cart-1'), props: {} },
        ],
        edges: [{ type: 'SELECTS', from: t.svc('cart'), to: t.pod('cart-1'), props: {} }],
      });
      const report = await store.expire({ before: old + 5_000, labels: ['Service', 'Pod'] });
      expect(report.nodesDeleted).toBeGreaterThanOrEqual(1);
      expect(await store.getNode(t.svc('frontend'))).toBeUndefined();
      expect(await store.getNode(t.svc('cart'))).toBeDefined();
      const sub = await store.neighbourhood([t.svc('cart')], { hops: 2 });
      expect(sub.edges.map((e) => e.type)).toEqual(['SELECTS']);
    });

    it('concurrent overlapping batches leave each node and relationship once', async () => {
      const t = tagged();
      const names = Array.from({ length: 30 }, (_, i) => `s${i}`);
      const batch = (offset: number): GraphBatch => {
        const slice = names.slice(offset, offset + 20);
        return {
          nodes: slice.map((n) => ({ label: 'Service', uid: t.svc(n), props: { name: n } })),
          edges: slice
            .slice(1)
            .map((n, i) => ({ type: 'CALLS', from: t.svc(slice[i]), to: t.svc(n), props: { w: offset } })),
        };
      };
      const reports = await Promise.all([0, 5, 10, 0, 5, 10].map((o) => store.upsert(batch(o))));
      expect(reports.reduce((a, r) => a + r.nodesCreated, 0)).toBe(30);
      expect(reports.reduce((a, r) => a + r.edgesCreated, 0)).toBe(29);
      const sub = await store.neighbourhood([t.svc('s0')], { hops: 40, edges: ['CALLS'] });
      expect(sub.nodes).toHaveLength(30);
      expect(sub.edges).toHaveLength(29);
    });

    it('stores unicode and odd names exactly', async () => {
      const t = tagged();
      const odd = [
        'naïve-服务-🚀',
        'quote\'"`back`',
        'slash/and%percent',
        'new\nline',
        ' spaced ',
        'MATCH (n) DETACH DELETE n',
      ];
      await store.upsert({
        nodes: odd.map((n) => ({ label: 'Service', uid: t.svc(n), props: { name: n, 'odd key é': n, run: t.tag } })),
        edges: [],
      });
      for (const n of odd)
        expect((await store.getNode(t.svc(n)))?.props).toEqual({ name: n, 'odd key é': n, run: t.tag });
      const found = await store.findNodes({ label: 'Service', where: { name: odd[0], run: t.tag } });
      expect(found.map((f) => f.uid)).toEqual([t.svc(odd[0])]);
    });

    it('rejects bad records with where and why, and writes the rest', async () => {
      const t = tagged();
      const report = await store.upsert({
        nodes: [
          { label: 'Service', uid: t.svc('ok'), props: { name: 'ok' } },
          { label: 'Nonsense' as never, uid: t.svc('bad-label'), props: {} },
          { label: 'Service', uid: t.svc('nested'), props: { deep: { x: 1 } as never } },
          { label: 'Service', uid: '', props: {} },
        ],
        edges: [
          { type: 'CALLS', from: t.svc('ok'), to: t.svc('missing'), props: {} },
          { type: 'CALLS', from: t.svc('ok'), to: t.svc('ok'), props: { n: Number.NaN } },
          { type: 'CALLS', from: t.svc('ok'), to: t.svc('ok'), props: {} },
        ],
      });
      expect(report.nodesCreated).toBe(1);
      expect(report.edgesCreated).toBe(1);
      expect(report.rejected.map((r) => r.where).sort()).toEqual([
        'edges[0]',
        'edges[1].props.n',
        'nodes[1].label',
        'nodes[2].props.deep',
        'nodes[3].uid',
      ]);
      expect(report.rejected.find((r) => r.where === 'edges[0]')?.reason).toContain('does not exist');
      expect(await store.getNode(t.svc('nested'))).toBeUndefined();
    });

    it('finds nodes by label and property', async () => {
      const t = tagged();
      await store.upsert(smallSystem(t));
      const found = await store.findNodes({ label: 'Service', where: { name: 'cart', replicas: 2 } });
      expect(found.map((n) => n.uid)).toContain(t.svc('cart'));
      expect(found.every((n) => n.label === 'Service' && n.props.name === 'cart')).toBe(true);
    });

    it('deletes nodes with their relationships', async () => {
      const t = tagged();
      await store.upsert(smallSystem(t));
      expect(await store.deleteNodes([t.svc('cart'), t.svc('never-existed')])).toBe(1);
      const sub = await store.neighbourhood([t.svc('frontend')], { hops: 3 });
      expect(sub.nodes.map((n) => n.uid)).toEqual([t.svc('frontend')]);
      expect(sub.edges).toEqual([]);
    });

    it('deletes relationships by type and ends, leaving the nodes', async () => {
      const t = tagged();
      await store.upsert(smallSystem(t));
      const gone = await store.deleteEdges([
        { type: 'CALLS', from: t.svc('frontend'), to: t.svc('cart') },
        { type: 'SELECTS', from: t.svc('frontend'), to: t.pod('cart-1') },
      ]);
      expect(gone).toBe(1);
      const sub = await store.neighbourhood([t.svc('cart')], { hops: 2 });
      expect(sub.edges.map((e) => e.type)).toEqual(['SELECTS']);
      expect(await store.getNode(t.svc('frontend'))).toBeDefined();
    });

    it('allocates sequence numbers once each under concurrency', async () => {
      const seq = `test-${randomUUID()}`;
      const got = await Promise.all(Array.from({ length: 20 }, () => store.nextSequence(seq)));
      expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('reads a sequence without allocating: 0 before the first number, then the last one', async () => {
      const seq = `test-${randomUUID()}`;
      expect(await store.currentSequence(seq)).toBe(0);
      await store.nextSequence(seq);
      await store.nextSequence(seq);
      expect(await store.currentSequence(seq)).toBe(2);
      expect(await store.currentSequence(seq)).toBe(2);
      expect(await store.nextSequence(seq)).toBe(3);
    });

    it('counts nodes by label', async () => {
      const t = tagged();
      const before = await store.counts();
      await store.upsert(smallSystem(t));
      const after = await store.counts();
      expect(after.byLabel.Pod - (before.byLabel.Pod ?? 0)).toBe(1);
      expect(after.byType.CALLS - (before.byType.CALLS ?? 0)).toBe(1);
      expect(after.nodes).toBe(Object.values(after.byLabel).reduce((a, b) => a + b, 0));
    });
  });
}
