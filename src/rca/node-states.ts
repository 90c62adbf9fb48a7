/**
 * What a node's metrics say about its state, for the rules that ask whether a neighbour is in trouble:
 * whether any SLI of it is measured, whether it is failing, and its request rate; and from those, its
 * logs' reports and its spans, what its callers felt of it (calm, in trouble, unknown). Pure.
 */
import type { BehaviourGraph } from './behaviour-graph.js';
import type { EntityLogEvidence } from './log-evidence.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { logAndTraceEvidence } from './node-evidence.js';
import type { TraceShiftResult } from './trace-shift.js';
import { isLoadMetric, metricSemantics, SLI_FAMILIES } from '../model/metric-semantics.js';
import { splitReplica } from '../model/replica-column.js';
import { mean, pick, upperMedian } from './robust.js';
import type { WindowSplit } from './windows.js';

/** analyse-case.ts `felt`: what a node's callers see of it; the explain-away reads calm nodes. */
export const FELT = { unknown: 0, calm: 1, troubled: 2 } as const;

/**
 * Per node, 1 when its workload (`workload[j]`: the node standing for it, itself when absent) is calm:
 * some part of it is calm and none is in trouble (a Service whose SLIs stayed normal, its Pods unmeasured).
 */
export function calmByWorkload(felt: Uint8Array, workload?: Int32Array): Uint8Array {
  const of = (j: number) => workload?.[j] ?? j;
  const calm = new Uint8Array(felt.length),
    troubled = new Uint8Array(felt.length);
  felt.forEach((f, j) => {
    if (f === FELT.calm) calm[of(j)] = 1;
    if (f === FELT.troubled) troubled[of(j)] = 1;
  });
  return felt.map((_, j) => (calm[of(j)] && !troubled[of(j)] ? 1 : 0));
}

/**
 * Per node (nodes added to the graph after the states were taken included), what its callers see of
 * it (FELT), from its states, its callers' log reports on it and its spans' shift.
 */
export function feltStates(
  nodes: readonly string[],
  states: NodeStates,
  seen: { logs: ReadonlyMap<string, EntityLogEvidence>; traceShift: TraceShiftResult | null },
  anomalousZ: number,
): Uint8Array {
  return Uint8Array.from(nodes, (e, j) => {
    // Callers' logs reporting failed calls to it (as far as logs count as node evidence) are its trouble as they feel it.
    const reported = seen.logs
      .get(e)
      ?.templates.some((t) => t.reportedBy !== undefined && logAndTraceEvidence(t.z, 0) >= anomalousZ);
    if (states.troubled[j] || reported) return FELT.troubled;
    // Spans that shifted are not calm, though many-span noise reaches the margin: no trouble either; nor
    // is a moved network, whose delay its callers feel and its server-side SLIs do not measure.
    const shift = seen.traceShift?.entities.get(e);
    const shifted = (shift?.judged && shift.score >= anomalousZ) || states.networkMoved[j];
    return states.sliNormal[j] && !shifted ? FELT.calm : FELT.unknown;
  });
}

/** Requests below this share of normal have stopped. */
const STOPPED_SHARE = 0.05;

/** Per node of the graph, what its metrics say; `load` per entity. */
export interface NodeStates {
  /** 1 when any SLI series of the node is measured. */
  sliKnown: Uint8Array;
  /**
   * 1 when both ways a caller feels a callee are measured (its latency, and its errors or availability)
   * and every SLI of it stayed within normal's range: sampled through the window as often as before,
   * no harmful move beyond the largest of normal operation, not fallen to nothing (a latency or error
   * rate scraped as 0 is a series without requests, not a normal one), its requests not stopped.
   */
  sliNormal: Uint8Array;
  /** 1 when it is in trouble (see nodeStates). */
  troubled: Uint8Array;
  /**
   * 1 when a network series of it moved `anomalousZ` or more: a delay or loss on its network lies
   * outside what its own (server-side) SLIs measure.
   */
  networkMoved: Uint8Array;
  /**
   * 1 when its request rate is measured and none of its request series moved `anomalousZ` or more: its
   * network volume then does not follow its callers, and a move in it is its own (node-evidence.ts).
   */
  trafficSteady: Uint8Array;
  /** Each entity's request rate (loadSeries), where known. */
  load: ReadonlyMap<string, Float64Array>;
}

/**
 * Per node: whether any SLI of it is measured, and whether it is in trouble (inTrouble; or an SLI went
 * silent while its requests still flow: a crash's mark, where an average over no requests is none).
 * A callee in trouble is not a callee its caller stopped calling.
 */
