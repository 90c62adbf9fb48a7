import { loadConfig } from '../../src/config.js';
import { openGraphStore } from '../compose.js';
import type { GraphStore } from '../../src/graph/graph-store.js';

/** Opens the configured graph store for one CLI command and always closes it (snapshotting memory). */
export async function withGraph<T>(work: (graph: GraphStore) => Promise<T>): Promise<T> {
  const graph = await openGraphStore(loadConfig());
  try {
    return await work(graph);
  } finally {
    await graph.close();
  }
}
