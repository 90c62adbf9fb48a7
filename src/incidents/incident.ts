import type { Uid } from '../model/graph.js';
import type { SuspectExplanation } from '../model/suspect-explanation.js';
import { uid } from '../model/uid.js';

export { alertUid } from '../model/uid.js';

/** One ranked root-cause candidate as an incident carries it. */
export interface Suspect {
  /** The candidate entity: a graph uid when known, else the entity name used by the evidence. */
  entity: string;
  rank: number;
  score: number;
  /** One line for a card: why it is ranked here. */
  why: string;
  /** The full explanation (metrics moved, log templates, trace score, changes, path), as src/rca/explain.ts builds it. */
  explanation: SuspectExplanation;
}

export type IncidentStatus = 'open' | 'resolved';

/**
 * An incident: a group of alerts and anomalies believed to be one problem, with its diagnosis.
 * `revision` increases on every change, so jobs and Slack updates can be keyed by (number, revision).
 */
export interface Incident {
  number: number;
  title: string;
  status: IncidentStatus;
  severity: 'critical' | 'warning' | 'info';
  openedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** Set when an engineer merged this incident into another. */
  mergedInto?: number;
  /** When it last went from resolved back to open: what is wrong now started then, not at `openedAt`. */
  reopenedAt?: number;
  revision: number;
  /** The entity whose SLI raised the alarm (where the walk starts). */
  entry?: Uid;
  /** Entities alerts or anomalies fired on. */
  entities: Uid[];
  alertFingerprints: string[];
  suspects: Suspect[];
  /** The incident revision the suspects were computed for. */
  diagnosedRevision?: number;
  /** Where its card lives, once posted. */
  card?: { channel: string; ts: string };
  /** The incident revision the card shows; a notify job for a revision ≤ this does nothing. */
  publishedRevision?: number;
  /** What opened it: correlated alerts, SLO anomalies from detection, or log checks. */
  source?: 'alerts' | 'detect' | 'logs';
}

/** The graph uid of incident number n. */
export const incidentUid = (n: number): Uid => uid('Incident', n);
