import type { EdgeType, Uid } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import type { SpanRecord } from '../otel/span-record.js';
import type { CallWindows } from './call-windows.js';

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
  private podCount = 0;

  constructor(
    private readonly cluster: string,
    private readonly maxPods: number,
  ) {}

  /** The operation a span ran (and its service), by namespace, service and name. */
  operation(s: SpanRecord): OperationEntity {
    const byService = getOrSet(this.operations, s.namespace, () => new Map<string, Map<string, OperationEntity>>());
    const byName = getOrSet(byService, s.service, () => new Map<string, OperationEntity>());
    let op = byName.get(s.operation);
    if (!op) {
      op = {
        uid: uids.operation(s.service, s.operation, s.namespace, this.cluster),
        epoch: 0,
        service: this.service(s),
        serviceName: s.service,
        label: `${s.service} › ${s.operation}`,
        index: this.operationList.length,
        latency: { n: 0, mean: 0, m2: 0 },
        calls: new Map(),
      };
      byName.set(s.operation, op);
      this.operationList.push(op);
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

  private service(s: SpanRecord): ServiceEntity {
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
