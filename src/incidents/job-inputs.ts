import type { IncidentCorrection } from './corrections.js';
/**
 * The inputs of the incident flow's jobs as plain types, and the follow-up jobs a job asks for.
 * jobs/queues.ts holds the matching zod schemas and queue names; src never imports jobs/.
 */
import type { AlertRecord } from '../ingest/alertmanager/alert-record.js';
import type { GraphBatch } from '../model/graph.js';
import type { FeedbackInput } from './feedback.js';

/** A batch of knowledge-graph records to upsert (ingest adapters' output). */
export interface IngestBatchJobInput {
  /** Which adapter produced it, for logs. */
  source: string;
  batch: GraphBatch;
}

/**
 * New alert notifications (parsed Alertmanager webhooks) to compress into incidents, a human
 * correction of the grouping (merge/split), or a clock tick — all in the same serial stream.
 */
export type CompressJobInput = AlertBatchInput | { correction: IncidentCorrection } | CompressTickInput;

/** The clock moved: watch items whose alert kept firing long enough become incidents (scheduled every minute). */
export interface CompressTickInput {
  tick: true;
}

export interface AlertBatchInput {
  alerts: AlertRecord[];
  /** When the notifications were received, ms since epoch. */
  receivedAt: number;
}

/** Scheduled metric detection over the last `lookbackS` seconds of every series. */
export interface DetectJobInput {
  lookbackS: number;
  stepS: number;
  detector: 'robust-z' | 'ewma' | 'spot' | 'dspot';
  /** Entities to read (all when omitted). */
  entities?: string[];
}

/** Scheduled log checks: the last `windowMs` against the `baselineMs` before it. */
export interface LogCheckJobInput {
  windowMs: number;
  baselineMs: number;
}

/** Diagnose one revision of an incident. One job per (incident, revision). */
export interface RcaJobInput {
  incident: number;
  revision: number;
}

/** Publish one revision of an incident's card. One job per (incident, revision). */
export interface NotifyJobInput {
  incident: number;
  revision: number;
  /** The channel to rate-limit on before the card exists (the notifier decides where it posts). */
  channel?: string;
}

export type FeedbackJobInput = FeedbackInput;

/** A job that a finished job asks the runner to enqueue (content-derived ids make repeats no-ops). */
export type FollowUp = { queue: 'rca'; data: RcaJobInput } | { queue: 'notify'; data: NotifyJobInput };

/** What every flow job returns: a JSON-safe summary plus its follow-ups. */
export interface FlowResult<S = Record<string, unknown>> {
  summary: S;
  next: FollowUp[];
}
