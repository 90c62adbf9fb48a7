import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../errors.js';
import type { LogIngestor } from '../ingest/logs/log-ingestor.js';
import type { MetricIngestor } from '../ingest/metrics/metric-ingestor.js';
import { decodeOtlpProtobuf, encodeOtlpResponse, partialSuccess, type OtlpSignal } from '../ingest/otel/otlp-proto.js';
import { parseOtlpMetrics } from '../ingest/otel/parse-otlp-metrics.js';
import type { TraceIngestor } from '../ingest/traces/trace-ingestor.js';
import { parseLogsPayload, parseSpansPayload, type OtlpBody, type OtlpPayload } from '../ingest/otel/otlp-body.js';
import { jsonTextOf } from './body-parsers.js';
import type { ReceiveOptions } from '../ingest/input-limits.js';

/** The receiving clock of a request: now, and the skew the server allows either way. */
export type RequestClock = () => Required<ReceiveOptions>;

/** Rejections listed in a response; the count is always complete. */
export const MAX_LISTED_REJECTIONS = 100;

const isProtobuf = (req: FastifyRequest) => /protobuf/.test(String(req.headers['content-type'] ?? ''));

/** The request's body as the OTLP parsers take it: protobuf bytes, or the parsed JSON object. */
function payload(req: FastifyRequest): OtlpPayload {
  if (isProtobuf(req)) return { encoding: 'protobuf', bytes: req.body as Buffer };
  if (req.body === undefined || req.body === null || typeof req.body !== 'object')
    throw new InputError(
      'body',
      'expected an OTLP JSON body (Content-Type: application/json) or protobuf (application/x-protobuf)',
    );
  return { encoding: 'json', value: req.body };
}

/** The request's body as a message object (protobuf decoded into one). */
function decode(kind: OtlpSignal, req: FastifyRequest): unknown {
  const p = payload(req);
  return p.encoding === 'protobuf' ? decodeOtlpProtobuf(kind, p.bytes) : p.value;
}

/** The request body as received, for the intake to keep (undefined when it did not come as bytes or JSON text). */
function receivedBody(req: FastifyRequest, clock: Required<ReceiveOptions>): OtlpBody | undefined {
  if (isProtobuf(req))
    return Buffer.isBuffer(req.body) ? { encoding: 'protobuf', body: req.body, ...clock } : undefined;
  const text = jsonTextOf(req.body);
  return text === undefined ? undefined : { encoding: 'json', body: text, ...clock };
}

/**
 * OTLP/HTTP answers in the request's encoding: an empty ExportXServiceResponse on full success,
 * `partialSuccess` when records were rejected (OTLP spec: 200, not 4xx, so exporters do not retry
 * what can never succeed). JSON replies also list the rejections with their paths.
 */
function answer(
  kind: OtlpSignal,
  req: FastifyRequest,
  reply: FastifyReply,
  counts: Record<string, number>,
  rejected: Array<{ where: string; reason: string }>,
) {
  const message = rejected
    .slice(0, 3)
    .map((r) => `${r.where}: ${r.reason}`)
    .join('; ');
  if (isProtobuf(req))
    return reply.type('application/x-protobuf').send(Buffer.from(encodeOtlpResponse(kind, rejected.length, message)));
  const partial = rejected.length === 0 ? {} : { partialSuccess: partialSuccess(kind, rejected.length, message) };
  // duplicates/late were already counted (replays, spans of closed traces): neither stored twice nor errors.
  return reply.send({
    ...partial,
    ...counts,
    rejectedCount: rejected.length,
    rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
  });
}

/** What the graph refused of a write, as rejections of the request. */
export const graphRejections = (rs: ReadonlyArray<{ where: string; reason: string }> | undefined) =>
  (rs ?? []).map((x) => ({ where: `graph › ${x.where}`, reason: x.reason }));

/** The metric ingestor, or a 400 saying this server keeps no metrics. */
export function requireMetrics(m: MetricIngestor | undefined): MetricIngestor {
  if (!m) throw new InputError('', 'this server keeps no metrics', { hint: 'Start rootgraph with the ingest buffer.' });
  return m;
}

/** `POST /v1/traces`, `/v1/logs` and `/v1/metrics` (OTLP/HTTP, JSON or protobuf, optionally gzip). */
export function registerOtlpRoutes(
  app: FastifyInstance,
  ports: { traces: TraceIngestor; logs: LogIngestor; metrics?: MetricIngestor; cluster: string; clock: RequestClock },
): void {
  app.post('/v1/metrics', async (req, reply) => {
    const metrics = requireMetrics(ports.metrics);
    const parsed = parseOtlpMetrics(decode('metrics', req), ports.cluster, ports.clock());
    const r = await metrics.ingest(parsed.accepted);
    const rejected = [...parsed.rejected, ...graphRejections(r.upsert?.rejected)];
    return answer('metrics', req, reply, { accepted: parsed.accepted.length, samples: r.samples.added }, rejected);
  });
  app.post('/v1/traces', async (req, reply) => {
    const clock = ports.clock();
    // Parsed as the intake's recovery parses the kept body (protobuf read straight into records).
    const parsed = parseSpansPayload(payload(req), clock);
    const r = await ports.traces.ingest(parsed.accepted, receivedBody(req, clock));
    const rejected = [...parsed.rejected, ...graphRejections(r.upsert?.rejected)];
    return answer('traces', req, reply, { accepted: r.accepted, duplicates: r.duplicates, late: r.late }, rejected);
  });
  app.post('/v1/logs', async (req, reply) => {
    const clock = ports.clock();
    const parsed = parseLogsPayload(payload(req), clock);
    const r = await ports.logs.ingest(parsed.accepted, receivedBody(req, clock));
    const rejected = [...parsed.rejected, ...graphRejections(r.upsert?.rejected)];
    return answer('logs', req, reply, { accepted: r.accepted, duplicates: r.duplicates, late: r.late }, rejected);
  });
}
