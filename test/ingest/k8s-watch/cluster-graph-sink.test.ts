import { describe, expect, it } from 'vitest';
import { Assistant } from '../../../src/assistant/index.js';
import { runRcaJob } from '../../../src/flow/rca-job.js';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
import { ClusterGraphSink } from '../../../src/ingest/k8s-watch/cluster-graph-sink.js';
import { SerialWriter } from '../../../src/ingest/serial-writer.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { uid, uids } from '../../../src/model/uid.js';
import { deployment, node, pod, remove, replicaSet, service, upsert, warning } from './live-objects.js';

const T0 = Date.UTC(2026, 0, 5, 12);
const dep = uid('Deployment', 'default', 'shop', 'cart');
const rs1 = uid('ReplicaSet', 'default', 'shop', 'cart-aaa');
const podUid = uid('Pod', 'default', 'shop', 'cart-aaa-abcde');
const svc = uid('Service', 'default', 'shop', 'cart');

async function world(retentionMs = 3_600_000) {
  const graph = await MemoryGraphStore.open();
  let now = T0;
  const sink = new ClusterGraphSink(new SerialWriter(graph), { now: () => now, retentionMs });
  const feed = async (...events: ReturnType<typeof upsert>[]) => {
    for (const e of events) sink.push(e);
    return sink.flush();
  };
  await feed(
    upsert(node('node-1')),
    upsert(service('cart')),
    upsert(service('web')),
    upsert(deployment('cart', 'shop/cart:v1', { at: T0 - 600_000 })),
    upsert(deployment('web', 'shop/web:v1')),
    upsert(replicaSet('cart', 'aaa', 'shop/cart:v1')),
    upsert(pod('cart-aaa', 'cart', { node: 'node-1' })),
  );
  return { graph, sink, feed, at: (t: number) => (now = t) };
}

