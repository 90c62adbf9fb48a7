import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isRootgraphError, type ErrorCode } from '../errors.js';
import { InputError } from '../errors.js';

/** The body of every 4xx/5xx the ingest server sends: what is wrong, where, and what to do. */
export interface ErrorBody {
  error: { code: string; message: string; where?: string; hint?: string };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  NOT_ALLOWED: 401,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};

/** Maps rootgraph errors and Fastify's own (body too large, bad JSON, wrong media type) to a status and body. */
export function errorReply(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof InputError) {
    return {
      status: 400,
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(err.where ? { where: err.where } : {}),
          ...(err.hint ? { hint: err.hint } : {}),
        },
      },
    };
  }
  if (isRootgraphError(err)) {
    return {
      status: STATUS[err.code] ?? 500,
      body: { error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } },
    };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const hint =
      fe.statusCode === 413
        ? "Send smaller batches (the exporter's max batch size)."
        : fe.statusCode === 415
          ? 'Use application/json or application/x-protobuf (OTLP), application/yaml for manifests.'
          : undefined;
    return {
      status: fe.statusCode,
      body: {
        error: {
          code: fe.code ?? 'INPUT_INVALID',
          message: `body: ${fe.message}`,
          where: 'body',
          ...(hint ? { hint } : {}),
        },
      },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; see the server log' } } };
}

/** Seconds a client is asked to wait before retrying a request refused with 503. */
export const RETRY_AFTER_S = 5;

/** Fastify error handler: logs 5xx with their stack, 4xx at debug; a 503 carries Retry-After. */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReply(err);
  if (status >= 500) req.log.error({ err }, 'ingest request failed');
  else req.log.debug({ err: body.error }, 'ingest request refused');
  // The graph is down (Neo4j restarting): OTel exporters and Prometheus retry after this many seconds.
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
  return reply.status(status).send(body);
}
