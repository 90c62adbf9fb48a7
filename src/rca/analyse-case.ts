/**
 * The weight-independent half of RCA: window split, every metric's robust move, correlations with
 * the entry SLI, the behaviour graph, MicroRank, logs and changes. Computed once per incident so that
 * re-ranking under new weights (feedback) is cheap. Pure.
 */
import { coverageOf, notesFor, type Coverage } from './coverage.js';
import { addIsolatedNodes, buildBehaviourGraph, type BehaviourGraph } from './behaviour-graph.js';
import { scoreChanges, type ChangeIn, type EntityChangeEvidence } from './change-evidence.js';
import { scoreLogs, type EntityLogEvidence, type LogIn } from './log-evidence.js';
import { calleeMentionBlame } from './log-mentions.js';
import { scoreSeries, type MetricMove, type SeriesIn } from './metric-evidence.js';
import { callVolume } from './call-volume.js';
import { withCorroboratedDrops } from './confirmed-drops.js';
import { calmByWorkload, feltStates, nodeStates } from './node-states.js';
import { offPathCallers } from './off-path.js';
import { callsNothing, hostMask, workloadIndex } from './graph-roles.js';
import { entryExplainedCap, explainedSliCap, explainHosts, traceExplainedSli } from './explain-away.js';
import { ownStateEvidence, withLeafSlis } from './node-evidence.js';
import { isSliMetric, metricSemantics } from '../model/metric-semantics.js';
import { rankMicroRank, type MicroRankResult, type SpanIn } from './microrank.js';
import { quietHarm } from './noise-floor.js';
import { atRows, pearson } from './robust.js';
import { pickEntry, pickEntrySeries } from './alarm-entry.js';
import { indexSpans } from './span-index.js';
import { scoreTraceShift, type TraceShiftResult } from './trace-shift.js';
import { splitWindow, type WindowSplit } from './windows.js';

export const DEFAULTS = {
  /**
   * Focus on the kind of signal that alarmed, when the alarm names its metric (`entryMetric`): metric
   * types of another family than the entry SLI's (latency vs availability vs errors …) count this
   * share. 1 = no focus. Without a named alarm metric there is no focus at all. Chosen on the train
   * cases of the datasets whose alarms name a metric (PetShop train, simulator train): 0.02 (the earlier,
   * PetShop-only value), 0.2 and 1 were compared; 0.2 ranks best on AC@1 there without silencing other
   * signals (a cause visible only in another family still ranks).
   */
  otherFamilyFocus: 0.2,
  /** Share for another statistic of the same family (latency_p99 when latency_Average alarmed). */
  sameFamilyFocus: 0.2,
  /** A move this large (robust z) is anomalous, for the host explain-away and the notes. */
  anomalousZ: 3,
  /** A host's anomaly is explained by a workload when their series correlate at least this much. */
  explainCorr: 0.7,
  /** What is left of an explained host's metric evidence. */
  explainedShare: 0.2,
  /**
   * A traces' call drop this large (|z|, one-sided p ≈ .02) counts when the callee's metrics confirm it
   * (call-volume.ts): few sampled spans cannot reach `anomalousZ` on their own.
   */
  corroborateZ: 2,
  /** Fewer normal samples than this, or less normal history than `minBaselineS`, is a short baseline. */
  minBaselineSamples: 10,
  minBaselineS: 1_800,
  /**
   * The quiet-time yardstick (noise-floor.ts) is measured for entities whose largest move is at least
   * this share of the case's largest: the others cannot contend for the top, and skipping them keeps the
   * cost off large systems (6 of 3,000 entities measured in the 3,000-service benchmark).
   */
  quietRelevance: 0.01,
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
  /** Display names of entities that are ids (live: graph uids), as log lines name them. */
  names?: ReadonlyMap<string, string>;
  /**
   * Entities that are hosts (machines, VMs) rather than workloads. When absent and a call topology is
   * given, entities with metrics that appear nowhere in the topology are taken as hosts.
   */
  hosts?: readonly string[];
  /**
   * Hosts a case's reader made for series several entities shared (cases/shared-host-series.ts): hosts
   * on top of the topology rule above, with or without a topology.
   */
  sharedHosts?: ReadonlyArray<{ host: string }>;
  /** A part of a workload (a Pod, a Deployment) → the entity standing for it: their edges are not calls. */
  workloadOf?: ReadonlyMap<string, string>;
  /**
   * Entities whose callers the topology may not list in full (live: those at the edge of the graph
   * neighbourhood read); a lone caller seen is then not known to be the only one (call-volume.ts).
   */
  callersUnknown?: ReadonlySet<string>;
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
  /** Per node per type, the largest harm of normal operation's pseudo-incidents (noise-floor.ts), as z. */
  zQuiet: Float64Array;
  /** z as observed, before a callee explains a node's latency, errors and availability away (the traversal's input). */
  zUncapped: Float64Array;
  /** zQuiet as observed, before the same cap: the noise floor that goes with zUncapped. */
  zQuietUncapped: Float64Array;
  /** |corr| with the entry SLI per node per type: c[j·K + k]. */
  corr: Float64Array;
  /** Metric moves per node (sorted by |z|), for explanations. */
  moves: MetricMove[][];
  traces: MicroRankResult | null;
  /** Per-operation self-time and error-origin shifts (trace-shift.ts); null without spans. */
  traceShift: TraceShiftResult | null;
  logs: Map<string, EntityLogEvidence>;
  changes: Map<string, EntityChangeEvidence>;
  split: WindowSplit;
  /** Per node: 1 when it is a host (machine, VM). */
  hosts: Uint8Array;
  /** Per node: what is left of its metric evidence (1, or explainedShare for a host a workload explains). */
  discount: Float64Array;
  /** Per node: the workload that explains a host's anomaly, else null. */
  explainedBy: Array<string | null>;
  coverage: Coverage;
  /** Plain-language caveats: missing modalities, short baseline, no named alarm. */
  notes: string[];
  /**
   * Per node, its own-state evidence (node-evidence.ts ownStateEvidence; with a call graph, a node that
   * calls nothing owns its SLIs too: withLeafSlis); null where its own state is unknown. Absent in
   * analyses stored before it was kept.
   */
  ownState?: Array<number | null>;
  /**
   * Per node, what its callers see of it (node-states.ts FELT): in trouble (an SLI or its restarts beyond
   * `anomalousZ`, or callers' logs reporting failed calls to it that far), calm (SLIs measured and
   * sampled, none beyond normal's range nor fallen to nothing, and neither its spans nor its network
   * shifted `anomalousZ`), or unknown.
   * Absent in analyses stored before it was kept.
   */
  felt?: Uint8Array;
  /**
   * Per node, the node standing for its workload (RcaInput.workloadOf: a Pod → its Service), itself when
   * alone; absent when the input named no workloads (offline cases).
   */
  workload?: Int32Array;
}

