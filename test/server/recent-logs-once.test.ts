// The log checks' buffer holds what the ingest aggregator counted, nothing else: a retried OTLP export
// (the same records sent twice, as exporters do on timeouts) is kept once, and a line the aggregator
// refuses as late is not kept at all; after a restart the journal's replay obeys the same rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { Intake } from '../../src/ingest/durable/intake.js';
import { LogIngestor } from '../../src/ingest/logs/log-ingestor.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import type { LogRecordIn } from '../../src/ingest/otel/parse-otlp-logs.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';
import { cartResource, redisRefused, type LogRec } from './helpers/cart-logs.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);

let app: FastifyInstance | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An OTLP logs export of service `cart` in namespace `shop`. */
const cartLogs = (records: LogRec[]) => ({ resourceLogs: [cartResource('shop', records)] });

const burst = redisRefused(6, NOW - 20_000, 1_000);

describe('the recent-lines buffer behind POST /v1/logs', () => {
  it('keeps a retried export once: the aggregator counted it once', async () => {
    const graph = await MemoryGraphStore.open();
    const recentLogs = new MemoryLogBuffer();
    app = await buildIngestServer({ graph, cluster: 'eu1', recentLogs, now: () => NOW });
    const payload = cartLogs(burst);
    const first = await app.inject({ method: 'POST', url: '/v1/logs', payload });
    const again = await app.inject({ method: 'POST', url: '/v1/logs', payload });
    expect(first.json()).toMatchObject({ accepted: burst.length, duplicates: 0 });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: burst.length });

    const kept = await recentLogs.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept.map((l) => l.message)).toEqual(burst.map((r) => r.message));
  });

  it('does not keep a line the aggregator refused as late', async () => {
    const graph = await MemoryGraphStore.open();
    const recentLogs = new MemoryLogBuffer();
    app = await buildIngestServer({ graph, cluster: 'eu1', recentLogs, now: () => NOW, windowMs: MIN });
    await app.inject({ method: 'POST', url: '/v1/logs', payload: cartLogs(burst) });
    // Two hours before the newest window: beyond the aggregator's 60 retained windows.
    const stale: LogRec = { timeMs: NOW - 120 * MIN, level: 'ERROR', message: 'disk 3 failed: input/output error' };
    const res = await app.inject({ method: 'POST', url: '/v1/logs', payload: cartLogs([stale]) });
    expect(res.json()).toMatchObject({ accepted: 0, late: 1 });

    const kept = await recentLogs.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept.map((l) => l.message)).not.toContain(stale.message);
    expect(kept).toHaveLength(burst.length);
  });

  it('after a restart, replays the journal into the buffer with the same rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rootgraph-recent-'));
    dirs.push(dir);
    const lines: LogRecordIn[] = burst.map((r) => ({
      service: 'cart',
      namespace: 'shop',
      pod: 'cart-1',
      machine: null,
      timeMs: r.timeMs,
      level: r.level,
      message: r.message,
    }));
    const graph = await MemoryGraphStore.open();
    const before = Intake.open(dir);
    const first = new LogIngestor(graph, { intake: before, recent: new MemoryLogBuffer() });
    before.recover();
    await first.ingest(lines);
    await first.ingest(lines);
    await before.close();

    // No checkpoint was taken: both journaled requests are re-applied on start-up.
    const after = Intake.open(dir);
    const recentLogs = new MemoryLogBuffer();
    new LogIngestor(graph, { intake: after, recent: recentLogs });
    expect(after.recover().replayed).toBe(2);
    await after.close();
    const kept = await recentLogs.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept.map((l) => l.message)).toEqual(burst.map((r) => r.message));
  });
});
