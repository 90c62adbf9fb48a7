import type { CallTopology } from '../detect/call-topology.js';
import type { GraphStore } from '../graph/graph-store.js';

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
