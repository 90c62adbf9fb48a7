import { describe, expect, it } from 'vitest';
import { loadCardContext } from '../../src/assistant/card-context.js';
import { toIncidentCard } from '../../src/assistant/incident-card.js';
import { fillTemplate, isWebUrl, promqlFor, silenceUrl } from '../../src/assistant/links.js';
import { loadConfig } from '../../src/config.js';
import { alertUid } from '../../src/incidents/incident.js';
import { CALL_SHARE_METRIC } from '../../src/model/metric-semantics.js';
import { uid } from '../../src/model/uid.js';
import { boutiqueGraph, NOW, NS, svc } from './fixture.js';

const LINKS = {
  metrics: 'https://grafana.example/d/svc?var-service={service}&var-metric={metric}&from={from}&to={to}',
  traces: 'http://jaeger.example:16686/search?service={service}&start={fromUs}&end={toUs}',
  logs: 'https://grafana.example/explore?query={service}&from={fromIso}',
  alertmanager: 'http://alertmanager.example:9093',
  runbook: 'https://runbooks.example/{alertname}',
};

describe('links from URL templates', () => {
  const subject = {
    entity: 'cart svc',
    kind: 'service' as const,
    metric: 'latency_p99',
    from: 1_000_000,
    to: 2_000_000,
  };
  it('fills placeholders URL-encoded, and leaves unknown ones', () => {
    expect(fillTemplate('http://x/?s={service}&f={from}&t={toS}&u={fromUs}&q={nope}', subject)).toBe(
      'http://x/?s=cart%20svc&f=1000000&t=2000&u=1000000000&q={nope}',
    );
  });
  it('builds PromQL from a configured template or a plain selector', () => {
    expect(promqlFor({ ...subject, namespace: 'shop' })).toBe('latency_p99{service="cart svc",namespace="shop"}');
    expect(promqlFor(subject, { promql: { latency_p99: 'histogram_quantile(0.99, x{svc="{service}"})' } })).toBe(
      'histogram_quantile(0.99, x{svc="cart svc"})',
    );
  });
  it("prefills an Alertmanager silence with the alert's matchers, severity left out", () => {
    const url = silenceUrl('http://am:9093/', { alertname: 'HighLatency', service: 'cart', severity: 'critical' });
    expect(decodeURIComponent(url)).toBe(
      'http://am:9093/#/silences/new?filter={alertname="HighLatency",service="cart"}',
    );
  });
  it('only http(s) becomes a link', () => {
    expect(isWebUrl('https://x')).toBe(true);
    expect(isWebUrl('javascript:alert(1)')).toBe(false);
    expect(isWebUrl('not a url')).toBe(false);
  });
  it('reads the templates from the environment; the metrics link defaults to the Prometheus graph page', () => {
    const c = loadConfig({
      PROMETHEUS_URL: 'http://prom:9090',
      ROOTGRAPH_TRACES_URL: LINKS.traces,
      ROOTGRAPH_PAGERDUTY_ROUTING_KEY: 'R0UT1NGKEY',
      ROOTGRAPH_PROMQL: '{"latency_p99":"q"}',
    });
    expect(c.links.metrics).toMatch(/^http:\/\/prom:9090\/graph\?g0\.expr=\{promql\}/);
    expect(c.links.traces).toBe(LINKS.traces);
    expect(c.links.promql).toEqual({ latency_p99: 'q' });
    expect(c.pagerDuty).toEqual({ routingKey: 'R0UT1NGKEY', url: 'https://events.pagerduty.com/v2/enqueue' });
    expect(c.ownerLabels).toEqual(['owner', 'team', 'app.kubernetes.io/part-of']);
    expect(() => loadConfig({ ROOTGRAPH_PROMQL: '[1,2]' })).toThrow(/ROOTGRAPH_PROMQL/);
  });
});

