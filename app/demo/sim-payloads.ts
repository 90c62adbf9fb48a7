import {
  toAlertmanagerWebhooks,
  toOtlpLogs,
  toOtlpMetrics,
  toOtlpTraces,
  type SimRun,
  type WebhookDelivery,
} from '../../src/sim/index.js';

/** What one slice [fromS, toS) of a simulated run sends to the ingest endpoints. Pure. */
export interface SlicePayloads {
  /** OTLP metrics: every series as a gauge on the service, pod or node it measures. */
  metrics: { resourceMetrics: unknown[] };
  traces: { resourceSpans: unknown[] };
  logs: { resourceLogs: unknown[] };
  spans: number;
  logLines: number;
}

/** OTLP metrics, traces and logs of the slice [fromS, toS) (offsets from the run's start). */
export function slicePayloads(run: SimRun, fromS: number, toS: number): SlicePayloads {
  const startS = run.options.start / 1000;
  const ts = run.metrics.timestamps;
  const idx: number[] = [];
  for (let i = 0; i < ts.length; i++) if (ts[i] - startS >= fromS && ts[i] - startS < toS) idx.push(i);
  const series = [...run.metrics.series.values()].map((s) => ({ ...s, values: idx.map((i) => s.values[i]) }));
  const traces = [...run.traces({ fromS, toS })];
  const logs = [...run.logs({ fromS, toS })];
  return {
    metrics: toOtlpMetrics(run.topology, { timestamps: idx.map((i) => ts[i]), series }),
    traces: toOtlpTraces(run.topology, traces),
    logs: toOtlpLogs(run.topology, logs),
    spans: traces.reduce((a, t) => a + t.spans.length, 0),
    logLines: logs.length,
  };
}

/** Alertmanager webhook deliveries of the run, in time order, as a real Alertmanager would send them. */
export function alertDeliveries(run: SimRun): WebhookDelivery[] {
  const endMs = run.options.start + run.options.durationS * 1000;
  return toAlertmanagerWebhooks(run.alerts, endMs, { groupWaitS: 30, groupIntervalS: 60, repeatIntervalS: 3_600 });
}
