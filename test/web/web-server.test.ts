import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildWebServer } from '../../bots/web/web-server.js';
import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { QueuedFeedbackSink } from '../../jobs/queued-feedback-sink.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { alertUid } from '../../src/incidents/incident.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { withSignature } from '../../src/model/incident-page-url.js';
import { uids } from '../../src/model/uid.js';

const T0 = Date.UTC(2026, 0, 1, 12); // the incident opens here
const NOW = T0 + 10 * 60_000;
const TOKEN = 'unit-test-token-0123456789';
const svc = (n: string) => uids.service(n);
const pod = uids.pod('cart-1');
const machine = uids.machine('node-a');

async function fixture() {
  const graph = await MemoryGraphStore.open();
  await graph.upsert({
    observedAt: T0,
    nodes: [
      ...['frontend', 'cart', 'redis', 'ads', 'recs'].map((n) => ({
        label: 'Service' as const,
        uid: svc(n),
        props: { name: n },
      })),
      { label: 'Pod', uid: pod, props: { name: 'cart-1' } },
      { label: 'Machine', uid: machine, props: { name: 'node-a' } },
      {
        label: 'Alert',
        uid: alertUid('fp1'),
        props: { name: 'HighRequestLatency', status: 'firing', fingerprint: 'fp1', startsAt: T0 },
      },
    ],
    edges: [
      { type: 'CALLS', from: svc('frontend'), to: svc('cart'), props: { count: 900 } },
      { type: 'CALLS', from: svc('cart'), to: svc('redis'), props: { count: 300 } },
      { type: 'CALLS', from: svc('frontend'), to: svc('ads'), props: { count: 50 } },
      { type: 'CALLS', from: svc('frontend'), to: svc('recs'), props: { count: 900 } },
      { type: 'SELECTS', from: svc('cart'), to: pod, props: {} },
      { type: 'RUNS_ON', from: pod, to: machine, props: {} },
      { type: 'FIRED_ON', from: alertUid('fp1'), to: svc('frontend'), props: {} },
    ],
  });
  const incidents = new IncidentStore(graph, () => T0);
  const opened = await incidents.open({
    title: 'HighRequestLatency on frontend',
    severity: 'critical',
    entities: [svc('frontend')],
    alertFingerprints: ['fp1'],
    entry: svc('frontend'),
    openedAt: T0,
  });
  await incidents.save({
    ...opened,
    diagnosedRevision: opened.revision,
    suspects: [
      {
        entity: svc('redis'),
        rank: 1,
        score: 0.8,
        why: 'latency_p99 moved z=30',
        explanation: {
          metrics: [{ metric: 'latency_p99', z: 30, normal: 2, peak: 40 }],
          path: [svc('redis'), svc('cart'), svc('frontend')],
          logTemplates: [{ template: 'timeout after <*> ms', windowCount: 120, expected: 2 }],
        },
      },
      { entity: pod, rank: 2, score: 0.3, why: 'cpu moved', explanation: { metrics: [{ metric: 'cpu_usage', z: 1 }] } },
    ],
  });
  const metrics = new BufferMetricSource();
  const samples = [];
  for (let t = T0 / 1000 - 1_800; t <= NOW / 1000; t += 30)
    samples.push({ entity: 'redis', metric: 'latency_p99', t, v: t < T0 / 1000 ? 2 + (t % 7) / 10 : 40 });
  metrics.push(samples);
  return { graph, incidents, metrics, number: opened.number };
}

