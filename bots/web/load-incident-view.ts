/**
 * Reads what the incident page shows: the incident, the subgraph around its entry, entities and
 * suspects (services, workloads, pods, machines, with CALLS/SELECTS/RUNS_ON among them), the grouped
 * alerts and recent changes (as the card reads them), and each suspect's anomalous metrics over the
 * window around the start. Only the incident's own subgraph is read, however large the system.
 */
import { loadCardContext, type CardAlert, type CardChange } from '../../src/assistant/card-context.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { EdgeType, NodeRecord, Subgraph, Uid } from '../../src/model/graph.js';
import { shortName } from '../../src/model/short-name.js';
import type { MetricSource } from '../../src/ports/metric-source.js';
import type { DrawnEdge, DrawnNode } from './graph-svg.js';
import type { SparkSeries } from './sparkline-svg.js';

export const DEFAULTS = {
  /** Most entities drawn (roots and the path first). */
  maxNodes: 16,
  /** Suspects drawn and charted. */
  suspects: 5,
  /** Metrics charted per suspect (strongest |z| first, at least `minZ`). */
  metricsPerSuspect: 3,
  minZ: 3,
  /** Window charted: this long before the start, and after it (capped at now), seconds. */
  beforeS: 1_800,
  afterS: 900,
  stepS: 30,
};

/** Labels the drawing shows. */
export const DRAWN_LABELS = new Set(['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Machine']);
/** Relationships the drawing follows. */
export const DRAWN_EDGES: EdgeType[] = ['CALLS', 'SELECTS', 'RUNS_ON'];

/** A log template that surged on a suspect. */
export interface ViewLogTemplate {
  entity: string;
  template: string;
  windowCount?: number;
  expected?: number;
}

/** Everything the incident page renders; times are ms since epoch unless named otherwise. */
export interface IncidentView {
  incident: Incident;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** The top suspect's propagation path (uids), suspect first, entry last. */
  path: Uid[];
  sparks: SparkSeries[];
  logTemplates: ViewLogTemplate[];
  changes: CardChange[];
  alerts: CardAlert[];
  /** Feedback already given (Feedback nodes ABOUT the incident). */
  feedback: Array<{ entity: string; verdict: string; by: string; at?: number }>;
  window: { from: number; to: number };
}

/** A node's display name: its `name` property, else the end of its uid. */
export function nameOf(n: Pick<NodeRecord, 'uid' | 'props'>): string {
  return typeof n.props.name === 'string' && n.props.name ? n.props.name : shortName(n.uid);
}

/** Loads incident `number`'s view; undefined when there is no such incident. */
export async function loadIncidentView(
  ports: { graph: GraphStore; incidents: IncidentStore; metrics: MetricSource; now: () => number },
  number: number,
  opts: Partial<typeof DEFAULTS> = {},
): Promise<IncidentView | undefined> {
  const o = { ...DEFAULTS, ...opts };
  const incident = await ports.incidents.get(number);
  if (!incident) return undefined;
  const suspects = [...incident.suspects].sort((a, b) => a.rank - b.rank).slice(0, o.suspects);
  const path = (suspects[0]?.explanation.path ?? []).filter((u) => u.includes(':'));
  const context = await loadCardContext({ graph: ports.graph, links: {}, ownerLabels: [] }, incident);
  const alerting = new Set(context.alerts.filter((a) => a.status === 'firing').map((a) => a.entityUid));
  const roots = unique([
    ...path,
    ...suspects.map((s) => s.entity).filter((e) => e.includes(':')),
    ...(incident.entry ? [incident.entry] : []),
    ...incident.entities,
    ...[...alerting].filter((u): u is Uid => u !== undefined),
  ]);
  const sub = await ports.graph.neighbourhood(roots, { hops: 1, edges: DRAWN_EDGES, maxNodes: o.maxNodes * 3 });
  const { nodes, edges } = drawnSubgraph(sub, roots, path, o.maxNodes);
  const rankOf = new Map(suspects.map((s) => [s.entity, s]));
  const drawn: DrawnNode[] = nodes.map((n) => {
    const s = rankOf.get(n.uid);
    return {
      uid: n.uid,
      kind: n.label,
      name: nameOf(n),
      ...(s ? { suspect: { rank: s.rank, score: s.score } } : {}),
      ...(alerting.has(n.uid) ? { alerting: true } : {}),
      ...(n.uid === incident.entry ? { entry: true } : {}),
    };
  });
  const startS = Math.floor((incident.reopenedAt ?? incident.openedAt) / 1000);
  const fromS = Math.floor((startS - o.beforeS) / o.stepS) * o.stepS;
  const toS = Math.max(fromS + o.stepS, Math.min(Math.floor(ports.now() / 1000), startS + o.afterS));
  const byUid = new Map(sub.nodes.map((n) => [n.uid, n]));
  const sparks = await suspectSeries(ports.metrics, suspects, byUid, { fromS, toS, startS, o });
  return {
    incident,
    nodes: drawn,
    edges,
    path,
    sparks,
    logTemplates: suspects.flatMap((s) =>
      (s.explanation.logTemplates ?? []).map((t) => ({ entity: displayOf(s.entity, byUid), ...t })),
    ),
    changes: [
      ...context.changes,
      ...suspects.flatMap((s) =>
        (s.explanation.changes ?? []).map((c) => ({
          at: c.at !== undefined && Number.isFinite(c.at) ? c.at * 1000 : undefined,
          description: c.description,
          entity: displayOf(c.entity ?? s.entity, byUid),
        })),
      ),
    ],
    alerts: [...context.alerts].sort((a, b) => (a.startsAt ?? 0) - (b.startsAt ?? 0)),
    feedback: await feedbackOn(ports.graph, incident.number),
    window: { from: fromS * 1000, to: toS * 1000 },
  };
}

