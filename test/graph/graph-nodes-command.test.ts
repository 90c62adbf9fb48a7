import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerGraphCommand } from '../../app/cli/commands/graph.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { uids } from '../../src/model/uid.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

async function nodes(dir: string, args: string[]): Promise<unknown> {
  process.env.ROOTGRAPH_DATA_DIR = dir;
  delete process.env.NEO4J_URI;
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const program = new Command().exitOverride();
  registerGraphCommand(program);
  await program.parseAsync(['node', 'rootgraph', 'graph', 'nodes', ...args]);
  return JSON.parse(out.join('\n'));
}

describe('rootgraph graph nodes', () => {
  it('lists the embedded graph’s nodes of one label as JSON, filtered and capped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-nodes-'));
    const graph = await MemoryGraphStore.open({ dataDir: dir });
    await graph.upsert({
      nodes: ['cart', 'checkout', 'cartsync'].map((name) => ({
        label: 'Service' as const,
        uid: uids.service(name),
        props: { name },
      })),
      edges: [],
    });
    await graph.close();
    expect(await nodes(dir, ['--label', 'Service', '--match', 'cart', '--json'])).toEqual([
      { uid: uids.service('cart'), name: 'cart', labels: ['Service'], properties: { name: 'cart' } },
      { uid: uids.service('cartsync'), name: 'cartsync', labels: ['Service'], properties: { name: 'cartsync' } },
    ]);
    expect(await nodes(dir, ['--label', 'Service', '--limit', '1'])).toHaveLength(1);
    expect(await nodes(dir, ['--label', 'Pod'])).toEqual([]);
    await expect(nodes(dir, ['--label', 'Nope'])).rejects.toThrow(/unknown label "Nope"/);
  });
});
