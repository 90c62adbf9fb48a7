/**
 * Off-path callers: the alarm's entry reaches what it calls, and what those call, and so on; a fault
 * passes to the entry only along those calls (or through a host they run on). A service the entry
 * does not reach cannot pass a fault to it by calling. When such a service calls something the entry
 * does reach, and that callee is in more trouble (a larger move, of at least `anomalousZ`), the
 * caller's latency, errors and availability are the callee's trouble seen from elsewhere (a load
 * generator's client view, a batch job, another team's front end): another witness, not the cause.
 * Those moves count `explainedShare`, as the host explain-away's do. Its own CPU, memory and load
 * still count in full: a noisy neighbour's evidence is what it does, not how slow it finds its callee.
 * Pure.
 */
import { reachable, type BehaviourGraph } from './behaviour-graph.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { isSliMetric } from '../model/metric-semantics.js';
import { workloadNameOf } from './graph-roles.js';

/** What offPathCallers reads. */
export interface OffPathInput {
  series: readonly SeriesIn[];
  /** moves[i] is series[i]'s move (metric-evidence.ts scoreSeries). */
  moves: ReadonlyArray<MetricMove | null>;
  /** A call graph (a topology or traces); a metrics skeleton has no direction, and nothing is judged. */
  graph: BehaviourGraph;
  /** Per graph node: 1 for a host (its edges are not calls). */
  hosts: Uint8Array;
  /** The named alarm's entity (graph index); −1 when the alarm named none (a guessed entry proves nothing). */
  entry: number;
  /** A workload's parts (a Pod, a Deployment) → the workload: a part of an on-path workload is on the path. */
  workloadOf?: ReadonlyMap<string, string>;
}

/** Per input series: the on-path callee whose trouble explains this off-path caller's SLI move, else null. */
export function offPathCallers(a: OffPathInput, o: { anomalousZ: number }): Array<string | null> {
  const { series, moves, graph, hosts, entry } = a;
  const out: Array<string | null> = new Array(series.length).fill(null);
  if (entry < 0 || (graph.source !== 'topology' && graph.source !== 'traces')) return out;
  const workload = workloadNameOf(graph, a.workloadOf);
  const onPathWorkloads = pathWorkloads(graph, entry, hosts, workload);
  const onPath = (j: number) => onPathWorkloads.has(workload(j));
  const worst = new Float64Array(graph.nodes.length);
  series.forEach((s, i) => {
    const j = graph.index.get(s.entity);
    if (j !== undefined) worst[j] = Math.max(worst[j], moves[i]?.harm ?? 0);
  });
  // Per off-path caller, its on-path callee in the most trouble (−1 when none).
  const seenIn = graph.nodes.map((_, c) => {
    let best = -1;
    if (hosts[c] || onPath(c)) return best;
    for (let e = graph.out.offsets[c]; e < graph.out.offsets[c + 1]; e++) {
      const d = graph.out.targets[e];
      if (!hosts[d] && onPath(d) && (best < 0 || worst[d] > worst[best])) best = d;
    }
    return best;
  });
  // Explained only by a larger trouble, as the call-graph explain-away is: noise in one callee explains nothing.
  series.forEach((s, i) => {
    const j = graph.index.get(s.entity);
    const d = j === undefined ? -1 : seenIn[j];
    if (d >= 0 && isSliMetric(s.metric) && worst[d] >= Math.max(o.anomalousZ, moves[i]?.harm ?? 0))
      out[i] = graph.nodes[d];
  });
  return out;
}

/**
 * The workloads the entry reaches: from every part of the entry's workload, along calls, and on from
 * every part of each workload reached (a Service's calls go out from its Pods, live), until none is new.
 */
function pathWorkloads(
  graph: BehaviourGraph,
  entry: number,
  hosts: Uint8Array,
  workload: (j: number) => string,
): Set<string> {
  const reached = new Set([workload(entry)]);
  const started = new Uint8Array(graph.nodes.length);
  for (;;) {
    const starts = graph.nodes.map((_, j) => j).filter((j) => !started[j] && !hosts[j] && reached.has(workload(j)));
    if (starts.length === 0) return reached;
    for (const j of starts) started[j] = 1;
    for (const j of reachable(graph.out, starts, hosts)) reached.add(workload(j));
  }
}
