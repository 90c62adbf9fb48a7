/**
 * Whether a span's status means the call failed, following OpenTelemetry's span status and its
 * semantic conventions for HTTP and gRPC spans:
 * - OTel status: `STATUS_CODE_ERROR` / `error` fails; `STATUS_CODE_OK` / `ok`, `STATUS_CODE_UNSET` /
 *   `unset` and an empty status do not.
 * - HTTP (a 3-digit code, 100–599): 5xx fails. 4xx fails only for client spans — for a server span a
 *   4xx is the caller's mistake, not a fault of the service (OTel HTTP semconv, "Status"). Server is
 *   the default, because a trace's evidence is about the service that answered.
 * - gRPC (a code 0–16 or its name, any case, with or without a `StatusCode.` prefix): on server spans
 *   UNKNOWN(2), DEADLINE_EXCEEDED(4), UNIMPLEMENTED(12), INTERNAL(13), UNAVAILABLE(14) and DATA_LOSS(15)
 *   fail (OTel RPC semconv for gRPC server spans); on client spans every code but OK(0) fails.
 *   Numbers below 100 are read as gRPC codes; OTel's own numeric codes (0 unset, 1 ok, 2 error) agree
 *   with that reading.
 * - `true` / `false` (an exported `error` tag) fail / do not; `timeout` fails; any other text fails when it says error, fail, fault, exception or timeout.
 * Pure.
 */

/** Which side of the call the span records. */
export type SpanSide = 'server' | 'client';

/** gRPC status codes by name (grpc/doc/statuscodes.md). */
export const GRPC_CODES = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** gRPC codes that mark a server span as failed (OTel semantic conventions for gRPC). */
const GRPC_SERVER_ERRORS: ReadonlySet<number> = new Set([2, 4, 12, 13, 14, 15]);

// TRUE / FALSE: Jaeger and Zipkin exports carry the `error` tag's value where there is no status.
const OK_WORDS: ReadonlySet<string> = new Set([
  '',
  'OK',
  'UNSET',
  'STATUS_CODE_OK',
  'STATUS_CODE_UNSET',
  'SUCCESS',
  'FALSE',
]);
const ERROR_WORDS: ReadonlySet<string> = new Set(['ERROR', 'STATUS_CODE_ERROR', 'TIMEOUT', 'TIMED_OUT', 'TRUE']);

/** True when `status` marks a failed call on a server span (the usual case; see the module header). */
export function isErrorStatus(status: string | number | null | undefined): boolean {
  return isErrorStatusFor(status, 'server');
}

/** True when `status` marks a failed call on a span recorded on `side` (see the module header). */
export function isErrorStatusFor(status: string | number | null | undefined, side: SpanSide): boolean {
  if (status === null || status === undefined) return false;
  const raw = String(status).trim();
  const word = raw
    .toUpperCase()
    .replace(/^(GRPC\.)?STATUSCODE\./, '')
    .replace(/[\s-]+/g, '_');
  if (OK_WORDS.has(word)) return false;
  if (ERROR_WORDS.has(word)) return true;
  if (/^\d+$/.test(word)) {
    const code = Number(word);
    if (code >= 100 && code <= 599) return code >= 500 || (side === 'client' && code >= 400);
    if (code <= 16) return grpcFails(code, side);
    return false;
  }
  if (word in GRPC_CODES) return grpcFails(GRPC_CODES[word as keyof typeof GRPC_CODES], side);
  return /ERROR|FAIL|FAULT|EXCEPTION|TIMEOUT/.test(word);
}

function grpcFails(code: number, side: SpanSide): boolean {
  return side === 'client' ? code !== 0 : GRPC_SERVER_ERRORS.has(code);
}
