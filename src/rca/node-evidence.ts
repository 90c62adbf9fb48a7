/**
 * How a node's log and trace findings count in its node evidence beside its metric moves, on one scale
 * (a robust z): the ranking's node evidence and the analysis' "is anything else anomalous?" read the
 * same numbers; and a node's own-state evidence, which the call-graph explain-away compares. Pure.
 */
import type { EntityLogEvidence } from './log-evidence.js';
import type { MetricMove, SeriesIn } from './metric-evidence.js';
import { metricSemantics, SLI_FAMILIES } from '../model/metric-semantics.js';
import type { TraceShiftResult } from './trace-shift.js';

export const DEFAULTS = {
  /**
   * A node's log evidence (log-evidence.ts: a Poisson z, which counts every line as independent and so
   * runs far larger than a robust metric z: noise reaches 5, a service failing in its logs 300) counts
   * at this share, so a fault seen only in logs (code errors, timeouts a service reports) drives the
   * walk and traversal like a metric move would. Chosen on the fit cases with logs (simulator train
   * halves: 0.005–0.1 tried; 0.01–0.02 best on generated-30 train, Online Boutique train unchanged at
   * every value); PetShop and Sock Shop have no logs. Re-checked when templates began to merge sizes
   * and ids (session 19, the miner's masking): 0.01–0.04 tie on every simulator fit half, 0.005 loses.
   */
  logEvidenceShare: 0.02,
  /**
   * A node's own trace shift (trace-shift.ts: robust z of its self time, proportion z of slow spans and
   * of errors starting in it; a metric's robust-z scale) counts beyond `traceNoiseZ`, so a fault seen
   * only in traces (a code path that slowed or throws, with flat metrics) drives the walk and traversal.
   * The margin keeps many-span noise off; the simulator fit halves tie at shares 0.3–1 and margins 3–6
   * (with no margin, share 1 cost generated-30 train AC@1 .83 → .58).
   */
  traceEvidenceShare: 1,
  traceNoiseZ: 3,
};

/** A node's evidence from its logs (log score) and its traces (own shift score), as a robust z. */
export function logAndTraceEvidence(logScore: number, traceShiftScore: number): number {
  return Math.max(DEFAULTS.logEvidenceShare * logScore, traceEvidence(traceShiftScore));
}

/** What a node's own trace shift counts as node evidence: its z beyond the noise margin, as a robust z. */
export function traceEvidence(traceShiftScore: number): number {
  return DEFAULTS.traceEvidenceShare * Math.max(0, traceShiftScore - DEFAULTS.traceNoiseZ);
}

/** Families of a node's own state: its SLIs include its callees, and request and network volume follow its callers. */
export const OWN_FAMILIES: ReadonlySet<string> = new Set(['cpu', 'memory', 'restarts']);
/**
 * How much a node calls per request it serves (call-volume.ts) is its own doing too, but it is judged
 * only where the request counts allow: it raises an own state the families above made known, and does
 * not by itself make a node "known to show nothing" (a PetShop component without resource metrics).
 */
const CALL_SHARE_FAMILY = 'call-share';

/**
 * Per node, the evidence an inclusive SLI cannot carry, on the robust-z scale: its CPU, memory and
 * restart series' moves beyond their quiet-time maximum, its logs and own trace shift
 * (logAndTraceEvidence), and its network series' moves where its traffic held steady
 * (`trafficSteady`: bytes that fell or rose while the requests did not are the node's own, a delay or
 * loss on its link); null for a node with none of them (its own state is unknown).
 */
export function ownStateEvidence(a: {
  series: readonly SeriesIn[];
  nodes: readonly string[];
  index: ReadonlyMap<string, number>;
  moves: ReadonlyArray<MetricMove | null>;
  quiet: ArrayLike<number>;
  logs: ReadonlyMap<string, EntityLogEvidence>;
  traceShift: TraceShiftResult | null;
  trafficSteady?: ArrayLike<number>;
}): Array<number | null> {
  const own: Array<number | null> = a.nodes.map((e) => {
    const l = a.logs.get(e)?.ownScore,
      t = a.traceShift?.entities.get(e);
    return l === undefined && !t?.judged ? null : logAndTraceEvidence(l ?? 0, t?.judged ? t.score : 0);
  });
  raiseByMoves(
    own,
    a,
    (family, node) => OWN_FAMILIES.has(family) || (family === 'network' && a.trafficSteady?.[node] === 1),
  );
  raiseByMoves(own, a, (family, node) => family === CALL_SHARE_FAMILY && own[node] !== null);
  return own;
}

/** Raises `own[node]` to each counted series' move beyond its quiet-time maximum, in place. */
function raiseByMoves(
  own: Array<number | null>,
  a: {
    series: readonly SeriesIn[];
    index: ReadonlyMap<string, number>;
    moves: ReadonlyArray<MetricMove | null>;
    quiet: ArrayLike<number>;
  },
  counts: (family: string, node: number) => boolean,
): void {
  a.series.forEach((s, i) => {
    const j = a.index.get(s.entity) as number;
    if (!counts(metricSemantics(s.metric).family, j)) return;
    own[j] = Math.max(own[j] ?? 0, Math.max(0, (a.moves[i]?.harm ?? 0) - a.quiet[i]));
  });
}

/**
 * `own` with, for each node that calls nothing (`callsNothing`), its SLI moves beyond their quiet-time
 * maximum too: with no callee below it, its latency and errors are its own. For the stated confidence
 * only; the explain-away keeps ownStateEvidence as it is.
 */
export function withLeafSlis(
  own: ReadonlyArray<number | null>,
  a: {
    series: readonly SeriesIn[];
    index: ReadonlyMap<string, number>;
    moves: ReadonlyArray<MetricMove | null>;
    quiet: ArrayLike<number>;
    callsNothing: (node: number) => boolean;
  },
): Array<number | null> {
  const out = [...own];
  raiseByMoves(out, a, (family, node) => SLI_FAMILIES.has(family) && a.callsNothing(node));
  return out;
}
