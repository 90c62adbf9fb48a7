import type { GraphStore } from '../graph/graph-store.js';
import type { FeedbackSink } from '../ports/feedback-sink.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { CypherGate } from './cypher-access.js';

/** What every answer reads from: the graph, the incidents in it, the clock. */
export interface AssistantContext {
  graph: GraphStore;
  incidents: IncidentStore;
  /** ms since epoch; passed in so answers are deterministic in tests. */
  now: () => number;
  feedback?: FeedbackSink;
  cypher?: CypherGate;
  /** How far back anomalies and alerts count as "now" (ms). */
  lookbackMs: number;
}

/** Defaults for the answers' knobs. */
export const ASSISTANT_DEFAULTS = {
  lookbackMs: 6 * 3_600_000,
  /** How far along CALLS "what is wrong with X" looks for causes. */
  dependencyHops: 2,
  /** Lines per list in an answer before "…and N more". */
  maxLines: 10,
  /** "What changed" looks back this far when no time is given. */
  changesLookbackMs: 24 * 3_600_000,
};