describe('the incident web UI', () => {
  let app: FastifyInstance;
  let f: Awaited<ReturnType<typeof fixture>>;
  const signed = (path: string, expiresAtS = NOW / 1000 + 60) => withSignature(path, { secret: TOKEN, expiresAtS });

  beforeEach(async () => {
    f = await fixture();
    const feedback = new QueuedFeedbackSink(new InProcessRunner());
    app = await buildWebServer({ ...f, feedback, now: () => NOW }, { token: TOKEN, secret: TOKEN });
  });
  afterEach(async () => {
    await app.close();
    await f.graph.close();
  });

  it('answers only the bearer token or an unexpired signed link', async () => {
    const path = `/incidents/${f.number}`;
    expect((await app.inject({ url: path })).statusCode).toBe(401);
    expect((await app.inject({ url: path, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: signed(path) })).statusCode).toBe(200);
    expect((await app.inject({ url: signed(path, NOW / 1000 - 1) })).statusCode).toBe(401);
    expect((await app.inject({ url: signed(path).replace(`/${f.number}?`, `/${f.number + 1}?`) })).statusCode).toBe(
      401,
    );
  });

  it('signs every link of a page opened through a signed link, with the same expiry', async () => {
    const exp = NOW / 1000 + 60;
    const html = (await app.inject({ url: signed(`/incidents/${f.number}`, exp) })).body;
    const hrefs = [...html.matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
    expect(hrefs.length).toBeGreaterThan(5);
    for (const h of hrefs) {
      expect(h).toContain(`exp=${exp}&sig=`);
      expect((await app.inject({ method: h.includes('/feedback') ? 'POST' : 'GET', url: h })).statusCode).not.toBe(401);
    }
  });

  it('draws the suspect as a ranked hexagon, the alert, the entry, the path and a sparkline with its band', async () => {
    const html = (await app.inject({ url: signed(`/incidents/${f.number}`) })).body;
    expect(html).toMatch(
      /<a class="node suspect" data-uid="Service:default\/default\/redis"[^>]*aria-label="redis \(service\), #1 suspect 0\.800"/,
    );
    expect(html).toMatch(
      /<a class="node alerting entry" data-uid="Service:default\/default\/frontend"[^>]*aria-label="frontend \(service\), ⚠ alert, entry"/,
    );
    const onPath = [
      ...html.matchAll(/class="edge on-path" data-type="(\w+)" data-from="([^"]+)" data-to="([^"]+)"/g),
    ].map((m) => `${m[2]}>${m[3]}`);
    // Drawn in the direction the failure spread: suspect → entry, whichever way the relationship points.
    expect(onPath.sort()).toEqual([`${svc('redis')}>${svc('cart')}`, `${svc('cart')}>${svc('frontend')}`].sort());
    // Traffic sets the width of call edges: 900 calls draw wider than 50.
    const width = (to: string) => Number(new RegExp(`data-to="${to}"[^>]*stroke-width="([\\d.]+)"`).exec(html)?.[1]);
    expect(width(svc('recs'))).toBeGreaterThan(width(svc('ads')));
    expect(html).toMatch(/<svg class="sparkline" role="img" data-entity="redis" data-metric="latency_p99"/);
    expect(html).toContain('class="baseline-band"');
    expect(html).toContain('class="fault-start"');
    // |z| < 3 is not charted.
    expect(html).not.toContain('data-metric="cpu_usage"');
    expect(html).toContain('timeout after &lt;*&gt; ms');
    expect(html).toMatch(/<g class="alert" data-name="HighRequestLatency"/);
  });

  it('lists incidents and draws the neighbourhood of an entity named by name or uid', async () => {
    const list = (await app.inject({ url: signed('/incidents') })).body;
    expect(list).toContain('HighRequestLatency on frontend');
    expect(list).toContain('<code>redis</code>');
    const around = (await app.inject({ url: signed('/graph?around=cart&hops=1') })).body;
    const names = [...around.matchAll(/data-name="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(names).toEqual(['cart', 'cart-1', 'frontend', 'redis']);
    expect((await app.inject({ url: signed(`/graph?around=${encodeURIComponent(machine)}&hops=2`) })).body).toContain(
      'data-name="cart"',
    );
    expect((await app.inject({ url: signed('/graph?around=nope') })).statusCode).toBe(404);
    expect((await app.inject({ url: signed('/incidents/999') })).statusCode).toBe(404);
  });

  it("rasterises the incident graph to a PNG under the page's own signature", async () => {
    const html = (await app.inject({ url: signed(`/incidents/${f.number}`) })).body;
    const href = /href="([^"]*graph\.png[^"]*)"/.exec(html)?.[1].replaceAll('&amp;', '&') ?? '';
    const res = await app.inject({ url: href });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    // As wide as the drawing: the width is bytes 16–19 of the IHDR chunk.
    expect(res.rawPayload.readUInt32BE(16)).toBeGreaterThan(300);
    expect((await app.inject({ url: `/incidents/${f.number}/graph.png` })).statusCode).toBe(401);
  });

  it('refuses feedback on an entity that is not a suspect', async () => {
    const res = await app.inject({
      method: 'POST',
      url: signed(`/incidents/${f.number}/feedback`),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'entity=Service%3Adefault%2Fdefault%2Fads&verdict=root-cause',
    });
    expect(res.statusCode).toBe(400);
  });
});
