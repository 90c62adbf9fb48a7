/**
 * MicroRank (Yu, Chen, Wang, Pei, Li, Lin, Zhang, "MicroRank: End-to-End Latency Issue Localization
 * with Extended Spectrum Analysis in Microservice Environments", WWW 2021). Traces are split into
 * anomalous (error status, or latency above Σ_o count_o·(μ_o + n·σ_o) with μ/σ from normal traces)
 * and normal; personalised PageRank runs on each set's operation–trace graph; spectrum formulas over
 * the PageRank-weighted coverage counts rank operations; an entity scores as its best operation.
 */
import { pageRank } from './pagerank.js';
import { suspiciousness, type SpectrumFormula } from './spectrum.js';
import type { CaseSpan } from '../cases/types.js';
import { toSpanIndex, type SpanIndex } from './span-index.js';

export const DEFAULTS = {
  /** n in μ_o + n·σ_o. */
  sigmas: 3,
  /** σ_o is at least this share of μ_o (an operation that always took 10 ms is not anomalous at 10.1 ms). */
  minRelSigma: 0.05,
  formula: 'ochiai' as SpectrumFormula,
  /** Share of an operation's PageRank flow that follows its call edges (rest goes to its traces). */
  callShare: 0.3,
  damping: 0.85,
};

/** The span fields MicroRank needs: the offline case format's span, which live traces map onto too. */
export type SpanIn = CaseSpan;

/** One operation's result. */
export interface OperationScore {
  entity: string;
  operation: string;
  score: number;
  ef: number;
  ep: number;
  nf: number;
  np: number;
}

export interface MicroRankResult {
  /** Entity → best operation score (0..1 for Ochiai/Tarantula). */
  entities: Map<string, OperationScore>;
  operations: OperationScore[];
  anomalousTraces: number;
  normalTraces: number;
}

/** Traces as rows: trace t's distinct operations (first-seen order) are ops[opStart[t] .. opStart[t+1]]. */
interface TraceTable {
  count: number;
  opStart: Int32Array;
  ops: Int32Array;
  /** Longest span of the trace's operation at the same position, ns (at least 0). */
  slowest: Float64Array;
  start: Float64Array;
  failed: Uint8Array;
}

/**
 * Runs MicroRank over spans. Traces starting at or after `incidentStartNs` are diagnosed; earlier ones
 * form the latency baseline (all traces when none are earlier). Takes the spans or their SpanIndex
 * (span-index.ts: index once when trace-shift.ts reads the same spans). Pure.
 */
export function rankMicroRank(
  spans: readonly SpanIn[] | SpanIndex,
  incidentStartNs: number,
  opts: Partial<typeof DEFAULTS> = {},
): MicroRankResult {
  const o = { ...DEFAULTS, ...opts };
  const ix = toSpanIndex(spans);
  const nOps = ix.operationNames.length;
  const traces = tabulateTraces(ix);
  const callEdges = operationCalls(ix);
  const all = Int32Array.from({ length: traces.count }, (_, t) => t);
  const before = all.filter((t) => traces.start[t] < incidentStartNs);
  const diagnosed = all.filter((t) => traces.start[t] >= incidentStartNs);
  const baseline = before.length > 0 ? before : all;
  const window = diagnosed.length > 0 ? diagnosed : all;
  const isAnomalous = flagAnomalous(traces, window, operationLatency(ix, baseline === all ? null : incidentStartNs), o);
  const anomalous = window.filter((t) => isAnomalous[t] === 1);
  const normal = window.filter((t) => isAnomalous[t] === 0);
  // With no normal trace in the window, the baseline traces stand in as the passing runs.
  const passing = normal.length > 0 ? normal : baseline.filter((t) => isAnomalous[t] === 0);
  const prA = setPageRank(traces, anomalous, nOps, callEdges, o);
  const prN = setPageRank(traces, passing, nOps, callEdges, o);
  const coverA = coverage(traces, anomalous, nOps);
  const coverN = coverage(traces, passing, nOps);
  const operations: OperationScore[] = [];
  for (let op = 0; op < nOps; op++) {
    const ef = prA[op] * coverA[op],
      nf = prA[op] * (anomalous.length - coverA[op]);
    const ep = prN[op] * coverN[op],
      np = prN[op] * (passing.length - coverN[op]);
    operations.push({
      entity: ix.entityNames[ix.operationEntity[op]],
      operation: ix.operationNames[op],
      score: suspiciousness({ ef, ep, nf, np }, o.formula),
      ef,
      ep,
      nf,
      np,
    });
  }
  operations.sort((a, b) => b.score - a.score || a.entity.localeCompare(b.entity));
  const entities = new Map<string, OperationScore>();
  for (const op of operations) if (!entities.has(op.entity)) entities.set(op.entity, op);
  return { entities, operations, anomalousTraces: anomalous.length, normalTraces: passing.length };
}

// 1 for each trace of `window` that failed or has an operation slower than μ + n·σ of its baseline.
function flagAnomalous(
  traces: TraceTable,
  window: Int32Array,
  { mu, sd }: { mu: Float64Array; sd: Float64Array },
  o: typeof DEFAULTS,
): Uint8Array {
  const flags = new Uint8Array(traces.count);
  for (const t of window) {
    let slow = false;
    for (let k = traces.opStart[t]; k < traces.opStart[t + 1]; k++) {
      const op = traces.ops[k];
      if (traces.slowest[k] > mu[op] + o.sigmas * Math.max(sd[op], o.minRelSigma * mu[op])) slow = true;
    }
    if (traces.failed[t] || slow) flags[t] = 1;
  }
  return flags;
}

