import type { FastifyInstance } from 'fastify';
import { checkBatch } from '../graph/validate-batch.js';
import { InputError } from '../errors.js';
import { INPUT_LIMITS, tooManyItems } from '../ingest/input-limits.js';
import type { AlertRecord } from '../model/alert-record.js';
import { parseAlertmanagerWebhook } from '../ingest/alertmanager/parse-alertmanager-webhook.js';
import { toAlertGraphBatch } from '../ingest/alertmanager/to-alert-graph-batch.js';
import { ingestK8sManifests } from '../ingest/k8s/ingest-k8s.js';
import type { SerialWriter } from '../ingest/serial-writer.js';
import { MAX_LISTED_REJECTIONS, type RequestClock } from './otlp-routes.js';

export interface IngestRoutePorts {
  /** The process's one graph writer: every write of these routes goes through it. */
  writer: SerialWriter;
  cluster: string;
  /** Now and the allowed skew, for each webhook's alert starts. */
  clock: RequestClock;
  /** Owns the accepted alerts' write (see IngestServerOptions.alertOwner). */
  alertOwner: (records: AlertRecord[], receivedAt: number) => Promise<void>;
  onAlerts?: (records: AlertRecord[]) => void | Promise<void>;
}

/** Per accepted alert (by position), why the graph would refuse it; checked without writing. */
function storeRejections(alerts: readonly AlertRecord[]): Map<number, { where: string; reason: string }> {
  const out = new Map<number, { where: string; reason: string }>();
  alerts.forEach((a, i) => {
    const problem = checkBatch(toAlertGraphBatch([a])).rejected[0];
    if (problem) out.set(i, { where: problem.where, reason: problem.reason });
  });
  return out;
}

/** The input positions of the accepted alerts: the ones not rejected, in order. */
function acceptedIndexes(accepted: number, rejected: ReadonlyArray<{ index: number }>): number[] {
  const skip = new Set(rejected.map((r) => r.index));
  const out: number[] = [];
  for (let k = 0; out.length < accepted; k++) if (!skip.has(k)) out.push(k);
  return out;
}

/** `POST /v1/alerts/alertmanager`, `POST /v1/k8s`. */
export function registerIngestRoutes(app: FastifyInstance, p: IngestRoutePorts): void {
  app.post('/v1/alerts/alertmanager', async (req) => {
    const alerts = (req.body as { alerts?: unknown } | null)?.alerts;
    if (Array.isArray(alerts) && alerts.length > INPUT_LIMITS.maxAlertsPerRequest)
      throw tooManyItems(
        'alerts',
        alerts.length,
        'maxAlertsPerRequest',
        "Lower Alertmanager's max_alerts for this receiver.",
      );
    const parsed = parseAlertmanagerWebhook(req.body, 'body', { ...p.clock(), cluster: p.cluster });
    // Validate here what the graph would refuse, so the owner only receives alerts it can store.
    const unstorable = storeRejections(parsed.accepted);
    const accepted = parsed.accepted.filter((_, i) => !unstorable.has(i));
    if (accepted.length) {
      await p.alertOwner(accepted, Date.now());
      await p.onAlerts?.(accepted);
    }
    const inputIndex = acceptedIndexes(parsed.accepted.length, parsed.rejected);
    const rejected = [
      ...parsed.rejected.map(({ where, reason }) => ({ where, reason })),
      ...[...unstorable].map(([i, r]) => ({
        where: `alerts[${inputIndex[i]}] › graph › ${r.where}`,
        reason: r.reason,
      })),
    ];
    return {
      accepted: accepted.length,
      rejectedCount: rejected.length,
      rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
    };
  });

  app.post<{ Querystring: { source?: string } }>('/v1/k8s', async (req) => {
    const text = typeof req.body === 'string' ? req.body : req.body !== undefined ? JSON.stringify(req.body) : '';
    if (text.trim() === '') throw new InputError('body', 'empty: expected Kubernetes YAML or kubectl JSON');
    const source = req.query.source ?? 'body';
    const r = await p.writer.run((graph) => ingestK8sManifests(graph, text, { source, cluster: p.cluster }));
    return {
      accepted: r.accepted,
      rejectedCount: r.rejected.length,
      rejected: r.rejected.slice(0, MAX_LISTED_REJECTIONS),
      ignored: r.ignored.length,
      changes: r.changes,
    };
  });
}
