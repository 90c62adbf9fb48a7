import { describe, expect, it } from 'vitest';
import { runLogCheckJob } from '../../src/flow/log-check-job.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import type { LogLine } from '../../src/logs/template-windows.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);
const CUT = Math.floor(NOW / MIN) * MIN - MIN; // the checked window's start

/** An hour of ordinary cart traffic, then `last` in the checked window. */
async function job(last: LogLine[]) {
  const logs = new MemoryLogBuffer();
  const usual: LogLine[] = [];
  for (let t = CUT - 60 * MIN; t < CUT + MIN; t += 2_000)
    usual.push({ timeMs: t, service: 'cart', level: 'INFO', message: `GET /cart/${t % 97} 200 in ${t % 13} ms` });
  logs.append([...usual, ...last]);
  const graph = await MemoryGraphStore.open();
  const incidents = new IncidentStore(graph, () => NOW);
  const r = await runLogCheckJob({ windowMs: MIN, baselineMs: 60 * MIN }, { graph, incidents, logs, now: () => NOW });
  return { r, graph };
}

const burst = (level: string, message: string, n = 8): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({
    timeMs: CUT + 1_000 + i * 500,
    service: 'cart',
    level,
    message: `${message} ${i}`,
  }));

describe('the scheduled log check', () => {
  it('new templates of INFO lines are evidence in the graph, not an incident', async () => {
    const { r, graph } = await job(burst('INFO', 'cache warmed for shard'));
    expect(r.summary.anomalies).toBeGreaterThan(0);
    expect((await graph.findNodes({ label: 'Anomaly' })).length).toBeGreaterThan(0);
    expect(r.summary.incidents).toEqual([]);
  });

  it('new templates with error lines open an incident on the service', async () => {
    const { r } = await job(burst('ERROR', 'connection refused to redis-cart:6379 attempt'));
    expect(r.summary.incidents).toHaveLength(1);
  });
});
