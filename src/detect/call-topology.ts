/**
 * The call graph as detection needs it: service names and caller → callee pairs, read from the
 * knowledge graph's `Service` nodes and `CALLS` relationships, and the front doors (services no
 * other service calls), whose SLIs are the ones users feel.
 */
import type { GraphStore } from '../graph/graph-store.js';

/** Services (by name) and call edges between them (caller, callee). */
export interface CallTopology {
  services: string[];
  edges: Array<[string, string]>;
}

/** Reads Service nodes and the CALLS edges among them (at most `limit` services). */
export async function readCallTopology(graph: GraphStore, opts: { limit?: number } = {}): Promise<CallTopology> {
  const nodes = await graph.findNodes({ label: 'Service', limit: opts.limit ?? 5_000 });
  if (nodes.length === 0) return { services: [], edges: [] };
  const sub = await graph.neighbourhood(
    nodes.map((n) => n.uid),
    { hops: 1, edges: ['CALLS'], direction: 'out' },
  );
  const name = new Map(
    [...nodes, ...sub.nodes].map((n) => [n.uid, typeof n.props.name === 'string' ? n.props.name : n.uid]),
  );
  const edges = new Map<string, [string, string]>();
  for (const e of sub.edges) {
    if (e.type !== 'CALLS' || !name.has(e.from) || !name.has(e.to) || e.from === e.to) continue;
    const pair: [string, string] = [name.get(e.from)!, name.get(e.to)!];
    edges.set(pair.join('\u0000'), pair);
  }
  return { services: [...new Set(nodes.map((n) => name.get(n.uid)!))].sort(), edges: [...edges.values()].sort() };
}

/** Entities among `entities` that no other entity calls (every entity when the edges say nothing about them). Pure. */
export function frontDoors(entities: readonly string[], edges: ReadonlyArray<readonly [string, string]>): string[] {
  const called = new Set(edges.filter(([a, b]) => a !== b).map(([, b]) => b));
  const known = new Set(edges.flat());
  const doors = entities.filter((e) => known.has(e) && !called.has(e));
  return doors.length > 0 ? doors : [...entities];
}
