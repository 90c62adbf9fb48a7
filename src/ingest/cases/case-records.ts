import type { CaseLog, CaseSpan } from '../../cases/types.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';
import type { SpanRecord } from '../otel/span-record.js';

/** `error`, `timeout`, HTTP 5xx and gRPC error names count as failed calls; `ok`, 2xx–4xx and '' do not. */
export function isErrorStatus(status: string): boolean {
  const s = status.trim().toLowerCase();
  if (s === '' || s === 'ok' || s === 'unset') return false;
  if (/^\d{3}$/.test(s)) return Number(s) >= 500;
  return true;
}

/** traces.csv rows as span records; entities are services in `namespace`. Pure. */
export function caseSpanRecords(spans: readonly CaseSpan[], namespace = 'default'): SpanRecord[] {
  return spans.map((s) => ({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    service: s.entity,
    namespace,
    pod: null,
    machine: null,
    operation: s.operation,
    startNs: s.startNs,
    durationNs: s.durationNs,
    error: isErrorStatus(s.status),
  }));
}

/** logs.csv rows as log lines (timestamps in seconds → ms). Pure. */
export function caseLogRecords(logs: readonly CaseLog[], namespace = 'default'): LogRecordIn[] {
  return logs
    .filter((l) => l.message.trim() !== '')
    .map((l) => ({
      service: l.entity,
      namespace,
      pod: null,
      machine: null,
      timeMs: l.timestamp * 1000,
      level: l.level,
      message: l.message,
    }));
}