function tabulateTraces(ix: SpanIndex): TraceTable {
  const { byTrace, traceStart, operation, startNs, durationNs } = ix;
  const count = ix.traceCount;
  const table: TraceTable = {
    count,
    opStart: new Int32Array(count + 1),
    ops: new Int32Array(ix.size),
    slowest: new Float64Array(ix.size),
    start: new Float64Array(count),
    failed: new Uint8Array(count),
  };
  // Where each operation sits in the current trace's row (valid when seenIn[op] is that trace + 1).
  const seenIn = new Int32Array(ix.operationNames.length);
  const at = new Int32Array(ix.operationNames.length);
  let n = 0;
  for (let t = 0; t < count; t++) {
    let start = startNs[byTrace[traceStart[t]]];
    for (let k = traceStart[t]; k < traceStart[t + 1]; k++) {
      const i = byTrace[k],
        op = operation[i];
      if (seenIn[op] !== t + 1) {
        seenIn[op] = t + 1;
        at[op] = n;
        table.ops[n++] = op;
      }
      table.slowest[at[op]] = Math.max(table.slowest[at[op]], durationNs[i]);
      start = Math.min(start, startNs[i]);
      if (ix.failed[i]) table.failed[t] = 1;
    }
    table.start[t] = start;
    table.opStart[t + 1] = n;
  }
  return table;
}

// Mean and std of each operation's span duration, over spans starting before `beforeNs` (all if null).
function operationLatency(ix: SpanIndex, beforeNs: number | null) {
  const n = ix.operationNames.length;
  const cnt = new Float64Array(n),
    sum = new Float64Array(n),
    sq = new Float64Array(n);
  for (let i = 0; i < ix.size; i++) {
    if (beforeNs !== null && ix.startNs[i] >= beforeNs) continue;
    const op = ix.operation[i],
      d = ix.durationNs[i];
    cnt[op]++;
    sum[op] += d;
    sq[op] += d * d;
  }
  const mu = new Float64Array(n),
    sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (cnt[i] === 0) {
      mu[i] = Number.POSITIVE_INFINITY;
      continue;
    }
    mu[i] = sum[i] / cnt[i];
    sd[i] = Math.sqrt(Math.max(0, sq[i] / cnt[i] - mu[i] * mu[i]));
  }
  return { mu, sd };
}

// Distinct caller → callee operation pairs, in order of first appearance.
function operationCalls(ix: SpanIndex): Array<[number, number]> {
  const nOps = ix.operationNames.length;
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (let i = 0; i < ix.size; i++) {
    if (ix.parent[i] < 0) continue;
    const parent = ix.operation[ix.parent[i]];
    const child = ix.operation[ix.canonical[i]];
    if (parent === child || seen.has(parent * nOps + child)) continue;
    seen.add(parent * nOps + child);
    out.push([parent, child]);
  }
  return out;
}

function coverage(traces: TraceTable, set: Int32Array, nOps: number): Float64Array {
  const c = new Float64Array(nOps);
  for (const t of set) for (let k = traces.opStart[t]; k < traces.opStart[t + 1]; k++) c[traces.ops[k]]++;
  return c;
}

// PageRank over operations (0..nOps) and the set's traces (nOps..); returns operation weights × nOps.
function setPageRank(
  traces: TraceTable,
  set: Int32Array,
  nOps: number,
  calls: Array<[number, number]>,
  o: typeof DEFAULTS,
): Float64Array {
  if (set.length === 0) return new Float64Array(nOps);
  const { opStart, ops } = traces;
  const n = nOps + set.length;
  const tracesOf = coverage(traces, set, nOps);
  const callsOut = new Float64Array(nOps);
  for (const [a] of calls) callsOut[a]++;
  // Each row's edges in the order an edge list (calls, then per trace both directions) would give them.
  const rowStart = new Int32Array(n + 1);
  for (let op = 0; op < nOps; op++) rowStart[op + 1] = callsOut[op] + tracesOf[op];
  set.forEach((t, i) => (rowStart[nOps + i + 1] = opStart[t + 1] - opStart[t]));
  for (let r = 0; r < n; r++) rowStart[r + 1] += rowStart[r];
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(rowStart[n]);
  const weights = new Float64Array(rowStart[n]);
  const edge = (from: number, to: number, w: number) => {
    cols[fill[from]] = to;
    weights[fill[from]++] = w;
  };
  for (const [a, b] of calls) edge(a, b, o.callShare / callsOut[a]);
  const patterns = patternCounts(traces, set);
  const pref = new Float64Array(n);
  set.forEach((t, i) => {
    const node = nOps + i;
    for (let k = opStart[t]; k < opStart[t + 1]; k++) {
      const op = ops[k];
      edge(node, op, 1 / (opStart[t + 1] - opStart[t]));
      edge(op, node, (callsOut[op] > 0 ? 1 - o.callShare : 1) / tracesOf[op]);
    }
    // Rarer trace patterns carry more information about where the anomaly is.
    pref[node] = 1 / patterns[i];
  });
  const pr = pageRank({ n, rowStart, cols, weights }, pref, { damping: o.damping });
  const out = new Float64Array(nOps);
  for (let op = 0; op < nOps; op++) out[op] = pr[op] * nOps;
  return out;
}

// For each trace of the set, how many traces of the set cover exactly its operations.
function patternCounts(traces: TraceTable, set: Int32Array): Float64Array {
  const keys = Array.from(set, (t) =>
    traces.ops
      .slice(traces.opStart[t], traces.opStart[t + 1])
      .sort()
      .join(','),
  );
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  return Float64Array.from(keys, (k) => count.get(k) as number);
}
