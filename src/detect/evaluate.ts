/**
 * What `rootgraph eval detect` measures, shared by its datasets: the rows (each detector alone and
 * each ensemble policy) and their figures — incidents found, mean detection delay, false incidents
 * per day of normal operation.
 */
import type { DetectorRun } from './detect-series.js';
import type { EnsemblePolicy } from './ensemble.js';

/** A row of the evaluation: a detector alone, or an ensemble policy over detector runs. */
export interface EvalRow {
  name: string;
  kind: 'detector' | 'ensemble';
  alarms(runs: ReadonlyMap<string, DetectorRun>): Uint8Array;
}

/** Rows for `detectors` alone, then each policy whose detectors are all among them. */
export function evalRows(detectors: readonly string[], policies: readonly EnsemblePolicy[]): EvalRow[] {
  return [
    ...detectors.map((d) => ({
      name: d,
      kind: 'detector' as const,
      alarms: (r: ReadonlyMap<string, DetectorRun>) => r.get(d)!.alarms,
    })),
    ...policies
      .filter((p) => p.needs.every((d) => detectors.includes(d)))
      .map((p) => ({
        name: p.name,
        kind: 'ensemble' as const,
        alarms: (r: ReadonlyMap<string, DetectorRun>) => p.combine(r),
      })),
  ];
}

/** A row's figures on one dataset. */
export interface Figures {
  /** Incidents (faults) in the dataset, and how many were found. */
  incidents: number;
  found: number;
  /** Detection delays of the found ones, in seconds (negative: declared before the recorded start). */
  delaysS: number[];
  falseIncidents: number;
  /** Days of normal operation judged. */
  normalDays: number;
  /** Cases where the row alarmed on a step wholly before the incident began (a sign of a shifted baseline, not of the fault). */
  alarmedBeforeStart: number;
}

export const emptyFigures = (): Figures => ({
  incidents: 0,
  found: 0,
  delaysS: [],
  falseIncidents: 0,
  normalDays: 0,
  alarmedBeforeStart: 0,
});

/** Mean delay in seconds, NaN when nothing was found. Pure. */
export const meanDelayS = (f: Figures) =>
  f.delaysS.length ? f.delaysS.reduce((a, b) => a + b, 0) / f.delaysS.length : NaN;

/** False incidents per normal day, 0 when no normal day was judged. Pure. */
export const falsePerDay = (f: Figures) => (f.normalDays > 0 ? f.falseIncidents / f.normalDays : 0);
