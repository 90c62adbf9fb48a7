/**
 * The call-graph explain-away of inclusive SLIs: a service's latency, error and availability series
 * move when anything it calls moves, so when a service it calls (directly or not) shows a larger
 * anomaly of its own, the caller's inclusive move is that callee's symptom and counts only as far as
 * the caller's own evidence goes. "Own" evidence is what an inclusive series cannot carry: resource
 * metrics, logs, own trace shift. Without such a callee the SLI stands. Pure.
 */
import type { BehaviourGraph } from './behaviour-graph.js';

/**
 * Per node, the cap on its inclusive SLI evidence: the node's own evidence where a callee's own
 * evidence is at least `anomalousZ` and larger, else Infinity. `own[j]` null = not judged (a node
 * whose own evidence is unknown is neither capped nor an explainer); `skip[j]` = 1 leaves node j out
 * both ways (hosts: a machine is no callee, and its metrics are not a service's SLI).
 */
export function explainedSliCap(
  graph: BehaviourGraph,
  own: ReadonlyArray<number | null>,
  anomalousZ: number,
  skip?: Uint8Array,
): Float64Array {
  const n = graph.nodes.length;
  const cap = new Float64Array(n).fill(Infinity);
  // From each node with an anomalous own evidence, up through its callers (few such nodes: cheap at scale).
  for (let d = 0; d < n; d++) {
    const theirs = own[d];
    if (theirs === null || theirs < anomalousZ || skip?.[d]) continue;
    const seen = new Uint8Array(n);
    seen[d] = 1;
    const queue = [d];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      for (let e = graph.in.offsets[v]; e < graph.in.offsets[v + 1]; e++) {
        const caller = graph.in.targets[e];
        if (seen[caller] || skip?.[caller]) continue;
        seen[caller] = 1;
        queue.push(caller);
        const mine = own[caller];
        if (mine !== null && mine < theirs) cap[caller] = Math.min(cap[caller], mine);
      }
    }
  }
  return cap;
}
