import type { Uid } from '../model/graph.js';

/**
 * One alert notification, as alert compression consumes it. Alertmanager records
 * (src/ingest/alertmanager) and simulated alerts both fit this shape. Times are ms since epoch.
 */
export interface AlertEvent {
  /** Identity of the alert across notifications: a hash of its stable labels. */
  fingerprint: string;
  /** The alert rule's name (`alertname`). */
  name: string;
  status: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  startsAt: number;
  /** When it resolved (for `resolved`), or null. */
  endsAt: number | null;
  /** The knowledge-graph entity the alert is about, or null when its labels name none. */
  entity: Uid | null;
  /** When the notification was received, if known; defaults to the event's own time. */
  receivedAt?: number;
}

/** One firing episode of an alert: from start to resolution (null while firing). */
export interface Occurrence {
  startsAt: number;
  endsAt: number | null;
}

/** An alert after deduplication: every notification of one fingerprint folded into one record. */
export interface TrackedAlert {
  fingerprint: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  entity: Uid | null;
  status: 'firing' | 'resolved';
  /** Start of the first occurrence, ms. */
  firstSeen: number;
  /** Latest notification time seen, ms. */
  lastSeen: number;
  /** Notifications received for this fingerprint, repeats included. */
  notifications: number;
  /** Firing episodes in start order; a resolved-then-re-fired alert has several. */
  occurrences: Occurrence[];
  /** True while the alert toggles faster than the flap period (see suppress-flapping.ts). */
  flapping: boolean;
}
