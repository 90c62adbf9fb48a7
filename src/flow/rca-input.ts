/**
 * Builds the RCA algorithms' input for a live incident from the knowledge graph (the neighbourhood of
 * its entities over CALLS, RUNS_ON and SELECTS) and a MetricSource (the window around its start).
 * Entities are graph uids throughout, so two `cart` services in different namespaces stay two
 * candidates; names are used only to query metrics (which name entities) and for display.
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { MetricSeries, MetricSource } from '../ports/metric-source.js';
import type { SpanSource } from '../ports/span-source.js';
import type { Uid } from '../model/graph.js';
import { shortName } from '../model/short-name.js';
import type { RcaInput } from '../rca/analyse-case.js';
import type { Incident } from '../incidents/incident.js';
import { readClusterEvidence } from './rca-cluster-evidence.js';
import { entityName } from './rca-entity-name.js';
import { readRecentSpans } from './rca-recent-spans.js';
import { readTemplateLogs } from './rca-template-logs.js';
import { recordedSeriesKeys } from './series-owners.js';
import { workloadGroups } from './workload-groups.js';

export const DEFAULTS = {
  hops: 3,
  maxNodes: 200,
  /** Normal history read before the incident's start, seconds. */
  baselineS: 3_600,
  /** Window read after the start (capped at now), seconds. */
  afterS: 900,
  stepS: 30,
  /** Series nodes read to learn which candidate owns which metric-source key, at most. */
  maxSeriesNodes: 20_000,
};

/** Labels whose nodes are RCA candidates. */
const CANDIDATES = new Set(['Service', 'Pod', 'Machine', 'Deployment', 'StatefulSet']);
/** Candidate labels that are hosts: a workload on them can explain their anomaly (explain-away.ts). */
const HOSTS = new Set(['Machine']);

/** The input (entities are uids) plus each uid's display name. */
export interface BuiltRcaInput {
  input: RcaInput;
  /** uid → the short name people and metric sources use for it. */
  nameOf: Map<Uid, string>;
  /** A candidate → its workload's representative (workload-groups.ts): one workload, not a rival suspect. */
  workloadOf: Map<Uid, Uid>;
  /** Series read from the MetricSource. */
  series: number;
}

/** Reads graph and metrics for `incident`. `now` is ms since epoch. Never throws for sparse data. */
export async function buildRcaInput(
  incident: Incident,
  ports: { graph: GraphStore; metrics: MetricSource; now: () => number; spans?: SpanSource },
  opts: Partial<typeof DEFAULTS> = {},
): Promise<BuiltRcaInput> {
  const o = { ...DEFAULTS, ...opts };
  const roots = [...new Set([incident.entry, ...incident.entities].filter((u): u is Uid => typeof u === 'string'))];
  const sub = await ports.graph.neighbourhood(roots, {
    hops: o.hops,
    edges: ['CALLS', 'RUNS_ON', 'SELECTS'],
    maxNodes: o.maxNodes,
  });
  const nameOf = new Map<Uid, string>();
  const namespaceOf = new Map<Uid, string>();
  const hosts: Uid[] = [];
  for (const n of sub.nodes) {
    if (!CANDIDATES.has(n.label)) continue;
    nameOf.set(n.uid, entityName(n));
    if (HOSTS.has(n.label)) hosts.push(n.uid);
    if (typeof n.props.namespace === 'string' && n.props.namespace) namespaceOf.set(n.uid, n.props.namespace);
  }
  const workloadOf = workloadGroups(
    sub.edges.filter((e) => e.type === 'SELECTS' && nameOf.has(e.from) && nameOf.has(e.to)),
  );
  // Entities the incident names but the graph lacks still take part under their uid.
  for (const u of roots) if (!nameOf.has(u)) nameOf.set(u, shortName(u));
  // Caller → callee; a service depends on its pods, a pod on its machine.
  const topology = sub.edges
    .filter((e) => nameOf.has(e.from) && nameOf.has(e.to) && e.from !== e.to)
    .map((e) => ({ source: e.from, target: e.to }));
  // A reopened incident is diagnosed from when it came back, with the time before as its baseline.
  const startS = Math.floor((incident.reopenedAt ?? incident.openedAt) / 1000);
  const from = Math.floor((startS - o.baselineS) / o.stepS) * o.stepS;
  const to = Math.max(from, Math.min(Math.floor(ports.now() / 1000), startS + o.afterS));
  const n = Math.floor((to - from) / o.stepS) + 1;
  const timestamps = Float64Array.from({ length: n }, (_, i) => from + i * o.stepS);
  const recorded = await recordedSeriesKeys(ports.graph, [...nameOf.keys()], { maxNodes: o.maxSeriesNodes });
  const raw = await queryByUid(ports.metrics, { nameOf, namespaceOf, recorded }, { from, to, stepS: o.stepS });
  const series = raw.map((s) => ({
    entity: s.uid,
    metric: s.metric,
    values: align(s.timestamps, s.values, from, o.stepS, n),
  }));
  // Kubernetes Events / container restarts (as error lines) and rollouts (as changes) on the candidates.
  const cluster = await readClusterEvidence(ports.graph, [...nameOf.keys()]);
  // Application logs: the templates' per-window counts (the aggregator keeps no raw lines).
  const logs = [
    ...cluster.logs,
    ...(await readTemplateLogs(ports.graph, [...nameOf.keys()], { fromS: from, toS: to })),
  ];
  // Spans as ingest accepted them (the graph keeps per-window call statistics only).
  const recent = ports.spans
    ? await readRecentSpans(
        ports.spans,
        sub.nodes.filter((n) => CANDIDATES.has(n.label)),
        { fromS: from, toS: to + o.stepS },
      )
    : [];
  // Without call edges the spans would draw the graph, and other services would become suspects.
  const spans = topology.length > 0 ? recent : recent.filter((sp) => nameOf.has(sp.entity));
  return {
    input: {
      timestamps,
      series,
      topology,
      ...(spans.length > 0 ? { spans } : {}),
      // Named, not guessed: RUNS_ON puts machines in the topology, where analyseCase's guess (off it) misses them.
      hosts,
      workloadOf,
      callersUnknown: edgeOfNeighbourhood(sub, roots, o),
      ...(logs.length > 0 ? { logs } : {}),
      // Log lines name services, not uids: a caller's report on a callee is matched by name.
      names: nameOf,
      ...(cluster.changes.length > 0 ? { changes: cluster.changes } : {}),
      incident: { start: startS, ...(incident.entry ? { entry: incident.entry } : {}) },
    },
    nameOf,
    workloadOf,
    series: series.length,
  };
}

