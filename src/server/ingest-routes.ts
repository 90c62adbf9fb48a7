import type { FastifyInstance } from 'fastify';
import type { GraphStore } from '../graph/graph-store.js';
import { InputError } from '../errors.js';
import type { AlertRecord } from '../model/alert-record.js';
import { parseAlertmanagerWebhook } from '../ingest/alertmanager/parse-alertmanager-webhook.js';
import { toAlertGraphBatch } from '../ingest/alertmanager/to-alert-graph-batch.js';
import { ingestK8sManifests } from '../ingest/k8s/ingest-k8s.js';
import { parseMetricPush } from '../ingest/metrics/parse-metric-push.js';
import { toMetricSeriesBatch } from '../ingest/metrics/to-metric-series-batch.js';
import type { BufferMetricSource } from '../metrics/buffer-metric-source.js';
import type { SerialWriter } from '../ingest/serial-writer.js';
import { MAX_LISTED_REJECTIONS } from './otlp-routes.js';

export interface IngestRoutePorts {
  graph: GraphStore;
  writer: SerialWriter;
  metrics?: BufferMetricSource;
  cluster: string;
  onAlerts?: (records: AlertRecord[]) => void | Promise<void>;
}

const graphRejections = (rs: Array<{ where: string; reason: string }>) =>
  rs.map((r) => ({ where: `graph › ${r.where}`, reason: r.reason }));

/** `POST /v1/alerts/alertmanager`, `POST /v1/metrics`, `POST /v1/k8s`. */
export function registerIngestRoutes(app: FastifyInstance, p: IngestRoutePorts): void {
  app.post('/v1/alerts/alertmanager', async (req) => {
    const parsed = parseAlertmanagerWebhook(req.body, 'body');
    const upsert = parsed.accepted.length ? await p.writer.write(toAlertGraphBatch(parsed.accepted)) : null;
    // The callback (alert compression queue) sees only alerts that reached the graph.
    if (parsed.accepted.length && p.onAlerts) await p.onAlerts(parsed.accepted);
    const rejected = [
      ...parsed.rejected.map(({ where, reason }) => ({ where, reason })),
      ...graphRejections(upsert?.rejected ?? []),
    ];
    return {
      accepted: parsed.accepted.length,
      rejectedCount: rejected.length,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
    };
  });

  app.post('/v1/metrics', async (req) => {
    if (!p.metrics)
      throw new InputError('', 'this server has no metric buffer', {
        hint: 'Start rootgraph with the ingest buffer enabled.',
      });
    const parsed = parseMetricPush(req.body);
    const pushed = p.metrics.push(parsed.accepted);
    const refs = [
      ...new Map(
        parsed.accepted.map((s) => [`${s.entity}|${s.metric}`, { entity: s.entity, metric: s.metric }]),
      ).values(),
    ];
    const lastMs = parsed.accepted.reduce((a, s) => Math.max(a, s.t * 1000), 0);
    const upsert = refs.length
      ? await p.writer.write(toMetricSeriesBatch(refs, { source: 'buffer', cluster: p.cluster, observedAt: lastMs }))
      : null;
    const rejected = [...parsed.rejected, ...graphRejections(upsert?.rejected ?? [])];
    return {
      accepted: parsed.series,
      samples: pushed,
      rejectedCount: rejected.length,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
    };
  });

  app.post<{ Querystring: { source?: string } }>('/v1/k8s', async (req) => {
    const text = typeof req.body === 'string' ? req.body : req.body !== undefined ? JSON.stringify(req.body) : '';
    if (text.trim() === '') throw new InputError('body', 'empty: expected Kubernetes YAML or kubectl JSON');
    const r = await ingestK8sManifests(p.graph, text, { source: req.query.source ?? 'body', cluster: p.cluster });
    return {
      accepted: r.accepted,
      rejectedCount: r.rejected.length,
      rejected: r.rejected.slice(0, MAX_LISTED_REJECTIONS),
      ignored: r.ignored.length,
      changes: r.changes,
    };
  });
}
