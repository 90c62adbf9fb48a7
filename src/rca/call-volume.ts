/**
 * Call volume per request, from metrics: a caller that stopped making some of its calls (a code path
 * that returns early, a wrong return value that skips the rest of an operation) leaves its own SLIs
 * flat, while the callees it no longer calls lose requests, CPU and bytes. Read alone, those callees
 * look like the fault. So for each callee with one caller, the callee's request rate per request its
 * caller serves is the caller's derived series (CALL_SHARE_METRIC, judged like any other metric); when
 * it falls while the caller's SLIs stay normal, the callee's load-following moves are its caller's
 * doing and count only `explainedShare` (the host explain-away, for traffic). A caller cut short by
 * another of its calls failing also calls less: its callee's fall is explained the same way, but the
 * caller is not blamed (no derived series), for the failing call is the lead. The metric twin of the
 * traces' call-pattern shift (call-pattern.ts), for systems whose traces are sparse or absent; where the
 * traces show a caller's operations calling a callee less (call-drops.ts) beyond the anomaly margin,
 * that callee's load falls are explained the same way, whatever its callers and metrics; a smaller drop
 * only when the callee's metrics confirm it (confirmed-drops.ts). Pure.
 */
import { reachable, type BehaviourGraph } from './behaviour-graph.js';
import { lastingFall, scoreSeries, type MetricMove, type SeriesIn } from './metric-evidence.js';
import { CALL_SHARE_METRIC, metricSemantics } from '../model/metric-semantics.js';
import { nodeStates, type NodeStates } from './node-states.js';
import { atRows, pearson } from './robust.js';
import type { WindowSplit } from './windows.js';
import { workloadNameOf } from './graph-roles.js';
import type { CallDrop } from './call-drops.js';

/** The analysis knobs this reads (analyse-case.ts DEFAULTS). */
export interface CallVolumeOptions {
  anomalousZ: number;
  explainCorr: number;
  explainedShare: number;
  corroborateZ: number;
}

/**
 * The ratio is taken over this much trailing time: a quotient of two noisy rates is noisier than
 * either, and a fault that skips calls lasts minutes (the detection rule's 5).
 */
const SMOOTH_S = 300;

/** Families that follow a service's load: what it is asked to do, and the CPU and bytes that costs. */
const LOAD_FAMILIES: ReadonlySet<string> = new Set(['requests', 'cpu', 'network']);

export interface CallVolume {
  /**
   * The derived series that fell at all (entity = caller, metric = CALL_SHARE_METRIC), one per
   * (caller, callee) pair; the others carry no evidence, and large systems have thousands of them.
   */
  derived: SeriesIn[];
  /** derived[i]'s move. */
  derivedMoves: MetricMove[];
  /** Per input series: what is left of its move (1, or explainedShare when its caller's calls explain it). */
  share: Float64Array;
  /** Per input series: the caller whose fall in calls explains it, else null. */
  explainedBy: Array<string | null>;
  /** The traces' drops the callees' metrics confirm, z = the combined evidence (above the drop's own). */
  corroborated: CallDrop[];
}

/** What callVolume reads: the case's series and their moves, the call graph, and the window split. */
export interface CallVolumeInput {
  series: readonly SeriesIn[];
  /** moves[i] is series[i]'s move (metric-evidence.ts scoreSeries). */
  moves: ReadonlyArray<MetricMove | null>;
  graph: BehaviourGraph;
  /** Per graph node: 1 for a host (its edges are not calls). */
  hosts: Uint8Array;
  split: WindowSplit;
  /** The normal and incident rows, ascending (for correlations). */
  rows: Int32Array;
  /** A workload's parts (a Pod, a Deployment) → the workload: their edges are not calls. */
  workloadOf?: ReadonlyMap<string, string>;
  /** Callees whose callers may not all be in the graph: not judged. */
  callersUnknown?: ReadonlySet<string>;
  /** The nodes' states (node-states.ts), when the caller has them already. */
  states?: NodeStates;
  /** Callees the traces show called less (call-drops.ts). */
  callDrops?: readonly CallDrop[];
}

/**
 * Derives each single-caller callee's calls-per-request series and the explained shares of the
 * callees' load-following moves. Needs a call graph (a topology or traces): a metrics skeleton has no
 * direction.
 */
