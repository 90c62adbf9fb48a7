/**
 * Roles of the behaviour graph's nodes that the analysis needs besides the calls: which are hosts
 * (their edges are not calls), which workload a node is part of, and which nodes call no other workload.
 * Pure.
 */
import type { BehaviourGraph } from './behaviour-graph.js';
import type { SeriesIn } from './metric-evidence.js';

/** Per node, the index of the node standing for its workload (itself when it has none in the graph). */
export function workloadIndex(graph: BehaviourGraph, workloadOf: ReadonlyMap<string, string>): Int32Array {
  return Int32Array.from(graph.nodes, (e, j) => graph.index.get(workloadOf.get(e) ?? e) ?? j);
}

/** Per node index, the name of the workload it is part of (its own name when it is no part of one). */
export function workloadNameOf(
  graph: BehaviourGraph,
  workloadOf: ReadonlyMap<string, string> | undefined,
): (j: number) => string {
  return (j) => workloadOf?.get(graph.nodes[j]) ?? graph.nodes[j];
}

/** True when no edge from node j leads to another workload: only to hosts or to its own parts. */
export function callsNothing(
  graph: BehaviourGraph,
  j: number,
  hosts: Uint8Array,
  workloadOf: ReadonlyMap<string, string> | undefined,
): boolean {
  const workload = workloadNameOf(graph, workloadOf);
  for (let e = graph.out.offsets[j]; e < graph.out.offsets[j + 1]; e++) {
    const k = graph.out.targets[e];
    if (!hosts[k] && workload(k) !== workload(j)) return false;
  }
  return true;
}

/**
 * Hosts: as given, else (with a topology) entities with metrics that no call edge names, save the
 * alarm's entity: an alarm is raised on a service's SLI, and a topology may simply omit its edges;
 * and the hosts the case's reader made for shared series.
 */
export function hostMask(
  input: {
    hosts?: readonly string[];
    topology: ReadonlyArray<{ source: string; target: string }>;
    series: readonly SeriesIn[];
    incident?: { entry?: string };
    sharedHosts?: ReadonlyArray<{ host: string }>;
  },
  graph: BehaviourGraph,
): Uint8Array {
  const mask = new Uint8Array(graph.nodes.length);
  if (input.hosts) {
    for (const h of input.hosts) {
      const j = graph.index.get(h);
      if (j !== undefined) mask[j] = 1;
    }
    return mask;
  }
  for (const { host } of input.sharedHosts ?? []) {
    const j = graph.index.get(host);
    if (j !== undefined) mask[j] = 1;
  }
  if (input.topology.length === 0) return mask;
  const inTopology = new Set(input.topology.flatMap((e) => [e.source, e.target]));
  if (input.incident?.entry !== undefined) inTopology.add(input.incident.entry);
  for (const s of input.series) if (!inTopology.has(s.entity)) mask[graph.index.get(s.entity) as number] = 1;
  return mask;
}
