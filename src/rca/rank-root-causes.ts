/**
 * The weighted half of RCA: turns a CaseAnalysis and RcaWeights into one ranking. Methods:
 * `stats` (BARO-style magnitude alone, with the node's log and trace evidence: node-evidence.ts),
 * `walk` (AutoMAP alone: restart at the entry, no node scores), `traversal` (deepest anomalous node on
 * the call graph, PetShop's baseline), `microrank` (traces alone), `fused` (walk personalised by the
 * statistics, then a weighted sum of all components plus evidence-gated entity priors). Deterministic
 * for a given rng stream.
 */
import { walkVisits, type WalkInput } from './automap-walk.js';
import type { CaseAnalysis } from './analyse-case.js';
import { explain, type Explanation } from './explain.js';
import { logAndTraceEvidence } from './node-evidence.js';
import { ownFirst } from './own-first.js';
import { rankedBefore } from './rank-order.js';
import type { Rng } from './rng.js';
import { calmByWorkload } from './node-states.js';
import { DEFAULTS as TRAVERSAL_DEFAULTS, rankTraversal } from './traversal.js';
import { COMPONENTS, priorOf, type Component, type RcaWeights } from './weights.js';

export const DEFAULTS = {
  /** Node factor floor in the fused walk, so nodes without metrics stay reachable. */
  nodeFactorFloor: 0.05,
  /** Share of the fused walk's restart mass kept on the entry (the rest follows the statistics). */
  restartEntryShare: 0.2,
};

export const METHODS = ['stats', 'walk', 'traversal', 'fused', 'microrank'] as const;
export type RcaMethod = (typeof METHODS)[number];

/** One ranked candidate; `score` is on the fused scale (comparable within one ranking only). */
export interface RankedCandidate {
  entity: string;
  score: number;
  explanation: Explanation;
}

/** Per-node normalised component scores in [0, 1], by component. */
export type ComponentScores = Record<Component, Float64Array>;

/** Computes each component's normalised per-node scores under `weights`. */
export function componentScores(a: CaseAnalysis, weights: RcaWeights, method: RcaMethod, rng: Rng): ComponentScores {
  const n = a.graph.nodes.length;
  // w_k times the focus on the alarming SLI's family (analyse-case.ts).
  const w = Float64Array.from(a.types, (t, k) => (weights.metricTypes[t] ?? 1) * a.focus[k]);
  const anomaly = new Float64Array(n),
    seen = new Float64Array(n),
    stats = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    anomaly[j] = nodeAnomaly(a, w, a.z, a.zQuiet, j);
    seen[j] = nodeAnomaly(a, w, a.zUncapped, a.zQuietUncapped, j);
    // log1p tames raw-unit moves on constant baselines (z in the thousands) without reordering.
    stats[j] = Math.log1p(anomaly[j]);
  }
  normalise(stats);
  // The traversal explains away on its own (a root has no anomalous callee), so it follows what each
  // node showed: a caller whose symptom a callee explains must stay on the path that leads to it.
  // Hosts explained by a container on them (explainedBy) still drop out, as for every component.
  const traversal =
    method === 'traversal' || method === 'fused'
      ? rankTraversal({
          n,
          out: a.graph.out,
          in: a.graph.in,
          entry: a.entry,
          anomaly: unexplained(a, seen),
          ...(a.felt && { calm: calmByWorkload(a.felt, a.workload) }),
        }).score
      : new Float64Array(n);
  const walk =
    method === 'walk' || method === 'fused'
      ? runWalk(a, w, method === 'fused' ? stats : null, rng)
      : new Float64Array(n);
  normalise(walk);
  // A node the graph does not connect (a host off the call graph) gets no say from the graph: the
  // graph components fall back on its own evidence rather than ranking it last, once that evidence is
  // an anomaly (a service no call reaches, with noise for evidence, cannot explain the alarm). The
  // alarm's entry always does: the walk restarts there, and those visits are no evidence.
  // Without a named alarm entity the walk and traversal have nothing to explain: node evidence decides.
  const anchored = a.coverage.entryGiven;
  for (let j = 0; j < n; j++) {
    if (
      anchored &&
      (a.graph.out.offsets[j + 1] > a.graph.out.offsets[j] ||
        a.graph.in.offsets[j + 1] > a.graph.in.offsets[j] ||
        (!a.hosts[j] && j !== a.entry && seen[j] < TRAVERSAL_DEFAULTS.threshold))
    )
      continue;
    if (method === 'walk' || method === 'fused') walk[j] = stats[j];
    if (method === 'traversal' || method === 'fused') traversal[j] = Math.max(traversal[j], stats[j]);
  }
  const traces = new Float64Array(n),
    logs = new Float64Array(n),
    changes = new Float64Array(n);
  const shift = new Float64Array(n);
  a.graph.nodes.forEach((e, j) => {
    traces[j] = a.traces?.entities.get(e)?.score ?? 0;
    shift[j] = Math.log1p(a.traceShift?.entities.get(e)?.score ?? 0);
    logs[j] = Math.log1p(a.logs.get(e)?.score ?? 0);
    changes[j] = a.changes.get(e)?.score ?? 0;
  });
  // Fused trace evidence: MicroRank's spectrum (which operations the anomalous traces share) and each
  // operation's own shift (which one got slower or started failing), on one [0, 1] scale each, averaged.
  // `microrank` alone stays MicroRank alone.
  normalise(traces);
  normalise(shift);
  if (method === 'fused') for (let j = 0; j < n; j++) traces[j] = (traces[j] + shift[j]) / 2;
  return { stats, walk, traversal, traces: normalise(traces), logs: normalise(logs), changes };
}

