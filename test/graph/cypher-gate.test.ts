import { describe, expect, it } from 'vitest';
import { assertReadOnlyCypher } from '../../src/graph/cypher-gate.js';

describe('assertReadOnlyCypher', () => {
  it.each([
    'CREATE (n:Service {name: "x"})',
    'MATCH (n) MERGE (n)-[:CALLS]->(m)',
    'MATCH (n) DETACH DELETE n',
    'match (n) set n.x = 1',
    'MATCH (n) REMOVE n:Service',
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    'CALL db.createLabel("X")',
    'CALL dbms.security.createUser("a","b")',
    'DROP INDEX service_name',
    'MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS',
    'FOREACH (x IN [1] | CREATE (:A))',
  ])('refuses %s', (q) => {
    expect(() => assertReadOnlyCypher(q)).toThrow(expect.objectContaining({ code: 'CYPHER_WRITE_REFUSED' }));
  });

  it.each([
    'MATCH (s:Service) RETURN s.name LIMIT 10',
    "MATCH (n) WHERE n.note = 'CREATE and DELETE are words' RETURN n",
    'MATCH (n:`SET`) RETURN n // DELETE in a comment',
    'MATCH (n) RETURN n.created, n.offset',
    'CALL db.labels()',
  ])('allows %s', (q) => {
    expect(() => assertReadOnlyCypher(q)).not.toThrow();
  });

  it('refuses an empty query with a hint', () => {
    expect(() => assertReadOnlyCypher('  ')).toThrow(expect.objectContaining({ code: 'CYPHER_INVALID' }));
  });
});
