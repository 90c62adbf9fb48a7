import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { ingestK8sManifests } from '../../../src/ingest/k8s/ingest-k8s.js';
import type { EdgeRecord } from '../../../src/model/graph.js';
import { uid, uids } from '../../../src/model/uid.js';
import { kubernetesManifests, manifestObjects, onlineBoutique } from '../../../src/sim/index.js';
import { graphState, type GraphState } from '../helpers/graph-state.js';
import {
  arrange,
  arrivals,
  asYaml,
  editedManifests,
  syntheticManifests,
  type Manifest,
} from './synthetic-manifests.js';

const AT = 1_700_000_000_000;

/** A graph state with the test's cluster tag replaced, so states of two clusters compare. */
const normalise = (s: GraphState, tag: string): GraphState => JSON.parse(JSON.stringify(s).replaceAll(tag, 'C'));
const links = (s: GraphState): EdgeRecord[] => s.edges.filter((e) => e.type === 'SELECTS' || e.type === 'MANAGES');

/**
 * The manifest scenarios every graph store must pass; `cluster()` gives each use its own namespace in
 * the graph. `runs` is how many cases each property tries (default 20 in memory, 4 against Neo4j).
 */
export function k8sManifestScenarios(
  open: () => Promise<GraphStore>,
  cluster: () => string,
  opts: { runs?: number } = {},
): void {
  // Each case ingests a few hundred documents: fewer cases against a real Neo4j.
  const runsOn = (graph: GraphStore) => opts.runs ?? (graph.kind === 'neo4j' ? 4 : 20);
  const boutique = onlineBoutique();
  const manifests = kubernetesManifests(boutique);

  it('builds the topology: Service SELECTS Deployment, ReplicaSet and Pods; Deployment MANAGES ReplicaSet MANAGES Pod', async () => {
    const graph = await open();
    const c = cluster();
    const report = await ingestK8sManifests(graph, manifests, { source: 'boutique.yaml', at: AT, cluster: c });
    expect(report.rejected).toEqual([]);
    const cart = uids.service('cartservice', 'boutique', c);
    const dep = uids.deployment('cartservice', 'boutique', c);
    const selected = await graph.neighbourhood([cart], { hops: 1, edges: ['SELECTS'], direction: 'out' });
    expect(selected.nodes.map((n) => n.label).sort()).toEqual(['Deployment', 'Pod', 'ReplicaSet', 'Service']);
    const managed = await graph.neighbourhood([dep], { hops: 2, edges: ['MANAGES'], direction: 'out' });
    const pods = managed.nodes.filter((n) => n.label === 'Pod').map((n) => n.uid);
    expect(pods.sort()).toEqual(
      selected.nodes
        .filter((n) => n.label === 'Pod')
        .map((n) => n.uid)
        .sort(),
    );
    // Owned pods are managed through their ReplicaSet, not by the Deployment's selector.
    expect(managed.edges.filter((e) => e.from === dep).map((e) => e.to)).toEqual(
      selected.nodes.filter((n) => n.label === 'ReplicaSet').map((n) => n.uid),
    );
    const around = await graph.neighbourhood([pods[0]], { hops: 1 });
    const types = new Set(around.edges.map((e) => e.type));
    for (const t of ['SELECTS', 'MANAGES', 'RUNS_ON', 'MOUNTS', 'IN_NAMESPACE']) expect(types).toContain(t);
    await graph.close();
  });

  it('a Pod ingested after its Service and Deployment is selected by the Service and managed through its ReplicaSet', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, kubernetesManifests(boutique, { includePods: false }), { at: AT, cluster: c });
    const later = manifestObjects(boutique).filter((d) => d.kind === 'ReplicaSet' || d.kind === 'Pod');
    const pod = boutique.pods.find((p) => p.service === 'cartservice')?.name as string;
    await ingestK8sManifests(graph, asYaml(later), { at: AT, cluster: c });
    const podUid = uids.pod(pod, 'boutique', c);
    const rs = uid('ReplicaSet', c, 'boutique', pod.slice(0, pod.lastIndexOf('-')));
    const sub = await graph.neighbourhood([podUid], { hops: 2, edges: ['SELECTS', 'MANAGES'], direction: 'in' });
    const has = (type: string, from: string, to: string) =>
      sub.edges.some((e) => e.type === type && e.from === from && e.to === to);
    expect(has('SELECTS', uids.service('cartservice', 'boutique', c), podUid)).toBe(true);
    expect(has('MANAGES', rs, podUid)).toBe(true);
    expect(has('MANAGES', uids.deployment('cartservice', 'boutique', c), rs)).toBe(true);
    await graph.close();
  });

  it('a Service whose selector stops matching loses its links; matching again brings them back', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, manifests, { at: AT, cluster: c });
    const cart = uids.service('cartservice', 'boutique', c);
    const selected = async () =>
      (await graph.neighbourhood([cart], { hops: 1, edges: ['SELECTS'], direction: 'out' })).edges.length;
    const before = await selected();
    const service = (app: string) =>
      asYaml([
        { kind: 'Service', metadata: { name: 'cartservice', namespace: 'boutique' }, spec: { selector: { app } } },
      ]);
    const off = await ingestK8sManifests(graph, service('nothing'), { at: AT + 1, cluster: c });
    expect(off.unlinked).toBe(before);
    expect(await selected()).toBe(0);
    await ingestK8sManifests(graph, service('cartservice'), { at: AT + 2, cluster: c });
    expect(await selected()).toBe(before);
    await graph.close();
  });

  it('replaying the same manifests leaves the graph unchanged and creates no Change', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, manifests, { at: AT, cluster: c });
    const before = await graphState(graph, c);
    const again = await ingestK8sManifests(graph, manifests, { at: AT, cluster: c });
    expect(again.changes).toEqual([]);
    expect(again.upsert.nodesCreated + again.upsert.edgesCreated + again.unlinked).toBe(0);
    expect(await graphState(graph, c)).toEqual(before);
    await graph.close();
  });

  it('a manifest edit becomes a Change with a readable summary, CHANGED → the deployment, at its time', async () => {
    const graph = await open();
    const c = cluster();
    await ingestK8sManifests(graph, manifests, { at: AT, cluster: c });
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
    // The ConfigMap's edit is CHANGED → the deployment too (it mounts it); the deployment's own is the one about it.
    const change = sub.nodes.find((n) => n.label === 'Change' && n.props.entity === dep);
    expect(change?.props).toMatchObject({ summary: depChange?.summary, at, entity: dep });
    expect(report.changes).toHaveLength(2);
    await graph.close();
  });

  it('property: any order of the documents, split across ingests, gives the same graph; replaying changes nothing', async () => {
    const graph = await open();
    const sim = manifestObjects(boutique);
    const cases = syntheticManifests().chain((synthetic) => {
      const docs: Manifest[] = [...sim, ...synthetic];
      return fc.tuple(fc.constant(docs), arrivals(docs.length));
    });
    await fc.assert(
      fc.asyncProperty(cases, async ([docs, order]) => {
        const [ref, got] = [cluster(), cluster()];
        await ingestK8sManifests(graph, asYaml(docs), { at: AT, cluster: ref });
        for (const group of arrange(docs, order))
          await ingestK8sManifests(graph, asYaml(group), { at: AT, cluster: got });
        const want = normalise(await graphState(graph, ref), ref);
        expect(normalise(await graphState(graph, got), got)).toEqual(want);
        const replay = await ingestK8sManifests(graph, asYaml([...docs].reverse()), { at: AT, cluster: got });
        expect(replay.changes).toEqual([]);
        expect(replay.upsert.nodesCreated + replay.upsert.edgesCreated + replay.unlinked).toBe(0);
        expect(normalise(await graphState(graph, got), got)).toEqual(want);
      }),
      { numRuns: runsOn(graph) },
    );
    await graph.close();
  });

  it('property: after edits to selectors, labels and owners, in any order, the links are those of the final manifests', async () => {
    const graph = await open();
    const cases = editedManifests().chain(([first, second]) =>
      fc.tuple(fc.constant(first), fc.constant(second), arrivals(first.length), arrivals(second.length)),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([first, second, order1, order2]) => {
        const [ref, got] = [cluster(), cluster()];
        await ingestK8sManifests(graph, asYaml(second), { at: AT, cluster: ref });
        for (const group of arrange(first, order1))
          await ingestK8sManifests(graph, asYaml(group), { at: AT, cluster: got });
        for (const group of arrange(second, order2))
          await ingestK8sManifests(graph, asYaml(group), { at: AT + 1, cluster: got });
        const want = links(normalise(await graphState(graph, ref), ref)).map((e) => ({ ...e, props: {} }));
        expect(links(normalise(await graphState(graph, got), got)).map((e) => ({ ...e, props: {} }))).toEqual(want);
      }),
      { numRuns: runsOn(graph) },
    );
    await graph.close();
  });
}
