/**
 * Kubernetes manifests describing a simulated topology, as the k8s ingest adapter reads them: Nodes,
 * one ConfigMap, Deployment and Service per service (shaped like Online Boutique's
 * release/kubernetes-manifests.yaml), and what the cluster made of them as `kubectl get -o yaml` would
 * list it: a ReplicaSet per Deployment (owned by it) and the Pods (owned by their ReplicaSet, labelled
 * with its pod-template-hash) with their node placement. Multi-document YAML text.
 */
import { stringify } from 'yaml';
import type { Topology } from './types.js';

/** Knobs of the manifests. */
export const DEFAULTS = {
  registry: 'us-central1-docker.pkg.dev/google-samples/microservices-demo',
  version: 'v0.10.1',
} as const;

/** The manifests as plain objects, in apply order (Nodes, ConfigMaps, Deployments, Services, ReplicaSets, Pods). Pure. */
export function manifestObjects(
  topology: Topology,
  opts: { includePods?: boolean } = {},
): Array<Record<string, unknown>> {
  const docs: Array<Record<string, unknown>> = [];
  for (const m of topology.machines) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: m.name, labels: { 'kubernetes.io/hostname': m.name, 'kubernetes.io/os': 'linux' } },
      status: {
        capacity: { cpu: String(m.cpuCores), memory: `${m.memoryMiB}Mi` },
        addresses: [{ type: 'InternalIP', address: m.ip }],
      },
    });
  }
  for (const s of topology.services) {
    const labels = { app: s.name };
    const calleeEnv = topology.edges
      .filter((e) => e.source === s.name)
      .map((e) => {
        const callee = topology.services.find((x) => x.name === e.target);
        return {
          name: `${e.target.replace(/[^a-z0-9]/gi, '_').toUpperCase()}_ADDR`,
          value: `${e.target}:${callee?.port ?? 8080}`,
        };
      });
    docs.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${s.name}-config`, namespace: s.namespace, labels },
      data: {
        LOG_LEVEL: 'info',
        PORT: String(s.port),
        ...(s.name === 'cartservice' ? { REDIS_ADDR: 'redis-cart:6379' } : {}),
      },
    });
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: s.name, namespace: s.namespace, labels },
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'server',
                image: image(s.name, s.language),
                ports: [{ containerPort: s.port }],
                env: calleeEnv,
                envFrom: [{ configMapRef: { name: `${s.name}-config` } }],
                resources: {
                  requests: {
                    cpu: `${Math.round(s.cpuLimit * 500)}m`,
                    memory: `${Math.round(s.memoryLimitMiB / 2)}Mi`,
                  },
                  limits: { cpu: `${Math.round(s.cpuLimit * 1000)}m`, memory: `${s.memoryLimitMiB}Mi` },
                },
              },
            ],
          },
        },
      },
    });
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name, namespace: s.namespace, labels },
      spec: {
        type: s.kind === 'frontend' ? 'LoadBalancer' : 'ClusterIP',
        selector: labels,
        ports: [{ name: 'grpc', port: s.port, targetPort: s.port }],
      },
    });
  }
  if (opts.includePods ?? true) docs.push(...controllerObjects(topology));
  return docs;
}

/** What the Deployments' controllers created: ReplicaSets (owned by their Deployment) and Pods (owned by a ReplicaSet). */
function controllerObjects(topology: Topology): Array<Record<string, unknown>> {
  const services = new Map(topology.services.map((s) => [s.name, s]));
  const replicaSets = new Map<string, { service: string; hash: string; pods: number }>();
  for (const p of topology.pods) {
    const rs = p.name.slice(0, p.name.lastIndexOf('-'));
    const had = replicaSets.get(rs);
    if (had) had.pods++;
    else replicaSets.set(rs, { service: p.service, hash: rs.slice(rs.lastIndexOf('-') + 1), pods: 1 });
  }
  const docs: Array<Record<string, unknown>> = [];
  for (const [name, rs] of replicaSets) {
    const labels = { app: rs.service, 'pod-template-hash': rs.hash };
    const ns = services.get(rs.service)?.namespace;
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: ns,
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: rs.service, controller: true }],
      },
      spec: {
        replicas: rs.pods,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'server', image: image(rs.service, services.get(rs.service)?.language ?? 'go') }],
          },
        },
      },
    });
  }
  for (const p of topology.pods) {
    const rs = p.name.slice(0, p.name.lastIndexOf('-'));
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.name,
        namespace: services.get(p.service)?.namespace,
        labels: { app: p.service, 'pod-template-hash': rs.slice(rs.lastIndexOf('-') + 1) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true }],
      },
      spec: {
        nodeName: p.machine,
        containers: [{ name: 'server', image: image(p.service, services.get(p.service)?.language ?? 'go') }],
        volumes: [{ name: 'config', configMap: { name: `${p.service}-config` } }],
      },
      status: { phase: 'Running', podIP: p.ip },
    });
  }
  return docs;
}

function image(service: string, language: string): string {
  if (language === 'redis') return 'redis:alpine';
  if (language === 'postgres') return 'postgres:16';
  return `${DEFAULTS.registry}/${service}:${DEFAULTS.version}`;
}

/** The manifests as one multi-document YAML string. Pure. */
export function kubernetesManifests(topology: Topology, opts: { includePods?: boolean } = {}): string {
  return manifestObjects(topology, opts)
    .map((d) => stringify(d, { lineWidth: 0 }))
    .join('---\n');
}
