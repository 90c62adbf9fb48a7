/**
 * The scheduled detection job: reads the last window of every series from the MetricSource, runs a
 * cheap streaming detector (src/detect), writes the anomalies to the graph and, when SLI alarms cross
 * the k-of-m SLO rule and are still active, opens or updates an incident and asks for its RCA.
 */
import type { GraphStore } from '../graph/graph-store.js';
import { toAnomalyBatch } from '../detect/anomaly.js';
import { isSlo, runStatDetector } from '../detect/detect-series.js';
import { DEFAULTS as RULE } from '../detect/incident-rule.js';
import { planReplay } from '../detect/plan.js';
import type { MetricSource } from '../ports/metric-source.js';
import { uids } from '../model/uid.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { z } from 'zod';
import type { FlowResult } from './flow-result.js';
import { openOrUpdateIncident } from './open-or-update.js';

/** Scheduled metric detection over the last `lookbackS` seconds of every series (or of `entities`). */
export const DetectPayload = z.object({
  lookbackS: z.number().int().positive(),
  stepS: z.number().int().positive(),
  detector: z.enum(['robust-z', 'ewma', 'spot', 'dspot']),
  entities: z.array(z.string()).optional(),
});
export type DetectJobInput = z.infer<typeof DetectPayload>;

export type DetectSummary = { series: number; anomalies: number; incident?: number; opened?: boolean };

/** Runs one detection pass ending at `now()`. Idempotent for the same window (anomaly uids are stable). */
export async function runDetectJob(
  input: DetectJobInput,
  ports: {
    graph: GraphStore;
    incidents: IncidentStore;
    metrics: MetricSource;
    now: () => number;
    entityUid?: (name: string) => string;
  },
): Promise<FlowResult<DetectSummary>> {
  const entityUid = ports.entityUid ?? ((e: string) => uids.service(e));
  const to = Math.floor(ports.now() / 1000 / input.stepS) * input.stepS;
  const from = to - input.lookbackS;
  const raw = await ports.metrics.query({
    ...(input.entities ? { entities: input.entities } : {}),
    from,
    to,
    stepS: input.stepS,
  });
  if (raw.length === 0) return { summary: { series: 0, anomalies: 0 }, next: [] };
  const timestamps = raw[0].timestamps;
  const series = raw
    .filter((s) => s.values.length === timestamps.length)
    .map((s) => ({ entity: s.entity, metric: s.metric, values: s.values }));
  const run = runStatDetector({ detector: input.detector, series, timestamps, plan: planReplay(timestamps) });
  await ports.graph.upsert(toAnomalyBatch(run.anomalies, { entityUid, observedAt: ports.now() }));
  const last = run.incidents.at(-1);
  const active = last !== undefined && timestamps.length - 1 - last.lastAlarm < RULE.quiet;
  if (!active) return { summary: { series: series.length, anomalies: run.anomalies.length }, next: [] };
  const declaredAt = timestamps[last.firstAlarm];
  const recent = run.anomalies.filter((a) => a.end >= declaredAt);
  const slo = recent.filter((a) =>
    isSlo({ entity: a.entity, metric: a.metric, values: new Float64Array() }, undefined),
  );
  const entry = (slo[0] ?? recent[0])?.entity;
  if (entry === undefined) return { summary: { series: series.length, anomalies: run.anomalies.length }, next: [] };
  const r = await openOrUpdateIncident(ports.incidents, {
    source: 'detect',
    entry: entityUid(entry),
    entities: [...new Set(recent.map((a) => entityUid(a.entity)))],
    title: `SLO anomaly on ${entry}: ${[...new Set(slo.map((a) => a.metric))].slice(0, 2).join(', ') || 'metrics'}`,
    severity: 'critical',
    at: declaredAt * 1000,
  });
  return {
    summary: { series: series.length, anomalies: run.anomalies.length, incident: r.incident.number, opened: r.opened },
    next: r.next,
  };
}