/** Analyses one incident. Throws nothing for sparse data: missing evidence is simply absent. */
export function analyseCase(given: RcaInput, opts: Partial<typeof DEFAULTS> = {}): CaseAnalysis {
  const o = { ...DEFAULTS, ...opts };
  const unknownEntry = entryNamedNowhere(given);
  // An alarm naming nothing in the data (a typo, another naming scheme) is read as naming nothing.
  const input = unknownEntry === null ? given : { ...given, incident: { start: given.incident.start } };
  const split = splitWindow(input.timestamps, input.incident.start);
  const givenMoves = input.series.map((s) => scoreSeries(s, split));
  const entities = [...new Set(input.series.map((s) => s.entity))];
  const representative = new Map<string, Float64Array>();
  const bestAbs = new Map<string, number>();
  input.series.forEach((s, i) => {
    const m = givenMoves[i];
    if (m && m.harm > (bestAbs.get(s.entity) ?? -1)) {
      bestAbs.set(s.entity, m.harm);
      representative.set(s.entity, s.values);
    }
  });
  const graph = buildBehaviourGraph({ entities, topology: input.topology, spans: input.spans, representative });
  const entryName = pickEntry(input, graph, givenMoves);
  // An entry with no metrics and no edges still anchors the walk.
  addIsolatedNodes(graph, [entryName]);
  const entrySli = pickEntrySeries(input, entryName, givenMoves, o.anomalousZ);
  const rows = Int32Array.from([...split.normal, ...split.anomalous]).sort();
  const sli = entrySli ? atRows(entrySli.values, rows) : null;
  const hostsBeforeLogs = hostMask(input, graph);
  const states = nodeStates({ series: input.series, moves: givenMoves, graph, split }, o.anomalousZ);
  const spans = input.spans ?? [];
  // One interned index for both trace methods (span-index.ts): building it is most of their cost.
  const spanIndex = spans.length > 0 ? indexSpans(spans) : null;
  const traceShiftAlone = spanIndex ? scoreTraceShift(spanIndex, input.incident.start * 1e9) : null;
  // Callees that lost calls their caller no longer makes: their load moves are the caller's (call-volume.ts).
  const volume = callVolume(
    {
      series: input.series,
      moves: givenMoves,
      graph,
      hosts: hostsBeforeLogs,
      split,
      rows,
      workloadOf: input.workloadOf,
      callersUnknown: input.callersUnknown,
      states,
      callDrops: traceShiftAlone?.callDrops,
    },
    o,
  );
  // A caller's call drop that its callee's metrics confirm is the caller's trace evidence.
  const traceShift = traceShiftAlone && withCorroboratedDrops(traceShiftAlone, volume.corroborated);
  // A caller the alarm's entry does not reach sees its callee's trouble; its SLIs are that callee's (off-path.ts).
  const echoOf = offPathCallers(
    {
      series: input.series,
      moves: givenMoves,
      graph,
      hosts: hostsBeforeLogs,
      entry: input.incident.entry !== undefined ? (graph.index.get(entryName) ?? -1) : -1,
      workloadOf: input.workloadOf,
      callersUnknown: input.callersUnknown,
    },
    o,
  );
  // What is left of each given series' move (1 where nothing explains it).
  const left = (i: number) =>
    volume.explainedBy[i] !== null ? volume.share[i] : echoOf[i] !== null ? o.explainedShare : 1;
  const series = [...input.series, ...volume.derived];
  const seriesMoves = [
    ...givenMoves.map((m, i) => {
      const by = volume.explainedBy[i],
        echoed = echoOf[i];
      if (!m || (by === null && echoed === null)) return m;
      return { ...m, harm: m.harm * left(i), ...(by !== null ? { lessCalledBy: by } : { echoOf: echoed as string }) };
    }),
    ...volume.derivedMoves,
  ];
  const types = [...new Set(series.map((s) => s.metric))].sort();
  const typeIdx = new Map(types.map((t, i) => [t, i]));
  const quiet = quietHarm(series, split, contenders(series, seriesMoves, o.quietRelevance));
  // The quiet-time yardstick of an explained series shrinks with it: what is left is compared like for like.
  for (let i = 0; i < input.series.length; i++) quiet[i] *= left(i);
  // Who calls whom is known only from a topology or traces (a metrics-only skeleton has no direction).
  const calls = graph.source === 'topology' || graph.source === 'traces';
  // Without a call graph only a named alarm's entry is known to be in front of the rest.
  const entryIdx = input.incident.entry !== undefined ? (graph.index.get(entryName) as number) : -1;
  const blame = calls
    ? calleeMentionBlame(graph, { hosts: hostsBeforeLogs, names: input.names })
    : entryIdx >= 0
      ? calleeMentionBlame(graph, { hosts: hostsBeforeLogs, names: input.names, writers: new Set([entryName]) })
      : undefined;
  const logs = scoreLogs(input.logs ?? [], input.incident.start, blame ? { blame } : {});
  // A writer with log evidence but no metric column and no call edge is still a candidate: its logs may be the fault's only trace.
  addIsolatedNodes(graph, logs.keys());
  const n = graph.nodes.length,
    K = types.length;
  const hosts = new Uint8Array(n);
  hosts.set(hostsBeforeLogs);
  const z = new Float64Array(n * K),
    zQuiet = new Float64Array(n * K),
    corr = new Float64Array(n * K);
  const zUncapped = new Float64Array(n * K),
    zQuietUncapped = new Float64Array(n * K);
  const traceCap = traceExplainedSli(graph, traceShift, o.anomalousZ);
  const ownState = ownStateEvidence({
    series,
    nodes: graph.nodes,
    index: graph.index,
    moves: seriesMoves,
    quiet,
    logs,
    traceShift,
    trafficSteady: states.trafficSteady,
  });
  const felt = feltStates(graph.nodes, states, { logs, traceShift }, o.anomalousZ);
  const workload = input.workloadOf && input.workloadOf.size > 0 ? workloadIndex(graph, input.workloadOf) : undefined;
  const own = calls || entryIdx >= 0 ? ownState : null;
  const ownCap = own
    ? calls
      ? explainedSliCap(graph, own, o.anomalousZ, hosts, calmByWorkload(felt, workload))
      : entryExplainedCap(graph, own, entryIdx, o.anomalousZ, hosts)
    : null;
  // Only inclusive series (latency, errors, availability) are capped: a callee's anomaly explains them.
  const inclusive = types.map(isSliMetric);
  const sliCap = (j: number, k: number) => (inclusive[k] ? Math.min(traceCap[j], ownCap?.[j] ?? Infinity) : Infinity);
  const moves: MetricMove[][] = Array.from({ length: n }, () => []);
  series.forEach((s, i) => {
    const j = graph.index.get(s.entity) as number,
      k = typeIdx.get(s.metric) as number;
    const m = seriesMoves[i];
    const cap = sliCap(j, k);
    if (m) {
      moves[j].push(m);
      z[j * K + k] = Math.max(z[j * K + k], Math.min(m.harm, cap));
      zUncapped[j * K + k] = Math.max(zUncapped[j * K + k], m.harm);
    }
    zQuietUncapped[j * K + k] = Math.max(zQuietUncapped[j * K + k], quiet[i]);
    zQuiet[j * K + k] = Math.max(zQuiet[j * K + k], Math.min(quiet[i], cap));
    // Without an alarm SLI every metric is equally related to the alarm; the node evidence decides.
    corr[j * K + k] = sli ? Math.max(corr[j * K + k], Math.abs(pearson(atRows(s.values, rows), sli))) : 1;
  });
  for (const m of moves) m.sort((a, b) => b.harm - a.harm);
  const entryFamily = entrySli && input.incident.entryMetric ? metricSemantics(entrySli.metric).family : null;
  const focus = Float64Array.from(types, (t) => {
    if (entryFamily === null || t === entrySli?.metric) return 1;
    return metricSemantics(t).family === entryFamily ? o.sameFamilyFocus : o.otherFamilyFocus;
  });
  const { discount, explainedBy } = explainHosts({ series }, graph, hosts, seriesMoves, rows, o);
  const coverage = coverageOf(
    {
      seriesCount: input.series.length,
      timestamps: input.timestamps,
      spans,
      logs: input.logs ?? [],
      changes: (input.changes ?? []).length,
      incident: input.incident,
      spanLoopsCut: spanIndex?.loopsCut ?? 0,
      spanParentsMissing: spanIndex?.parentsMissing ?? 0,
    },
    split,
    unknownEntry,
    entryMetricNamedNowhere(input, entryName, entrySli),
  );
  return {
    graph,
    types,
    entry: graph.index.get(entryName) as number,
    entrySeries: entrySli ? `${entrySli.entity}|${entrySli.metric}` : null,
    z,
    zQuiet,
    zUncapped,
    zQuietUncapped,
    focus,
    corr,
    moves,
    traces: spanIndex ? rankMicroRank(spanIndex, input.incident.start * 1e9) : null,
    traceShift,
    logs,
    changes: scoreChanges(input.changes ?? [], input.incident.start),
    split,
    hosts,
    discount,
    explainedBy,
    coverage,
    notes: notesFor(coverage, o),
    ...(workload && { workload }),
    felt,
    ownState: calls
      ? withLeafSlis(ownState, {
          series,
          index: graph.index,
          moves: seriesMoves,
          quiet,
          callsNothing: (j) => callsNothing(graph, j, hosts, input.workloadOf),
        })
      : ownState,
  };
}