/**
 * Keeps the drawable entities, the roots and the path first, at most `max`; edges among them, with the
 * path's steps marked (a step the graph lacks as a relationship is drawn as a path edge of its own).
 */
export function drawnSubgraph(
  sub: Subgraph,
  roots: Uid[],
  path: Uid[],
  max: number,
): { nodes: NodeRecord[]; edges: DrawnEdge[] } {
  const byUid = new Map(sub.nodes.filter((n) => DRAWN_LABELS.has(n.label)).map((n) => [n.uid, n]));
  // Neighbours that touch more of the roots come first: they are what connects the story.
  const rootSet = new Set(roots);
  const touches = new Map<Uid, number>();
  for (const e of sub.edges) {
    if (rootSet.has(e.from) && !rootSet.has(e.to)) touches.set(e.to, (touches.get(e.to) ?? 0) + 1);
    if (rootSet.has(e.to) && !rootSet.has(e.from)) touches.set(e.from, (touches.get(e.from) ?? 0) + 1);
  }
  const others = [...byUid.keys()]
    .filter((u) => !rootSet.has(u))
    .sort((a, b) => (touches.get(b) ?? 0) - (touches.get(a) ?? 0));
  const order = unique([...path, ...roots, ...others]).filter((u) => byUid.has(u));
  const kept = order.slice(0, max);
  const keep = new Set(kept);
  // Path steps keyed both ways, valued by the step's direction (suspect → entry), which its arrow shows.
  const steps = new Map(path.slice(1).map((to, i) => [pairKey(path[i], to), [path[i], to] as const]));
  const edges: DrawnEdge[] = [];
  const covered = new Set<string>();
  for (const e of sub.edges) {
    if (!keep.has(e.from) || !keep.has(e.to) || !DRAWN_EDGES.includes(e.type)) continue;
    const step = steps.get(pairKey(e.from, e.to));
    const onPath = step !== undefined;
    if (onPath) covered.add(pairKey(e.from, e.to));
    const calls = typeof e.props.count === 'number' ? e.props.count : undefined;
    edges.push({
      from: step ? step[0] : e.from,
      to: step ? step[1] : e.to,
      type: e.type,
      ...(calls !== undefined ? { calls } : {}),
      ...(onPath ? { onPath } : {}),
    });
  }
  for (let i = 1; i < path.length; i++)
    if (!covered.has(pairKey(path[i - 1], path[i])) && keep.has(path[i - 1]) && keep.has(path[i]))
      edges.push({ from: path[i - 1], to: path[i], type: 'PATH', onPath: true });
  return { nodes: kept.map((u) => byUid.get(u) as NodeRecord), edges };
}

async function suspectSeries(
  metrics: MetricSource,
  suspects: Incident['suspects'],
  byUid: Map<Uid, NodeRecord>,
  w: { fromS: number; toS: number; startS: number; o: typeof DEFAULTS },
): Promise<SparkSeries[]> {
  const wanted = suspects.map((s) => ({
    suspect: s,
    node: byUid.get(s.entity),
    metrics: (s.explanation.metrics ?? [])
      .filter((m) => Number.isFinite(m.z) && Math.abs(m.z) >= w.o.minZ)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, w.o.metricsPerSuspect)
      .map((m) => m.metric),
  }));
  const names = (x: (typeof wanted)[number]) => {
    const name = x.node ? nameOf(x.node) : shortName(x.suspect.entity);
    const ns = x.node && typeof x.node.props.namespace === 'string' ? x.node.props.namespace : undefined;
    return ns ? [`${ns}/${name}`, name] : [name];
  };
  const all = wanted.filter((x) => x.metrics.length > 0);
  if (all.length === 0) return [];
  const raw = await metrics.query({
    entities: unique(all.flatMap(names)),
    metrics: unique(all.flatMap((x) => x.metrics)),
    from: w.fromS,
    to: w.toS,
    stepS: w.o.stepS,
  });
  const out: SparkSeries[] = [];
  for (const x of all) {
    const candidates = names(x);
    for (const metric of x.metrics) {
      // The namespaced series is this entity's own; the bare-named one is shared by same-named entities.
      const s = candidates.map((e) => raw.find((r) => r.entity === e && r.metric === metric)).find((r) => r);
      const display = x.node ? nameOf(x.node) : shortName(x.suspect.entity);
      out.push(
        s
          ? { entity: display, metric, timestamps: s.timestamps, values: s.values, startS: w.startS }
          : { entity: display, metric, timestamps: new Float64Array(), values: new Float64Array(), startS: w.startS },
      );
    }
  }
  return out;
}

async function feedbackOn(graph: GraphStore, n: number): Promise<IncidentView['feedback']> {
  const nodes = await graph.findNodes({ label: 'Feedback', where: { incident: n }, limit: 200 });
  return nodes.map((f) => ({
    entity: String(f.props.entity),
    verdict: String(f.props.verdict),
    by: String(f.props.by),
    at: typeof f.props.at === 'number' ? f.props.at : undefined,
  }));
}

function displayOf(entity: string, byUid: Map<Uid, NodeRecord>): string {
  const n = byUid.get(entity);
  return n ? nameOf(n) : shortName(entity);
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
