import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Assistant } from '../../../src/assistant/index.js';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
import { ingestK8sManifests } from '../../../src/ingest/k8s/ingest-k8s.js';
import { parseK8sManifests } from '../../../src/ingest/k8s/parse-k8s-manifests.js';
import { uids } from '../../../src/model/uid.js';
import { graphState } from '../helpers/graph-state.js';
import { asYaml, type Manifest } from './synthetic-manifests.js';

// Google's Online Boutique release manifests (GoogleCloudPlatform/microservices-demo,
// release/kubernetes-manifests.yaml) are third-party and not committed: they are read from the shared
// data folder, or from ROOTGRAPH_ONLINE_BOUTIQUE.
const FILE =
  process.env.ROOTGRAPH_ONLINE_BOUTIQUE ??
  fileURLToPath(new URL('../../../../shared/data/k8s/online-boutique/kubernetes-manifests.yaml', import.meta.url));
const TEXT = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
const TITLE = TEXT
  ? "Online Boutique's real manifests"
  : `Online Boutique's real manifests — SKIPPED: no file at ${FILE} (put release/kubernetes-manifests.yaml there or set ROOTGRAPH_ONLINE_BOUTIQUE)`;

const AT = Date.UTC(2025, 4, 6, 12);
const C = 'ob';

/** Every Service → what it SELECTS, as `service → Label:name`. */
async function selections(graph: GraphStore): Promise<string[]> {
  const services = await graph.findNodes({ label: 'Service' });
  const sub = await graph.neighbourhood(
    services.map((s) => s.uid),
    { hops: 1, edges: ['SELECTS'], direction: 'out' },
  );
  const name = (u: string) => u.slice(u.lastIndexOf('/') + 1);
  return sub.edges.map((e) => `${name(e.from)} → ${e.to.slice(0, e.to.indexOf(':'))}:${name(e.to)}`).sort();
}

/** What a ReplicaSet controller and the scheduler would add for each Deployment: one ReplicaSet, two Pods. */
function controllerObjects(): Manifest[] {
  const out: Manifest[] = [];
  parseK8sManifests(TEXT)
    .accepted.filter((o) => o.kind === 'Deployment')
    .forEach((d, i) => {
      const hash = `7f${i}c9d`;
      const labels = { ...d.pod?.labels, 'pod-template-hash': hash };
      const rs = `${d.name}-${hash}`;
      const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, controller: true }];
      const containers = (d.pod?.containers ?? []).map((c) => ({ name: c.name, image: c.image }));
      out.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: rs, namespace: 'default', labels, ownerReferences: owner('Deployment', d.name) },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers } },
        },
      });
      for (const suffix of ['x1', 'x2'])
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${rs}-${suffix}`, namespace: 'default', labels, ownerReferences: owner('ReplicaSet', rs) },
          spec: { nodeName: `node-${suffix}`, containers },
          status: { phase: 'Running' },
        });
    });
  return out;
}

const documents = (text: string) => text.split(/^---[ \t]*$/m);
const reversed = (text: string) => documents(text).reverse().join('\n---\n');

async function ingestAll(...inputs: string[]): Promise<MemoryGraphStore> {
  const graph = await MemoryGraphStore.open();
  for (const text of inputs) {
    const r = await ingestK8sManifests(graph, text, { at: AT, cluster: C, source: 'kubernetes-manifests.yaml' });
    expect(r.rejected).toEqual([]);
  }
  return graph;
}

describe.skipIf(!TEXT)(TITLE, () => {
  const SELECTED = [
    'adservice',
    'cartservice',
    'checkoutservice',
    'currencyservice',
    'emailservice',
    'frontend',
    'frontend-external',
    'paymentservice',
    'productcatalogservice',
    'recommendationservice',
    'redis-cart',
    'shippingservice',
  ];
  const serviceToDeployment = SELECTED.map((s) => `${s} → Deployment:${s === 'frontend-external' ? 'frontend' : s}`);

  it('parses 12 Deployments and 12 Services, ignores the ServiceAccounts, rejects nothing', () => {
    const parsed = parseK8sManifests(TEXT, 'kubernetes-manifests.yaml');
    const count = (kind: string) => parsed.accepted.filter((o) => o.kind === kind).length;
    expect([count('Deployment'), count('Service')]).toEqual([12, 12]);
    expect(parsed.rejected).toEqual([]);
    const accounts = (TEXT.match(/^kind: ServiceAccount\s*$/gm) ?? []).length;
    expect(parsed.ignored.filter((x) => x.kind === 'ServiceAccount')).toHaveLength(accounts);
  });

  it('links exactly 12 Service → Deployment SELECTS (frontend and frontend-external both select frontend), in either order', async () => {
    const forward = await ingestAll(TEXT);
    const backward = await ingestAll(reversed(TEXT));
    for (const graph of [forward, backward]) {
      expect(await selections(graph)).toEqual(serviceToDeployment);
      expect((await graph.counts()).byType).toMatchObject({ SELECTS: 12, IN_NAMESPACE: 24 });
    }
    expect(await graphState(backward, C)).toEqual(await graphState(forward, C));
  });

  it('with ReplicaSets and Pods added later: Deployment MANAGES ReplicaSet MANAGES Pod, Service SELECTS Pod; any order', async () => {
    const pods = asYaml(controllerObjects());
    const graph = await ingestAll(TEXT, pods);
    const { byType } = await graph.counts();
    expect(byType).toMatchObject({ SELECTS: 12 + 12 + 24, MANAGES: 12 + 24 });
    const cartRs = (await selections(graph)).filter((l) => l.startsWith('cartservice → '));
    expect(cartRs.map((l) => l.slice(l.indexOf('→') + 2, l.indexOf(':')))).toEqual([
      'Deployment',
      'Pod',
      'Pod',
      'ReplicaSet',
    ]);
    const dep = uids.deployment('frontend', 'default', C);
    const managed = await graph.neighbourhood([dep], { hops: 2, edges: ['MANAGES'], direction: 'out' });
    expect(managed.nodes.map((n) => n.label).sort()).toEqual(['Deployment', 'Pod', 'Pod', 'ReplicaSet']);
    const want = await graphState(graph, C);
    for (const other of [await ingestAll(reversed(TEXT), pods), await ingestAll(pods, TEXT)])
      expect(await graphState(other, C)).toEqual(want);
  });

  it('"what changed in cartservice" shows the Deployment\'s image change under the Service', async () => {
    const graph = await MemoryGraphStore.open();
    await ingestK8sManifests(graph, TEXT, { at: AT - 3_600_000 });
    const edited = TEXT.replace(/(microservices-demo\/cartservice:)v[\w.-]+/, '$1v9.9.9');
    const r = await ingestK8sManifests(graph, edited, { at: AT - 600_000 });
    expect(r.changes.map((c) => c.summary)).toEqual([expect.stringMatching(/^image cartservice:\S+ → v9\.9\.9$/)]);
    // The Service reaches the Deployment's Change over SELECTS, as the answer walks it.
    const svc = uids.service('cartservice');
    const members = await graph.neighbourhood([svc], { hops: 1, edges: ['SELECTS'], direction: 'out' });
    expect(members.nodes.map((n) => n.uid)).toContain(uids.deployment('cartservice'));
    const chat = new Assistant({ graph, incidents: new IncidentStore(graph, () => AT), now: () => AT });
    const reply = await chat.answer({ text: 'what changed in cartservice', user: 'u', channel: 'c' });
    expect(reply.sections.flatMap((x) => x.lines).join('\n')).toMatch(/image cartservice:\S+ → v9\.9\.9/);
  });
});