export function callVolume(a: CallVolumeInput, o: CallVolumeOptions): CallVolume {
  const { series, moves, graph, hosts } = a;
  const share = new Float64Array(series.length).fill(1);
  const explainedBy: Array<string | null> = new Array(series.length).fill(null);
  const derived: SeriesIn[] = [];
  const derivedMoves: MetricMove[] = [];
  const corroborated: CallDrop[] = [];
  if (graph.source !== 'topology' && graph.source !== 'traces')
    return { derived, derivedMoves, share, explainedBy, corroborated };
  const { sliKnown, troubled, load } = a.states ?? nodeStates(a, o.anomalousZ);
  const ofEntity = new Map<string, number[]>();
  series.forEach((s, i) => {
    const list = ofEntity.get(s.entity);
    if (list) list.push(i);
    else ofEntity.set(s.entity, [i]);
  });
  const failing = (j: number) => troubled[j] === 1;
  // A callee's load-following series that fell (and `inStep`) count `explainedShare`, put down to `caller`;
  // the first caller to explain a series keeps it.
  const explainFalls = (callee: string, caller: string, inStep: (i: number) => boolean) => {
    for (const i of ofEntity.get(callee) ?? []) {
      if (explainedBy[i] !== null || !LOAD_FAMILIES.has(metricSemantics(series[i].metric).family)) continue;
      if (!((moves[i]?.z ?? 0) < 0) || !inStep(i)) continue;
      share[i] = o.explainedShare;
      explainedBy[i] = caller;
    }
  };
  // The largest lasting fall (not one sample's dip) among the load-following series of `list` that
  // `counts` accepts.
  const largestFall = (list: readonly number[], counts: (i: number) => boolean) => {
    let fall = 0;
    for (const i of list)
      if (counts(i) && LOAD_FAMILIES.has(metricSemantics(series[i].metric).family))
        fall = Math.max(fall, lastingFall(series[i].values, a.split));
    return fall;
  };
  // One walk up from every failing node at once: a large system costs one pass, not one per caller.
  const below = new Uint8Array(graph.nodes.length);
  const failingNodes = graph.nodes.map((_, j) => j).filter((j) => !hosts[j] && failing(j));
  for (const c of reachable(graph.in, failingNodes, hosts)) below[c] = 1;
  // Can the caller be the one that changed? Its SLIs known and normal, nothing below it failing.
  const canBlame = (c: number) => sliKnown[c] === 1 && !failing(c) && !below[c];
  const workload = workloadNameOf(graph, a.workloadOf);
  const siblingFailing = (c: number, d: number) => {
    for (let e = graph.out.offsets[c]; e < graph.out.offsets[c + 1]; e++) {
      const x = graph.out.targets[e];
      if (x !== d && !hosts[x] && workload(x) !== workload(c) && (failing(x) || below[x])) return true;
    }
    return false;
  };
  // A caller cut short by another of its calls failing calls this one less too (PetShop's adoptions fall
  // when its search fails): the fall is still the caller's, though the caller is not at fault.
  const cutShort = (c: number, d: number) => sliKnown[c] === 1 && !failing(d) && !below[d] && siblingFailing(c, d);
  const k = Math.max(1, Math.round(SMOOTH_S / (a.split.step || SMOOTH_S)));
  for (let d = 0; d < graph.nodes.length; d++) {
    const callee = graph.nodes[d];
    const dLoad = load.get(callee);
    if (hosts[d] || !dLoad || a.callersUnknown?.has(callee)) continue;
    const callers: number[] = [];
    for (let e = graph.in.offsets[d]; e < graph.in.offsets[d + 1]; e++) {
      const c = graph.in.targets[e];
      if (!hosts[c] && workload(c) !== workload(d)) callers.push(c);
    }
    // With several callers, which one calls less is not known from request counts.
    if (callers.length !== 1) continue;
    const caller = graph.nodes[callers[0]];
    const cLoad = load.get(caller);
    // A caller whose SLIs are unknown or anomalous may be failing its calls, not skipping them; one with
    // a failing service below it may call less because of it (retries given up, a user flow cut short:
    // PetShop's adoptions fall when its search fails).
    if (!cLoad) continue;
    const blamed = canBlame(callers[0]);
    if (!blamed && !cutShort(callers[0], d)) continue;
    const s: SeriesIn = { entity: caller, metric: CALL_SHARE_METRIC, values: trailingRatio(dLoad, cLoad, k) };
    const m = scoreSeries(s, a.split);
    if (!m || !(m.harm > 0)) continue;
    if (blamed) {
      derived.push(s);
      derivedMoves.push({ ...m, of: callee });
    }
    if (m.harm < o.anomalousZ) continue;
    const loadNow = atRows(dLoad, a.rows);
    // Only moves in step with the callee's fallen load are the caller's.
    explainFalls(callee, caller, (i) => pearson(atRows(series[i].values, a.rows), loadNow) >= o.explainCorr);
  }
  // The traces' twin: a caller whose operations call a callee less, the largest drop first; not for a
  // callee in trouble (a caller's breaker stops calling a failing callee). A drop within the anomaly
  // margin counts when the callee's load fell beyond it for lasting: two weak signs of one change, from
  // sources that do not share noise, combined as Stouffer's z (the fall capped at twice the margin).
  // Where both request rates are known, the fall is in the callee's requests per request its caller
  // serves: a fall upstream traffic explains (both fell alike) is no skipped call.
  const drops = [...(a.callDrops ?? [])].sort((x, y) => y.z - x.z);
  for (const drop of drops) {
    const d = graph.index.get(drop.callee);
    if (d === undefined || failing(d) || drop.z < Math.min(o.corroborateZ, o.anomalousZ)) continue;
    const dLoad = load.get(drop.callee),
      cLoad = load.get(drop.caller);
    const fall =
      dLoad && cLoad
        ? lastingFall(trailingRatio(dLoad, cLoad, k), a.split)
        : largestFall(ofEntity.get(drop.callee) ?? [], (i) => explainedBy[i] === null);
    const confirmed = fall >= o.anomalousZ;
    if (drop.z < o.anomalousZ && !confirmed) continue;
    explainFalls(drop.callee, drop.caller, () => true);
    const z = (drop.z + Math.min(fall, 2 * o.anomalousZ)) / Math.SQRT2;
    if (confirmed && z > drop.z) corroborated.push({ ...drop, z });
  }
  return { derived, derivedMoves, share, explainedBy, corroborated };
}

/** Σ num / Σ den over the `k` rows up to each row (rows where both are known); NaN where Σ den ≤ 0. */
export function trailingRatio(num: Float64Array, den: Float64Array, k: number): Float64Array {
  const out = new Float64Array(num.length);
  let sn = 0,
    sd = 0;
  for (let t = 0; t < num.length; t++) {
    if (Number.isFinite(num[t]) && Number.isFinite(den[t])) {
      sn += num[t];
      sd += den[t];
    }
    const old = t - k;
    if (old >= 0 && Number.isFinite(num[old]) && Number.isFinite(den[old])) {
      sn -= num[old];
      sd -= den[old];
    }
    out[t] = sd > 0 ? sn / sd : Number.NaN;
  }
  return out;
}
