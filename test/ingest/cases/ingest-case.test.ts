import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { isErrorStatus } from '../../../src/model/span-status.js';
import { ingestCase } from '../../../src/ingest/cases/ingest-case.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { uids } from '../../../src/model/uid.js';
import { toCaseFiles } from '../../../src/sim/index.js';
import { graphState } from '../helpers/graph-state.js';
import { simRun } from '../helpers/sim-telemetry.js';

describe('ingestCase', () => {
  it('reads a simulated case: traces → CALLS, logs → templates, metrics → buffer + MetricSeries; a second run rewrites the same graph', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-case-'));
    const files = toCaseFiles(simRun());
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text as string);
    const graph = await MemoryGraphStore.open();
    const buffer = new BufferMetricSource();
    const r = await ingestCase(dir, { graph, buffer, cluster: 'case1' });
    expect(r.spans).toBeGreaterThan(0);
    expect(r.upserts.flatMap((u) => u.rejected)).toEqual([]);
    expect((await buffer.listSeries()).length).toBeGreaterThan(10);
    const front = uids.service('frontend', 'default', 'case1');
    const sub = await graph.neighbourhood([front], { hops: 1, edges: ['CALLS', 'HAS_SERIES'] });
    expect(sub.edges.some((e) => e.type === 'CALLS' && e.props.count !== undefined)).toBe(true);
    expect(sub.edges.some((e) => e.type === 'HAS_SERIES')).toBe(true);
    const before = await graphState(graph, 'case1');
    await ingestCase(dir, { graph, buffer: new BufferMetricSource(), cluster: 'case1' });
    expect(await graphState(graph, 'case1')).toEqual(before);
  });

  it("files a machine's figures repeated on its pods' rows under a Machine, not a Service", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-case-'));
    const rows = Array.from(
      { length: 12 },
      (_, i) => `${1_700_000_000 + 60 * i},${1 + (i % 3)},${2 + (i % 4)},${40 + (i % 5)},${40 + (i % 5)}`,
    );
    await writeFile(join(dir, 'metrics.csv'), ['timestamp,a|cpu,b|cpu,a|node_cpu,b|node_cpu', ...rows].join('\n'));
    await writeFile(join(dir, 'incident.json'), JSON.stringify({ start: 1_700_000_600 }));
    const graph = await MemoryGraphStore.open();
    const r = await ingestCase(dir, { graph, buffer: new BufferMetricSource(), cluster: 'c2' });
    expect(r.read).toEqual(['1 series identical on a, b (node_cpu) read as their shared host\'s: "host of a, b"']);
    const machine = uids.machine('host of a, b', 'c2');
    const sub = await graph.neighbourhood([machine], { hops: 1, edges: ['HAS_SERIES'] });
    expect(sub.nodes.find((n) => n.uid === machine)?.label).toBe('Machine');
    expect(sub.edges.filter((e) => e.type === 'HAS_SERIES')).toHaveLength(1);
    const service = await graph.neighbourhood([uids.service('host of a, b', 'default', 'c2')], { hops: 0 });
    expect(service.nodes).toEqual([]);
  });

  it('classifies case statuses', () => {
    expect(['ok', '', '200', '404'].map(isErrorStatus)).toEqual([false, false, false, false]);
    expect(['error', '503', 'timeout'].map(isErrorStatus)).toEqual([true, true, true]);
  });
});
