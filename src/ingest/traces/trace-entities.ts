import type { EdgeType, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import type { SpanRecord } from '../../model/span-record.js';
import type { CallWindows } from './call-windows.js';
import type { TraceEntitiesState } from './trace-aggregator-state.js';

/**
 * A graph entity seen in spans, resolved once: its uid, and the drain (`epoch`) in which it was last
 * put in a batch, so each entity and link goes into a batch once without a lookup by string key.
 */
export interface Seen {
  uid: Uid;
  epoch: number;
}

/** Running mean and variance (Welford). */
export interface Running {
  n: number;
  mean: number;
  m2: number;
}

/** One CALLS edge and its windows. */
export interface EdgeEntry {
  type: EdgeType;
  from: Uid;
  to: Uid;
  windows: CallWindows;
  epoch: number;
}

export interface ServiceEntity extends Seen {
  /** SELECTS links to pods, by pod. */
  selects: Map<PodEntity, { epoch: number }>;
}

export interface OperationEntity extends Seen {
  service: ServiceEntity;
  serviceName: string;
  /** The operation's own name. */
  name: string;
  /** `service › operation`, as TracePattern nodes list operations. */
  label: string;
  /** Small integer naming the operation in pattern keys. */
  index: number;
  /** Root latency history. */
  latency: Running;
  /** CALLS edges to callees: Operation→Operation, and Service→Service when the services differ. */
  calls: Map<OperationEntity, { op: EdgeEntry; svc: EdgeEntry | null }>;
}

export interface PodEntity extends Seen {
  runsOn: Map<MachineEntity, { epoch: number }>;
}

export type MachineEntity = Seen;

/**
 * The services, operations, pods and machines spans name, each with its uid built once (uid
 * building escapes every part, which dominated the trace path when done per span). Pods come and go,
 * so their cache restarts past `maxPods` (call `trimPods` between drains only).
 */
export class TraceEntities {
  private readonly operations = new Map<string, Map<string, Map<string, OperationEntity>>>();
  private readonly services = new Map<string, Map<string, ServiceEntity>>();
  private readonly pods = new Map<string, Map<string, PodEntity>>();
  private readonly machines = new Map<string, MachineEntity>();
  private readonly operationList: OperationEntity[] = [];
  private readonly namespaceOf = new Map<OperationEntity, string>();
  private podCount = 0;

  constructor(
    private readonly cluster: string,
    private readonly maxPods: number,
  ) {}

  /** The operation a span ran (and its service), by namespace, service and name. */
  operation(s: Pick<SpanRecord, 'namespace' | 'service' | 'operation'>): OperationEntity {
    const byService = getOrSet(this.operations, s.namespace, () => new Map<string, Map<string, OperationEntity>>());
    const byName = getOrSet(byService, s.service, () => new Map<string, OperationEntity>());
    let op = byName.get(s.operation);
    if (!op) {
      op = {
        uid: uids.operation(s.service, s.operation, s.namespace, this.cluster),
        epoch: 0,
        service: this.service(s),
        serviceName: s.service,
        name: s.operation,
        label: `${s.service} › ${s.operation}`,
        index: this.operationList.length,
        latency: { n: 0, mean: 0, m2: 0 },
        calls: new Map(),
      };
      byName.set(s.operation, op);
      this.operationList.push(op);
      this.namespaceOf.set(op, s.namespace);
    }
    return op;
  }

  /** The operation with this `index`. */
  operationAt(index: number): OperationEntity {
    return this.operationList[index];
  }

  pod(name: string, namespace: string): PodEntity {
    const byName = getOrSet(this.pods, namespace, () => new Map<string, PodEntity>());
    return getOrSet(byName, name, () => {
      this.podCount++;
      return { uid: uids.pod(name, namespace, this.cluster), epoch: 0, runsOn: new Map() };
    });
  }

  machine(name: string): MachineEntity {
    return getOrSet(this.machines, name, () => ({ uid: uids.machine(name, this.cluster), epoch: 0 }));
  }

  /** Forgets pods and machines once there are more than `maxPods`. Between drains only: within one, the cache keeps an entity from entering the batch twice. */
  trimPods(): void {
    if (this.podCount <= this.maxPods) return;
    this.pods.clear();
    this.machines.clear();
    for (const byName of this.services.values()) for (const svc of byName.values()) svc.selects.clear();
    this.podCount = 0;
  }

  /** Every entity with its epoch, as plain data (operations in index order). */
  toState(): TraceEntitiesState {
    const podKey = new Map<PodEntity, [string, string]>();
    const machineName = new Map<MachineEntity, string>();
    const pods: TraceEntitiesState['pods'] = [];
    for (const [namespace, byName] of this.pods)
      for (const [name, pod] of byName) {
        podKey.set(pod, [namespace, name]);
        pods.push({ namespace, name, epoch: pod.epoch, runsOn: [] });
      }
    const machines = [...this.machines].map(([name, m]) => {
      machineName.set(m, name);
      return { name, epoch: m.epoch };
    });
    let i = 0;
    for (const byName of this.pods.values())
      for (const pod of byName.values())
        pods[i++].runsOn = [...pod.runsOn].map(([m, l]): [string, number] => [machineName.get(m) as string, l.epoch]);
    const services: TraceEntitiesState['services'] = [];
    for (const [namespace, byName] of this.services)
      for (const [name, svc] of byName)
        services.push({
          namespace,
          name,
          epoch: svc.epoch,
          selects: [...svc.selects].map(([pod, l]): [string, string, number] => [
            ...(podKey.get(pod) as [string, string]),
            l.epoch,
          ]),
        });
    const operations = this.operationList.map((op) => ({
      namespace: this.namespaceOf.get(op) as string,
      service: op.serviceName,
      name: op.name,
      epoch: op.epoch,
      latency: [op.latency.n, op.latency.mean, op.latency.m2] as [number, number, number],
    }));
    return { operations, services, pods, machines };
  }

  /** Entities as `toState` gave them (CALLS links between operations are found again by edge key). */
  static fromState(cluster: string, maxPods: number, state: TraceEntitiesState): TraceEntities {
    const e = new TraceEntities(cluster, maxPods);
    for (const m of state.machines) e.machine(m.name).epoch = m.epoch;
    for (const p of state.pods) {
      const pod = e.pod(p.name, p.namespace);
      pod.epoch = p.epoch;
      for (const [name, epoch] of p.runsOn) pod.runsOn.set(e.machine(name), { epoch });
    }
    for (const o of state.operations) {
      const op = e.operation({ namespace: o.namespace, service: o.service, operation: o.name });
      op.epoch = o.epoch;
      [op.latency.n, op.latency.mean, op.latency.m2] = o.latency;
    }
    for (const s of state.services) {
      const svc = e.service({ namespace: s.namespace, service: s.name });
      svc.epoch = s.epoch;
      for (const [ns, name, epoch] of s.selects) svc.selects.set(e.pod(name, ns), { epoch });
    }
    return e;
  }

  private service(s: Pick<SpanRecord, 'namespace' | 'service'>): ServiceEntity {
    const byName = getOrSet(this.services, s.namespace, () => new Map<string, ServiceEntity>());
    return getOrSet(byName, s.service, () => ({
      uid: uids.service(s.service, s.namespace, this.cluster),
      epoch: 0,
      selects: new Map(),
    }));
  }
}

/** `map.get(key)`, created with `make` when absent. */
export function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
