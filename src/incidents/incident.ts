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

/** Who an incident is assigned to: a person (Slack user id, name) or a group (Slack user group, team). */
export interface Assignee {
  id: string;
  kind: 'user' | 'group';
}

/** One thing a person did to an incident; times are ms since epoch. */
export interface LifecycleEvent {
  action: 'acknowledge' | 'assign' | 'resolve' | 'reopen';
  by: string;
  at: number;
  assignee?: Assignee;
  note?: string;
}

/**
 * What people did to an incident (acknowledge, assign, resolve with a note, reopen), newest state plus
 * the full history. `events` only grows, so the copy with more events is the newer one.
 */
export interface IncidentLifecycle {
  acknowledged?: { by: string; at: number };
  assignee?: Assignee & { by: string; at: number };
  resolution?: { by: string; at: number; note?: string };
  events: LifecycleEvent[];
}

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
  /** How far to trust the suspects: the ranking's stated confidence and the caveats behind it (src/rca/confidence.ts). */
  confidence?: { value: number; caveats: string[] };
  /** Where its card lives, once posted. */
  card?: { channel: string; ts: string };
  /** The incident revision the card shows; a notify job for a revision ≤ this does nothing. */
  publishedRevision?: number;
  /** What opened it: correlated alerts, SLO anomalies from detection, or log checks. */
  source?: 'alerts' | 'detect' | 'logs';
  /** What people did to it from chat or the card: acknowledged, assigned, resolved with a note, reopened. */
  lifecycle?: IncidentLifecycle;
}

/** The graph uid of incident number n. */
export const incidentUid = (n: number): Uid => uid('Incident', n);
