/**
 * Off-path callers: the alarm's entry reaches what it calls, and what those call, and so on; a fault
 * passes to the entry only along those calls (or through a host they run on). A service on a side
 * branch (neither reached by the entry nor calling it, directly or not) cannot pass a fault to it.
 * When such a service calls something the entry does reach, and that callee is in more trouble (a
 * larger move of its SLIs or its own CPU, memory or restarts, of at least `anomalousZ`), the caller's
 * latency, errors and availability are the callee's trouble seen from elsewhere (a load generator's
 * client view, a batch job, another team's front end): another witness, not the cause. Those moves
 * count `explainedShare`, as the host explain-away's do. What is not taken for an echo:
 * - the caller's CPU, memory and load: a noisy neighbour's evidence is what it does;
 * - a callee's load, or any trouble of a callee asked to do more than normal: the caller may be the
 *   one flooding it (a retry storm), so the callee explains none of its callers;
 * - callers of the entry (upstream load can harm it), and callers whose own callers the graph may not
 *   list in full (live: the neighbourhood's edge: an edge that would put them on the path may be unread).
 * The rule works per workload: every part of an off-path workload is marked, and an edge to a part of a
 * workload (live: a Service selecting Pods) is no call. Known limit: with no load series at all, a
 * neighbour flooding a shared callee reads as a witness of it. Pure.
 */
import { reachable, type BehaviourGraph } from './behaviour-graph.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { isSliMetric, metricSemantics, SLI_FAMILIES } from '../model/metric-semantics.js';
import { OWN_FAMILIES } from './node-evidence.js';
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
  /** Entities whose callers the graph may not list in full (live: the neighbourhood's edge): not judged. */
  callersUnknown?: ReadonlySet<string>;
}

/** Per input series: the on-path callee whose trouble explains this off-path caller's SLI move, else null. */
export function offPathCallers(a: OffPathInput, o: { anomalousZ: number }): Array<string | null> {
  const { series, moves, graph, hosts, entry } = a;
  const out: Array<string | null> = new Array(series.length).fill(null);
  if (entry < 0 || (graph.source !== 'topology' && graph.source !== 'traces')) return out;
  const workload = workloadNameOf(graph, a.workloadOf);
  const onPath = workloadsReached(graph, entry, hosts, workload, graph.out);
  // Callers of the entry, directly or not, can harm it by their load: the rule is for side branches only.
  const upstream = workloadsReached(graph, entry, hosts, workload, graph.in);
  // A workload's trouble: its SLIs and its own state, never its load (which its callers may cause).
  const trouble = new Map<string, number>();
  // A workload asked to do more than normal may be flooded by a caller: it explains none of them.
  const flooded = new Set<string>();
  series.forEach((s, i) => {
    const j = graph.index.get(s.entity);
    const family = metricSemantics(s.metric).family;
    if (j === undefined) return;
    if (family === 'requests' && (moves[i]?.z ?? 0) >= o.anomalousZ) flooded.add(workload(j));
    if (!(SLI_FAMILIES.has(family) || OWN_FAMILIES.has(family))) return;
    trouble.set(workload(j), Math.max(trouble.get(workload(j)) ?? 0, moves[i]?.harm ?? 0));
  });
  // Per off-path workload, the on-path workloads its parts call (a target that is a part is no callee:
  // live, a Service's edges to its Pods are selections, not calls).
  const callees = new Map<string, Set<string>>();
  graph.nodes.forEach((name, c) => {
    const w = workload(c);
    if (hosts[c] || onPath.has(w) || upstream.has(w) || a.callersUnknown?.has(name)) return;
    for (let e = graph.out.offsets[c]; e < graph.out.offsets[c + 1]; e++) {
      const d = graph.out.targets[e];
      if (hosts[d] || workload(d) !== graph.nodes[d] || !onPath.has(workload(d))) continue;
      const set = callees.get(w);
      if (set) set.add(workload(d));
      else callees.set(w, new Set([workload(d)]));
    }
  });
  // An inclusive SLI is explained by a larger trouble below it, as in the call-graph explain-away: a
  // callee's slowness may surface as its caller's errors; noise in one callee explains nothing.
  series.forEach((s, i) => {
    const j = graph.index.get(s.entity);
    const seen = j === undefined || !isSliMetric(s.metric) ? undefined : callees.get(workload(j));
    if (!seen) return;
    let best = Math.max(o.anomalousZ, moves[i]?.harm ?? 0);
    for (const d of seen) {
      const theirs = flooded.has(d) ? 0 : (trouble.get(d) ?? 0);
      if (theirs >= best) {
        best = theirs;
        out[i] = d;
      }
    }
  });
  return out;
}

/**
 * The workloads the entry reaches along `edges` (its calls, or its callers'): from every part of the
 * entry's workload, and on from every part of each workload reached (a Service's calls go out from its
 * Pods, live), until none is new.
 */
function workloadsReached(
  graph: BehaviourGraph,
  entry: number,
  hosts: Uint8Array,
  workload: (j: number) => string,
  edges: BehaviourGraph['out'],
): Set<string> {
  const reached = new Set([workload(entry)]);
  const started = new Uint8Array(graph.nodes.length);
  for (;;) {
    const starts = graph.nodes.map((_, j) => j).filter((j) => !started[j] && !hosts[j] && reached.has(workload(j)));
    if (starts.length === 0) return reached;
    for (const j of starts) started[j] = 1;
    for (const j of reachable(edges, starts, hosts)) reached.add(workload(j));
  }
}