/**
 * Node j's evidence on the robust-z scale from per-type moves `z` beyond their quiet-time `zQuiet`,
 * weighted by `w`, raised by its logs and traces, and discounted when it is an explained host.
 */
function nodeAnomaly(a: CaseAnalysis, w: Float64Array, z: Float64Array, zQuiet: Float64Array, j: number): number {
  const K = a.types.length;
  let m = 0,
    m0 = 0;
  for (let k = 0; k < K; k++) {
    m = Math.max(m, w[k] * z[j * K + k]);
    m0 = Math.max(m0, w[k] * zQuiet[j * K + k]);
  }
  // Evidence beyond what the node's own series reach in quiet time (noise-floor.ts): a node with
  // many noisy series does not top the ranking by the chance maximum of its noise.
  m = Math.max(0, m - m0);
  // Logs and traces on the same scale (node-evidence.ts): a fault seen only there still leads.
  m = Math.max(m, logAndTraceEvidence(a.logs.get(a.graph.nodes[j])?.ownScore ?? 0, ownTraceShift(a, j)));
  // A host whose anomaly a workload on it explains keeps only a share of its evidence.
  return m * a.discount[j];
}

function ownTraceShift(a: CaseAnalysis, j: number): number {
  return a.traceShift?.entities.get(a.graph.nodes[j])?.score ?? 0;
}

/** Ranks every node of the behaviour graph, best first, with explanations. Pure given `rng`. */
export function rankRootCauses(
  a: CaseAnalysis,
  weights: RcaWeights,
  opts: { method?: RcaMethod; rng: Rng },
): RankedCandidate[] {
  const method = opts.method ?? 'fused';
  const comp = componentScores(a, weights, method, opts.rng);
  const score = combine(a, comp, weights, method);
  const order = a.graph.nodes
    .map((_, j) => j)
    .sort((x, y) => (rankedBefore(a.graph.nodes, score, x, y) ? -1 : rankedBefore(a.graph.nodes, score, y, x) ? 1 : 0));
  return order.map((j) => ({ entity: a.graph.nodes[j], score: score[j], explanation: explain(a, j, comp) }));
}

/**
 * The final per-node score: the chosen component (or the fusion) plus the entity prior scaled by the
 * node's statistical evidence now, so a past culprit is favoured only when it is anomalous again.
 */
export function combine(a: CaseAnalysis, comp: ComponentScores, weights: RcaWeights, method: RcaMethod): Float64Array {
  const n = a.graph.nodes.length;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    if (method === 'fused') for (const c of COMPONENTS) s += weights.fusion[c] * comp[c][j];
    else s = comp[method === 'microrank' ? 'traces' : method][j];
    out[j] = s + priorOf(weights, a.graph.nodes[j]) * comp.stats[j];
  }
  if (method !== 'fused') return out;
  const own = { nodes: a.graph.nodes, ownState: a.ownState, workload: a.workload };
  return ownFirst(own, out, (j) => priorOf(weights, a.graph.nodes[j]) > 0);
}

function runWalk(a: CaseAnalysis, w: Float64Array, stats: Float64Array | null, rng: Rng): Float64Array {
  const n = a.graph.nodes.length;
  const input: WalkInput = {
    n,
    out: a.graph.out,
    in: a.graph.in,
    start: a.entry,
    types: a.types.length,
    corr: a.corr,
    weights: w,
  };
  if (stats) {
    input.nodeFactor = Float64Array.from(stats, (s) => DEFAULTS.nodeFactorFloor + s);
    let sum = 0;
    for (const s of stats) sum += s;
    const restart = new Float64Array(n);
    for (let j = 0; j < n; j++) restart[j] = sum > 0 ? ((1 - DEFAULTS.restartEntryShare) * stats[j]) / sum : 0;
    restart[a.entry] += sum > 0 ? DEFAULTS.restartEntryShare : 1;
    input.restartTo = restart;
  }
  return walkVisits(input, rng);
}

function normalise(v: Float64Array): Float64Array {
  let m = 0;
  for (const x of v) m = Math.max(m, x);
  if (m > 0) for (let i = 0; i < v.length; i++) v[i] /= m;
  return v;
}

// A host a workload on it explains is no anomalous node on a path: it neither blocks that workload's
// pod (its caller over RUNS_ON) from being the root, nor becomes the root itself.
function unexplained(a: CaseAnalysis, anomaly: Float64Array): Float64Array {
  if (!a.explainedBy.some((e) => e !== null)) return anomaly;
  return anomaly.map((x, j) => (a.explainedBy[j] === null ? x : 0));
}
