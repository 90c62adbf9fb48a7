import { describe, expect, it } from 'vitest';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { BufferMetricSource, type MetricSample } from '../../src/metrics/buffer-metric-source.js';
import { uids } from '../../src/model/uid.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

const START_S = 1_700_000_000;
const fe = uids.service('frontend', 'web');
const cartA = uids.service('cart', 'team-a');
const cartB = uids.service('cart', 'team-b');

async function graphWithTwoCarts(): Promise<MemoryGraphStore> {
  const graph = await MemoryGraphStore.open();
  await graph.upsert({
    nodes: [
      { label: 'Service', uid: fe, props: { name: 'frontend', namespace: 'web' } },
      { label: 'Service', uid: cartA, props: { name: 'cart', namespace: 'team-a' } },
      { label: 'Service', uid: cartB, props: { name: 'cart', namespace: 'team-b' } },
    ],
    edges: [
      { type: 'CALLS', from: fe, to: cartA, props: {} },
      { type: 'CALLS', from: fe, to: cartB, props: {} },
    ],
  });
  return graph;
}

// 60 min of normal operation at 30 s, then 15 min of incident where `jump` entities' latency rises.
function samples(entity: string, jump: boolean): MetricSample[] {
  const out: MetricSample[] = [];
  for (let t = START_S - 3_600; t <= START_S + 900; t += 30) {
    const wobble = ((t / 30) % 7) * 0.3;
    out.push({ entity, metric: 'latency', t, v: 100 + wobble + (jump && t >= START_S ? 400 : 0) });
  }
  return out;
}

const incident: Incident = {
  number: 1,
  title: 'frontend latency',
  status: 'open',
  severity: 'critical',
  openedAt: START_S * 1000,
  updatedAt: START_S * 1000,
  revision: 1,
  entry: fe,
  entities: [fe],
  alertFingerprints: [],
  suspects: [],
};

describe('RCA input on uids', () => {
  it('two Services named cart in two namespaces stay two candidates, each with its own series', async () => {
    const graph = await graphWithTwoCarts();
    const metrics = new BufferMetricSource();
    metrics.push([...samples('frontend', true), ...samples('team-a/cart', true), ...samples('team-b/cart', false)]);
    const built = await buildRcaInput(incident, { graph, metrics, now: () => (START_S + 900) * 1000 });
    expect(built.nameOf.get(cartA)).toBe('cart');
    expect(built.nameOf.get(cartB)).toBe('cart');
    const ranked = rankRootCauses(analyseCase(built.input), defaultWeights(), { rng: seededRng(1) });
    const ids = ranked.map((r) => r.entity);
    expect(ids).toContain(cartA);
    expect(ids).toContain(cartB);
    // The one whose latency moved outranks its namesake.
    expect(ids.indexOf(cartA)).toBeLessThan(ids.indexOf(cartB));
    expect(ranked.find((r) => r.entity === cartA)?.explanation.metrics[0]?.metric).toBe('latency');
    expect(ranked.find((r) => r.entity === cartB)?.explanation.metrics[0]?.harm ?? 0).toBeLessThan(1);
  });

  it('a source that names both carts alike still gives two candidates (sharing the series)', async () => {
    const graph = await graphWithTwoCarts();
    const metrics = new BufferMetricSource();
    metrics.push([...samples('frontend', true), ...samples('cart', true)]);
    const built = await buildRcaInput(incident, { graph, metrics, now: () => (START_S + 900) * 1000 });
    expect(built.input.series.filter((s) => s.entity === cartA || s.entity === cartB)).toHaveLength(2);
    const ranked = rankRootCauses(analyseCase(built.input), defaultWeights(), { rng: seededRng(1) });
    expect(ranked.map((r) => r.entity).filter((e) => e === cartA || e === cartB)).toHaveLength(2);
  });
});

describe('RCA input: callers the read may have cut off', () => {
  it('marks the nodes at the edge of the neighbourhood, and every node when the read hit its node cap', async () => {
    // frontend → a → b → c → d: three hops from the entry reach c; c's other callers would lie beyond.
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => uids.service(n, 'web'));
    const graph = await MemoryGraphStore.open();
    const chain = [fe, a, b, c, d];
    await graph.upsert({
      nodes: chain.map((uid, i) => ({
        label: 'Service' as const,
        uid,
        props: { name: ['frontend', 'a', 'b', 'c', 'd'][i], namespace: 'web' },
      })),
      edges: chain.slice(1).map((to, i) => ({ type: 'CALLS' as const, from: chain[i], to, props: {} })),
    });
    const ports = { graph, metrics: new BufferMetricSource(), now: () => (START_S + 900) * 1000 };
    const built = await buildRcaInput(incident, ports);
    expect([...(built.input.callersUnknown ?? [])]).toEqual([c]);
    const capped = await buildRcaInput(incident, ports, { maxNodes: 3 });
    expect(new Set(capped.input.callersUnknown)).toEqual(new Set(capped.nameOf.keys()));
  });
});
