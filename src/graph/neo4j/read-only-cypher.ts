import neo4j, { type Driver } from 'neo4j-driver';
import { RootgraphError } from '../../errors.js';
import { assertReadOnlyCypher } from '../cypher-gate.js';
import type { CypherOptions, CypherResult } from '../graph-store.js';
import { toRootgraphError } from './neo4j-errors.js';

/**
 * Runs an SRE's query with three guards: the lexical gate, Neo4j's own plan (EXPLAIN must say
 * queryType 'r'), and a read-mode transaction with a server-side timeout. Rows beyond `maxRows`
 * are not fetched; the result says it was truncated.
 */
export async function runReadOnlyCypher(
  driver: Driver,
  text: string,
  opts: CypherOptions & { database?: string },
): Promise<CypherResult> {
  assertReadOnlyCypher(text);
  const session = driver.session({ database: opts.database, defaultAccessMode: neo4j.session.READ });
  const started = performance.now();
  try {
    const plan = await session.executeRead((tx) => tx.run(`EXPLAIN ${text}`, opts.params ?? {}), {
      timeout: opts.timeoutMs,
    });
    const type = plan.summary.queryType;
    if (type !== 'r') {
      throw new RootgraphError(
        'CYPHER_WRITE_REFUSED',
        `Refused: Neo4j plans this as a ${type === 's' ? 'schema' : 'write'} query; only reads are allowed.`,
      );
    }
    return await session.executeRead(
      async (tx) => {
        const columns: string[] = [];
        const rows: unknown[][] = [];
        let truncated = false;
        const result = tx.run(text, opts.params ?? {});
        for await (const record of result) {
          if (columns.length === 0) columns.push(...(record.keys as string[]));
          if (rows.length >= opts.maxRows) {
            truncated = true;
            break;
          }
          rows.push(record.keys.map((k) => toPlain(record.get(k))));
        }
        if (columns.length === 0) columns.push(...((await result.keys()) as string[]));
        return { columns, rows, truncated, elapsedMs: performance.now() - started };
      },
      { timeout: opts.timeoutMs },
    );
  } catch (err) {
    throw toRootgraphError(err);
  } finally {
    await session.close();
  }
}

/** Nodes, relationships and paths become plain JSON so any transport can render them. */
function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toPlain);
  if (neo4j.isNode(v as never)) {
    const n = v as unknown as { labels: string[]; properties: Record<string, unknown> };
    return { labels: n.labels.filter((l) => l !== 'Node'), ...toPlainObject(n.properties) };
  }
  if (neo4j.isRelationship(v as never)) {
    const r = v as unknown as { type: string; properties: Record<string, unknown> };
    return { type: r.type, ...toPlainObject(r.properties) };
  }
  if (neo4j.isPath(v as never)) {
    const p = v as unknown as { segments: Array<{ start: unknown; relationship: unknown; end: unknown }> };
    return p.segments.map((s) => [toPlain(s.start), toPlain(s.relationship), toPlain(s.end)]);
  }
  if (
    typeof (v as { toString?: unknown }).toString === 'function' &&
    (neo4j.isDateTime(v as never) || neo4j.isDate(v as never) || neo4j.isDuration(v as never))
  )
    return String(v);
  return toPlainObject(v as Record<string, unknown>);
}

function toPlainObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, toPlain(x)]));
}