// The alarm's entity when the case holds no metric, call edge, span or log line of it; else null.
function entryNamedNowhere(input: RcaInput): string | null {
  const entry = input.incident.entry;
  if (entry === undefined) return null;
  const named =
    input.series.some((s) => s.entity === entry) ||
    input.topology.some((e) => e.source === entry || e.target === entry) ||
    (input.spans ?? []).some((s) => s.entity === entry) ||
    (input.logs ?? []).some((l) => l.entity === entry);
  return named ? null : entry;
}

// The alarm's metric when its entity has no series of it (nor of its replicas); else null.
function entryMetricNamedNowhere(input: RcaInput, entry: string, picked: SeriesIn | null): string | null {
  const named = input.incident.entryMetric;
  if (named === undefined || input.incident.entry !== entry) return null;
  const isNamed = (m: string) => m === named || m.startsWith(`${named}@`);
  return picked?.entity === entry && isNamed(picked.metric) ? null : named;
}

// Series of the entities whose largest move is at least `share` of the case's largest (and above 0).
function contenders(
  series: readonly SeriesIn[],
  moves: Array<MetricMove | null>,
  share: number,
): (i: number) => boolean {
  const best = new Map<string, number>();
  let top = 0;
  series.forEach((s, i) => {
    const h = moves[i]?.harm ?? 0;
    best.set(s.entity, Math.max(best.get(s.entity) ?? 0, h));
    top = Math.max(top, h);
  });
  return (i) => {
    const b = best.get(series[i].entity) ?? 0;
    return b > 0 && b >= share * top;
  };
}
