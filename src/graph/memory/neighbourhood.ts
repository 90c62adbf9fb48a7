import type { EdgeType, Uid } from '../../model/graph.js';
import type { NeighbourhoodOptions } from '../graph-store.js';
import type { MemoryGraph } from './memory-graph.js';

/**
 * Breadth-first collection of the nodes within `hops` of the roots over the allowed relationship
 * types, then every allowed relationship among them. Unknown roots are ignored.
 */
export function collectNeighbourhood(
  graph: MemoryGraph,
  roots: Uid[],
  opts: NeighbourhoodOptions,
): { nodes: Uid[]; edgeKeys: string[] } {
  const allowed = opts.edges ? new Set<EdgeType>(opts.edges) : undefined;
  const direction = opts.direction ?? 'both';
  const maxNodes = opts.maxNodes ?? Infinity;
  const ok = (key: string) => !allowed || allowed.has(graph.getEdgeAttribute(key, 'type'));
  const seen = new Set<Uid>(roots.filter((r) => graph.hasNode(r)));
  let frontier = [...seen];
  for (let h = 0; h < opts.hops && frontier.length > 0 && seen.size < maxNodes; h++) {
    const next: Uid[] = [];
    for (const id of frontier) {
      const visit = (key: string, neighbour: Uid) => {
        if (ok(key) && !seen.has(neighbour) && seen.size < maxNodes) {
          seen.add(neighbour);
          next.push(neighbour);
        }
      };
      if (direction !== 'in') graph.forEachOutEdge(id, (key, _a, _s, target) => visit(key, target));
      if (direction !== 'out') graph.forEachInEdge(id, (key, _a, source) => visit(key, source));
    }
    frontier = next;
  }
  const edgeKeys: string[] = [];
  for (const id of seen) {
    graph.forEachOutEdge(id, (key, _a, _s, target) => {
      if (seen.has(target) && ok(key)) edgeKeys.push(key);
    });
  }
  return { nodes: [...seen], edgeKeys };
}
