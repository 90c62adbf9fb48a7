/**
 * Human corrections to alert grouping, as the incident card offers them (merge two incidents,
 * split alerts off into a new one). The alert-compression engine (src/alerts) learns from them;
 * the runtime implementation belongs to the jobs that own incident state.
 */
import { z } from 'zod';

const ms = z.number().int().nonnegative();
const incident = z.number().int().positive();

/** One correction: fold incident `from` into `into`, or move alerts (by fingerprint) out of `incident`. */
export const IncidentCorrectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('merge'), into: incident, from: incident, by: z.string().min(1), at: ms }),
  z.object({
    kind: z.literal('split'),
    incident,
    fingerprints: z.array(z.string().min(1)).min(1),
    by: z.string().min(1),
    at: ms,
  }),
]);
export type IncidentCorrection = z.infer<typeof IncidentCorrectionSchema>;

export interface IncidentCorrections {
  /** Folds incident `from` into incident `into`. */
  merge(c: { into: number; from: number; by: string; at: number }): Promise<{ message: string }>;
  /** Moves the alerts with these fingerprints out of `incident` into a new incident. */
  split(c: { incident: number; fingerprints: string[]; by: string; at: number }): Promise<{ message: string }>;
}