export function nodeStates(
  a: {
    series: readonly SeriesIn[];
    moves: ReadonlyArray<MetricMove | null>;
    graph: Pick<BehaviourGraph, 'nodes' | 'index'>;
    split: WindowSplit;
  },
  anomalousZ: number,
): NodeStates {
  const load = loadSeries(a.series);
  const n = a.graph.nodes.length;
  const troubled = new Uint8Array(n),
    networkMoved = new Uint8Array(n),
    silentSli = new Uint8Array(n),
    sliMoved = new Uint8Array(n),
    slowKnown = new Uint8Array(n),
    failKnown = new Uint8Array(n),
    trafficMoved = new Uint8Array(n);
  a.series.forEach((s, i) => {
    const j = a.graph.index.get(s.entity);
    if (j === undefined) return;
    const family = metricSemantics(s.metric).family;
    if (inTrouble(family, a.moves[i], anomalousZ)) troubled[j] = 1;
    if (family === 'network' && (a.moves[i]?.harm ?? 0) >= anomalousZ) networkMoved[j] = 1;
    if (isLoadMetric(s.metric) && (a.moves[i]?.harm ?? 0) >= anomalousZ) trafficMoved[j] = 1;
    if (!SLI_FAMILIES.has(family)) return;
    if (wentSilent(s.values, a.split)) silentSli[j] = 1;
    if (family === 'latency') slowKnown[j] = 1;
    else failKnown[j] = 1;
    // A series silent since the start has no move, so it is never normal.
    const move = a.moves[i];
    if (!move || move.harm > 0 || fellToNothing(s.values, a.split) || thinned(s.values, a.split)) sliMoved[j] = 1;
  });
  silentSli.forEach((silent, j) => {
    if (silent && !requestsStopped(load.get(a.graph.nodes[j]), a.split)) troubled[j] = 1;
  });
  const sliKnown = slowKnown.map((slow, j) => slow | failKnown[j]);
  // SLIs over requests that stopped say nothing (a stale exporter repeats its last normal value).
  const sliNormal = slowKnown.map((slow, j) =>
    slow && failKnown[j] && !sliMoved[j] && !requestsStopped(load.get(a.graph.nodes[j]), a.split, true) ? 1 : 0,
  );
  const trafficSteady = Uint8Array.from(a.graph.nodes, (e, j) => (load.has(e) && !trafficMoved[j] ? 1 : 0));
  return { sliKnown, sliNormal, troubled, networkMoved, trafficSteady, load };
}

/** A series that says its entity is failing: an SLI or its restarts beyond the anomalous z. */
function inTrouble(family: string, move: MetricMove | null, anomalousZ: number): boolean {
  if (family !== 'restarts' && !SLI_FAMILIES.has(family)) return false;
  return (move?.harm ?? 0) >= anomalousZ;
}

/** A normal baseline, and no sample since the start. */
function wentSilent(values: Float64Array, split: WindowSplit): boolean {
  return sampledShare(values, split.normal) > 0 && sampledShare(values, split.anomalous) === 0;
}

/** Sampled in under half as many of the window's rows as of normal's: it went silent part way. */
function thinned(values: Float64Array, split: WindowSplit): boolean {
  return sampledShare(values, split.anomalous) < 0.5 * sampledShare(values, split.normal);
}

/** The window's median under `STOPPED_SHARE` of a nonzero normal median (a series scraped as 0). */
function fellToNothing(values: Float64Array, split: WindowSplit): boolean {
  const m = medians(values, split);
  return m !== null && m.usual > 0 && m.now <= STOPPED_SHARE * m.usual;
}

/**
 * The entity's requests fell to almost nothing (the window's median under `STOPPED_SHARE` of normal's),
 * as when every call to it is skipped; false without a request series, or when it went silent too;
 * with `hadRequests`, false too for an entity idle before (no requests then, none now).
 */
function requestsStopped(load: Float64Array | undefined, split: WindowSplit, hadRequests = false): boolean {
  const m = load ? medians(load, split) : null;
  if (!load || m === null) return false;
  if (!hadRequests || m.usual > 0) return m.now <= STOPPED_SHARE * m.usual;
  // A sparse service (a median of 0 before): its means say whether it stopped or was idle all along.
  const before = mean(pick(load, split.normal));
  return before > 0 && mean(pick(load, split.anomalous)) <= STOPPED_SHARE * before;
}

/** The share of `rows` at which the series has a sample (0 for no rows). */
function sampledShare(values: Float64Array, rows: Int32Array): number {
  let k = 0;
  for (const r of rows) if (Number.isFinite(values[r])) k++;
  return rows.length > 0 ? k / rows.length : 0;
}

/** The window's and normal's upper medians of the samples; null when either has none. */
function medians(values: Float64Array, split: WindowSplit): { now: number; usual: number } | null {
  const now = pick(values, split.anomalous),
    before = pick(values, split.normal);
  return now.length === 0 || before.length === 0 ? null : { now: upperMedian(now), usual: upperMedian(before) };
}

/**
 * Each entity's request rate: its one requests-family metric, summed over replicas (several series
 * of one metric); absent when it has none or several different ones (which is the inbound one is unknown).
 */
export function loadSeries(series: readonly SeriesIn[]): Map<string, Float64Array> {
  const metricOf = new Map<string, string | null>();
  const sum = new Map<string, Float64Array>();
  for (const s of series) {
    if (!isLoadMetric(s.metric)) continue;
    // One column per replica (replica-column.ts) is one metric.
    const metric = splitReplica(s.metric).metric;
    const had = metricOf.get(s.entity);
    if (had === null) continue;
    if (had === undefined) {
      metricOf.set(s.entity, metric);
      sum.set(s.entity, Float64Array.from(s.values));
    } else if (had !== metric) {
      metricOf.set(s.entity, null);
      sum.delete(s.entity);
    } else {
      // A replica missing a sample leaves the sum unknown at that row.
      const v = sum.get(s.entity) as Float64Array;
      for (let t = 0; t < v.length; t++) v[t] += s.values[t];
    }
  }
  return sum;
}
