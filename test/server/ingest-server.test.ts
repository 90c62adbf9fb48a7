import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { AlertRecord } from '../../src/model/alert-record.js';
import { otlpType } from '../../src/ingest/otel/otlp-proto.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { uids } from '../../src/model/uid.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';
import { kubernetesManifests, onlineBoutique, toAlertmanagerWebhooks } from '../../src/sim/index.js';
import { graphState } from '../ingest/helpers/graph-state.js';
import { simOtlpLogs, simOtlpTraces, simRun } from '../ingest/helpers/sim-telemetry.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

// The simulated run these tests post is stamped January 2026: the server receives it as it ends.
const RECEIVED_AT = simRun().options.start + simRun().options.durationS * 1000;

async function server(extra: Partial<Parameters<typeof buildIngestServer>[0]> = {}) {
  const graph = await MemoryGraphStore.open();
  const metrics = new BufferMetricSource();
  const alerts: AlertRecord[][] = [];
  app = await buildIngestServer({
    graph,
    metrics,
    now: () => RECEIVED_AT,
    onAlerts: (r) => {
      alerts.push(r);
    },
    ...extra,
  });
  return { graph, metrics, alerts, app };
}

describe('ingest server', () => {
  it('keeps the accepted log lines where the scheduled log checks read them', async () => {
    const recentLogs = new MemoryLogBuffer();
    const { app } = await server({ recentLogs });
    const body = simOtlpLogs(600);
    const res = await app.inject({ method: 'POST', url: '/v1/logs', payload: body });
    expect(res.statusCode).toBe(200);
    const kept = await recentLogs.lines(0, Number.MAX_SAFE_INTEGER);
    expect(kept.length).toBe(res.json().accepted);
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept.map((l) => l.service)).has('frontend')).toBe(true);
  });

  it('accepts OTLP JSON traces and folds them into the graph on flush', async () => {
    const { graph, app } = await server();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: simOtlpTraces(60) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rejectedCount: 0 });
    expect(res.json().partialSuccess).toBeUndefined();
    await app.ingest.flush();
    const calls = await graph.neighbourhood([uids.service('frontend', 'boutique')], {
      hops: 1,
      edges: ['CALLS'],
      direction: 'out',
    });
    expect(calls.edges.length).toBeGreaterThan(0);
  });

  it('spans named by raw URLs fold into one Operation node per route, not one per request', async () => {
    const { graph, app } = await server();
    const body = simOtlpTraces(60) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
    };
    let n = 0;
    for (const rs of body.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const sp of ss.spans)
          if (sp.name === 'GET /product/{id}') sp.name = `GET /product/${(++n).toString(16).padStart(10, '0')}`;
    expect(n).toBeGreaterThan(20);
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: body });
    expect(res.statusCode).toBe(200);
    await app.ingest.flush();
    const ops = (await graph.findNodes({ label: 'Operation' })).filter((o) => o.props.service === 'frontend');
    expect(ops.map((o) => o.props.name)).toContain('GET /product/{id}');
    expect(ops.filter((o) => String(o.props.name).startsWith('GET /product/'))).toHaveLength(1);
  });

  it('accepts protobuf and gzip, answering in protobuf', async () => {
    const { graph, app } = await server();
    const type = otlpType('ExportTraceServiceRequest');
    const json = JSON.parse(JSON.stringify(simOtlpTraces(30)), (k, v) =>
      ['traceId', 'spanId', 'parentSpanId'].includes(k) ? Buffer.from(v, 'hex').toString('base64') : v,
    );
    const body = gzipSync(type.encode(type.fromObject(json)).finish());
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: body,
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/protobuf/);
    expect(res.rawPayload.length).toBe(0);
    await app.ingest.flush();
    expect((await graph.counts()).byType.CALLS).toBeGreaterThan(0);
  });

  it('keeps good spans, reports bad ones with their path as OTLP partial success', async () => {
    const { app } = await server();
    const payload = simOtlpTraces(60) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    };
    payload.resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano = 'soon';
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload });
    expect(res.statusCode).toBe(200);
    expect(res.json().partialSuccess).toEqual({
      rejectedSpans: '1',
      errorMessage: 'resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano: not a number',
    });
    expect(res.json().accepted).toBeGreaterThan(0);
  });

  it('answers 4xx bodies that say what is wrong and where', async () => {
    const { app } = await server({ bodyLimitBytes: 1000 });
    const notJson = await app.inject({
      method: 'POST',
      url: '/v1/logs',
      payload: '{"resourceLogs": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toMatchObject({ where: 'body' });
    const envelope = await app.inject({ method: 'POST', url: '/v1/logs', payload: { resourceLogs: 3 } });
    expect(envelope.statusCode).toBe(400);
    expect(envelope.json().error).toMatchObject({
      code: 'INPUT_INVALID',
      where: 'resourceLogs',
      message: 'resourceLogs: expected a list',
    });
    const big = await app.inject({
      method: 'POST',
      url: '/v1/logs',
      payload: { resourceLogs: [], pad: 'x'.repeat(2000) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.hint).toMatch(/smaller batches/);
    const media = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect(media.statusCode).toBe(415);
    const badPb = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: Buffer.from([0x0a, 0xff]),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(badPb.statusCode).toBe(400);
    expect(badPb.json().error.message).toMatch(/not a protobuf ExportTraceServiceRequest/);
    expect((await app.inject({ method: 'GET', url: '/v2/nothing' })).statusCode).toBe(404);
  });

  it('requires the bearer token except on health endpoints', async () => {
    const { app } = await server({ token: 's3cret' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({
      status: 'ready',
      graph: 'memory',
    });
    const denied = await app.inject({ method: 'POST', url: '/v1/traces', payload: { resourceSpans: [] } });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().error.code).toBe('NOT_ALLOWED');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/traces',
          payload: { resourceSpans: [] },
          headers: { authorization: 'Bearer wrong' },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/traces',
          payload: { resourceSpans: [] },
          headers: { authorization: 'Bearer s3cret' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('Alertmanager webhooks become Alert nodes FIRED_ON entities, reach onAlerts, and replay changes nothing', async () => {
    const { graph, alerts, app } = await server();
    const run = simRun();
    const deliveries = toAlertmanagerWebhooks(run.alerts, run.options.start + run.options.durationS * 1000);
    expect(deliveries.length).toBeGreaterThan(0);
    for (const d of deliveries)
      expect(
        (await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', payload: d.payload })).json().rejectedCount,
      ).toBe(0);
    expect(alerts.flat().length).toBe(deliveries.reduce((a, d) => a + (d.payload.alerts as unknown[]).length, 0));
    const before = await graphState(graph, 'Alert:');
    expect(before.nodes.length).toBeGreaterThan(0);
    const fired = await graph.neighbourhood([before.nodes[0].uid], { hops: 1, edges: ['FIRED_ON'] });
    expect(fired.edges).toHaveLength(1);
    for (const d of deliveries)
      await app.inject({ method: 'POST', url: '/v1/alerts/alertmanager', payload: d.payload });
    expect(await graphState(graph, 'Alert:')).toEqual(before);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/alerts/alertmanager',
      payload: { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'X' }, startsAt: 'yesterday' }] },
    });
    expect(bad.json()).toMatchObject({ accepted: 0, rejectedCount: 1, rejected: [{ where: 'alerts[0].startsAt' }] });
  });

  it('metrics push fills the buffer and records MetricSeries HAS_SERIES; bad series named', async () => {
    const { graph, metrics, app } = await server();
    const t = RECEIVED_AT / 1000 - 180;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/push/metrics',
      payload: {
        series: [
          { entity: 'cartservice', metric: 'cpu_usage', timestamps: [t, t + 60, t + 120], values: [0.1, null, 0.3] },
          { entity: 'cartservice', metric: 'mem', timestamps: [t], values: ['lots'] },
        ],
      },
    });
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejectedCount: 1,
      rejected: [{ where: 'series[1].values[0]', reason: 'not a finite number or null' }],
    });
    const [s] = await metrics.query({ from: t, to: t + 120, stepS: 60 });
    expect([...s.values]).toEqual([0.1, Number.NaN, 0.3]);
    const has = await graph.neighbourhood([uids.service('cartservice')], { hops: 1, edges: ['HAS_SERIES'] });
    expect(has.nodes.find((n) => n.label === 'MetricSeries')?.props).toMatchObject({
      entity: 'cartservice',
      metric: 'cpu_usage',
      source: 'buffer',
    });
  });

  it('Kubernetes YAML posted twice, then edited, yields exactly one Change', async () => {
    const { app } = await server();
    const yaml = kubernetesManifests(onlineBoutique(), { includePods: false });
    const post = (body: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/k8s?source=boutique.yaml',
        payload: body,
        headers: { 'content-type': 'application/yaml' },
      });
    expect((await post(yaml)).json()).toMatchObject({ rejectedCount: 0, changes: [] });
    expect((await post(yaml)).json().changes).toEqual([]);
    const edited = await post(yaml.replace('adservice:v0.10.1', 'adservice:v0.11.0'));
    expect(edited.json().changes.map((c: { summary: string }) => c.summary)).toEqual([
      'image adservice:v0.10.1 → v0.11.0',
    ]);
  });
});
