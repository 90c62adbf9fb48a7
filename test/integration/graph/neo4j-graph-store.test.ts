import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Neo4jGraphStore } from '../../../src/graph/neo4j/neo4j-graph-store.js';
import { uids } from '../../../src/model/uid.js';
import { graphStoreContract } from '../../contract/graph-store.contract.js';
import { openNeo4j } from '../../helpers/services.js';

graphStoreContract('neo4j', openNeo4j);

describe('Neo4j read-only Cypher', () => {
  let store: Neo4jGraphStore;
  beforeAll(async () => {
    store = await openNeo4j();
    await store.upsert({
      nodes: [{ label: 'Service', uid: uids.service('cypher-probe'), props: { name: 'cypher-probe' } }],
      edges: [],
    });
  });
  afterAll(async () => store?.close());
  const limits = { timeoutMs: 5_000, maxRows: 1_000 };

  it('answers a read', async () => {
    const r = await store.cypher('MATCH (s:Service {name: $name}) RETURN s.name AS name', {
      ...limits,
      params: { name: 'cypher-probe' },
    });
    expect(r.columns).toEqual(['name']);
    expect(r.rows).toEqual([['cypher-probe']]);
  });

  it.each([
    "CREATE (:Service {name: 'x'})",
    "MERGE (:Service {name: 'x'})",
    'MATCH (n:Service) DETACH DELETE n',
    'MATCH (n:Service) SET n.hacked = true',
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
  ])('refuses the write %s', async (q) => {
    await expect(store.cypher(q, limits)).rejects.toMatchObject({ code: 'CYPHER_WRITE_REFUSED' });
    expect((await store.getNode(uids.service('cypher-probe')))?.props.hacked).toBeUndefined();
  });

  it('refuses a write procedure by its plan even when the text looks harmless', async () => {
    // db.createProperty is not on the lexical list: Neo4j's EXPLAIN query type catches it.
    await expect(store.cypher("CALL db.createProperty('rgProbe')", limits)).rejects.toMatchObject({
      code: 'CYPHER_WRITE_REFUSED',
    });
  });

  it('stops a query that runs past the timeout', async () => {
    const slow = 'UNWIND range(1, 200000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)';
    await expect(store.cypher(slow, { timeoutMs: 200, maxRows: 10 })).rejects.toMatchObject({ code: 'CYPHER_TIMEOUT' });
  });

  it('caps rows and says the result was truncated', async () => {
    const r = await store.cypher('UNWIND range(1, 50) AS x RETURN x', { timeoutMs: 5_000, maxRows: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.truncated).toBe(true);
  });

  it('reports a syntax error as CYPHER_INVALID', async () => {
    await expect(store.cypher('MATCH (n RETURN n', limits)).rejects.toMatchObject({ code: 'CYPHER_INVALID' });
  });
});
