/**
 * The weight-independent half of RCA: window split, every metric's robust move, correlations with
 * the entry SLI, the behaviour graph, MicroRank, logs and changes. Computed once per incident so that
 * re-ranking under new weights (feedback) is cheap. Pure.
 */
import { buildBehaviourGraph, type BehaviourGraph } from './behaviour-graph.js';
import { scoreChanges, type ChangeIn, type EntityChangeEvidence } from './change-evidence.js';
import { scoreLogs, type EntityLogEvidence, type LogIn } from './log-evidence.js';
import { scoreSeries, type MetricMove, type SeriesIn } from './metric-evidence.js';
import { metricSemantics } from './metric-semantics.js';
import { rankMicroRank, type MicroRankResult, type SpanIn } from './microrank.js';
import { pearson } from './robust.js';
import { splitWindow, type WindowSplit } from './windows.js';

export const DEFAULTS = {
  /**
   * Focus on the kind of signal that alarmed: metric types of another family than the entry SLI's
   * (latency vs availability vs errors …) count this share. PetShop's reference methods analyse only
   * the alarming metric (Hardt et al., CLeaR 2024); 1 = no focus. Tuned on PetShop train cases only.
   */
  otherFamilyFocus: 0.02,
  /** Share for another statistic of the same family (latency_p99 when latency_Average alarmed). */
  sameFamilyFocus: 0.1,
};

/** An incident's evidence as plain data (CaseData from src/cases fits, plus optional changes). */
export interface RcaInput {
  timestamps: Float64Array;
  series: readonly SeriesIn[];
  topology: ReadonlyArray<{ source: string; target: string }>;
  spans?: readonly SpanIn[];
  logs?: readonly LogIn[];
  changes?: readonly ChangeIn[];
  incident: { start: number; entry?: string; entryMetric?: string };
}

/** Everything the ranking needs, independent of weights. */
export interface CaseAnalysis {
  graph: BehaviourGraph;
  /** Metric types (k), in a fixed order. */
  types: string[];
  /** Index of the entry (front end) node in graph.nodes. */
  entry: number;
  entrySeries: string | null;
  /** Harmful-direction |z| (metric-semantics.ts) per node per type, NaN-free: z[j·K + k] (0 where missing). */
  z: Float64Array;
  /** Per type k: 1 for the entry SLI's metric, sameFamilyFocus for its family, otherFamilyFocus for others (all 1 without an SLI). */
  focus: Float64Array;
  /** |corr| with the entry SLI per node per type: c[j·K + k]. */
  corr: Float64Array;
  /** Metric moves per node (sorted by |z|), for explanations. */
  moves: MetricMove[][];
  traces: MicroRankResult | null;
  logs: Map<string, EntityLogEvidence>;
  changes: Map<string, EntityChangeEvidence>;
  split: WindowSplit;
}

/** Analyses one incident. Throws nothing for sparse data: missing evidence is simply absent. */
export function analyseCase(input: RcaInput, opts: Partial<typeof DEFAULTS> = {}): CaseAnalysis {
  const o = { ...DEFAULTS, ...opts };
  const split = splitWindow(input.timestamps, input.incident.start);
  const types = [...new Set(input.series.map((s) => s.metric))].sort();
  const typeIdx = new Map(types.map((t, i) => [t, i]));
  const seriesMoves = input.series.map((s) => scoreSeries(s, split));
  const entities = [...new Set(input.series.map((s) => s.entity))];
  const representative = new Map<string, Float64Array>();
  const bestAbs = new Map<string, number>();
  input.series.forEach((s, i) => {
    const m = seriesMoves[i];
    if (m && m.harm > (bestAbs.get(s.entity) ?? -1)) {
      bestAbs.set(s.entity, m.harm);
      representative.set(s.entity, s.values);
    }
  });
  const graph = buildBehaviourGraph({ entities, topology: input.topology, spans: input.spans, representative });
  const entryName = pickEntry(input, graph, seriesMoves);
  if (!graph.index.has(entryName)) {
    // An entry with no metrics and no edges still anchors the walk.
    graph.index.set(entryName, graph.nodes.length);
    graph.nodes.push(entryName);
    graph.out = {
      offsets: Int32Array.from([...graph.out.offsets, graph.out.targets.length]),
      targets: graph.out.targets,
    };
    graph.in = { offsets: Int32Array.from([...graph.in.offsets, graph.in.targets.length]), targets: graph.in.targets };
  }
  const n = graph.nodes.length,
    K = types.length;
  const entrySli = pickEntrySeries(input, entryName, seriesMoves);
  const rows = Int32Array.from([...split.normal, ...split.anomalous]).sort();
  const sli = entrySli ? subset(entrySli.values, rows) : null;
  const z = new Float64Array(n * K),
    corr = new Float64Array(n * K);
  const moves: MetricMove[][] = Array.from({ length: n }, () => []);
  input.series.forEach((s, i) => {
    const j = graph.index.get(s.entity) as number,
      k = typeIdx.get(s.metric) as number;
    const m = seriesMoves[i];
    if (m) {
      moves[j].push(m);
      z[j * K + k] = Math.max(z[j * K + k], m.harm);
    }
    if (sli) corr[j * K + k] = Math.max(corr[j * K + k], Math.abs(pearson(subset(s.values, rows), sli)));
  });
  for (const m of moves) m.sort((a, b) => b.harm - a.harm);
  const entryFamily = entrySli ? metricSemantics(entrySli.metric).family : null;
  const focus = Float64Array.from(types, (t) => {
    if (entryFamily === null || t === entrySli?.metric) return 1;
    return metricSemantics(t).family === entryFamily ? o.sameFamilyFocus : o.otherFamilyFocus;
  });
  const spans = input.spans ?? [];
  return {
    graph,
    types,
    entry: graph.index.get(entryName) as number,
    entrySeries: entrySli ? `${entrySli.entity}|${entrySli.metric}` : null,
    z,
    focus,
    corr,
    moves,
    traces: spans.length > 0 ? rankMicroRank(spans, input.incident.start * 1e9) : null,
    logs: scoreLogs(input.logs ?? [], input.incident.start),
    changes: scoreChanges(input.changes ?? [], input.incident.start),
    split,
  };
}

function subset(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

// The entry: as given; else the most anomalous entity nobody calls (a front end); else the most anomalous.
function pickEntry(input: RcaInput, graph: BehaviourGraph, moves: Array<MetricMove | null>): string {
  if (input.incident.entry) return input.incident.entry;
  const best = new Map<string, number>();
  input.series.forEach((s, i) => best.set(s.entity, Math.max(best.get(s.entity) ?? 0, moves[i]?.harm ?? 0)));
  const roots = graph.nodes.filter(
    (e, i) => graph.in.offsets[i + 1] === graph.in.offsets[i] && graph.source !== 'pc-skeleton',
  );
  const pool = roots.length > 0 ? roots : graph.nodes;
  let pick = pool[0] ?? 'unknown';
  for (const e of pool) if ((best.get(e) ?? 0) > (best.get(pick) ?? 0)) pick = e;
  return pick;
}

function pickEntrySeries(input: RcaInput, entry: string, moves: Array<MetricMove | null>): SeriesIn | null {
  let best: SeriesIn | null = null,
    bestZ = -1;
  for (let i = 0; i < input.series.length; i++) {
    const s = input.series[i];
    if (s.entity !== entry) continue;
    if (input.incident.entryMetric && s.metric === input.incident.entryMetric) return s;
    const zz = moves[i]?.harm ?? 0;
    if (zz > bestZ) {
      bestZ = zz;
      best = s;
    }
  }
  return best;
}
