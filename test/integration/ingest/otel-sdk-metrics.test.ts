import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { BufferMetricSource } from '../../../src/metrics/buffer-metric-source.js';
import { uids } from '../../../src/model/uid.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { deleteTagged, STORES, tag } from './stores.js';

const EXPORTERS = { json: JsonMetricExporter, protobuf: ProtoMetricExporter } as const;

describe('OpenTelemetry JS SDK metrics → ingest server', () => {
  for (const [storeName, open] of Object.entries(STORES)) {
    for (const [encoding, Exporter] of Object.entries(EXPORTERS)) {
      it(`${encoding} gauges, counters and histograms land on the right Pod (${storeName})`, async () => {
        const graph = await open();
        const ns = tag();
        const metrics = new BufferMetricSource();
        const app = await buildIngestServer({ graph, metrics, token: 'tok', cluster: ns });
        const address = await app.listen({ host: '127.0.0.1', port: 0 });
        const pod = 'cartservice-5d8b7-x2x9q';
        const reader = new PeriodicExportingMetricReader({
          exporter: new Exporter({
            url: `${address}/v1/metrics`,
            headers: { authorization: 'Bearer tok' },
            temporalityPreference: AggregationTemporality.CUMULATIVE,
          }),
          exportIntervalMillis: 3_600_000,
        });
        const provider = new MeterProvider({
          resource: resourceFromAttributes({
            'service.name': 'cartservice',
            'k8s.namespace.name': 'shop',
            'k8s.pod.name': pod,
            'k8s.deployment.name': 'cartservice',
          }),
          readers: [reader],
        });
        const meter = provider.getMeter('test');
        const requests = meter.createCounter('http.server.requests');
        const latency = meter.createHistogram('http.server.duration', {
          advice: { explicitBucketBoundaries: [10, 100, 1000] },
        });
        let queue = 3;
        meter.createObservableGauge('queue.depth').addCallback((r) => r.observe(queue));
        try {
          requests.add(10);
          for (let i = 0; i < 20; i++) latency.record(50);
          await provider.forceFlush();
          await new Promise((r) => setTimeout(r, 1_100));
          requests.add(30);
          for (let i = 0; i < 20; i++) latency.record(500);
          queue = 7;
          await provider.forceFlush();

          const podUid = uids.pod(pod, 'shop', ns);
          const sub = await graph.neighbourhood([podUid], { hops: 1, edges: ['HAS_SERIES', 'SELECTS', 'MANAGES'] });
          const names = sub.nodes
            .filter((n) => n.label === 'MetricSeries')
            .map((n) => n.props.metric)
            .sort();
          expect(names).toEqual(
            expect.arrayContaining([
              'queue.depth',
              'http.server.requests',
              'http.server.duration_p50',
              'http.server.duration_count',
            ]),
          );
          // The pod links to its Service and Deployment; no Service was made from the pod's name.
          expect(sub.nodes.map((n) => n.uid)).toEqual(
            expect.arrayContaining([
              uids.service('cartservice', 'shop', ns),
              uids.deployment('cartservice', 'shop', ns),
            ]),
          );
          expect(await graph.getNode(uids.service(pod, 'shop', ns))).toBeUndefined();
          const now = Math.floor(Date.now() / 1000);
          const read = await metrics.query({ entities: [`shop/${pod}`], from: now - 60, to: now + 1, stepS: 1 });
          const last = (metric: string) => {
            const s = read.find((x) => x.metric === metric);
            const vs = [...(s?.values ?? [])].filter(Number.isFinite);
            return vs[vs.length - 1];
          };
          expect(last('queue.depth')).toBe(7);
          expect(last('http.server.requests')).toBeGreaterThan(0); // 30 more over ~1 s, as a rate
          expect(last('http.server.duration_p50')).toBeGreaterThan(100); // the second interval's requests only
        } finally {
          await provider.shutdown();
          await app.close();
          await deleteTagged(graph, ns);
          await graph.close();
        }
      });
    }
  }
});
