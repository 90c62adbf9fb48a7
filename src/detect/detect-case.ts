/**
 * Detection over one offline case (../shared/data/README.md format): replays normal history, then
 * the incident segment, through each chosen detector, and says when the incident would have been
 * declared. Pure apart from the model's tensor work; takes the case as plain data.
 */
import type { AnomalyRecord } from './anomaly.js';
import { runStatDetector, STAT_DETECTORS, type SeriesInput, type StatDetector } from './detect-series.js';
import type { VaeOptions } from './graph-lstm-vae/model.js';
import { planReplay, type ReplayPlan } from './plan.js';
import { runVaeDetector } from './vae-detect.js';

/** Every detector `detectCase` knows. */
export const ALL_DETECTORS = [...STAT_DETECTORS, 'graph-lstm-vae'] as const;
export type DetectorName = (typeof ALL_DETECTORS)[number];

/** The parts of a case detection needs (`CaseData` from src/cases fits). */
export interface CaseInput {
  timestamps: Float64Array;
  series: readonly SeriesInput[];
  topology: ReadonlyArray<{ source: string; target: string }>;
  incident: { start: number; entry?: string };
}

/** An incident a detector would have declared, in unix seconds. */
export interface IncidentCall {
  firstAlarm: number;
  declaredAt: number;
  lastAlarm: number;
  /** True when it was declared on normal history, i.e. a false incident. */
  duringHistory: boolean;
}

/** What one detector found on a case. */
export interface CaseDetection {
  detector: DetectorName;
  anomalies: AnomalyRecord[];
  incidents: IncidentCall[];
  /** The first incident on the incident's segment still alarming at or after the start (delayS < 0: declared before the recorded start); null if missed. */
  declared: { at: number; delayS: number } | null;
  falseIncidents: number;
  /** GraphLSTM-VAE only: how it handled topology and its training loss per epoch. */
  model?: { topology: { added: string[]; removed: string[]; action: string }; trainLoss: number[] };
}

/** Options of `detectCase`. */
export interface DetectCaseOptions {
  detectors?: readonly DetectorName[];
  vae?: Partial<VaeOptions>;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Runs the chosen detectors over `c` and reports anomalies and incident declarations. */
export async function detectCase(
  c: CaseInput,
  opts: DetectCaseOptions = {},
): Promise<{ plan: ReplayPlan; results: CaseDetection[] }> {
  const plan = planReplay(c.timestamps, c.incident.start);
  const edges = c.topology.map((e) => [e.source, e.target] as [string, string]);
  const results: CaseDetection[] = [];
  for (const detector of opts.detectors ?? ALL_DETECTORS) {
    const vae =
      detector === 'graph-lstm-vae'
        ? await runVaeDetector({
            series: c.series,
            timestamps: c.timestamps,
            plan,
            edges,
            vae: opts.vae,
            incident: opts.incident,
            onEpoch: opts.onEpoch,
          })
        : undefined;
    const run =
      vae ??
      runStatDetector({
        detector: detector as StatDetector,
        series: c.series,
        timestamps: c.timestamps,
        plan,
        entry: c.incident.entry,
        incident: opts.incident,
      });
    const at = (j: number) => c.timestamps[plan.order[j]];
    const incidents = run.incidents.map((i) => ({
      firstAlarm: at(i.firstAlarm),
      declaredAt: at(i.declaredAt),
      lastAlarm: at(i.lastAlarm),
      duringHistory: i.declaredAt < plan.history,
    }));
    // Declared on the incident's segment and still alarming at or after the start; may precede the recorded start.
    const hit = run.incidents.find((i) => i.declaredAt >= plan.history && at(i.lastAlarm) >= c.incident.start);
    results.push({
      detector,
      anomalies: run.anomalies,
      incidents,
      declared: hit ? { at: at(hit.declaredAt), delayS: at(hit.declaredAt) - c.incident.start } : null,
      falseIncidents: incidents.filter((i) => i.duringHistory).length,
      ...(vae ? { model: { topology: vae.topology, trainLoss: vae.trainLoss } } : {}),
    });
  }
  return { plan, results };
}
