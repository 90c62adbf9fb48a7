import { InvalidArgumentError, type Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import { isNodeLabel, NODE_LABELS, type NodeLabel } from '../../../src/model/graph.js';
import { withGraph } from '../lazy-compose.js';

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

// Looking must not rewrite the data folder of a `serve` running on it.
const READ_ONLY = { readOnly: true };

/** `rootgraph graph status|nodes`: which backend is configured, what it holds, and its nodes (no Neo4j needed). */
export function registerGraphCommand(program: Command): void {
  const graph = program.command('graph').description('Inspect the knowledge graph');
  graph
    .command('status')
    .description('Show the configured graph backend and node/relationship counts by label and type')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withGraph(async (store) => {
        const counts = await store.counts();
        if (opts.json) console.log(JSON.stringify({ backend: store.kind, ...counts }));
        else {
          console.log(`backend: ${store.kind}\nnodes: ${counts.nodes}\nrelationships: ${counts.edges}`);
          for (const [l, n] of Object.entries(counts.byLabel).sort()) console.log(`  :${l} ${n}`);
          for (const [t, n] of Object.entries(counts.byType).sort()) console.log(`  -[:${t}]- ${n}`);
        }
      }, READ_ONLY);
    });
  graph
    .command('nodes')
    .description('List nodes of one label as JSON: [{uid, name, labels, properties}] (works on the embedded graph too)')
    .requiredOption('--label <label>', `node label (${NODE_LABELS.join(', ')})`)
    .option('--match <substring>', 'only nodes whose uid or name contains this')
    .option('--limit <n>', 'at most this many nodes', positive)
    .option('--json', 'print JSON (the default; kept for scripts that pass it)')
    .action(async (opts: { label: string; match?: string; limit?: number }) => {
      if (!isNodeLabel(opts.label))
        throw new InputError('--label', `unknown label "${opts.label}"`, {
          hint: `Labels: ${NODE_LABELS.join(', ')}.`,
        });
      const label: NodeLabel = opts.label;
      await withGraph(async (store) => {
        const nodes = (await store.findNodes({ label }))
          .filter((n) => !opts.match || n.uid.includes(opts.match) || String(n.props.name ?? '').includes(opts.match))
          .slice(0, opts.limit ?? Infinity)
          .map((n) => ({ uid: n.uid, name: n.props.name ?? null, labels: [n.label], properties: n.props }));
        console.log(JSON.stringify(nodes));
      }, READ_ONLY);
    });
}
