/**
 * MicroRank (Yu, Chen, Wang, Pei, Li, Lin, Zhang, "MicroRank: End-to-End Latency Issue Localization
 * with Extended Spectrum Analysis in Microservice Environments", WWW 2021). Traces are split into
 * anomalous (error status, or latency above Σ_o count_o·(μ_o + n·σ_o) with μ/σ from normal traces)
 * and normal; personalised PageRank runs on each set's operation–trace graph; spectrum formulas over
 * the PageRank-weighted coverage counts rank operations; an entity scores as its best operation.
 */
import { pageRank, rowsFromEdges } from './pagerank.js';
import { suspiciousness, type SpectrumFormula } from './spectrum.js';
import type { CaseSpan } from '../cases/types.js';
import { isErrorStatus } from '../model/span-status.js';

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

interface Trace {
  ops: Map<number, number>;
  start: number;
  latency: number;
  failed: boolean;
  /** Longest span per operation, ns. */
  slowest: Map<number, number>;
}

/**
 * Runs MicroRank over spans. Traces starting at or after `incidentStartNs` are diagnosed; earlier ones
 * form the latency baseline (all traces when none are earlier). Pure.
 */
export function rankMicroRank(
  spans: readonly SpanIn[],
  incidentStartNs: number,
  opts: Partial<typeof DEFAULTS> = {},
): MicroRankResult {
  const o = { ...DEFAULTS, ...opts };
  const opIndex = new Map<string, number>();
  const opNames: Array<[string, string]> = [];
  const traces = groupTraces(spans, opIndex, opNames);
  const callEdges = operationCalls(spans, opIndex);
  const before = traces.filter((t) => t.start < incidentStartNs);
  const diagnosed = traces.filter((t) => t.start >= incidentStartNs);
  const baseline = before.length > 0 ? before : traces;
  const window = diagnosed.length > 0 ? diagnosed : traces;
  const { mu, sd } = operationLatency(spans, opIndex, opNames.length, baseline === traces ? null : incidentStartNs);
  const anomalous: Trace[] = [];
  const normal: Trace[] = [];
  for (const t of window) {
    let slow = false;
    for (const [op, d] of t.slowest) if (d > mu[op] + o.sigmas * Math.max(sd[op], o.minRelSigma * mu[op])) slow = true;
    (t.failed || slow ? anomalous : normal).push(t);
  }
  // With no normal trace in the window, the baseline traces stand in as the passing runs.
  const passing = normal.length > 0 ? normal : baseline.filter((t) => !anomalous.includes(t));
  const nOps = opNames.length;
  const prA = setPageRank(anomalous, nOps, callEdges, o);
  const prN = setPageRank(passing, nOps, callEdges, o);
  const coverA = coverage(anomalous, nOps);
  const coverN = coverage(passing, nOps);
  const operations: OperationScore[] = [];
  for (let op = 0; op < nOps; op++) {
    const ef = prA[op] * coverA[op],
      nf = prA[op] * (anomalous.length - coverA[op]);
    const ep = prN[op] * coverN[op],
      np = prN[op] * (passing.length - coverN[op]);
    operations.push({
      entity: opNames[op][0],
      operation: opNames[op][1],
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

function groupTraces(
  spans: readonly SpanIn[],
  opIndex: Map<string, number>,
  opNames: Array<[string, string]>,
): Trace[] {
  const byTrace = new Map<string, Trace & { end: number }>();
  for (const s of spans) {
    const key = `${s.entity}\u0000${s.operation}`;
    let op = opIndex.get(key);
    if (op === undefined) {
      op = opNames.length;
      opIndex.set(key, op);
      opNames.push([s.entity, s.operation]);
    }
    let t = byTrace.get(s.traceId);
    if (!t)
      byTrace.set(
        s.traceId,
        (t = {
          ops: new Map(),
          start: s.startNs,
          end: s.startNs + s.durationNs,
          latency: 0,
          failed: false,
          slowest: new Map(),
        }),
      );
    t.ops.set(op, (t.ops.get(op) ?? 0) + 1);
    t.slowest.set(op, Math.max(t.slowest.get(op) ?? 0, s.durationNs));
    t.start = Math.min(t.start, s.startNs);
    t.end = Math.max(t.end, s.startNs + s.durationNs);
    if (isErrorStatus(s.status)) t.failed = true;
  }
  const out: Trace[] = [];
  for (const t of byTrace.values())
    out.push({ ops: t.ops, start: t.start, latency: t.end - t.start, failed: t.failed, slowest: t.slowest });
  return out;
}

// Mean and std of each operation's span duration, over spans starting before `beforeNs` (all if null).
function operationLatency(spans: readonly SpanIn[], opIndex: Map<string, number>, n: number, beforeNs: number | null) {
  const cnt = new Float64Array(n),
    sum = new Float64Array(n),
    sq = new Float64Array(n);
  for (const s of spans) {
    if (beforeNs !== null && s.startNs >= beforeNs) continue;
    const op = opIndex.get(`${s.entity}\u0000${s.operation}`) as number;
    cnt[op]++;
    sum[op] += s.durationNs;
    sq[op] += s.durationNs * s.durationNs;
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

function operationCalls(spans: readonly SpanIn[], opIndex: Map<string, number>): Array<[number, number]> {
  const bySpan = new Map<string, number>();
  for (const s of spans)
    bySpan.set(`${s.traceId}\u0000${s.spanId}`, opIndex.get(`${s.entity}\u0000${s.operation}`) as number);
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  for (const s of spans) {
    if (s.parentSpanId === null) continue;
    const parent = bySpan.get(`${s.traceId}\u0000${s.parentSpanId}`);
    const child = bySpan.get(`${s.traceId}\u0000${s.spanId}`) as number;
    if (parent === undefined || parent === child || seen.has(`${parent},${child}`)) continue;
    seen.add(`${parent},${child}`);
    out.push([parent, child]);
  }
  return out;
}

function coverage(set: Trace[], nOps: number): Float64Array {
  const c = new Float64Array(nOps);
  for (const t of set) for (const op of t.ops.keys()) c[op]++;
  return c;
}

// PageRank over operations (0..nOps) and the set's traces (nOps..); returns operation weights × nOps.
function setPageRank(set: Trace[], nOps: number, calls: Array<[number, number]>, o: typeof DEFAULTS): Float64Array {
  if (set.length === 0) return new Float64Array(nOps);
  const n = nOps + set.length;
  const edges: Array<[number, number, number]> = [];
  const tracesOf = new Float64Array(nOps);
  for (const t of set) for (const op of t.ops.keys()) tracesOf[op]++;
  const callsOut = new Float64Array(nOps);
  for (const [a] of calls) callsOut[a]++;
  for (const [a, b] of calls) edges.push([a, b, o.callShare / callsOut[a]]);
  const patternCount = new Map<string, number>();
  const patterns = set.map((t) => [...t.ops.keys()].sort((a, b) => a - b).join(','));
  for (const p of patterns) patternCount.set(p, (patternCount.get(p) ?? 0) + 1);
  const pref = new Float64Array(n);
  set.forEach((t, i) => {
    const node = nOps + i;
    for (const op of t.ops.keys()) {
      edges.push([node, op, 1 / t.ops.size]);
      edges.push([op, node, (callsOut[op] > 0 ? 1 - o.callShare : 1) / tracesOf[op]]);
    }
    // Rarer trace patterns carry more information about where the anomaly is.
    pref[node] = 1 / (patternCount.get(patterns[i]) as number);
  });
  const pr = pageRank(rowsFromEdges(n, edges), pref, { damping: o.damping });
  const out = new Float64Array(nOps);
  for (let op = 0; op < nOps; op++) out[op] = pr[op] * nOps;
  return out;
}
