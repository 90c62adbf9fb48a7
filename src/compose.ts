import type { Config } from './config.js';
import type { GraphStore } from './graph/graph-store.js';
import { MemoryGraphStore } from './graph/memory/memory-graph-store.js';
import { Neo4jGraphStore } from './graph/neo4j/neo4j-graph-store.js';

/** The graph backend the configuration asks for: Neo4j when NEO4J_URI is set, else the embedded graph. */
export async function openGraphStore(config: Config): Promise<GraphStore> {
  if (config.neo4j) return Neo4jGraphStore.connect(config.neo4j);
  return MemoryGraphStore.open({ dataDir: config.dataDir, autosaveMs: 30_000 });
}
