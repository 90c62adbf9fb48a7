/**
 * The scheduled detection job: reads the last window of every series from the MetricSource, runs the
 * ensemble (cheap streaming detectors for speed, the system's trained GraphLSTM-VAE for confirmation;
 * src/detect/ensemble.ts) or one cheap detector, writes the anomalies to the graph and, when the
 * incident rule fires and is still active, opens or updates an incident and asks for its RCA.
 * Without a trained model (or one trained at another resolution) the VAE's part is silent, so the
 * ensemble pages on what the cheap detectors see on SLIs alone; the train job fills the gap.
 */
import type { GraphStore } from '../graph/graph-store.js';
import { toAnomalyBatch, type AnomalyRecord } from '../detect/anomaly.js';
import { frontDoors } from '../detect/call-topology.js';
import { readCallTopology } from './read-call-topology.js';
import { isSlo, runStatDetectors, STAT_DETECTORS, type DetectorRun } from '../detect/detect-series.js';
import { loadDetectorModel } from '../incidents/detector-model-store.js';
import { DEFAULT_POLICY, ensembleVaeBudget, policyByName } from '../detect/ensemble.js';
import { withBudget } from '../detect/detector-model.js';
import { declareIncidents, ruleFor } from '../detect/incident-rule.js';
import { planReplay } from '../detect/plan.js';
import { runVaeDetector } from '../detect/vae-detect.js';
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
  /** `ensemble` (the default): the policy below; or one cheap detector alone. */
  detector: z.enum(['ensemble', ...STAT_DETECTORS]).optional(),
  /** Ensemble policy name (src/detect/ensemble.ts); the evaluated default when omitted. */
  policy: z.string().optional(),
  /** Whose trained model to load (one per system; the train job writes it); `default` when omitted. */
  system: z.string().min(1).optional(),
  entities: z.array(z.string()).optional(),
});
export type DetectJobInput = z.infer<typeof DetectPayload>;

export type DetectSummary = {
  series: number;
  anomalies: number;
  detector: string;
  /** The VAE model used (version), or why none was. */
  model?: { version: number; topology: string } | 'none' | 'other-resolution';
  incident?: number;
  opened?: boolean;
};

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
  const raw = await ports.metrics.query({
    ...(input.entities ? { entities: input.entities } : {}),
    from: to - input.lookbackS,
    to,
    stepS: input.stepS,
  });
  const chosen = input.detector ?? 'ensemble';
  const policy = chosen === 'ensemble' ? policyByName(input.policy ?? DEFAULT_POLICY) : undefined;
  const detector = policy ? `ensemble (${policy.name})` : chosen;
  if (raw.length === 0) return { summary: { series: 0, anomalies: 0, detector }, next: [] };
  const timestamps = raw[0].timestamps;
  const series = raw
    .filter((s) => s.values.length === timestamps.length)
    .map((s) => ({ entity: s.entity, metric: s.metric, values: s.values }));
  const { edges } = await readCallTopology(ports.graph);
  const entry = frontDoors([...new Set(series.map((s) => s.entity))], edges);
  const plan = planReplay(timestamps);
  const rule = ruleFor(input.stepS);
  const runs = runStatDetectors(policy ? policy.needs : [chosen], { series, timestamps, plan, entry, edges });
  let model: DetectSummary['model'];
  if (policy?.needs.includes('graph-lstm-vae')) {
    const m = await loadDetectorModel(ports.graph, input.system ?? 'default');
    if (m && m.stepS === input.stepS) {
      try {
        // Only the newest windows can change what the rule decides now: score those.
        const scoreFrom = Math.max(0, timestamps.length - 2 * (rule.m + rule.quiet));
        // Inside the ensemble the VAE gets its share of the budget; the cheap detectors use the rest.
        const shared = withBudget(m, ensembleVaeBudget(m.falsePerDay));
        const run = await runVaeDetector({ series, timestamps, plan, edges, model: shared, scoreFrom });
        runs.set('graph-lstm-vae', run);
        model = { version: m.version, topology: run.topology.action };
      } finally {
        m.vae.dispose();
      }
    } else {
      m?.vae.dispose();
      model = m ? 'other-resolution' : 'none';
      runs.set('graph-lstm-vae', silentRun(timestamps.length));
    }
  }
  const alarms = policy ? policy.combine(runs) : runs.get(chosen)!.alarms;
  const incidents = declareIncidents(alarms, { ...rule, breaks: plan.breaks });
  const anomalies: AnomalyRecord[] = [...runs.values()].flatMap((r) => r.anomalies);
  await ports.graph.upsert(toAnomalyBatch(anomalies, { entityUid, observedAt: ports.now() }));
  const base = { series: series.length, anomalies: anomalies.length, detector, ...(model ? { model } : {}) };
  const last = incidents.at(-1);
  const active = last !== undefined && timestamps.length - 1 - last.lastAlarm < rule.quiet;
  if (!active) return { summary: base, next: [] };
  const declaredAt = timestamps[last.firstAlarm];
  const recent = anomalies.filter((a) => a.end >= declaredAt);
  const slo = recent.filter((a) => isSlo(a, entry));
  const first = slo[0] ?? recent[0];
  if (first === undefined) return { summary: base, next: [] };
  const r = await openOrUpdateIncident(ports.incidents, {
    source: 'detect',
    entry: entityUid(first.entity),
    entities: [...new Set(recent.map((a) => entityUid(a.entity)))],
    title: `${slo.length ? 'SLO' : 'Spreading'} anomaly on ${first.entity}: ${[...new Set((slo.length ? slo : recent).map((a) => a.metric))].slice(0, 2).join(', ') || 'metrics'}`,
    severity: 'critical',
    at: declaredAt * 1000,
  });
  return { summary: { ...base, incident: r.incident.number, opened: r.opened }, next: r.next };
}

/** A VAE run that never alarms (no trained model yet). */
function silentRun(len: number): DetectorRun {
  const zero = new Uint8Array(len);
  return {
    detector: 'graph-lstm-vae',
    anomalies: [],
    parts: { system: zero, spread: zero },
    alarms: zero,
    incidents: [],
  };
}
