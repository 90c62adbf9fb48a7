import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { uids } from '../../src/model/uid.js';
import { graphStoreContract } from '../contract/graph-store.contract.js';

graphStoreContract('memory', () => MemoryGraphStore.open());

describe('MemoryGraphStore snapshots', () => {
  it('a restart from the data folder keeps the graph and the sequences', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rg-mem-'));
    const first = await MemoryGraphStore.open({ dataDir });
    await first.upsert({
      nodes: [
        { label: 'Service', uid: uids.service('a'), props: { name: 'a' } },
        { label: 'Service', uid: uids.service('b'), props: {} },
      ],
      edges: [{ type: 'CALLS', from: uids.service('a'), to: uids.service('b'), props: { count: 1 } }],
    });
    expect(await first.nextSequence('incident')).toBe(1);
    await first.close();
    // The snapshot (no temp file left behind) and the journal of changes made after it.
    expect((await readdir(dataDir)).sort()).toEqual(['graph.json', 'journal']);

    const second = await MemoryGraphStore.open({ dataDir });
    expect(await second.counts()).toMatchObject({ nodes: 2, edges: 1 });
    expect((await second.getNode(uids.service('a')))?.props).toEqual({ name: 'a' });
    expect(await second.nextSequence('incident')).toBe(2);
    await second.close();
  });

  it('refuses Cypher with a message that names NEO4J_URI', async () => {
    const store = await MemoryGraphStore.open();
    await expect(store.cypher()).rejects.toMatchObject({
      code: 'NEEDS_NEO4J',
      hint: expect.stringContaining('NEO4J_URI'),
    });
  });
});

describe('MemoryGraphStore opened read-only', () => {
  it('sees what the folder holds (journal included), refuses changes and leaves the folder as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-readonly-'));
    const writer = await MemoryGraphStore.open({ dataDir: dir });
    await writer.upsert({
      nodes: [{ label: 'Service', uid: uids.service('cart'), props: { name: 'cart' } }],
      edges: [],
    });
    // The writer keeps running (as `serve` would): its change is only in the journal.
    const before = (await readdir(dir)).sort();
    const reader = await MemoryGraphStore.open({ dataDir: dir, readOnly: true });
    expect((await reader.getNode(uids.service('cart')))?.props.name).toBe('cart');
    await expect(
      reader.upsert({ nodes: [{ label: 'Service', uid: uids.service('web'), props: { name: 'web' } }], edges: [] }),
    ).rejects.toThrow('read-only');
    await reader.close();
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(before).not.toContain('graph.json');
    await writer.close();
  });
});
