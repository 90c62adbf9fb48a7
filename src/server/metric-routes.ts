import type { FastifyInstance } from 'fastify';
import { InputError } from '../errors.js';
import type { MetricIngestor } from '../ingest/metrics/metric-ingestor.js';
import { parseMetricPush } from '../ingest/metrics/parse-metric-push.js';
import { decodeRemoteWrite, parseRemoteWrite } from '../ingest/prometheus/parse-remote-write.js';
import { graphRejections, MAX_LISTED_REJECTIONS, requireMetrics, type RequestClock } from './otlp-routes.js';

/**
 * `POST /v1/push/metrics` (rootgraph's own JSON push) and `POST /api/v1/write` (Prometheus
 * remote-write 1.0: snappy-compressed protobuf; 204 on success, 400 for a request that can never
 * succeed, so Prometheus drops it instead of retrying). OTLP metrics are at `/v1/metrics` (otlp-routes.ts).
 */
export function registerMetricRoutes(
  app: FastifyInstance,
  p: { metrics?: MetricIngestor; cluster: string; clock: RequestClock },
): void {
  app.post('/v1/push/metrics', async (req) => {
    const parsed = parseMetricPush(req.body, p.clock());
    const r = await requireMetrics(p.metrics).ingestSamples(parsed.accepted, parsed.placed);
    const rejected = [...parsed.rejected, ...graphRejections(r.upsert?.rejected)];
    return {
      accepted: parsed.series,
      samples: r.samples,
      rejectedCount: rejected.length,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
    };
  });

  app.post('/api/v1/write', async (req, reply) => {
    if (!Buffer.isBuffer(req.body))
      throw new InputError(
        'body',
        'expected a snappy-compressed protobuf WriteRequest (Content-Type: application/x-protobuf)',
      );
    const parsed = parseRemoteWrite(decodeRemoteWrite(req.body), p.cluster, p.clock());
    const r = await requireMetrics(p.metrics).ingest(parsed.accepted);
    const rejected = [...parsed.rejected, ...graphRejections(r.upsert?.rejected)];
    if (rejected.length > 0)
      req.log.warn({ rejected: rejected.length, first: rejected.slice(0, 3) }, 'remote-write series rejected');
    return reply.status(204).send();
  });
}
