import type { Command } from 'commander';
import { withGraph } from '../../compose.js';

/** `rootgraph graph status`: which backend is configured and what it holds. */
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
      });
    });
}
