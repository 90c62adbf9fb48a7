/** API-server-shaped objects (as a list or watch returns them) for the cluster-watch unit tests. */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchEvent } from '../../../src/ingest/k8s-watch/kind-informer.js';
import { WATCH_KINDS } from '../../../src/ingest/k8s-watch/watch-kinds.js';

const kindOf = (k: string) => WATCH_KINDS.find((w) => w.kind === k)!;
type Obj = KubernetesObject & Record<string, unknown>;

export const upsert = (object: Obj): WatchEvent => ({ type: 'upsert', kind: kindOf(object.kind!), object });
export const remove = (object: Obj): WatchEvent => ({ type: 'delete', kind: kindOf(object.kind!), object });

const iso = (ms: number) => new Date(ms).toISOString();

export function deployment(
  name: string,
  image: string,
  o: { manager?: string; at?: number; generation?: number } = {},
): Obj {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name,
      namespace: 'shop',
      generation: o.generation ?? 1,
      labels: { app: name },
      // Wire shape: times are strings (client-node's types say Date).
      managedFields: [
        {
          manager: o.manager ?? 'kubectl-client-side-apply',
          operation: 'Update',
          time: iso(o.at ?? 0),
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': {} },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          time: iso((o.at ?? 0) + 1000),
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': {} },
        },
      ] as never,
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'server', image, resources: { limits: { memory: '128Mi' } } }] },
      },
    },
  };
}

export const service = (name: string): Obj => ({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app: name }, ports: [{ port: 80 }] },
});

export const replicaSet = (deploy: string, hash: string, image: string): Obj => ({
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  metadata: {
    name: `${deploy}-${hash}`,
    namespace: 'shop',
    labels: { app: deploy, 'pod-template-hash': hash },
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: 'u', controller: true }],
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: deploy, 'pod-template-hash': hash } },
    template: {
      metadata: { labels: { app: deploy, 'pod-template-hash': hash } },
      spec: { containers: [{ name: 'server', image }] },
    },
  },
});

export function pod(
  rs: string,
  app: string,
  o: { node?: string; restarts?: number; lastReason?: string; finishedAt?: number; image?: string } = {},
): Obj {
  const hash = rs.slice(rs.lastIndexOf('-') + 1);
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: `${rs}-abcde`,
      namespace: 'shop',
      labels: { app, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: 'u', controller: true }],
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      containers: [{ name: 'server', image: o.image ?? 'shop/app:v1', resources: { limits: { memory: '128Mi' } } }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'server',
          restartCount: o.restarts ?? 0,
          state: { running: {} },
          ...(o.lastReason
            ? { lastState: { terminated: { reason: o.lastReason, exitCode: 137, finishedAt: iso(o.finishedAt ?? 0) } } }
            : {}),
        },
      ],
    },
  };
}

export const node = (name: string): Obj => ({
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name },
  spec: {},
  status: { capacity: { cpu: '4', memory: '16Gi' } },
});

export const warning = (name: string, podName: string, reason: string, count: number, at: number): Obj => ({
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name, namespace: 'shop' },
  involvedObject: { kind: 'Pod', name: podName, namespace: 'shop' },
  reason,
  message: `${reason} for ${podName}`,
  type: 'Warning',
  count,
  firstTimestamp: iso(at - 60_000),
  lastTimestamp: iso(at),
});
