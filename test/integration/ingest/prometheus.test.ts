import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { toMetricSeriesBatch } from '../../../src/ingest/metrics/to-metric-series-batch.js';
import type { MetricSeries } from '../../../src/ports/metric-source.js';
import { PrometheusMetricSource } from '../../../src/metrics/prometheus-metric-source.js';
import { uids } from '../../../src/model/uid.js';
import { PROMETHEUS_URL } from '../../helpers/services.js';
import { deleteTagged, STORES, tag } from './stores.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);
const DATA = resolve(process.env.ROOTGRAPH_VAR ?? 'var', 'prometheus/data');
const SENTINEL = 'rootgraph_it_run_marker';
const SERVICES = resolve('scripts/services.sh');
const STEP = 60;
const N = 30;

/**
 * Writes a TSDB block with this run's series into Prometheus' data folder (promtool), then restarts
 * Prometheus through the project's service script: it loads every block on disk at start-up, which
 * is deterministic (its periodic block reload can take over a minute).
 */
async function createBlock(t: string, from: number): Promise<void> {
  const lines: string[] = [];
  const series = [
    ['rootgraph_it_cpu_usage', `service="${t}-cart",pod="${t}-cart-0"`, (i: number) => 0.25 + i / 100],
    ['rootgraph_it_cpu_usage', `service="${t}-cart",pod="${t}-cart-1"`, (i: number) => 0.75 + i / 100],
    ['rootgraph_it_memory_bytes', `pod="${t}-db-0"`, (i: number) => 1_000 * (i + 1)],
    ['rootgraph_it_request_rate', `service="${t}-cart",pod="${t}-cart-0"`, (i: number) => 10 + i],
    ['rootgraph_it_request_rate', `service="${t}-cart",pod="${t}-cart-1"`, (i: number) => 30 + i],
    [SENTINEL, `run="${t}"`, () => 1],
  ] as const;
  for (const name of new Set(series.map((s) => s[0]))) {
    lines.push(`# TYPE ${name} gauge`);
    for (const [n, labels, f] of series)
      if (n === name) for (let i = 0; i < N; i++) lines.push(`${name}{${labels}} ${f(i)} ${from + i * STEP}`);
  }
  lines.push('# EOF', '');
  const dir = await mkdtemp(join(tmpdir(), 'rg-prom-'));
  await writeFile(join(dir, 'metrics.om'), lines.join('\n'));
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'metrics.om'), DATA]);
  await run('bash', [SERVICES, 'down', 'prometheus']);
  await run('bash', [SERVICES, 'up', 'prometheus']);
}

describe('real Prometheus answers query_range for a block the test created', () => {
  const t = tag();
  // Three days ago, on the minute: far behind Prometheus' head block.
  const from = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3 * 86_400;
  const to = from + (N - 1) * STEP;
  const source = new PrometheusMetricSource({ baseUrl: PROMETHEUS_URL });
  let cpu: MetricSeries;

  beforeAll(async () => {
    await createBlock(t, from);
    cpu = await waitFor(
      'Prometheus to load the new block',
      async () => {
        const [s] = await source.query({
          entities: [`${t}-cart`],
          metrics: ['rootgraph_it_cpu_usage'],
          from,
          to,
          stepS: STEP,
        });
        return s && !Number.isNaN(s.values[N - 1]) ? s : undefined;
      },
      30_000,
    );
  }, 100_000);

  it('maps labels to entities (service, else pod) and averages instances', async () => {
    expect(cpu.entity).toBe(`${t}-cart`);
    expect([...cpu.timestamps]).toEqual(Array.from({ length: N }, (_, i) => from + i * STEP));
    cpu.values.forEach((v, i) => expect(v).toBeCloseTo(0.5 + i / 100, 9));
    const listed = await source.listSeries(`${t}-db-0`);
    expect(listed).toEqual([{ entity: `${t}-db-0`, metric: 'rootgraph_it_memory_bytes' }]);
    const [mem] = await source.query({ entities: [`${t}-db-0`], from, to: from + 2 * STEP, stepS: STEP });
    expect([...mem.values]).toEqual([1000, 2000, 3000]);
  });

  it("sums request rates over instances: a service's load is its pods' together", async () => {
    const [rate] = await source.query({
      entities: [`${t}-cart`],
      metrics: ['rootgraph_it_request_rate'],
      from,
      to,
      stepS: STEP,
    });
    rate.values.forEach((v, i) => expect(v).toBeCloseTo(40 + 2 * i, 9));
  });

  it('the graph records which entity has which series (both stores)', async () => {
    const refs = [...(await source.listSeries(`${t}-cart`)), ...(await source.listSeries(`${t}-db-0`))];
    for (const open of Object.values(STORES)) {
      const graph = await open();
      try {
        const r = await graph.upsert(toMetricSeriesBatch(refs, { source: 'prometheus', cluster: t }));
        expect(r.rejected).toEqual([]);
        const sub = await graph.neighbourhood([uids.service(`${t}-cart`, 'default', t)], {
          hops: 1,
          edges: ['HAS_SERIES'],
        });
        expect(
          sub.nodes
            .filter((n) => n.label === 'MetricSeries')
            .map((n) => n.props.metric)
            .sort(),
        ).toEqual(['rootgraph_it_cpu_usage', 'rootgraph_it_request_rate']);
      } finally {
        await deleteTagged(graph, t);
        await graph.close();
      }
    }
  });

  it('a query for an unknown entity returns nothing; a dead Prometheus is UNAVAILABLE', async () => {
    expect(await source.query({ entities: [`${t}-nobody`], from, to, stepS: STEP })).toEqual([]);
    const dead = new PrometheusMetricSource({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    await expect(dead.listSeries()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
