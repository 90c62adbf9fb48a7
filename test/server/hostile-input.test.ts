import { connect } from 'node:net';
import fc from 'fast-check';
import { compressSync } from 'snappy';
import { afterEach, describe, expect, it } from 'vitest';
import { RootgraphError } from '../../src/errors.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { INPUT_LIMITS, type InputLimit } from '../../src/ingest/input-limits.js';
import { otlpType } from '../../src/ingest/otel/otlp-proto.js';
import { WriteRequest } from '../../src/ingest/prometheus/parse-remote-write.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { uids } from '../../src/model/uid.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';

type App = Awaited<ReturnType<typeof buildIngestServer>>;
let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function server(extra: Partial<Parameters<typeof buildIngestServer>[0]> = {}) {
  const graph = await MemoryGraphStore.open();
  const metrics = new BufferMetricSource();
  app = await buildIngestServer({ graph, metrics, traceIdleMs: 0, ...extra });
  return { graph, metrics, app };
}

const nowNs = () => `${BigInt(Date.now()) * 1_000_000n}`;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const spanBody = (service: string, name = 'GET /', endNs = nowNs()) => ({
  resourceSpans: [
    {
      resource: { attributes: [str('service.name', service)] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name,
              startTimeUnixNano: endNs,
              endTimeUnixNano: endNs,
            },
          ],
        },
      ],
    },
  ],
});
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe('hostile input: every answer is a 2xx with per-item rejections or a 4xx with a reason, never a 500', () => {
  it('a 10k-deep JSON body is a 400 naming the depth limit, on every JSON endpoint', async () => {
    const { app } = await server();
    for (const url of [
      '/v1/k8s',
      '/v1/traces',
      '/v1/logs',
      '/v1/metrics',
      '/v1/alerts/alertmanager',
      '/v1/push/metrics',
    ]) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: deep(10_000),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toMatch(/nested deeper than 64/);
    }
  });

  it('a deeply nested OTLP AnyValue sent as protobuf is one rejected record, not a crash', async () => {
    const { app } = await server();
    let value: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [str('service.name', 'cart')] },
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: nowNs(), body: value },
                { timeUnixNano: nowNs(), body: { stringValue: 'ok line' } },
              ],
            },
          ],
        },
      ],
    };
    const type = otlpType('ExportLogsServiceRequest');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/logs',
      payload: Buffer.from(type.encode(type.fromObject(body)).finish()),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.statusCode).toBe(200);
    const reply = type.name ? otlpType('ExportLogsServiceResponse') : undefined;
    const decoded = reply?.toObject(reply.decode(res.rawPayload), { longs: String }) as {
      partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string };
    };
    expect(decoded.partialSuccess?.rejectedLogRecords).toBe('1');
    expect(decoded.partialSuccess?.errorMessage).toMatch(/nested deeper than 16 levels/);
  });

  it('one series of 300k samples is taken whole', async () => {
    const { app } = await server();
    const t0 = Math.floor(Date.now() / 1000) - 400_000;
    const timestamps = Array.from({ length: 300_000 }, (_, i) => t0 + i);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/push/metrics',
      payload: { series: [{ entity: 'cart', metric: 'cpu', timestamps, values: timestamps.map(() => 1) }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 0 });
  });

  it('an alert label named __proto__ or constructor is an ordinary label; the other alerts of the webhook are kept', async () => {
    const { app, graph } = await server();
    const startsAt = new Date().toISOString();
    const payload = `{"version":"4","alerts":[
      {"status":"firing","labels":{"alertname":"A","__proto__":{"x":1},"service":"cart"},"startsAt":"${startsAt}"},
      {"status":"firing","labels":{"alertname":"B","__proto__":"odd","constructor":"c","service":"cart"},"startsAt":"${startsAt}"},
      {"status":"firing","labels":{"alertname":"C","service":"cart"},"startsAt":"${startsAt}"}]}`;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/alerts/alertmanager',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    // The first alert's __proto__ label is not a string: that alert alone is rejected.
    expect(res.json()).toMatchObject({ accepted: 2, rejectedCount: 1 });
    const names = (await graph.findNodes({ label: 'Alert' })).map((n) => n.props.name).sort();
    expect(names).toEqual(['B', 'C']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('an over-long name is rejected with its reason (never acknowledged and then dropped)', async () => {
    const { app } = await server();
    for (const [service, name] of [
      ['x'.repeat(5_000), 'GET /'],
      ['cart', 'y'.repeat(5_000)],
    ]) {
      const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: spanBody(service, name) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 0, rejectedCount: 1 });
      expect(res.json().rejected[0].reason).toMatch(/longer than 253 characters/);
    }
  });

  it('a wholly invalid manifest body is a 4xx, not a 200 with a count', async () => {
    const { app } = await server();
    for (const payload of ['garbage: [', '[]', 'null', '%%% not yaml at all {{{']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/k8s',
        payload,
        headers: { 'content-type': 'application/yaml' },
      });
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
    }
  });

  it('a webhook of more alerts than the limit is refused whole with the limit named', async () => {
    const { app } = await server();
    const alert = { status: 'firing', labels: { alertname: 'X' }, startsAt: new Date().toISOString() };
    const res = await app.inject({
      method: 'POST',
      url: '/v1/alerts/alertmanager',
      payload: { version: '4', alerts: Array(10_000).fill(alert) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/at most 5000/);
  });

  it('a body of more manifests than the limit (YAML documents or List items) is refused whole with the limit named', async () => {
    const { app } = await server();
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: x\n`;
    const yaml = Array.from({ length: 20_000 }, (_, i) => doc(i)).join('---\n');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/k8s',
      payload: yaml,
      headers: { 'content-type': 'application/yaml' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/20000 YAML documents; at most 5000/);
    const list = {
      kind: 'List',
      items: Array.from({ length: 6_000 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${i}` },
      })),
    };
    const listed = await app.inject({ method: 'POST', url: '/v1/k8s', payload: list });
    expect(listed.statusCode).toBe(400);
    expect(listed.json().error.message).toMatch(/6000 objects; at most 5000/);
  });

  it('control and bidi-override characters never reach a stored name', async () => {
    const { app, graph } = await server();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: spanBody('pay\u0000ment\u202Egnp.exe', 'GET \u2066/cart'),
    });
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 0 });
    await app.ingest.flush();
    const svc = await graph.getNode(uids.service('paymentgnp.exe'));
    expect(svc?.props.name).toBe('paymentgnp.exe');
    expect((await graph.findNodes({ label: 'Operation' })).map((n) => n.props.name)).toEqual(['GET /cart']);
  });

  it('a timestamp far in the future is rejected per item and moves no clock', async () => {
    const { app, graph } = await server();
    const future = `${BigInt(Date.UTC(5138, 0, 1)) * 1_000_000n}`;
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: spanBody('cart', 'GET /', future) });
    expect(res.json()).toMatchObject({ accepted: 0, rejectedCount: 1 });
    expect(res.json().rejected[0].reason).toMatch(/in the future/);
    await app.inject({ method: 'POST', url: '/v1/traces', payload: spanBody('shop') });
    await app.ingest.flush();
    // The embedded store's own record of when it last saw the node: now, not the year 5138.
    expect(graph.graph.getNodeAttribute(uids.service('shop'), 'lastSeen')).toBeLessThan(Date.now() + 60_000);
    expect(await graph.getNode(uids.service('cart'))).toBeUndefined();
  });

  it('a timestamp older than the past bound is rejected per item with its reason; the rest of the request is kept', async () => {
    const { app, graph } = await server();
    const old = `${BigInt(Date.now() - 30 * 86_400_000) * 1_000_000n}`;
    const body = spanBody('cart', 'GET /', old);
    body.resourceSpans.push(spanBody('shop').resourceSpans[0]);
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 1 });
    expect(res.json().rejected[0]).toEqual({
      where: 'resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano',
      reason: expect.stringMatching(/more than 7 days in the past \(maxPastMs; ROOTGRAPH_MAX_PAST_MS=off/),
    });
    const push = await app.inject({
      method: 'POST',
      url: '/v1/push/metrics',
      payload: {
        series: [{ entity: 'cart', metric: 'cpu', timestamps: [Date.now() / 1000 - 30 * 86_400], values: [1] }],
      },
    });
    expect(push.json()).toMatchObject({ accepted: 0, rejected: [{ where: 'series[0].timestamps[0]' }] });
    await app.ingest.flush();
    expect(await graph.getNode(uids.service('shop'))).toBeDefined();
    expect(await graph.getNode(uids.service('cart'))).toBeUndefined();
  });

  it('with the past bound off (ROOTGRAPH_MAX_PAST_MS=off), old data is replayed whole; the future bound still holds', async () => {
    const { app, graph } = await server({ maxPastMs: 0 });
    const old = `${BigInt(Date.UTC(2019, 0, 1)) * 1_000_000n}`;
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: spanBody('cart', 'GET /', old) });
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 0 });
    await app.ingest.flush();
    expect(await graph.getNode(uids.service('cart'))).toBeDefined();
    const future = `${BigInt(Date.now() + 3_600_000) * 1_000_000n}`;
    const late = await app.inject({ method: 'POST', url: '/v1/traces', payload: spanBody('shop', 'GET /', future) });
    expect(late.json().rejected[0].reason).toMatch(/in the future/);
  });

  it('an alert starting in the future is rejected alone; one that started a month ago is kept (Alertmanager resends long-firing alerts)', async () => {
    const { app } = await server();
    const alert = (name: string, startsAt: number) => ({
      status: 'firing',
      labels: { alertname: name, service: 'cart' },
      startsAt: new Date(startsAt).toISOString(),
    });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/alerts/alertmanager',
      payload: {
        version: '4',
        alerts: [alert('Old', Date.now() - 30 * 86_400_000), alert('Ahead', Date.now() + 86_400_000)],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 1 });
    expect(res.json().rejected[0]).toEqual({
      where: 'alerts[1].startsAt',
      reason: expect.stringMatching(/10 min in the future .*ROOTGRAPH_MAX_FUTURE_MS/),
    });
  });

  describe('items per request: one past the limit is a 400 naming the limit and its value', () => {
    const ns = nowNs();
    const t = Math.floor(Date.now() / 1000);
    const over = (limit: InputLimit) => INPUT_LIMITS[limit] + 1;
    const spans = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: (i + 1).toString(16).padStart(16, '0'),
        startTimeUnixNano: ns,
        endTimeUnixNano: ns,
      }));
    const traceType = otlpType('ExportTraceServiceRequest');
    const remoteWrite = (timeseries: unknown[]) =>
      compressSync(Buffer.from(WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish()));
    const rwLabels = (i: number) => [
      { name: '__name__', value: 'cpu' },
      { name: 'service', value: `s${i}` },
    ];
    const CASES: Array<{
      limit: InputLimit;
      what: string;
      url: string;
      body: () => string | Buffer;
      headers?: Record<string, string>;
    }> = [
      {
        limit: 'maxSpansPerRequest',
        what: 'OTLP JSON spans',
        url: '/v1/traces',
        body: () =>
          JSON.stringify({
            resourceSpans: [
              {
                resource: { attributes: [str('service.name', 'a')] },
                scopeSpans: [{ spans: spans(over('maxSpansPerRequest')) }],
              },
            ],
          }),
      },
      {
        limit: 'maxSpansPerRequest',
        what: 'OTLP protobuf spans',
        url: '/v1/traces',
        headers: { 'content-type': 'application/x-protobuf' },
        body: () =>
          Buffer.from(
            traceType
              .encode(
                traceType.fromObject({
                  resourceSpans: [
                    {
                      resource: { attributes: [str('service.name', 'a')] },
                      scopeSpans: [
                        {
                          spans: spans(over('maxSpansPerRequest')).map((s) => ({
                            ...s,
                            traceId: Buffer.from(s.traceId, 'hex'),
                            spanId: Buffer.from(s.spanId, 'hex'),
                          })),
                        },
                      ],
                    },
                  ],
                }),
              )
              .finish(),
          ),
      },
      {
        limit: 'maxLogRecordsPerRequest',
        what: 'OTLP log records',
        url: '/v1/logs',
        body: () =>
          JSON.stringify({
            resourceLogs: [
              {
                resource: { attributes: [str('service.name', 'a')] },
                scopeLogs: [
                  {
                    logRecords: Array(over('maxLogRecordsPerRequest')).fill({
                      timeUnixNano: ns,
                      body: { stringValue: 'x' },
                    }),
                  },
                ],
              },
            ],
          }),
      },
      {
        limit: 'maxMetricPointsPerRequest',
        what: 'OTLP metric data points',
        url: '/v1/metrics',
        body: () =>
          JSON.stringify({
            resourceMetrics: [
              {
                resource: { attributes: [str('service.name', 'a')] },
                scopeMetrics: [
                  {
                    metrics: [
                      {
                        name: 'm',
                        gauge: {
                          dataPoints: Array(over('maxMetricPointsPerRequest')).fill({ timeUnixNano: ns, asDouble: 1 }),
                        },
                      },
                    ],
                  },
                ],
              },
            ],
          }),
      },
      {
        limit: 'maxSeriesPerRequest',
        what: 'remote-write series',
        url: '/api/v1/write',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        body: () =>
          remoteWrite(
            Array.from({ length: over('maxSeriesPerRequest') }, (_, i) => ({
              labels: rwLabels(i),
              samples: [{ value: 1, timestamp: t * 1000 }],
            })),
          ),
      },
      {
        limit: 'maxSamplesPerRequest',
        what: 'remote-write samples',
        url: '/api/v1/write',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
        body: () =>
          remoteWrite([
            {
              labels: rwLabels(0),
              samples: Array(over('maxSamplesPerRequest')).fill({ value: 1, timestamp: t * 1000 }),
            },
          ]),
      },
      {
        limit: 'maxSeriesPerRequest',
        what: 'JSON push series',
        url: '/v1/push/metrics',
        body: () =>
          JSON.stringify({
            series: Array(over('maxSeriesPerRequest')).fill({ entity: 'a', metric: 'm', timestamps: [t], values: [1] }),
          }),
      },
      {
        limit: 'maxSamplesPerRequest',
        what: 'JSON push samples',
        url: '/v1/push/metrics',
        body: () => {
          const timestamps = Array(over('maxSamplesPerRequest')).fill(t);
          return JSON.stringify({
            series: [{ entity: 'a', metric: 'm', timestamps, values: timestamps.map(() => 1) }],
          });
        },
      },
      {
        limit: 'maxAlertsPerRequest',
        what: 'Alertmanager alerts',
        url: '/v1/alerts/alertmanager',
        body: () =>
          JSON.stringify({
            version: '4',
            alerts: Array(over('maxAlertsPerRequest')).fill({
              status: 'firing',
              labels: { alertname: 'X' },
              startsAt: new Date().toISOString(),
            }),
          }),
      },
    ];
    for (const c of CASES)
      it(`${c.what}: more than ${c.limit} (${INPUT_LIMITS[c.limit]})`, async () => {
        const { app } = await server();
        const res = await app.inject({
          method: 'POST',
          url: c.url,
          payload: c.body(),
          headers: c.headers ?? { 'content-type': 'application/json' },
        });
        expect(res.statusCode).toBe(400);
        const max = INPUT_LIMITS[c.limit];
        expect(res.json().error.message).toMatch(
          new RegExp(`^body: ${max + 1} [a-z ]+ in one request; at most ${max} \\(${c.limit}\\)$`),
        );
      });
  });

  it('6,000 new series in one body cost little memory (storage grows with samples, not with the week-long capacity)', async () => {
    const { app, metrics } = await server();
    const t = Math.floor(Date.now() / 1000);
    const series = Array.from({ length: 6_000 }, (_, i) => ({
      entity: `svc${i}`,
      metric: 'm',
      timestamps: [t],
      values: [1],
    }));
    const before = process.memoryUsage().heapUsed;
    const res = await app.inject({ method: 'POST', url: '/v1/push/metrics', payload: { series } });
    expect(res.statusCode).toBe(200);
    expect((await metrics.listSeries()).length).toBe(6_000);
    // Week-long rings would take 6,000 × 10,080 × 16 B ≈ 970 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 2 ** 20);
  });

  it('a client that sends its body slowly is cut off', async () => {
    const { app } = await server({ requestTimeoutMs: 500 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
        );
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 20_000).unref();
    });
    expect(closed).toBe(true);
  });

  it('fuzz: any JSON value on any endpoint gets a 2xx or a 4xx', async () => {
    const { app } = await server();
    const urls = ['/v1/traces', '/v1/logs', '/v1/metrics', '/v1/alerts/alertmanager', '/v1/push/metrics', '/v1/k8s'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), fc.jsonValue({ maxDepth: 6 }), async (url, body) => {
        const res = await app.inject({
          method: 'POST',
          url,
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        return res.statusCode < 500;
      }),
      { numRuns: 300 },
    );
  });
});

describe('a graph that is down', () => {
  it('answers 503 with Retry-After, so exporters and Prometheus send the data again', async () => {
    const { app } = await server();
    app.get('/test/unavailable', async () => {
      throw new RootgraphError('UNAVAILABLE', 'graph (neo4j) does not answer');
    });
    const res = await app.inject({ method: 'GET', url: '/test/unavailable' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.message).toMatch(/does not answer/);
  });
});
