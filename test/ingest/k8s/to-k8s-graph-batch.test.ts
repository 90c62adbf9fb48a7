import { describe, expect, it } from 'vitest';
import { parseK8sManifests } from '../../../src/ingest/k8s/parse-k8s-manifests.js';
import { toK8sGraphBatch } from '../../../src/ingest/k8s/to-k8s-graph-batch.js';
import { uid, uids } from '../../../src/model/uid.js';

const list = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { kind: 'Namespace', metadata: { name: 'shop' } },
    {
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '4', memory: '16Gi' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
    },
    {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [{ name: 'pg', image: 'postgres:16' }],
            volumes: [{ name: 's', secret: { secretName: 'db-pass' } }],
          },
        },
      },
    },
    {
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web' }] },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } },
      },
    },
    {
      kind: 'Pod',
      metadata: {
        name: 'web-5d-x',
        namespace: 'shop',
        labels: { app: 'web' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d' }],
      },
      spec: { nodeName: 'n1', containers: [{ name: 'w', image: 'web:1' }] },
    },
    { kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' } } },
    {
      kind: 'Ingress',
      metadata: { name: 'edge', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [{ backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
    {
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
    },
    { kind: 'Secret', metadata: { name: 'db-pass', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } },
  ],
};

describe('toK8sGraphBatch', () => {
  const parsed = parseK8sManifests(JSON.stringify(list), 'all.json');
  const { batch } = toK8sGraphBatch(parsed.accepted, { at: 5, cluster: 'c' });
  const has = (type: string, from: string, to: string) =>
    batch.edges.some((e) => e.type === type && e.from === from && e.to === to);
  const ns = (label: Parameters<typeof uid>[0], name: string) => uid(label, 'c', 'shop', name);

  it('derives every relationship kind from a kubectl List', () => {
    expect(parsed.rejected).toEqual([]);
    expect(has('MANAGES', uids.deployment('web', 'shop', 'c'), ns('ReplicaSet', 'web-5d'))).toBe(true);
    expect(has('MANAGES', ns('ReplicaSet', 'web-5d'), uids.pod('web-5d-x', 'shop', 'c'))).toBe(true);
    expect(has('SELECTS', uids.service('web', 'shop', 'c'), uids.pod('web-5d-x', 'shop', 'c'))).toBe(true);
    expect(has('RUNS_ON', uids.pod('web-5d-x', 'shop', 'c'), uids.machine('n1', 'c'))).toBe(true);
    expect(has('MOUNTS', ns('StatefulSet', 'db'), ns('Secret', 'db-pass'))).toBe(true);
    expect(has('ROUTES_TO', ns('Ingress', 'edge'), uids.service('web', 'shop', 'c'))).toBe(true);
    expect(has('SCALES', ns('HorizontalPodAutoscaler', 'web'), uids.deployment('web', 'shop', 'c'))).toBe(true);
    expect(has('IN_NAMESPACE', uids.pod('web-5d-x', 'shop', 'c'), uids.namespace('shop', 'c'))).toBe(true);
    expect(has('IN_CLUSTER', uids.machine('n1', 'c'), uids.cluster('c'))).toBe(true);
    expect(has('SELECTS', uids.service('web', 'shop', 'c'), ns('ReplicaSet', 'web-5d'))).toBe(true);
    // The owner known only by reference is a stub in the owned object's namespace.
    expect(has('IN_NAMESPACE', uids.deployment('web', 'shop', 'c'), uids.namespace('shop', 'c'))).toBe(true);
    // The pod has an owner: its ReplicaSet manages it, not the ReplicaSet's selector (one MANAGES, by reference).
    expect(batch.edges.filter((e) => e.to === uids.pod('web-5d-x', 'shop', 'c') && e.type === 'MANAGES')).toEqual([
      {
        type: 'MANAGES',
        from: ns('ReplicaSet', 'web-5d'),
        to: uids.pod('web-5d-x', 'shop', 'c'),
        props: { via: 'ownerReference' },
      },
    ]);
    expect(batch.nodes.find((n) => n.uid === uids.machine('n1', 'c'))?.props).toMatchObject({
      ip: '10.0.0.1',
      capacity_cpu: '4',
    });
  });

  it('the last document of an object wins: its labels and owners, not a merge with the earlier one', () => {
    const pod = (labels: Record<string, string>, owner?: string) => ({
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'shop',
        labels,
        ...(owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: owner }] } : {}),
      },
      spec: { containers: [] },
    });
    const svc = { kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { selector: { app: 'a' } } };
    const twice = parseK8sManifests(
      JSON.stringify({ kind: 'List', items: [pod({ app: 'a' }, 'old'), svc, pod({ app: 'b' })] }),
    );
    const out = toK8sGraphBatch(twice.accepted, { at: 1, cluster: 'c' }).batch;
    expect(out.edges.filter((e) => e.type === 'SELECTS' || e.type === 'MANAGES')).toEqual([]);
    expect(out.nodes.find((n) => n.uid === uids.pod('p', 'shop', 'c'))?.props).toMatchObject({
      labels: ['app=b'],
      owners: [],
    });
  });

  it('keeps secret key names and never their values; the batch is deterministic', () => {
    expect(batch.nodes.find((n) => n.uid === ns('Secret', 'db-pass'))?.props.keys).toEqual(['password']);
    expect(JSON.stringify(batch)).not.toContain('aHVudGVyMg==');
    expect(toK8sGraphBatch(parsed.accepted, { at: 5, cluster: 'c' }).batch).toEqual(batch);
  });

  it('an HPA bound change reads like a sentence', () => {
    const prior = new Map([
      [ns('HorizontalPodAutoscaler', 'web'), { digest: 'old', state: { minReplicas: 2, maxReplicas: 5 } }],
    ]);
    const { changes } = toK8sGraphBatch(parsed.accepted, { at: 9, cluster: 'c', prior });
    expect(changes.map((c) => c.summary)).toEqual(['maxReplicas 5 → 10']);
  });
});
