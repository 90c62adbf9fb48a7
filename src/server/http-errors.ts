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

/** Fastify error handler: logs 5xx with their stack, 4xx at debug. */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReply(err);
  if (status >= 500) req.log.error({ err }, 'ingest request failed');
  else req.log.debug({ err: body.error }, 'ingest request refused');
  return reply.status(status).send(body);
}
