import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCHEMA_DIR = fileURLToPath(new URL('../../../graph-schema/', import.meta.url));

/** Reads a `.cypher` file under graph-schema/ (queries kept as files, reviewable as Cypher). */
export function readCypher(relPath: string): string {
  return readFileSync(`${SCHEMA_DIR}${relPath}`, 'utf8');
}

/** The named queries of graph-schema/queries/, loaded once. */
export const QUERIES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(`${SCHEMA_DIR}queries`)
    .filter((f) => f.endsWith('.cypher'))
    .map((f) => [f.slice(0, -'.cypher'.length), readCypher(`queries/${f}`)]),
);

/** The schema statements (constraints, then indexes), split on `;`, comments dropped. */
export function schemaStatements(): string[] {
  return ['constraints.cypher', 'indexes.cypher'].flatMap((f) =>
    readCypher(f)
      .split('\n')
      .filter((l) => !l.trim().startsWith('//'))
      .join('\n')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** A named query; throws at start-up rather than mid-request when a file is missing. */
export function query(name: string): string {
  const q = QUERIES[name];
  if (!q) throw new Error(`graph-schema/queries/${name}.cypher is missing`);
  return q;
}
