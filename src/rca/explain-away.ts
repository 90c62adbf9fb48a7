/**
 * Explain-away: a move that another entity's anomaly accounts for is not counted as evidence that its
 * own entity is the cause. Two cases, one idea: a host whose anomaly a workload on it explains, and a
 * caller whose inclusive SLI a callee's own anomaly explains (by traces, or by its own state). Pure.
 */
import { reachable, type BehaviourGraph } from './behaviour-graph.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { metricSemantics } from '../model/metric-semantics.js';
import { traceEvidence } from './node-evidence.js';
import { atRows, pearson } from './robust.js';
import type { TraceShiftResult } from './trace-shift.js';

/** The analysis knobs explain-away reads (analyse-case.ts DEFAULTS). */
export interface ExplainAwayOptions {
  anomalousZ: number;
  explainCorr: number;
  explainedShare: number;
}

/**
 * A host whose anomaly a workload explains is not the root cause (a container's CPU stress lifts its
 * VM's CPU too): a host is explained when one of its anomalous series moves with an anomalous series of
 * the same family and direction on a workload (correlation ≥ explainCorr over the case).
 */
export function explainHosts(
  input: { series: readonly SeriesIn[] },
  graph: BehaviourGraph,
  hosts: Uint8Array,
  moves: Array<MetricMove | null>,
  rows: Int32Array,
  o: ExplainAwayOptions,
): { discount: Float64Array; explainedBy: Array<string | null> } {
  const n = graph.nodes.length;
  const discount = new Float64Array(n).fill(1);
  const explainedBy: Array<string | null> = new Array(n).fill(null);
  if (!hosts.some((h) => h === 1)) return { discount, explainedBy };
  const anomalous = (i: number) => (moves[i]?.harm ?? 0) >= o.anomalousZ;
  const workloads = new Map<string, number[]>();
  input.series.forEach((s, i) => {
    if (hosts[graph.index.get(s.entity) as number] || !anomalous(i)) return;
    const fam = `${metricSemantics(s.metric).family}\u0000${Math.sign(moves[i]?.z ?? 0)}`;
    const list = workloads.get(fam);
    if (list) list.push(i);
    else workloads.set(fam, [i]);
  });
  input.series.forEach((s, i) => {
    const j = graph.index.get(s.entity) as number;
    if (!hosts[j] || explainedBy[j] !== null || !anomalous(i)) return;
    const fam = `${metricSemantics(s.metric).family}\u0000${Math.sign(moves[i]?.z ?? 0)}`;
    const mine = atRows(s.values, rows);
    for (const w of workloads.get(fam) ?? []) {
      if (pearson(mine, atRows(input.series[w].values, rows)) < o.explainCorr) continue;
      discount[j] = o.explainedShare;
      explainedBy[j] = input.series[w].entity;
      return;
    }
  });
  return { discount, explainedBy };
}

/**
 * A service's latency, error and availability series are inclusive: they move when anything it calls
 * moves. When its traces judge its own behaviour (self time, errors that start in it: trace-shift.ts)
 * and a service it calls, directly or not, shows an own shift of at least `anomalousZ` that is larger,
 * the caller's inclusive move is explained by it and counts only as far as the caller's own shift goes
 * (the host explain-away, for the call graph): the alarm's symptom is not taken for its cause.
 * "As far as its own shift goes" is what that shift counts as node evidence (node-evidence.ts'
 * traceEvidence: beyond the noise margin), so a capped caller and its explainer are on one scale.
 * Without such an explainer (traces too thin or blind to the fault) the metrics stand. Returns the
 * cap per node on its inclusive series (Infinity where nothing explains the move).
 */
export function traceExplainedSli(
  graph: BehaviourGraph,
  shift: TraceShiftResult | null,
  anomalousZ: number,
): Float64Array {
  const own = graph.nodes.map((e) => {
    const s = shift?.entities.get(e);
    return s?.judged ? s.score : null;
  });
  return explainedSliCap(graph, own, anomalousZ).map((cap) => (Number.isFinite(cap) ? traceEvidence(cap) : cap));
}

/**
 * The call-graph explain-away of inclusive SLIs, whatever "own" evidence is compared (trace shift
 * above; resource metrics, logs and traces in node-evidence.ts' ownStateEvidence): per node, the cap on
 * its inclusive SLI evidence, which is the node's own evidence where a service it calls (directly or
 * not) has own evidence of at least `anomalousZ` and larger, else Infinity. `own[j]` null = not judged
 * (neither capped nor an explainer); `skip[j]` = 1 leaves node j out both ways (hosts); `calm[j]` = 1
 * (its SLIs are measured and normal) keeps node j from explaining: what its callers see of it is normal.
 */
export function explainedSliCap(
  graph: BehaviourGraph,
  own: ReadonlyArray<number | null>,
  anomalousZ: number,
  skip?: Uint8Array,
  calm?: Uint8Array,
): Float64Array {
  const n = graph.nodes.length;
  const cap = new Float64Array(n).fill(Infinity);
  // From each node with an anomalous own evidence, up through its callers (few such nodes: cheap at scale).
  for (let d = 0; d < n; d++) {
    const theirs = own[d];
    if (theirs === null || theirs < anomalousZ || skip?.[d] || calm?.[d]) continue;
    for (const caller of reachable(graph.in, d, skip)) {
      const mine = own[caller];
      if (mine !== null && mine < theirs) cap[caller] = Math.min(cap[caller], mine);
    }
  }
  return cap;
}

/**
 * Without a call graph (a metrics-only skeleton links entities both ways) only the alarm's entry is
 * known to sit in front of the others: its inclusive SLI counts only as far as its own evidence goes
 * when an entity the skeleton links it to, directly or not, has own evidence of at least `anomalousZ`
 * and larger (explainedSliCap for the one node whose place is known). Infinity elsewhere.
 */
export function entryExplainedCap(
  graph: BehaviourGraph,
  own: ReadonlyArray<number | null>,
  entry: number,
  anomalousZ: number,
  skip?: Uint8Array,
): Float64Array {
  const cap = new Float64Array(graph.nodes.length).fill(Infinity);
  const mine = own[entry];
  if (mine === null) return cap;
  for (const d of reachable(graph.out, entry, skip)) {
    const theirs = own[d];
    if (theirs !== null && theirs >= anomalousZ && theirs > mine) {
      cap[entry] = mine;
      break;
    }
  }
  return cap;
}
