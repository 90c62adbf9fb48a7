/**
 * The feedback job: store an engineer's verdict (recordFeedback) and fold it into the RCA weights
 * persisted in the graph (src/rca/feedback.ts, guarded so it never worsens the incident it is about
 * nor lowers a cause confirmed earlier, on this incident or the last others confirmed). Each incident
 * is judged on the evidence its card was ranked on (rca-evidence-store.ts), re-analysed only when that
 * is gone. Applies each verdict once, even when the job is delivered twice.
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { SpanSource } from '../ports/span-source.js';
import { analyseCase, type CaseAnalysis } from '../rca/analyse-case.js';
import { applyFeedback, type Feedback } from '../rca/feedback.js';
import { FeedbackInputSchema, recordFeedback, type FeedbackInput } from '../incidents/feedback.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { FlowResult } from './flow-result.js';
import { buildRcaInput } from './rca-input.js';
import { loadRcaModel, saveRcaModel } from '../incidents/rca-model.js';
import { loadRcaEvidence } from '../incidents/rca-evidence-store.js';
import type { Incident } from '../incidents/incident.js';

/** An engineer's verdict on one candidate of an incident. */
export const FeedbackPayload = FeedbackInputSchema;

/** Identity of one verdict: the same person's same verdict on the same candidate. */
export const feedbackKey = (f: FeedbackInput): string => `${f.incident}|${f.entity}|${f.by}|${f.verdict}`;

/** Earlier confirmed causes re-ranked as a guard on each new verdict (each costs a read of its evidence). */
export const GUARDED_CONFIRMATIONS = 10;

/**
 * The confirmed causes among applied verdict keys, newest first, one per incident and entity, at most
 * `limit`. An entity may hold `|` (the key's middle); a key that does not parse is skipped.
 */
export function confirmedCauses(
  applied: readonly string[],
  limit: number,
): Array<{ incident: number; entity: string }> {
  const out: Array<{ incident: number; entity: string }> = [];
  const seen = new Set<string>();
  for (let i = applied.length - 1; i >= 0 && out.length < limit; i--) {
    const parts = applied[i].split('|');
    const incident = Number(parts[0]);
    if (parts.length < 4 || parts.at(-1) !== 'root-cause' || !Number.isInteger(incident)) continue;
    const entity = parts.slice(1, -2).join('|');
    const id = `${incident}|${entity}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ incident, entity });
  }
  return out;
}

export type FeedbackSummary = {
  stored: boolean;
  applied: boolean;
  reason: string;
  version: number;
  /** Incidents judged on re-analysed current data because their diagnosis' evidence was not stored. */
  reanalysed?: number[];
  /** Stored evidence that could not be read (each such incident was re-analysed instead). */
  unreadable?: string[];
};

type FeedbackPorts = {
  graph: GraphStore;
  incidents: IncidentStore;
  metrics: MetricSource;
  now: () => number;
  spans?: SpanSource;
};

/**
 * The analysis `incident`'s card was ranked on, or (marked `reanalysed`) one made now from current data;
 * evidence that cannot be read is reported in `unreadable` and re-analysed too, never a failed verdict.
 */
async function analysisOf(
  incident: Incident,
  ports: FeedbackPorts,
): Promise<{ analysis: CaseAnalysis; reanalysed: boolean; unreadable?: string }> {
  const revision = incident.diagnosedRevision;
  let unreadable: string | undefined;
  try {
    const stored = revision ? await loadRcaEvidence(ports.graph, incident.number, revision) : undefined;
    if (stored) return { analysis: stored, reanalysed: false };
  } catch (e) {
    unreadable = `incident ${incident.number}: ${(e as Error).message}`;
  }
  const analysis = analyseCase((await buildRcaInput(incident, ports)).input);
  return { analysis, reanalysed: true, ...(unreadable ? { unreadable } : {}) };
}

/** Records `f` and updates the weights. Must run one at a time (read-modify-write of the model). */
export async function runFeedbackJob(f: FeedbackInput, ports: FeedbackPorts): Promise<FlowResult<FeedbackSummary>> {
  const { stored } = await recordFeedback(ports.graph, f);
  const model = await loadRcaModel(ports.graph);
  const key = feedbackKey(f);
  const reanalysed: number[] = [];
  const unreadable: string[] = [];
  const done = (applied: boolean, reason: string, version = model.version) => ({
    summary: {
      stored,
      applied,
      reason,
      version,
      ...(reanalysed.length > 0 ? { reanalysed } : {}),
      ...(unreadable.length > 0 ? { unreadable } : {}),
    },
    next: [],
  });
  const judge = async (i: Incident): Promise<CaseAnalysis> => {
    const got = await analysisOf(i, ports);
    if (got.reanalysed) reanalysed.push(i.number);
    if (got.unreadable) unreadable.push(got.unreadable);
    return got.analysis;
  };
  if (model.applied.includes(key)) return done(false, 'already applied');
  const incident = await ports.incidents.get(f.incident);
  if (!incident) return done(false, `incident ${f.incident} not found; verdict stored only`);
  // Candidates are uids, so the verdict (and the prior it may move) is about exactly this entity.
  const entity = f.entity;
  const caseId = String(f.incident);
  const analyses = new Map([[caseId, await judge(incident)]]);
  // Earlier confirmed causes stay where they were: one click on one incident may not undo another.
  const guard: Feedback[] = [];
  for (const c of confirmedCauses(model.applied, GUARDED_CONFIRMATIONS)) {
    const id = String(c.incident);
    if (!analyses.has(id)) {
      const earlier = await ports.incidents.get(c.incident);
      if (!earlier) continue;
      analyses.set(id, await judge(earlier));
    }
    guard.push({ caseId: id, entity: c.entity, verdict: 'root-cause' });
  }
  const res = applyFeedback(
    model.weights,
    [{ caseId, entity, verdict: f.verdict, by: f.by, at: f.at }],
    analyses,
    'fused',
    { guard },
  );
  const next = { weights: res.weights, applied: [...model.applied, key], version: model.version + 1 };
  await saveRcaModel(ports.graph, next, ports.now());
  return done(
    res.accepted,
    res.accepted
      ? `weights updated (step ×${res.scale})`
      : 'no step kept the ranking as good here and for earlier confirmed causes; weights unchanged',
    next.version,
  );
}
