import type { CaseLog, CaseSpan } from '../../cases/types.js';
import { isErrorStatus } from '../../model/span-status.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';
import type { SpanRecord } from '../../model/span-record.js';

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
