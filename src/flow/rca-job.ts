/**
 * The RCA job: diagnose one revision of a live incident. Reads the graph and metrics, ranks with
 * src/rca under the weights feedback has learned, stores the suspects on the incident and asks for
 * the card to be published. Idempotent: a revision already diagnosed is not diagnosed again.
 */
import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import { whyLine } from '../assistant/why-line.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { SpanSource } from '../ports/span-source.js';
import { analyseCase } from '../rca/analyse-case.js';
import { rankingConfidence } from '../rca/confidence.js';
import { rankRootCauses } from '../rca/rank-root-causes.js';
import { seededRng } from '../rca/rng.js';
import type { Suspect } from '../incidents/incident.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { z } from 'zod';
import type { NotifyFollowUp } from './notify-job.js';
import { incidentNumber } from './payload-parts.js';
import { buildRcaInput } from './rca-input.js';
import { loadRcaModel } from '../incidents/rca-model.js';
import { saveRcaEvidence } from '../incidents/rca-evidence-store.js';

/** Diagnose one revision of an incident. One job per (incident, revision). */
export const RcaPayload = z.object({ incident: incidentNumber, revision: z.number().int().positive() });
export type RcaJobInput = z.infer<typeof RcaPayload>;

/** A request, from another job, to diagnose a revision. */
export type RcaFollowUp = { queue: 'rca'; data: RcaJobInput };

/** Suspects kept on an incident. */
export const TOP_SUSPECTS = 5;

/** What the RCA job needs; `progress` receives 0–100. */
export interface RcaJobPorts {
  graph: GraphStore;
  incidents: IncidentStore;
  metrics: MetricSource;
  now: () => number;
  /** Recent spans (embedded mode: the ingest buffer); without it the analysis has no trace evidence. */
  spans?: SpanSource;
  progress?: (pct: number) => Promise<void>;
}

export type RcaJobSummary = {
  incident: number;
  revision: number;
  outcome: 'diagnosed' | 'already-diagnosed' | 'stale';
  top?: string;
  series?: number;
  /** Bytes of the stored analysis feedback will reweight on, or why it was not stored. */
  evidence?: number | string;
};

/** Runs the RCA for (incident, revision). Throws NOT_FOUND (not retried) for an unknown incident. */
export async function runRcaJob(
  input: RcaJobInput,
  ports: RcaJobPorts,
): Promise<{ summary: RcaJobSummary; next: NotifyFollowUp[] }> {
  const progress = ports.progress ?? (async () => {});
  const notify = { queue: 'notify' as const, data: { incident: input.incident, revision: input.revision } };
  const incident = await ports.incidents.get(input.incident);
  if (!incident)
    throw new RootgraphError('NOT_FOUND', `incident ${input.incident} does not exist`, {
      hint: 'Was the graph reset? The job cannot succeed; delete it.',
    });
  const base = { incident: input.incident, revision: input.revision };
  // Still ask for the card: a crash after saving may have lost the notify job (its id dedups it).
  if ((incident.diagnosedRevision ?? 0) >= input.revision)
    return { summary: { ...base, outcome: 'already-diagnosed' }, next: [notify] };
  if (incident.revision > input.revision) return { summary: { ...base, outcome: 'stale' }, next: [] };
  await progress(10);
  const built = await buildRcaInput(incident, ports);
  await progress(40);
  const analysis = analyseCase(built.input);
  const { weights } = await loadRcaModel(ports.graph);
  await progress(60);
  const ranked = rankRootCauses(analysis, weights, { rng: seededRng(input.incident * 7919 + input.revision) });
  await progress(90);
  const suspects: Suspect[] = ranked.slice(0, TOP_SUSPECTS).map((c, i) => ({
    entity: c.entity,
    rank: i + 1,
    score: Math.round(c.score * 1e4) / 1e4,
    why: whyLine(c.explanation),
    explanation: c.explanation,
  }));
  // Re-read just before writing so an alert update saved meanwhile is not overwritten.
  const fresh = await ports.incidents.get(input.incident);
  if (!fresh || fresh.revision !== input.revision) return { summary: { ...base, outcome: 'stale' }, next: [] };
  // Before the incident says "diagnosed": its evidence is there whenever its card is.
  // Keeping the evidence serves later feedback; failing to must not fail the diagnosis.
  const saved = await saveRcaEvidence(ports.graph, { ...base, now: ports.now() }, analysis).catch((e: unknown) => ({
    stored: false as const,
    reason: `not stored: ${(e as Error).message}`,
  }));
  fresh.suspects = suspects;
  const stated = rankingConfidence(analysis, rivalScores(ranked, built.workloadOf), {
    top: sameWorkload(analysis.graph.nodes, ranked[0]?.entity, built.workloadOf),
  });
  fresh.confidence = { value: stated.confidence, caveats: stated.notes };
  fresh.diagnosedRevision = input.revision;
  await ports.incidents.save(fresh);
  await progress(100);
  const evidence = saved.stored ? saved.bytes : saved.reason;
  return {
    summary: { ...base, outcome: 'diagnosed', top: suspects[0]?.entity, series: built.series, evidence },
    next: [notify],
  };
}

/**
 * The scores the confidence compares: the top suspect's, then those of other workloads only. A Service's
 * own pod or Deployment ranked second is the same suspect seen closer, not a rival that makes it doubtful.
 */
export function rivalScores(
  ranked: readonly { entity: string; score: number }[],
  workloadOf: ReadonlyMap<string, string>,
): number[] {
  const top = ranked[0];
  if (!top) return [];
  const workload = workloadIn(workloadOf);
  const own = workload(top.entity);
  return [top.score, ...ranked.filter((c) => workload(c.entity) !== own).map((c) => c.score)];
}

/** Every node of the workload `top` belongs to (itself when it has none); none without a top. */
export function sameWorkload(
  nodes: readonly string[],
  top: string | undefined,
  workloadOf: ReadonlyMap<string, string>,
): string[] {
  if (top === undefined) return [];
  const workload = workloadIn(workloadOf);
  const own = workload(top);
  return nodes.filter((e) => e === top || workload(e) === own);
}

/** An entity's workload (workload-groups.ts): its representative, or itself. */
const workloadIn =
  (workloadOf: ReadonlyMap<string, string>) =>
  (e: string): string =>
    workloadOf.get(e) ?? e;
