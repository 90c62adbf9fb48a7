/**
 * Builds the RCA algorithms' input for a live incident from the knowledge graph (the neighbourhood of
 * its entities over CALLS, RUNS_ON and SELECTS) and a MetricSource (the window around its start).
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { NodeRecord, Uid } from '../model/graph.js';
import type { RcaInput } from '../rca/analyse-case.js';
import type { Incident } from '../incidents/incident.js';

export const DEFAULTS = {
  hops: 3,
  maxNodes: 200,
  /** Normal history read before the incident's start, seconds. */
  baselineS: 3_600,
  /** Window read after the start (capped at now), seconds. */
  afterS: 900,
  stepS: 30,
};

/** Labels whose nodes are RCA candidates. */
const CANDIDATES = new Set(['Service', 'Pod', 'Machine', 'Deployment', 'StatefulSet']);

/** The input plus the name ↔ uid mapping (algorithms speak entity names, incidents speak uids). */
export interface BuiltRcaInput {
  input: RcaInput;
  uidOf: Map<string, Uid>;
  nameOf: Map<Uid, string>;
  /** Series read from the MetricSource. */
  series: number;
}

/** A node's entity name: its `name` property, else the last part of its uid. */
export function entityName(n: Pick<NodeRecord, 'uid' | 'props'>): string {
  if (typeof n.props.name === 'string' && n.props.name) return n.props.name;
  const tail = n.uid.slice(n.uid.lastIndexOf('/') + 1);
  return decodeURIComponent(tail.includes(':') ? tail.slice(tail.indexOf(':') + 1) : tail);
}

/** Reads graph and metrics for `incident`. `now` is ms since epoch. Never throws for sparse data. */
export async function buildRcaInput(
  incident: Incident,
  ports: { graph: GraphStore; metrics: MetricSource; now: () => number },
  opts: Partial<typeof DEFAULTS> = {},
): Promise<BuiltRcaInput> {
  const o = { ...DEFAULTS, ...opts };
  const roots = [...new Set([incident.entry, ...incident.entities].filter((u): u is Uid => typeof u === 'string'))];
  const sub = await ports.graph.neighbourhood(roots, {
    hops: o.hops,
    edges: ['CALLS', 'RUNS_ON', 'SELECTS'],
    maxNodes: o.maxNodes,
  });
  const nameOf = new Map<Uid, string>(),
    uidOf = new Map<string, Uid>();
  for (const n of sub.nodes) {
    if (!CANDIDATES.has(n.label)) continue;
    const name = entityName(n);
    nameOf.set(n.uid, name);
    if (!uidOf.has(name)) uidOf.set(name, n.uid);
  }
  // Entities the incident names but the graph lacks still take part under their uid's name.
  for (const u of roots)
    if (!nameOf.has(u)) {
      const name = entityName({ uid: u, props: {} });
      nameOf.set(u, name);
      uidOf.set(name, u);
    }
  // Caller → callee; a service depends on its pods, a pod on its machine.
  const topology = sub.edges
    .filter((e) => nameOf.has(e.from) && nameOf.has(e.to))
    .map((e) => ({ source: nameOf.get(e.from) as string, target: nameOf.get(e.to) as string }))
    .filter((e) => e.source !== e.target);
  // A reopened incident is diagnosed from when it came back, with the time before as its baseline.
  const startS = Math.floor((incident.reopenedAt ?? incident.openedAt) / 1000);
  const from = Math.floor((startS - o.baselineS) / o.stepS) * o.stepS;
  const to = Math.max(from, Math.min(Math.floor(ports.now() / 1000), startS + o.afterS));
  const n = Math.floor((to - from) / o.stepS) + 1;
  const timestamps = Float64Array.from({ length: n }, (_, i) => from + i * o.stepS);
  const raw = await ports.metrics.query({ entities: [...uidOf.keys()], from, to, stepS: o.stepS });
  const series = raw.map((s) => ({
    entity: s.entity,
    metric: s.metric,
    values: align(s.timestamps, s.values, from, o.stepS, n),
  }));
  const entry = incident.entry ? nameOf.get(incident.entry) : undefined;
  return {
    input: { timestamps, series, topology, incident: { start: startS, ...(entry ? { entry } : {}) } },
    uidOf,
    nameOf,
    series: series.length,
  };
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
