import { randomUUID } from 'node:crypto';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { graphState } from '../../ingest/helpers/graph-state.js';
import { openNeo4j } from '../../helpers/services.js';

/** Both graph stores, by name: every ingest integration test runs against each. */
export const STORES: Record<'memory' | 'neo4j', () => Promise<GraphStore>> = {
  memory: () => MemoryGraphStore.open(),
  neo4j: () => openNeo4j(),
};

/** A random cluster name: every uid the test writes contains it, so tests share one Neo4j. */
export const tag = (): string => `it${randomUUID().replaceAll('-', '').slice(0, 10)}`;

/** Deletes what a test wrote (its tagged nodes and their relationships). */
export async function deleteTagged(store: GraphStore, t: string): Promise<void> {
  const { nodes } = await graphState(store, t);
  if (nodes.length) await store.deleteNodes(nodes.map((n) => n.uid));
}
