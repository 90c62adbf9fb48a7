import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../../src/config.js';
import type { CypherResult } from '../../../src/graph/graph-store.js';
import { withGraph } from '../lazy-compose.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** `rootgraph cypher QUERY`: read-only, time-limited, row-capped Cypher against Neo4j. */
export function registerCypherCommand(program: Command): void {
  program
    .command('cypher')
    .description('Run a read-only Cypher query against the Neo4j graph (needs NEO4J_URI)')
    .argument('<query>', 'Cypher; writes (CREATE, MERGE, SET, DELETE, LOAD CSV, write procedures) are refused')
    .option('--timeout <ms>', 'stop the query after this many milliseconds', positiveInt)
    .option('--max-rows <n>', 'return at most this many rows', positiveInt)
    .option('--json', 'print JSON')
    .action(async (query: string, opts: { timeout?: number; maxRows?: number; json?: boolean }) => {
      const { cypher } = loadConfig();
      const result = await withGraph(
        (g) =>
          g.cypher(query, { timeoutMs: opts.timeout ?? cypher.timeoutMs, maxRows: opts.maxRows ?? cypher.maxRows }),
        { readOnly: true },
      );
      console.log(opts.json ? JSON.stringify(result) : formatResult(result));
    });
}

/** A plain-text table of a Cypher result, with a footer saying how many rows and how long. */
export function formatResult(r: CypherResult): string {
  const cells = r.rows.map((row) => row.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
  const widths = r.columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0))));
  const line = (vals: string[]) => vals.map((v, i) => v.slice(0, widths[i]).padEnd(widths[i])).join(' | ');
  const out = [line(r.columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  out.push(
    `${r.rows.length} row${r.rows.length === 1 ? '' : 's'}${r.truncated ? ' (truncated)' : ''} in ${r.elapsedMs.toFixed(0)} ms`,
  );
  return out.join('\n');
}