/**
 * The metric-query boundary: metric sources name entities, not uids. A key ingest recorded as a
 * candidate's series (HAS_SERIES) belongs to that candidate alone. Otherwise each uid is asked for under
 * `namespace/name` and under its bare name; a namespaced series belongs to that uid alone, a bare-named
 * one to every uid of that name that has no series of the metric yet (the source cannot tell
 * same-named entities apart then, so they share it and stay separate candidates).
 */
async function queryByUid(
  metrics: MetricSource,
  names: {
    nameOf: ReadonlyMap<Uid, string>;
    namespaceOf: ReadonlyMap<Uid, string>;
    /** key → the candidates ingest hung its series off. */
    recorded: ReadonlyMap<string, readonly Uid[]>;
  },
  q: { from: number; to: number; stepS: number },
): Promise<Array<MetricSeries & { uid: Uid }>> {
  const { nameOf, namespaceOf, recorded } = names;
  const byName = new Map<string, Uid[]>();
  const qualified = new Map<string, Uid>();
  for (const [u, name] of nameOf) {
    const same = byName.get(name);
    if (same) same.push(u);
    else byName.set(name, [u]);
    const ns = namespaceOf.get(u);
    if (ns) qualified.set(`${ns}/${name}`, u);
  }
  const keys = new Set([...recorded.keys(), ...qualified.keys(), ...byName.keys()]);
  const raw = await metrics.query({ entities: [...keys], ...q });
  const out: Array<MetricSeries & { uid: Uid }> = [];
  const owned = new Set<string>();
  const give = (s: MetricSeries, u: Uid) => {
    out.push({ ...s, uid: u });
    owned.add(`${u}\u0000${s.metric}`);
  };
  for (const s of raw) for (const u of recorded.get(s.entity) ?? []) give(s, u);
  for (const s of raw) {
    const u = qualified.get(s.entity);
    if (u !== undefined && !recorded.has(s.entity)) give(s, u);
  }
  for (const s of raw) {
    if (recorded.has(s.entity) || qualified.has(s.entity)) continue;
    for (const u of byName.get(s.entity) ?? []) if (!owned.has(`${u}\u0000${s.metric}`)) out.push({ ...s, uid: u });
  }
  return out;
}

// Puts samples on the query grid; samples off the grid go to the nearest step, missing steps are NaN.
function align(ts: Float64Array, values: Float64Array, from: number, stepS: number, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < ts.length; i++) {
    const k = Math.round((ts[i] - from) / stepS);
    if (k >= 0 && k < n) out[k] = values[i];
  }
  return out;
}

/**
 * Nodes whose neighbours the read may have cut off: those `hops` away from the roots (their other
 * neighbours lie beyond), or every node when the read stopped at `maxNodes`.
 */
function edgeOfNeighbourhood(
  sub: { nodes: ReadonlyArray<{ uid: Uid }>; edges: ReadonlyArray<{ from: Uid; to: Uid }> },
  roots: readonly Uid[],
  o: { hops: number; maxNodes: number },
): Set<Uid> {
  if (sub.nodes.length >= o.maxNodes) return new Set(sub.nodes.map((n) => n.uid));
  const next = new Map<Uid, Uid[]>();
  const link = (a: Uid, b: Uid) => {
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  };
  for (const e of sub.edges) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  const hop = new Map<Uid, number>(roots.map((r) => [r, 0]));
  const queue = [...roots];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of next.get(v) ?? []) {
      if (hop.has(w)) continue;
      hop.set(w, (hop.get(v) as number) + 1);
      queue.push(w);
    }
  }
  return new Set(sub.nodes.filter((n) => (hop.get(n.uid) ?? o.hops) >= o.hops).map((n) => n.uid));
}
