import type { GraphStore } from '../../../src/graph/graph-store.js';
import { NODE_LABELS, type EdgeRecord, type NodeRecord } from '../../../src/model/graph.js';

/** Every node and edge whose uid contains `tag` (a random cluster name), sorted, for before/after comparisons. */
export interface GraphState {
  nodes: NodeRecord[];
  edges: EdgeRecord[];
}

const byUid = (a: { uid: string }, b: { uid: string }) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
const edgeKey = (e: EdgeRecord) => `${e.type} ${e.from} ${e.to}`;

/** Reads the part of the graph a test owns: nodes whose uid mentions `tag`, and the edges among them. */
export async function graphState(store: GraphStore, tag: string): Promise<GraphState> {
  const nodes: NodeRecord[] = [];
  for (const label of NODE_LABELS) {
    for (const n of await store.findNodes({ label })) if (n.uid.includes(tag)) nodes.push(n);
  }
  nodes.sort(byUid);
  if (nodes.length === 0) return { nodes, edges: [] };
  const sub = await store.neighbourhood(
    nodes.map((n) => n.uid),
    { hops: 0 },
  );
  const edges = sub.edges.sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0));
  return { nodes, edges };
}
