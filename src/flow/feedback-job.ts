/**
 * The feedback job: store an engineer's verdict (recordFeedback) and fold it into the RCA weights
 * persisted in the graph (src/rca/feedback.ts, guarded so it never worsens the incident it is about).
 * Applies each verdict once, even when the job is delivered twice.
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { MetricSource } from '../ports/metric-source.js';
import { analyseCase } from '../rca/analyse-case.js';
import { applyFeedback } from '../rca/feedback.js';
import { FeedbackInputSchema, recordFeedback, type FeedbackInput } from '../incidents/feedback.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { FlowResult } from './flow-result.js';
import { buildRcaInput } from './rca-input.js';
import { loadRcaModel, saveRcaModel } from '../incidents/rca-model.js';

/** An engineer's verdict on one candidate of an incident. */
export const FeedbackPayload = FeedbackInputSchema;

/** Identity of one verdict: the same person's same verdict on the same candidate. */
export const feedbackKey = (f: FeedbackInput): string => `${f.incident}|${f.entity}|${f.by}|${f.verdict}`;

export type FeedbackSummary = { stored: boolean; applied: boolean; reason: string; version: number };

/** Records `f` and updates the weights. Must run one at a time (read-modify-write of the model). */
export async function runFeedbackJob(
  f: FeedbackInput,
  ports: { graph: GraphStore; incidents: IncidentStore; metrics: MetricSource; now: () => number },
): Promise<FlowResult<FeedbackSummary>> {
  const { stored } = await recordFeedback(ports.graph, f);
  const model = await loadRcaModel(ports.graph);
  const key = feedbackKey(f);
  const done = (applied: boolean, reason: string, version = model.version) => ({
    summary: { stored, applied, reason, version },
    next: [],
  });
  if (model.applied.includes(key)) return done(false, 'already applied');
  const incident = await ports.incidents.get(f.incident);
  if (!incident) return done(false, `incident ${f.incident} not found; verdict stored only`);
  const built = await buildRcaInput(incident, ports);
  // Candidates are uids, so the verdict (and the prior it may move) is about exactly this entity.
  const entity = f.entity;
  const caseId = String(f.incident);
  const res = applyFeedback(
    model.weights,
    [{ caseId, entity, verdict: f.verdict, by: f.by, at: f.at }],
    new Map([[caseId, analyseCase(built.input)]]),
  );
  const next = { weights: res.weights, applied: [...model.applied, key], version: model.version + 1 };
  await saveRcaModel(ports.graph, next, ports.now());
  return done(
    res.accepted,
    res.accepted ? `weights updated (step ×${res.scale})` : 'no step kept the ranking as good; weights unchanged',
    next.version,
  );
}
