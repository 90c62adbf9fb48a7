import type { GraphStore } from '../graph/graph-store.js';
import type { FeedbackSink } from '../ports/feedback-sink.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { Notifier } from '../ports/notifier.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { CypherGate } from './cypher-access.js';
import type { LinkTemplates } from './links.js';

/** What every answer reads from: the graph, the incidents in it, the clock, and optional ports. */
export interface AssistantContext {
  graph: GraphStore;
  incidents: IncidentStore;
  /** ms since epoch; passed in so answers are deterministic in tests. */
  now: () => number;
  feedback?: FeedbackSink;
  cypher?: CypherGate;
  /** Live metric values ("what is the memory of X"); without it, answers cite recorded evidence only. */
  metrics?: MetricSource;
  /** Where incident cards are published; lifecycle changes from chat update the card through it. */
  notifier?: Notifier;
  /** URL templates for the links on cards. */
  links: LinkTemplates;
  /** Label keys that name an entity's owner or team. */
  ownerLabels: string[];
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
  /** Logs and call statistics look back this far when no time is given. */
  windowMs: 60 * 60_000,
  ownerLabels: ['owner', 'team', 'app.kubernetes.io/part-of'],
};
