import { Neo4jGraphStore } from '../../src/graph/neo4j/neo4j-graph-store.js';

/** Where integration tests find the services `scripts/services.sh up` started. Never skipped: down = red. */
export const NEO4J_URI = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PROMETHEUS_URL = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
export const ALERTMANAGER_URL = process.env.ALERTMANAGER_URL ?? 'http://127.0.0.1:9093';

/** Opens the real Neo4j store; fails (does not skip) when Neo4j is down. */
export function openNeo4j(): Promise<Neo4jGraphStore> {
  return Neo4jGraphStore.connect({
    uri: NEO4J_URI,
    user: process.env.NEO4J_USER,
    password: process.env.NEO4J_PASSWORD,
  });
}
