import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { uids } from '../../../src/model/uid.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { waitFor } from './wait-for.js';

// A target that Prometheus scrapes every second: a counter that grows 5 per scrape and a gauge.
let scrapes = 0;
function exposition(): string {
  scrapes++;
  return [
    '# TYPE shop_requests_total counter',
    `shop_requests_total{namespace="shop",pod="cart-7f9c-2xk4d",code="200"} ${scrapes * 5}`,
    '# TYPE shop_queue_depth gauge',
    'shop_queue_depth{namespace="shop",pod="cart-7f9c-2xk4d"} 4',
    '# TYPE shop_up gauge',
    'shop_up 1',
    '',
  ].join('\n');
}

const listen = (s: Server) =>
  new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

describe('a real Prometheus remote-writes to rootgraph', () => {
  const cleanup: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('scraped series arrive on the entities their labels name, counters as rates', async () => {
    const target = createServer((_req, res) => res.end(exposition()));
    const targetPort = await listen(target);
    cleanup.push(() => new Promise((r) => target.close(r)));
    const graph = await MemoryGraphStore.open();
    const metrics = new BufferMetricSource();
    const app = await buildIngestServer({ graph, metrics });
    const ingest = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => app.close());
    const dir = await mkdtemp(join(tmpdir(), 'rg-prom-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        `  - job_name: shop`,
        `    static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }]`,
        'remote_write:',
        `  - url: '${ingest}/api/v1/write'`,
        '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }',
        '',
      ].join('\n'),
    );
    const prom: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        '--web.listen-address=127.0.0.1:0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prom.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    cleanup.push(() => void prom.kill('SIGTERM'));

    const pod = uids.pod('cart-7f9c-2xk4d', 'shop');
    const series = await waitFor(
      `remote-written series on ${pod} (prometheus log: ${log.slice(-500)})`,
      async () => {
        const sub = await graph.neighbourhood([pod], { hops: 1, edges: ['HAS_SERIES'] });
        const names = sub.nodes.filter((n) => n.label === 'MetricSeries').map((n) => String(n.props.metric));
        return names.includes('shop_requests_total{code=200}') && names.includes('shop_queue_depth')
          ? names
          : undefined;
      },
      60_000,
    );
    expect(series.sort()).toEqual(['shop_queue_depth', 'shop_requests_total{code=200}']);
    // A series with only job/instance labels belongs to the job's Service; no Service is named after the pod.
    expect((await graph.getNode(uids.service('shop')))?.label).toBe('Service');
    expect(await graph.getNode(uids.service('cart-7f9c-2xk4d', 'shop'))).toBeUndefined();
    const rate = await waitFor('a counter rate', async () => {
      const now = Math.floor(Date.now() / 1000);
      const [s] = await metrics.query({
        entities: ['shop/cart-7f9c-2xk4d'],
        metrics: ['shop_requests_total{code=200}'],
        from: now - 120,
        to: now + 1,
        stepS: 1,
      });
      const vs = [...(s?.values ?? [])].filter(Number.isFinite);
      return vs.length > 0 ? vs[vs.length - 1] : undefined;
    });
    // 5 per scrape at one scrape a second.
    expect(rate).toBeGreaterThan(2);
    expect(rate).toBeLessThan(10);
  });
});
