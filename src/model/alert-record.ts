import { z } from 'zod';

const ms = z.number().int().nonnegative();

/**
 * One alert as Alertmanager reported it, validated and normalised. Times are ms since epoch.
 * - fingerprint: Alertmanager's when it sent one, else the same FNV-1a hash computed from the labels.
 * - name: `labels.alertname`, or `''` when absent.
 * - endsAt: `null` while firing with no known end (Alertmanager sends Go's zero time then).
 * - entity: the uid the labels identify (pod, deployment, service, machine, namespace), or `null`.
 */
export const AlertRecordSchema = z.object({
  fingerprint: z.string().min(1),
  name: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: ms,
  endsAt: ms.nullable(),
  generatorURL: z.string().nullable(),
  entity: z.string().nullable(),
});
export type AlertRecord = z.infer<typeof AlertRecordSchema>;

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
