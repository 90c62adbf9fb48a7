import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeRuntime, type Runtime } from '../../app/compose.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { QueueName } from '../../src/flow/queues.js';

const SERIES = [
  { service: 'frontend', metric: 'latency_p99' },
  { service: 'frontend', metric: 'cpu_usage' },
  { service: 'checkout', metric: 'latency_p99' },
  { service: 'checkout', metric: 'cpu_usage' },
];

/** A stand-in for Prometheus's HTTP API (series and query_range): steady sinusoids at any time, no fault. */
async function prometheusStandIn(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const p = new URLSearchParams(body);
      const ok = (data: unknown) => res.end(JSON.stringify({ status: 'success', data }));
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/v1/series'))
        return ok(SERIES.map((s) => ({ __name__: s.metric, service: s.service })));
      const m = /__name__="([^"]+)", service="([^"]+)"/.exec(p.get('query') ?? '');
      const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(p.get(k)));
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += step) {
        const k = t / step;
        values.push([t, String(10 + Math.sin(k * 1.7 + (m?.[2].length ?? 0)) + 0.3 * Math.cos(k * 0.31))]);
      }
      return ok({ resultType: 'matrix', result: m ? [{ metric: {}, values }] : [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Enqueues one job on the runtime's in-process runner and returns its stored result. */
async function run(rt: Runtime, queue: QueueName, data: object): Promise<Record<string, unknown>> {
  const id = await rt.runner.enqueue(queue, data as never);
  await rt.runner.drained({ queues: [queue] });
  const job = await rt.runner.job(queue, id);
  expect(job?.failedReason).toBeUndefined();
  return job?.result as Record<string, unknown>;
}

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('serve across a restart', () => {
  it('reloads the trained detector model from its data directory instead of starting untrained', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rootgraph-serve-restart-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const prom = await prometheusStandIn();
    cleanup.push(() => new Promise((r) => prom.server.close(r)));
    const config = loadConfig({ ROOTGRAPH_DATA_DIR: dataDir, PROMETHEUS_URL: prom.url, LOG_LEVEL: 'warn' });
    const open = () => composeRuntime(config, ['worker'], { logger: createLogger('silent'), schedule: false });
    const detect = { lookbackS: 3 * 3600, stepS: 60, detector: 'ensemble', system: 'default' };

    const first = await open();
    expect(await run(first, 'detect', detect)).toMatchObject({ model: 'none' });
    const trained = await run(first, 'train', { system: 'default', lookbackS: 6 * 3600, stepS: 60, epochs: 2 });
    expect(trained).toMatchObject({ trained: true, reason: 'no-model', version: 1, nodes: 2 });
    await first.close();

    const second = await open(); // the restart: a new runtime on the same data directory
    // Another payload than before the restart, so the content-derived job id is new.
    expect(await run(second, 'detect', { ...detect, lookbackS: 3 * 3600 + 60 })).toMatchObject({
      detector: expect.stringMatching(/^ensemble \(/),
      model: { version: 1, topology: 'none' },
    });
    // The train schedule finds the reloaded model fresh and leaves it alone.
    expect(await run(second, 'train', { system: 'default', lookbackS: 6 * 3600, stepS: 60 })).toEqual({
      system: 'default',
      trained: false,
      reason: 'fresh',
    });
    await second.close();
  }, 180_000);
});
