import type { RcaInput } from '../../src/rca/analyse-case.js';
import type { SimRun } from '../../src/sim/index.js';

/**
 * Maps a simulator run to RCA input: service-level series, call graph, spans, logs and changes.
 * `incidentStart` is unix seconds (when the incident was declared, not the hidden fault start).
 */
export function simToRcaInput(
  run: SimRun,
  opts: { entry: string; incidentStart: number; entryMetric?: string },
): RcaInput {
  const series = [...run.metrics.series.values()]
    .filter((s) => s.kind === 'service')
    .map((s) => ({ entity: s.entity, metric: s.metric, values: s.values }));
  const spans = [];
  for (const t of run.traces()) {
    for (const s of t.spans) {
      spans.push({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId === '' ? null : s.parentSpanId,
        entity: s.service,
        operation: s.operation,
        startNs: s.startNs,
        durationNs: s.durationNs,
        status: s.status === 'ok' ? 'ok' : 'error',
      });
    }
  }
  const logs = [...run.logs()].map((l) => ({
    timestamp: l.timeMs / 1000,
    entity: l.service,
    level: l.level,
    message: l.message,
  }));
  const changes = run.truth.changes.map((c) => ({ entity: c.service, at: c.time / 1000, description: c.description }));
  return {
    timestamps: run.metrics.timestamps,
    series,
    topology: run.topology.edges,
    spans,
    logs,
    changes,
    incident: { start: opts.incidentStart, entry: opts.entry, entryMetric: opts.entryMetric ?? 'latency_p99' },
  };
}
