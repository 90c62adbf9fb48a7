import { expect, it } from 'vitest';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { ingestK8sManifests } from '../../../src/ingest/k8s/ingest-k8s.js';
import { uid, uids } from '../../../src/model/uid.js';
import { kubernetesManifests, onlineBoutique } from '../../../src/sim/index.js';
import { graphState } from '../helpers/graph-state.js';

/** The manifest scenarios every graph store must pass; `cluster()` gives each test its own namespace in the graph. */
export function k8sManifestScenarios(open: () => Promise<GraphStore>, cluster: () => string): void {
  const manifests = kubernetesManifests(onlineBoutique());

  it('builds the topology: pods selected by services, managed by deployments, on machines, mounting config', async () => {
    const graph = await open();
    const c = cluster();
    const report = await ingestK8sManifests(graph, manifests, {
      source: 'boutique.yaml',
      at: 1_700_000_000_000,
      cluster: c,
    });
    expect(report.rejected).toEqual([]);
    const cart = uids.service('cartservice', 'boutique', c);
    const sub = await graph.neighbourhood([cart], { hops: 1, edges: ['SELECTS'], direction: 'out' });
    const pods = sub.nodes.filter((n) => n.label === 'Pod');
    expect(pods.length).toBeGreaterThan(0);
    const pod = pods[0].uid;
    const around = await graph.neighbourhood([pod], { hops: 1 });
    const types = new Set(around.edges.map((e) => e.type));
    for (const t of ['SELECTS', 'MANAGES', 'RUNS_ON', 'MOUNTS', 'IN_NAMESPACE']) expect(types).toContain(t);
    expect(
      around.edges.some((e) => e.type === 'MANAGES' && e.from === uids.deployment('cartservice', 'boutique', c)),
    ).toBe(true);
    await graph.close();
  });

  it('replaying the same manifests leaves the graph unchanged and creates no Change', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, manifests, { at: 1_700_000_000_000, cluster: c });
    const before = await graphState(graph, c);
    const again = await ingestK8sManifests(graph, manifests, { at: 1_700_000_000_000, cluster: c });
    expect(again.changes).toEqual([]);
    expect(again.upsert.nodesCreated + again.upsert.edgesCreated).toBe(0);
    expect(await graphState(graph, c)).toEqual(before);
    await graph.close();
  });

  it('a manifest edit becomes a Change with a readable summary, CHANGED → the deployment, at its time', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, manifests, { at: 1_700_000_000_000, cluster: c });
    const edited = manifests
      .replace('cartservice:v0.10.1', 'cartservice:v0.10.2')
      .replace(/(kind: Deployment\nmetadata:\n {2}name: cartservice\n[\s\S]*?replicas: )1/, '$13')
      .replace('REDIS_ADDR: redis-cart:6379', 'REDIS_ADDR: redis-cart:6380\n  FEATURE_X: "on"');
    const at = 1_700_000_600_000;
    const report = await ingestK8sManifests(graph, edited, { at, cluster: c });
    const dep = uids.deployment('cartservice', 'boutique', c);
    const depChange = report.changes.find((ch) => ch.entity === dep);
    expect(depChange?.summary).toMatch(/^image cartservice:v0\.10\.1 → v0\.10\.2; replicas 1 → 3$/);
    const cm = uid('ConfigMap', c, 'boutique', 'cartservice-config');
    expect(report.changes.find((ch) => ch.entity === cm)?.summary).toBe('data +FEATURE_X ~REDIS_ADDR');
    const sub = await graph.neighbourhood([dep], { hops: 1, edges: ['CHANGED'] });
    const change = sub.nodes.find((n) => n.label === 'Change');
    expect(change?.props).toMatchObject({ summary: depChange?.summary, at, entity: dep });
    expect(report.changes).toHaveLength(2);
    await graph.close();
  });
}