describe('ClusterGraphSink (live objects → the graph, through the manifest mapping)', () => {
  it('links Deployment MANAGES ReplicaSet MANAGES Pod, Service SELECTS, Pod RUNS_ON Machine', async () => {
    const { graph } = await world();
    const sub = await graph.neighbourhood([dep], { hops: 3, edges: ['MANAGES', 'RUNS_ON', 'SELECTS'] });
    const has = (type: string, from: string, to: string) =>
      sub.edges.some((e) => e.type === type && e.from === from && e.to === to);
    expect(has('MANAGES', dep, rs1)).toBe(true);
    expect(has('MANAGES', rs1, podUid)).toBe(true);
    expect(has('SELECTS', svc, dep)).toBe(true);
    expect(has('SELECTS', svc, podUid)).toBe(true);
    expect(has('RUNS_ON', podUid, uids.machine('node-1'))).toBe(true);
    expect((await graph.getNode(podUid))?.props.source).toBe('k8s-watch');
  });

  it('a new image is one Change on the Deployment with the diff and who made it; replays add none', async () => {
    const { graph, feed, at } = await world();
    at(T0 + 60_000);
    const r = await feed(
      upsert(deployment('cart', 'shop/cart:v2', { manager: 'alice-ci', at: T0 + 50_000, generation: 2 })),
    );
    expect(r.changes).toBe(1);
    // status-only updates and a replay of the same object are no change
    await feed(upsert(deployment('cart', 'shop/cart:v2', { manager: 'alice-ci', at: T0 + 50_000, generation: 2 })));
    const changes = await graph.findNodes({ label: 'Change' });
    expect(changes).toHaveLength(1);
    expect(changes[0].props).toMatchObject({
      entity: dep,
      summary: 'image cart:v1 → v2',
      by: 'alice-ci',
      generation: 2,
    });
    const chat = new Assistant({
      graph,
      incidents: new IncidentStore(graph, () => T0 + 120_000),
      now: () => T0 + 120_000,
    });
    const reply = await chat.answer({ text: 'what changed in the last 30 minutes', user: 'u', channel: 'c' });
    expect(reply.sections.flatMap((s) => s.lines).join('\n')).toMatch(/cart.*image cart:v1 → v2 by alice-ci/);
    const fromService = await chat.answer({ text: 'what changed in cart', user: 'u', channel: 'c' });
    expect(fromService.sections.flatMap((s) => s.lines).join('\n')).toMatch(/image cart:v1 → v2/);
  });

  it('a ConfigMap edit is a Change linked to the workloads that mount it; a cordon is a Change on the Machine', async () => {
    const { graph, feed, at } = await world();
    const cm = (value: string) => ({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'cart-config', namespace: 'shop' },
      data: { LOG_LEVEL: value },
    });
    const mounting = deployment('cart', 'shop/cart:v1', { at: T0 - 600_000 }) as ReturnType<typeof deployment> & {
      spec: { template: { spec: { volumes?: unknown[] } } };
    };
    mounting.spec.template.spec.volumes = [{ name: 'cfg', configMap: { name: 'cart-config' } }];
    await feed(upsert(cm('info')), upsert(mounting));
    at(T0 + 60_000);
    await feed(upsert(cm('debug')));
    const change = (await graph.findNodes({ label: 'Change' })).find((c) => c.props.kind === 'ConfigMap');
    expect(change?.props.summary).toBe('data ~LOG_LEVEL');
    const touched = await graph.neighbourhood([change!.uid], { hops: 1, edges: ['CHANGED'], direction: 'out' });
    expect(touched.edges.map((e) => e.to).sort()).toEqual(
      [uid('ConfigMap', 'default', 'shop', 'cart-config'), dep].sort(),
    );
    const cordoned = { ...node('node-1'), spec: { unschedulable: true } };
    at(T0 + 90_000);
    await feed(upsert(cordoned));
    const onNode = await graph.neighbourhood([uids.machine('node-1')], {
      hops: 1,
      edges: ['CHANGED'],
      direction: 'in',
    });
    expect(onNode.nodes.find((n) => n.label === 'Change')?.props.summary).toBe('cordoned');
  });

  it('OOMKilled restarts and Warning events are evidence on the Pod, deduplicated by count', async () => {
    const { graph, feed, at } = await world();
    at(T0 + 120_000);
    await feed(
      upsert(
        pod('cart-aaa', 'cart', { node: 'node-1', restarts: 2, lastReason: 'OOMKilled', finishedAt: T0 + 100_000 }),
      ),
    );
    await feed(upsert(warning('cart-aaa-abcde.1', 'cart-aaa-abcde', 'BackOff', 2, T0 + 110_000)));
    await feed(
      upsert(
        pod('cart-aaa', 'cart', { node: 'node-1', restarts: 3, lastReason: 'OOMKilled', finishedAt: T0 + 115_000 }),
      ),
    );
    await feed(upsert(warning('cart-aaa-abcde.1', 'cart-aaa-abcde', 'BackOff', 3, T0 + 118_000)));
    const found = await graph.neighbourhood([podUid], { hops: 1, edges: ['FOUND_ON'], direction: 'in' });
    const ev = found.nodes.filter((n) => n.label === 'Anomaly');
    expect(ev.map((n) => [n.props.reason, n.props.count]).sort()).toEqual([
      ['BackOff', 3],
      ['OOMKilled', 3],
    ]);
    expect(ev.find((n) => n.props.reason === 'OOMKilled')?.props.summary).toMatch(
      /restarted 3×.*OOMKilled.*memory limit 128Mi/,
    );
    const chat = new Assistant({
      graph,
      incidents: new IncidentStore(graph, () => T0 + 150_000),
      now: () => T0 + 150_000,
    });
    const reply = await chat.answer({ text: 'top anomalies', user: 'u', channel: 'c' });
    expect(reply.sections.flatMap((x) => x.lines).join('\n')).toMatch(
      /cart-aaa-abcde.*OOMKilled ×3: container server restarted 3×.*memory limit 128Mi/,
    );
  });

  it('RCA ranks the OOMKilled pod first for an incident on its service', async () => {
    const { graph, feed, at } = await world();
    at(T0 + 120_000);
    await feed(
      upsert(replicaSet('web', 'bbb', 'shop/web:v1')),
      upsert(pod('web-bbb', 'web', { node: 'node-1' })),
      upsert(
        pod('cart-aaa', 'cart', { node: 'node-1', restarts: 3, lastReason: 'OOMKilled', finishedAt: T0 + 100_000 }),
      ),
      upsert(warning('cart-aaa-abcde.1', 'cart-aaa-abcde', 'BackOff', 4, T0 + 110_000)),
    );
    const incidents = new IncidentStore(graph, () => T0 + 60_000);
    const inc = await incidents.open({
      title: 'cart errors',
      severity: 'critical',
      entities: [svc, uid('Service', 'default', 'shop', 'web')],
      alertFingerprints: [],
      entry: svc,
      openedAt: T0 + 60_000,
    });
    const out = await runRcaJob(
      { incident: inc.number, revision: inc.revision },
      { graph, incidents, metrics: new BufferMetricSource(), now: () => T0 + 300_000 },
    );
    expect(out.summary.top).toBe(podUid);
    const saved = await incidents.get(inc.number);
    expect(saved?.suspects[0].why).toMatch(/OOMKilled|BackOff/);
  });

  it('a deleted Deployment is marked, kept through the retention window, then swept', async () => {
    const { graph, feed, sink, at } = await world(600_000);
    at(T0 + 60_000);
    await feed(remove(deployment('web', 'shop/web:v1')));
    expect((await graph.getNode(uid('Deployment', 'default', 'shop', 'web')))?.props.deleted).toBe(true);
    expect(await sink.sweep()).toBe(0);
    at(T0 + 60_000 + 600_000);
    expect(await sink.sweep()).toBe(1);
    expect(await graph.getNode(uid('Deployment', 'default', 'shop', 'web'))).toBeUndefined();
    expect(await graph.getNode(dep)).toBeDefined();
  });

  it('a relist after a restart marks what vanished meanwhile and duplicates nothing', async () => {
    const { graph, feed } = await world();
    const before = await graph.counts();
    const sink2 = new ClusterGraphSink(new SerialWriter(graph), { now: () => T0 + 5_000 });
    const listed = [deployment('cart', 'shop/cart:v1', { at: T0 - 600_000 })];
    expect(await sink2.reconcile(upsert(listed[0]).kind, listed)).toBe(1); // web is gone
    for (const o of listed) sink2.push(upsert(o));
    await sink2.flush();
    await feed(upsert(pod('cart-aaa', 'cart', { node: 'node-1' })));
    const after = await graph.counts();
    expect(after.nodes).toBe(before.nodes);
    expect(after.edges).toBe(before.edges);
    expect(await graph.findNodes({ label: 'Change' })).toHaveLength(0);
  });

  it('a write that fails (the store down) is retried until it lands, without a new event', async () => {
    const { graph } = await world();
    let down = 2; // the next two writes fail, as when the store times out under load
    const flaky = Object.create(graph) as typeof graph;
    flaky.upsert = (batch) => (down-- > 0 ? Promise.reject(new Error('store unavailable')) : graph.upsert(batch));
    const errors: string[] = [];
    const sink = new ClusterGraphSink(new SerialWriter(flaky), {
      now: () => T0,
      debounceMs: 5,
      onError: (err) => errors.push(String(err)),
    });
    sink.push(upsert(pod('cart-bbb', 'cart', { node: 'node-1' })));
    const moved = uid('Pod', 'default', 'shop', 'cart-bbb-abcde');
    for (let i = 0; i < 200 && !(await graph.getNode(moved)); i++) await new Promise((r) => setTimeout(r, 10));
    const sub = await graph.neighbourhood([moved], { hops: 1, edges: ['RUNS_ON'], direction: 'out' });
    expect(sub.edges.map((e) => e.to)).toEqual([uids.machine('node-1')]);
    expect(errors).toEqual(['Error: store unavailable', 'Error: store unavailable']);
    sink.stop();
  });
});
