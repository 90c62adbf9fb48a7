import type { EdgeRecord, GraphBatch, NodeRecord } from '../../src/model/graph.js';
import { uids } from '../../src/model/uid.js';
import type { Topology } from '../../src/sim/index.js';

/** The simulated system's services, pods, machines and call edges as one graph batch. Pure. */
export function topologyToGraphBatch(t: Topology, observedAt: number): GraphBatch {
  const svcNs = new Map(t.services.map((s) => [s.name, s.namespace]));
  const nodes: NodeRecord[] = [
    ...t.machines.map((m): NodeRecord => ({
      label: 'Machine',
      uid: uids.machine(m.name),
      props: { name: m.name, ip: m.ip, cpuCores: m.cpuCores },
    })),
    ...t.services.map((s): NodeRecord => ({
      label: 'Service',
      uid: uids.service(s.name, s.namespace),
      props: { name: s.name, namespace: s.namespace, kind: s.kind, replicas: s.replicas },
    })),
    ...t.pods.map((p): NodeRecord => ({
      label: 'Pod',
      uid: uids.pod(p.name, svcNs.get(p.service)),
      props: { name: p.name, service: p.service, ip: p.ip },
    })),
  ];
  const edges: EdgeRecord[] = [
    ...t.edges.map((e): EdgeRecord => ({
      type: 'CALLS',
      from: uids.service(e.source, svcNs.get(e.source)),
      to: uids.service(e.target, svcNs.get(e.target)),
      props: {},
    })),
    ...t.pods.map((p): EdgeRecord => ({
      type: 'SELECTS',
      from: uids.service(p.service, svcNs.get(p.service)),
      to: uids.pod(p.name, svcNs.get(p.service)),
      props: {},
    })),
    ...t.pods.map((p): EdgeRecord => ({
      type: 'RUNS_ON',
      from: uids.pod(p.name, svcNs.get(p.service)),
      to: uids.machine(p.machine),
      props: {},
    })),
  ];
  return { nodes, edges, observedAt };
}
