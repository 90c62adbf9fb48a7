/** Small pure helpers over a Topology: call edges, callers, topological order of operations. */
import { InputError } from '../errors.js';
import { keptCalls } from './faults.js';
import type { CallEdge, FaultType, Operation, Topology } from './types.js';

/** The distinct service call edges (caller → callee) implied by operations, in first-seen order. */
export function edgesOf(operations: readonly Operation[]): CallEdge[] {
  const seen = new Set<string>();
  const edges: CallEdge[] = [];
  for (const o of operations) {
    for (const c of o.calls) {
      const k = `${o.service}\u0000${c.service}`;
      if (c.service === o.service || seen.has(k)) continue;
      seen.add(k);
      edges.push({ source: o.service, target: c.service });
    }
  }
  return edges;
}

/** Every service that calls `service` directly or transitively (not including itself). */
export function upstreamOf(topology: Topology, service: string): Set<string> {
  const callers = new Map<string, string[]>();
  for (const e of topology.edges) {
    const list = callers.get(e.target) ?? [];
    list.push(e.source);
    callers.set(e.target, list);
  }
  const out = new Set<string>();
  const stack = [service];
  while (stack.length > 0) {
    for (const c of callers.get(stack.pop()!) ?? []) {
      if (c !== service && !out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

/**
 * Services that serve requests: those with an operation reachable from an entry operation (entryShare
 * > 0) through calls that happen (p > 0). A generated system may hold services nothing calls.
 */
export function servedServices(topology: Topology): Set<string> {
  const index = new Map(topology.operations.map((o, i) => [opKey(o.service, o.name), i]));
  const seen = new Uint8Array(topology.operations.length);
  const stack: number[] = [];
  topology.operations.forEach((o, i) => {
    if (o.entryShare > 0) {
      seen[i] = 1;
      stack.push(i);
    }
  });
  const out = new Set<string>();
  while (stack.length > 0) {
    const o = topology.operations[stack.pop()!];
    out.add(o.service);
    for (const c of o.calls) {
      const j = index.get(opKey(c.service, c.operation));
      if (c.p > 0 && j !== undefined && !seen[j]) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  return out;
}

/**
 * The services an early return in `service` sends less traffic to: the callees of the calls it skips
 * (see `keptCalls`) and everything they call in turn.
 */
export function earlyReturnReach(topology: Topology, service: string): Set<string> {
  const index = new Map(topology.operations.map((o, i) => [opKey(o.service, o.name), i]));
  const out = new Set<string>();
  const stack: number[] = [];
  for (const o of topology.operations) {
    if (o.service !== service) continue;
    for (const c of o.calls.slice(keptCalls(o.calls.length))) stack.push(index.get(opKey(c.service, c.operation))!);
  }
  const seen = new Set<number>();
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const o = topology.operations[i];
    out.add(o.service);
    for (const c of o.calls) stack.push(index.get(opKey(c.service, c.operation))!);
  }
  return out;
}

/** Whether a fault of `type` on `service` changes anything: an early return needs a call to skip. */
export function faultCanAct(topology: Topology, type: FaultType, service: string): boolean {
  return type !== 'wrong-return' || earlyReturnReach(topology, service).size > 0;
}

/** Hop distance from each upstream service to `service` along call edges (callee = 0). */
export function hopsTo(topology: Topology, service: string): Map<string, number> {
  const callers = new Map<string, string[]>();
  for (const e of topology.edges) {
    const list = callers.get(e.target) ?? [];
    list.push(e.source);
    callers.set(e.target, list);
  }
  const dist = new Map<string, number>([[service, 0]]);
  let frontier = [service];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const s of frontier) {
      for (const c of callers.get(s) ?? []) {
        if (!dist.has(c)) {
          dist.set(c, dist.get(s)! + 1);
          next.push(c);
        }
      }
    }
    frontier = next;
  }
  return dist;
}

/** Operation keys `service\u0000name`, callees before callers; throws on a call cycle or unknown callee. */
export function opOrder(operations: readonly Operation[]): number[] {
  const index = new Map<string, number>();
  operations.forEach((o, i) => index.set(opKey(o.service, o.name), i));
  const state = new Uint8Array(operations.length);
  const order: number[] = [];
  const visit = (i: number, path: string): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) throw new InputError(path, 'call cycle between operations');
    state[i] = 1;
    for (const c of operations[i].calls) {
      const j = index.get(opKey(c.service, c.operation));
      if (j === undefined) throw new InputError(`${path} › ${c.service}/${c.operation}`, 'calls an unknown operation');
      visit(j, `${path} › ${c.service}/${c.operation}`);
    }
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < operations.length; i++) visit(i, `${operations[i].service}/${operations[i].name}`);
  return order;
}

/** The map key of an operation. */
export function opKey(service: string, name: string): string {
  return `${service}\u0000${name}`;
}
