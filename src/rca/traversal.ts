/**
 * Anomaly traversal along the call graph (the "traversal" baseline of Hardt, Orchard, Blöbaum,
 * Kirschbaum, Kasiviswanathan, "The PetShop Dataset — Finding Causes of Performance Issues across
 * Microservices", CLeaR 2024, code/baseline_anomaly_traversal.py; justified for polytrees by Okati et
 * al., "Root Cause Analysis of Outliers with Missing Structural Knowledge", 2024). With the causal
 * graph taken as the reversed call graph, a root cause is an anomalous node none of whose callees is
 * anomalous, joined to the entry by a path of anomalous nodes; candidates are scored by the sum of
 * anomaly scores along that path. Differences from the reference: the best path is found by dynamic
 * programming over BFS layers from the entry (linear, cycle-safe) instead of enumerating simple paths,
 * and every node gets a score so the ranking is total: roots first (by path score), then other
 * anomalous nodes on the paths, then the rest by their own anomaly. Pure.
 */
import type { Csr } from './behaviour-graph.js';

export const DEFAULTS = {
  /** A node is anomalous when its score reaches this (robust z units; ≈ the reference's MAD score 5). */
  threshold: 3,
  /** Score bands in [0, 1]: roots above `rootBand`, anomalous non-roots above `pathBand`, the rest below. */
  rootBand: 0.5,
  pathBand: 0.25,
};

/** The traversal's inputs, indexed by node. */
export interface TraversalInput {
  n: number;
  /** caller → callee. */
  out: Csr;
  /** callee → caller. */
  in: Csr;
  /** The entry (alarming) node. */
  entry: number;
  /** Anomaly score per node (≥ 0, e.g. the largest harmful robust z). */
  anomaly: Float64Array;
  /** 1 = the node's SLIs are measured and normal: its callers felt nothing of it, so it explains none of theirs. */
  calm?: Uint8Array;
}

/** Per-node traversal scores in [0, 1] (see the header for the bands), and which nodes are roots. */
export interface TraversalResult {
  score: Float64Array;
  roots: Uint8Array;
}

/** Runs the traversal. Deterministic, O(nodes + edges). */
export function rankTraversal(input: TraversalInput, opts: Partial<typeof DEFAULTS> = {}): TraversalResult {
  const o = { ...DEFAULTS, ...opts };
  const { n, out, entry, anomaly } = input;
  const anomalous = new Uint8Array(n);
  for (let j = 0; j < n; j++) anomalous[j] = anomaly[j] >= o.threshold ? 1 : 0;
  // The alarm is what is being explained: the entry counts when it or one of its callees is anomalous;
  // with nothing anomalous near it there is no path to follow and no node is called a root.
  let alarm = anomalous[entry] === 1;
  for (let e = out.offsets[entry]; e < out.offsets[entry + 1] && !alarm; e++) alarm = anomalous[out.targets[e]] === 1;
  if (!alarm) return weakOnly(anomaly, o.pathBand);
  anomalous[entry] = 1;
  // BFS from the entry towards callees, through anomalous nodes only; best[j] = max path sum entry → j.
  const depth = new Int32Array(n).fill(-1);
  const best = new Float64Array(n).fill(-1);
  const order = [entry];
  depth[entry] = 0;
  best[entry] = anomaly[entry];
  for (let q = 0; q < order.length; q++) {
    const u = order[q];
    for (let e = out.offsets[u]; e < out.offsets[u + 1]; e++) {
      const v = out.targets[e];
      if (!anomalous[v]) continue;
      if (depth[v] < 0) {
        depth[v] = depth[u] + 1;
        order.push(v);
      }
      // Only edges into a deeper layer: a DAG, so the best path sum is well defined without cycles.
      if (depth[v] === depth[u] + 1) best[v] = Math.max(best[v], best[u] + anomaly[v]);
    }
  }
  const roots = new Uint8Array(n);
  let maxPath = 0,
    maxAnomaly = 0;
  for (let j = 0; j < n; j++) {
    maxAnomaly = Math.max(maxAnomaly, anomaly[j]);
    if (depth[j] < 0) continue;
    let anomalousCallee = false;
    for (let e = out.offsets[j]; e < out.offsets[j + 1] && !anomalousCallee; e++) {
      const v = out.targets[e];
      if (v !== j && anomalous[v] && anomaly[v] >= o.threshold && !input.calm?.[v]) anomalousCallee = true;
    }
    if (!anomalousCallee) {
      roots[j] = 1;
      maxPath = Math.max(maxPath, best[j]);
    }
  }
  const score = new Float64Array(n);
  const share = (x: number, m: number) => (m > 0 ? Math.min(1, x / m) : 0);
  for (let j = 0; j < n; j++) {
    if (roots[j]) score[j] = o.rootBand + (1 - o.rootBand) * share(best[j], maxPath);
    else if (depth[j] >= 0) score[j] = o.pathBand + (o.rootBand - o.pathBand) * share(anomaly[j], maxAnomaly);
    else score[j] = o.pathBand * share(anomaly[j], maxAnomaly);
  }
  return { score, roots };
}

function weakOnly(anomaly: Float64Array, band: number): TraversalResult {
  let m = 0;
  for (const x of anomaly) m = Math.max(m, x);
  return {
    score: Float64Array.from(anomaly, (x) => (m > 0 ? (band * x) / m : 0)),
    roots: new Uint8Array(anomaly.length),
  };
}
