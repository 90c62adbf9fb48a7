import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { uids } from '../../../src/model/uid.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { deleteTagged, STORES, tag } from './stores.js';

const EXPORTERS = {
  json: { traces: JsonTraceExporter, logs: JsonLogExporter },
  protobuf: { traces: ProtoTraceExporter, logs: ProtoLogExporter },
} as const;

describe('OpenTelemetry JS SDK → ingest server', () => {
  for (const [storeName, open] of Object.entries(STORES)) {
    for (const [encoding, exp] of Object.entries(EXPORTERS)) {
      it(`${encoding} traces and logs reach the ${storeName} graph`, async () => {
        const graph = await open();
        const ns = tag();
        const app = await buildIngestServer({ graph, token: 'tok', traceIdleMs: 60_000 });
        const address = await app.listen({ host: '127.0.0.1', port: 0 });
        const headers = { authorization: 'Bearer tok' };
        const provider = (service: string) =>
          new NodeTracerProvider({
            resource: resourceFromAttributes({
              'service.name': service,
              'k8s.namespace.name': ns,
              'k8s.pod.name': `${service}-0`,
            }),
            spanProcessors: [new SimpleSpanProcessor(new exp.traces({ url: `${address}/v1/traces`, headers }))],
          });
        const [front, cart] = [provider('frontend'), provider('cart')];
        for (let i = 0; i < 5; i++) {
          const root = front.getTracer('t').startSpan('GET /checkout');
          const child = cart.getTracer('t').startSpan('GetCart', {}, trace.setSpan(context.active(), root));
          if (i === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'redis down' });
          child.end();
          root.end();
        }
        await Promise.all([front.forceFlush(), cart.forceFlush()]);
        const logs = new LoggerProvider({
          resource: resourceFromAttributes({ 'service.name': 'cart', 'k8s.namespace.name': ns }),
          processors: [new BatchLogRecordProcessor({ exporter: new exp.logs({ url: `${address}/v1/logs`, headers }) })],
        });
        for (const order of [101, 202, 303])
          logs.getLogger('t').emit({
            severityNumber: SeverityNumber.ERROR,
            severityText: 'ERROR',
            body: `payment failed for order ${order}`,
          });
        await logs.forceFlush();
        await app.ingest.flush();
        try {
          const sub = await graph.neighbourhood([uids.service('frontend', ns)], {
            hops: 1,
            edges: ['CALLS'],
            direction: 'out',
          });
          const call = sub.edges.find((e) => e.to === uids.service('cart', ns));
          expect(call?.props).toMatchObject({ count: 5, errorCount: 1 });
          const emitted = await graph.neighbourhood([uids.service('cart', ns)], { hops: 1, edges: ['EMITTED_BY'] });
          const templates = emitted.nodes.filter((n) => n.label === 'LogTemplate');
          expect(templates.map((t) => [t.props.count, t.props.errorCount])).toEqual([[3, 3]]);
          expect(templates[0].props.template).toMatch(/^payment failed for order /);
        } finally {
          await Promise.all([front.shutdown(), cart.shutdown(), logs.shutdown()]);
          await app.close();
          await deleteTagged(graph, ns);
          await graph.close();
        }
      });
    }
  }
});
