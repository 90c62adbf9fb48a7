/**
 * Human corrections to alert grouping, as the incident card offers them (merge two incidents,
 * split alerts off into a new one). The alert-compression engine (src/alerts) learns from them;
 * the runtime implementation belongs to the jobs that own incident state.
 */
export interface IncidentCorrections {
  /** Folds incident `from` into incident `into`. */
  merge(c: { into: number; from: number; by: string; at: number }): Promise<{ message: string }>;
  /** Moves the alerts with these fingerprints out of `incident` into a new incident. */
  split(c: { incident: number; fingerprints: string[]; by: string; at: number }): Promise<{ message: string }>;
}
