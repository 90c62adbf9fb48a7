import type { Uid } from '../../model/graph.js';

/** One alert as Alertmanager reported it, validated and normalised. Times are ms since epoch. */
export interface AlertRecord {
  /** Alertmanager's fingerprint when it sent one, else the same FNV-1a hash computed from the labels. */
  fingerprint: string;
  /** `labels.alertname`, or `''` when absent. */
  name: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** `null` while firing with no known end (Alertmanager sends Go's zero time then). */
  endsAt: number | null;
  generatorURL: string | null;
  /** The entity the labels identify (pod, deployment, service, machine, namespace), or `null`. */
  entity: Uid | null;
}

/** One alert that was not accepted: its index in `alerts`, a path into the payload, and why. */
export interface AlertRejection {
  index: number;
  where: string;
  reason: string;
}

/** Partial failure as data: every input alert is in exactly one of the two lists. */
export interface ParsedAlerts {
  accepted: AlertRecord[];
  rejected: AlertRejection[];
}
