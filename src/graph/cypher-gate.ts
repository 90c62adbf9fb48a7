import { RootgraphError } from '../errors.js';

/**
 * Clauses and procedures an SRE's query may not use. The database's own plan check (EXPLAIN →
 * queryType) and a read-mode transaction back this up; this lexical check exists to give a clear
 * message, and to refuse what Neo4j counts as a read but should not run from chat (LOAD CSV reads files).
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bCREATE\b/i, 'CREATE'],
  [/\bMERGE\b/i, 'MERGE'],
  [/\bDELETE\b/i, 'DELETE'],
  [/\bDETACH\b/i, 'DETACH DELETE'],
  [/\bSET\b/i, 'SET'],
  [/\bREMOVE\b/i, 'REMOVE'],
  [/\bDROP\b/i, 'DROP'],
  [/\bLOAD\s+CSV\b/i, 'LOAD CSV'],
  [/\bFOREACH\b/i, 'FOREACH'],
  [/\bIN\s+TRANSACTIONS\b/i, 'CALL … IN TRANSACTIONS'],
  [/\bALTER\b/i, 'ALTER'],
  [/\bGRANT\b|\bREVOKE\b|\bDENY\b/i, 'administration commands'],
  [/\b(START|STOP)\s+DATABASE\b/i, 'database administration'],
  [
    /\bCALL\s+(db\.(create|clear|drop)|dbms\.|apoc\.(create|merge|refactor|periodic|load|import|export|cypher\.(doIt|runWrite)))/i,
    'write or admin procedures',
  ],
];

/** Blanks out string literals, backtick-quoted names and comments so keywords inside them do not count. */
export function stripLiterals(query: string): string {
  return query
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/`[^`]*`/g, '``');
}

/**
 * Throws CYPHER_WRITE_REFUSED naming the first forbidden clause, or CYPHER_INVALID for an empty query.
 * Pure. Not the only guard: see `runReadOnlyCypher`.
 */
export function assertReadOnlyCypher(query: string): void {
  if (!query.trim())
    throw new RootgraphError('CYPHER_INVALID', 'The query is empty.', {
      hint: 'Try: MATCH (s:Service) RETURN s.name LIMIT 10',
    });
  const bare = stripLiterals(query);
  for (const [pattern, name] of FORBIDDEN) {
    if (pattern.test(bare)) {
      throw new RootgraphError(
        'CYPHER_WRITE_REFUSED',
        `Refused: the query uses ${name}; Cypher from chat and the CLI is read-only.`,
        {
          hint: 'Use MATCH … RETURN to read the graph; writes come only from ingestion and jobs.',
        },
      );
    }
  }
}
