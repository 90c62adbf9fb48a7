/**
 * The cluster watch against a real kube-apiserver + kube-controller-manager (scripts/services.sh up
 * kubernetes; no kubelet: this test plays it). Online Boutique's manifests (the real release file when
 * ROOTGRAPH_ONLINE_BOUTIQUE or ../shared/data/k8s/online-boutique has it, else the simulator's) are
 * applied into a fresh namespace; the graph is the real Neo4j, under a cluster name of its own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../../src/assistant/index.js';
import { runRcaJob } from '../../../src/flow/rca-job.js';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
import { startClusterWatch, type ClusterWatch } from '../../../src/ingest/k8s-watch/start-cluster-watch.js';
import { SerialWriter } from '../../../src/ingest/serial-writer.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import type { NodeLabel } from '../../../src/model/graph.js';
import { uid, uids } from '../../../src/model/uid.js';
import { kubernetesManifests, onlineBoutique } from '../../../src/sim/index.js';
import { openNeo4j } from '../../helpers/services.js';
import { api, clusterOrReason, eventually, killApiServer, must, restartControlPlane } from './kube-cluster.js';

const REAL =
  process.env.ROOTGRAPH_ONLINE_BOUTIQUE ??
  fileURLToPath(new URL('../../../../shared/data/k8s/online-boutique/kubernetes-manifests.yaml', import.meta.url));
const MANIFESTS = existsSync(REAL) ? readFileSync(REAL, 'utf8') : kubernetesManifests(onlineBoutique());
const APPLIED = new Set(['Deployment', 'Service', 'ConfigMap', 'ServiceAccount']);

const cluster = await clusterOrReason();
const title = `cluster watch against a real API server${typeof cluster === 'string' ? ` — SKIPPED: ${cluster}` : ''}`;

describe.skipIf(typeof cluster === 'string')(title, () => {
  const kc = cluster as KubeConfig;
  const run = randomBytes(3).toString('hex');
  const ns = `rg-${run}`;
  const C = `k8s-${run}`; // the graph's cluster name: this run's uids only
  const nodes = [`${ns}-node-a`, `${ns}-node-b`];
  const u = (label: NodeLabel, name: string) => uid(label, C, ns, name);
  let graph: GraphStore;
  let watch: ClusterWatch;
  let objects: KubernetesObjectApi;
  const deployments: string[] = [];

  const startWatch = () =>
    startClusterWatch({
      kc,
      writer: new SerialWriter(graph),
      cluster: C,
      filters: { includeNamespaces: [ns] },
      retentionMs: 3_000,
      sweepEveryMs: 5_000,
      debounceMs: 50,
      logger: {
        info: () => undefined,
        warn: (o, msg) => void watchLog.push(`${msg} ${JSON.stringify(o)}`),
      },
      backoff: { initialMs: 200, maxMs: 2_000 },
    });

  /** Plays the kubelet: binds every unbound pod of the namespace to a node and reports it Running. */
  async function kubelet(): Promise<number> {
    const pods = (await must(kc, 'GET', `/api/v1/namespaces/${ns}/pods`)).items;
    let i = 0;
    for (const p of pods) {
      const name = p.metadata.name;
      if (!p.spec.nodeName)
        await must(kc, 'POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name },
          target: { apiVersion: 'v1', kind: 'Node', name: nodes[i++ % nodes.length] },
        });
      if (p.status?.phase !== 'Running')
        await must(
          kc,
          'PATCH',
          `/api/v1/namespaces/${ns}/pods/${name}/status`,
          {
            status: {
              phase: 'Running',
              podIP: `10.244.0.${(i % 250) + 2}`,
              conditions: [{ type: 'Ready', status: 'True' }],
              containerStatuses: p.spec.containers.map((c) => ({
                name: c.name,
                image: c.image,
                imageID: '',
                ready: true,
                restartCount: 0,
                state: { running: { startedAt: new Date().toISOString() } },
              })),
            },
          },
          'application/merge-patch+json',
        );
    }
    return pods.length;
  }

  /** Pods the ReplicaSets manage that are live (a deleted one stays as history for the retention). */
  async function livePods(rss: string[]): Promise<string[]> {
    const ps = (await Promise.all(rss.map((rs) => edges('MANAGES', rs)))).flat();
    const nodesOf = await Promise.all(ps.map((p) => graph.getNode(p)));
    return ps.filter((_, i) => nodesOf[i] && nodesOf[i]!.props.deleted !== true);
  }

  /** What the watch logged (write failures, reconnects), for a failure's message. */
  const watchLog: string[] = [];
  const warnings = () =>
    watchLog.length ? `the watch said: ${watchLog.slice(-5).join(' | ')}` : 'the watch logged nothing';

  async function edges(type: string, from: string) {
    const sub = await graph.neighbourhood([from], { hops: 1, edges: [type as never], direction: 'out' });
    return sub.edges.filter((e) => e.from === from && e.type === type).map((e) => e.to);
  }

  /** Nodes of this run (every uid names the run's cluster) by label. */
  async function countsOfRun(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const label of [
      'Deployment',
      'ReplicaSet',
      'Pod',
      'Service',
      'ConfigMap',
      'Machine',
      'Change',
      'Anomaly',
    ] as NodeLabel[])
      out[label] = (await graph.findNodes({ label, limit: 100_000 })).filter((n) => n.uid.includes(C)).length;
    return out;
  }

  beforeAll(async () => {
    graph = await openNeo4j();
    objects = KubernetesObjectApi.makeApiClient(kc);
    await must(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const n of nodes)
      await must(kc, 'POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n, labels: { 'kubernetes.io/hostname': n } },
        status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } },
      });
    watch = startWatch();
    await watch.synced();
    for (const d of parseAllDocuments(MANIFESTS)) {
      const o = d.toJS() as KubernetesObject | null;
      if (!o?.kind || !APPLIED.has(o.kind)) continue;
      o.metadata = { ...o.metadata, namespace: ns };
      await objects.create(o);
      if (o.kind === 'Deployment') deployments.push(o.metadata.name!);
    }
    // The controller manager creates a ReplicaSet and Pods per Deployment; we play the kubelet.
    await eventually('a pod per deployment', async () => (await kubelet()) >= deployments.length, 120_000);
    await eventually(
      'every pod running',
      async () => {
        await kubelet();
        const pods = (await must(kc, 'GET', `/api/v1/namespaces/${ns}/pods`)).items;
        return pods.every((p) => p.status?.phase === 'Running' && p.spec.nodeName);
      },
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    await watch?.stop();
    // No kubelet confirms a pod's end: delete them at once, or the namespace stays Terminating.
    await api(kc, 'DELETE', `/api/v1/namespaces/${ns}/pods?gracePeriodSeconds=0`);
    await api(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    for (const n of nodes) await api(kc, 'DELETE', `/api/v1/nodes/${n}`);
    await graph?.close();
  });

  it(
    'Deployment MANAGES ReplicaSet MANAGES Pod, Service SELECTS them, pods RUNS_ON nodes',
    { timeout: 600_000 },
    async () => {
      expect(deployments.length).toBeGreaterThanOrEqual(5);
      for (const d of deployments) {
        const dep = u('Deployment', d);
        const rss = await eventually(`${d}'s ReplicaSet`, async () => {
          const r = await edges('MANAGES', dep);
          return r.length > 0 && r;
        });
        const pods = await eventually(`${d}'s pods on nodes`, async () => {
          await kubelet(); // as a kubelet would: a pod the controller replaced meanwhile gets bound too
          const ps = await livePods(rss);
          const placed = await Promise.all(ps.map((p) => edges('RUNS_ON', p)));
          const unplaced = ps.filter(
            (_, i) => !(placed[i].length === 1 && nodes.map((n) => uids.machine(n, C)).includes(placed[i][0])),
          );
          if (ps.length === 0 || unplaced.length > 0)
            throw new Error(`not on a node in the graph: ${unplaced.join(', ') || 'no live pod'}; ${warnings()}`);
          return ps;
        });
        const svc = u('Service', d);
        if (await graph.getNode(svc)) {
          const selected = await edges('SELECTS', svc);
          expect(selected).toContain(dep);
          for (const p of pods) expect(selected).toContain(p);
        }
      }
    },
  );

  it('a new image is exactly one Change on the Deployment, with who made it, visible from its Service and in chat', async () => {
    const d = deployments.includes('cartservice') ? 'cartservice' : deployments[0];
    const dep = await must(kc, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/${d}`);
    const container = dep.spec.template!.spec.containers[0];
    const image = `${container.image.replace(/:[^:/]+$/, '')}:v9.9.9`;
    await must(
      kc,
      'PATCH',
      `/apis/apps/v1/namespaces/${ns}/deployments/${d}?fieldManager=alice-ci`,
      { spec: { template: { spec: { containers: [{ name: container.name, image }] } } } },
      'application/strategic-merge-patch+json',
    );
    const change = await eventually('the Change', async () => {
      const sub = await graph.neighbourhood([u('Deployment', d)], { hops: 1, edges: ['CHANGED'], direction: 'in' });
      return sub.nodes.find((n) => n.label === 'Change');
    });
    expect(change.props.summary).toMatch(/image \S+ → v9\.9\.9/);
    expect(change.props.by).toBe('alice-ci');
    // The rollout goes on (new ReplicaSet, its pods, the deployment's status): still one Change.
    await eventually('the new ReplicaSet', async () => (await edges('MANAGES', u('Deployment', d))).length >= 2);
    await kubelet();
    await new Promise((r) => setTimeout(r, 1_500));
    await watch.flush();
    const sub = await graph.neighbourhood([u('Deployment', d)], { hops: 1, edges: ['CHANGED'], direction: 'in' });
    expect(sub.nodes.filter((n) => n.label === 'Change')).toHaveLength(1);
    const now = Date.now();
    const chat = new Assistant({ graph, incidents: new IncidentStore(graph, () => now), now: () => now });
    const all = await chat.answer({ text: 'what changed in the last 30 minutes', user: 'u', channel: 'c' });
    expect(all.sections.flatMap((s) => s.lines).join('\n')).toMatch(new RegExp(`${d}.*v9\\.9\\.9 by alice-ci`));
    if (await graph.getNode(u('Service', d))) {
      const members = await graph.neighbourhood([u('Service', d)], { hops: 1, edges: ['SELECTS'], direction: 'out' });
      expect(members.nodes.map((n) => n.uid)).toContain(u('Deployment', d));
    }
  });

  it('OOMKilled restarts and Warning events are evidence on the Pod, and RCA ranks that pod first', async () => {
    const d = deployments.includes('currencyservice') ? 'currencyservice' : deployments[1];
    const pods = (await must(kc, 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${d}`)).items;
    const pod = pods[0];
    const name = pod.metadata.name;
    const finished = new Date().toISOString();
    await must(
      kc,
      'PATCH',
      `/api/v1/namespaces/${ns}/pods/${name}/status`,
      {
        status: {
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: true,
            restartCount: 3,
            state: { running: { startedAt: finished } },
            lastState: {
              terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: finished, finishedAt: finished },
            },
          })),
        },
      },
      'application/merge-patch+json',
    );
    for (const [reason, count] of [
      ['BackOff', 4],
      ['OOMKilling', 3],
    ] as const)
      await must(kc, 'POST', `/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: ns },
        involvedObject: { kind: 'Pod', name, namespace: ns, apiVersion: 'v1' },
        reason,
        message: `${reason}: container ${pod.spec.containers[0].name} of ${name}`,
        type: 'Warning',
        count,
        firstTimestamp: finished,
        lastTimestamp: finished,
        source: { component: 'kubelet' },
      });
    const podUid = u('Pod', name);
    const evidence = await eventually('evidence on the pod', async () => {
      const sub = await graph.neighbourhood([podUid], { hops: 1, edges: ['FOUND_ON'], direction: 'in' });
      const an = sub.nodes.filter((n) => n.label === 'Anomaly');
      return an.length >= 3 && an;
    });
    expect(evidence.map((n) => n.props.reason).sort()).toEqual(['BackOff', 'OOMKilled', 'OOMKilling']);
    expect(evidence.find((n) => n.props.reason === 'OOMKilled')?.props.count).toBe(3);
    // An incident on the service: the walk's evidence is the pod's OOM kills.
    const now = Date.now();
    const incidents = new IncidentStore(graph, () => now);
    const inc = await incidents.open({
      title: `${d} errors (${run})`,
      severity: 'critical',
      entities: [u('Service', d)],
      alertFingerprints: [],
      entry: u('Service', d),
      openedAt: now - 30_000,
    });
    const out = await runRcaJob(
      { incident: inc.number, revision: inc.revision },
      { graph, incidents, metrics: new BufferMetricSource(), now: () => now },
    );
    expect(out.summary.top).toBe(podUid);
  });

  it('the API server killed mid-watch: the watch resumes, nothing is duplicated', async () => {
    await watch.flush();
    const before = await countsOfRun();
    expect(before.Pod).toBeGreaterThanOrEqual(deployments.length);
    expect(before.Change).toBe(1);
    killApiServer();
    await new Promise((r) => setTimeout(r, 2_000));
    restartControlPlane();
    await must(kc, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-restart', namespace: ns },
      data: { k: 'v' },
    });
    await eventually('the watch to resume', async () => graph.getNode(u('ConfigMap', 'after-restart')), 90_000);
    await watch.flush();
    const after = await countsOfRun();
    expect(after).toEqual({ ...before, ConfigMap: before.ConfigMap + 1 });
  });

  it('a serve restart relists without duplicating; a deleted Deployment expires', async () => {
    await watch.stop();
    const before = await countsOfRun();
    expect(before.Deployment).toBe(deployments.length);
    watch = startWatch();
    await watch.synced();
    expect(await countsOfRun()).toEqual(before);
    const d = deployments[deployments.length - 1];
    await must(kc, 'DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/${d}`);
    await eventually(
      'the deployment marked deleted',
      async () => (await graph.getNode(u('Deployment', d)))?.props.deleted === true,
    );
    await new Promise((r) => setTimeout(r, 3_200));
    await watch.sweep();
    expect(await graph.getNode(u('Deployment', d))).toBeUndefined();
  });

  it('a Secret is known by name only: its values never reach the graph', async () => {
    await must(kc, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-credentials', namespace: ns },
      stringData: { password: `hunter2-${run}` },
    });
    const secret = await eventually('the Secret node', async () => graph.getNode(u('Secret', 'db-credentials')));
    expect(secret.props.name).toBe('db-credentials');
    expect(JSON.stringify(secret.props)).not.toContain(`hunter2-${run}`);
    expect(JSON.stringify(secret.props)).not.toContain(Buffer.from(`hunter2-${run}`).toString('base64'));
  });

  it("deploy/kubernetes/rootgraph.yaml passes the API server's dry run", async () => {
    const text = readFileSync(
      fileURLToPath(new URL('../../../deploy/kubernetes/rootgraph.yaml', import.meta.url)),
      'utf8',
    );
    const docs = parseAllDocuments(text).map((d) => d.toJS() as KubernetesObject);
    expect(docs.map((d) => d.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Namespace',
      'Service',
      'ServiceAccount',
    ]);
    const target = `${ns}-rg`; // namespaced objects go into a namespace of this run (the dry run needs it to exist)
    await must(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: target } });
    try {
      for (const d of docs) {
        if (d.kind === 'Namespace') continue;
        if (d.metadata?.namespace) d.metadata.namespace = target;
        await objects.create(d, undefined, 'All');
      }
    } finally {
      await api(kc, 'DELETE', `/api/v1/namespaces/${target}`);
    }
  });
});
