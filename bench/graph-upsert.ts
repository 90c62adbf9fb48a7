// `npm run bench -- graph-upsert [--neo4j URI] [--total N]`: nodes+edges/s into each GraphStore at batch sizes 1, 100, 10,000.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { Neo4jGraphStore } from '../src/graph/neo4j/neo4j-graph-store.js';
import type { GraphBatch } from '../src/model/graph.js';
import { uid } from '../src/model/uid.js';
import { printTable, timeMs } from './table.js';

const BATCH_SIZES = [1, 100, 10_000];

/** A chain-with-fan-out service graph: `size` nodes and about `size` CALLS edges per batch. */
function makeBatch(tag: string, start: number, size: number): GraphBatch {
  const nodes = Array.from({ length: size }, (_, i) => ({
    label: 'Service' as const,
    uid: uid('Service', tag, 'default', `svc-${start + i}`),
    props: { name: `svc-${start + i}`, replicas: (start + i) % 5, team: `team-${(start + i) % 17}` },
  }));
  const edges = nodes.map((n, i) => ({
    type: 'CALLS' as const,
    from: n.uid,
    to: nodes[(i * 7 + 1) % size].uid,
    props: { count: i, errors: i % 3, p99: 12.5 },
  }));
  return { nodes, edges };
}

async function measure(
  store: GraphStore,
  batchSize: number,
  total: number,
): Promise<{ items: number; ms: number; replayMs: number }> {
  const tag = randomUUID().slice(0, 8);
  const batches = Array.from({ length: Math.max(1, Math.floor(total / batchSize)) }, (_, b) =>
    makeBatch(tag, b * batchSize, batchSize),
  );
  const items = batches.reduce((a, b) => a + b.nodes.length + b.edges.length, 0);
  const ms = await timeMs(async () => {
    for (const b of batches) await store.upsert(b);
  });
  // The same input again: idempotent updates, the common steady-state case.
  const replayMs = await timeMs(async () => {
    for (const b of batches) await store.upsert(b);
  });
  return { items, ms, replayMs };
}

export async function run(args: string[]): Promise<void> {
  const neo4jUri = args.includes('--neo4j')
    ? args[args.indexOf('--neo4j') + 1]
    : (process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687');
  const total = args.includes('--total') ? Number(args[args.indexOf('--total') + 1]) : 20_000;
  const stores: Array<[string, () => Promise<GraphStore>]> = [
    ['memory', () => MemoryGraphStore.open()],
    // The embedded default as `serve` runs it: each write acknowledged once the journal committed it.
    ['memory + journal', async () => MemoryGraphStore.open({ dataDir: await mkdtemp(join(tmpdir(), 'rg-bench-')) })],
    ['neo4j', () => Neo4jGraphStore.connect({ uri: neo4jUri })],
  ];
  const rows: Array<Array<string | number>> = [];
  for (const [name, open] of stores) {
    let store: GraphStore;
    try {
      store = await open();
    } catch (err) {
      console.log(`${name}: skipped (${(err as Error).message})`);
      continue;
    }
    for (const size of BATCH_SIZES) {
      // Batch size 1 on Neo4j is one transaction per record: cap its volume so the run stays short.
      const n = name === 'neo4j' && size === 1 ? Math.min(total, 1_000) : total;
      const r = await measure(store, size, n);
      rows.push([name, size, r.items, r.ms, (r.items / r.ms) * 1000, (r.items / r.replayMs) * 1000]);
    }
    await store.close();
  }
  printTable(
    'graph-upsert: nodes+edges per second (first write, then the same input replayed)',
    ['store', 'batch size', 'items', 'ms', 'items/s (create)', 'items/s (replay)'],
    rows,
  );
}