describe('the incident card an on-call engineer reads', () => {
  it('impact, top suspect with its strongest evidence, grouped alerts, changes, owners and links', async () => {
    const { graph, incidents, incident } = await boutiqueGraph();
    // An owner label on the suspect's deployment and a runbook annotation on one alert.
    await graph.upsert({
      nodes: [
        {
          label: 'Deployment',
          uid: uid('Deployment', 'default', NS, 'paymentservice'),
          props: { name: 'paymentservice', namespace: NS, labels: ['app=paymentservice', 'team=payments'] },
        },
        { label: 'Alert', uid: alertUid('fp1'), props: { runbookUrl: 'https://wiki.example/payment-errors' } },
      ],
      edges: [],
      observedAt: NOW,
    });
    const context = await loadCardContext({ graph, links: LINKS, ownerLabels: ['team'] }, (await incidents.get(1))!);
    const card = toIncidentCard(incident, context);
    expect(card.impact[0]).toBe('`frontend` p99 latency 120 ms → 2.3 s (41.5σ above normal)');
    expect(card.candidates[0].evidence).toBe(
      'p99 latency 120 ms → 2.3 s (41.5σ above normal); alerts PaymentLatencyHigh (firing), PaymentErrors (firing); log `charge failed: card processor timeout after <*> ms` ×140',
    );
    expect(card.alertGroups.map((g) => [g.name, g.count, g.firing])).toEqual([
      ['PaymentLatencyHigh', 1, 1],
      ['PaymentErrors', 1, 1],
      ['CheckoutLatencyHigh', 1, 1],
    ]);
    expect(card.alertGroups[1].runbookUrl).toBe('https://wiki.example/payment-errors');
    expect(card.alertGroups[0].runbookUrl).toBe('https://runbooks.example/PaymentLatencyHigh');
    expect(card.changes[0]).toContain('image paymentservice:v0.9.1 → v0.9.2 (by ci-bot)');
    expect(card.owners).toEqual(['team=payments']);
    const byLabel = Object.fromEntries(card.links.map((l) => [l.label, l.url]));
    expect(byLabel['p99 latency of paymentservice']).toBe(
      `https://grafana.example/d/svc?var-service=paymentservice&var-metric=latency_p99&from=${incident.openedAt - 1_800_000}&to=${incident.updatedAt + 300_000}`,
    );
    expect(byLabel['traces of paymentservice']).toContain('service=paymentservice&start=');
    expect(byLabel['silence PaymentLatencyHigh']).toContain('http://alertmanager.example:9093/#/silences/new?filter=');
    expect(byLabel['alert source: PaymentLatencyHigh']).toBeUndefined(); // the fixture's alerts carry no generatorURL
  });

  it("links the suspect's own metric, not a calls-per-request move measured on its callee", async () => {
    const { graph, incidents, incident } = await boutiqueGraph();
    const [top, ...rest] = incident.suspects;
    const callShare = { metric: CALL_SHARE_METRIC, z: -9.3, normal: 1, peak: 0.47, harm: 7.6, of: svc('emailservice') };
    const metrics = [callShare, ...(top.explanation.metrics ?? [])];
    const edited = { ...incident, suspects: [{ ...top, explanation: { ...top.explanation, metrics } }, ...rest] };
    const context = await loadCardContext({ graph, links: LINKS, ownerLabels: [] }, (await incidents.get(1))!);
    const card = toIncidentCard(edited, context);
    expect(card.candidates[0].evidence).toContain(
      'calls per request served (to emailservice) 1 → 0.47 (9.3σ below normal)',
    );
    expect(card.links.map((l) => l.label)).toContain('p99 latency of paymentservice');
  });

  it('without context the card still shows the diagnosis', async () => {
    const { incident } = await boutiqueGraph();
    const card = toIncidentCard(incident);
    expect(card.candidates.map((c) => c.name)).toEqual([
      'paymentservice',
      'checkoutservice',
      'frontend',
      'currencyservice',
    ]);
    expect(card.path).toEqual(['paymentservice', 'checkoutservice', 'frontend']);
    expect(card.lifecycle.state).toBe('open');
    expect(card.links).toEqual([]);
    expect(card.candidates[0].entity).toBe(svc('paymentservice'));
  });
});
