// Through the real ingest path: OTLP logs posted to /v1/logs reach the scheduled log checks with the
// namespace and cluster ingestion files the service under, so the log incident's entry is the very
// Service node ingestion wrote (not `default/default`).
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { runLogCheckJob } from '../../src/flow/log-check-job.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import { uids } from '../../src/model/uid.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';
import { cartResource, redisRefused, type LogRec } from './helpers/cart-logs.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);
const CUT = Math.floor(NOW / MIN) * MIN - MIN; // the checked window's start

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An hour of ordinary traffic up to the end of the checked window. */
function usual(): LogRec[] {
  const out: LogRec[] = [];
  for (let t = CUT - 60 * MIN; t < CUT + MIN; t += 2_000)
    out.push({ timeMs: t, level: 'INFO', message: `GET /cart/${t % 97} 200 in ${t % 13} ms` });
  return out;
}

const errorBurst = redisRefused(8, CUT + 1_000, 500);

describe('log lines posted to the ingest server', () => {
  it('carry the namespace and cluster the ingest path files them under, and the log incident lands there', async () => {
    const graph = await MemoryGraphStore.open();
    const recentLogs = new MemoryLogBuffer();
    app = await buildIngestServer({ graph, cluster: 'eu1', recentLogs, now: () => NOW });
    const payload = {
      resourceLogs: [cartResource('shop', [...usual(), ...errorBurst]), cartResource('outlet', usual())],
    };
    const res = await app.inject({ method: 'POST', url: '/v1/logs', payload });
    expect(res.statusCode).toBe(200);

    const kept = await recentLogs.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept.map((l) => `${l.cluster}/${l.namespace}/${l.service}`))).toEqual(
      new Set(['eu1/shop/cart', 'eu1/outlet/cart']),
    );

    // The Service node ingestion built for the shop's cart, before any check ran.
    const shopCart = uids.service('cart', 'shop', 'eu1');
    expect(await graph.getNode(shopCart)).toBeDefined();

    const incidents = new IncidentStore(graph, () => NOW);
    const r = await runLogCheckJob(
      { windowMs: MIN, baselineMs: 60 * MIN },
      { graph, incidents, logs: recentLogs, now: () => NOW },
    );
    expect(r.summary.incidents).toHaveLength(1);
    expect((await incidents.get(r.summary.incidents[0]))?.entry).toBe(shopCart);
  });
});
