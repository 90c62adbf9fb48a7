/**
 * Detection over one offline case (../shared/data/README.md format): replays normal history, then
 * the incident segment, through each chosen detector and the ensemble, and says when the incident
 * would have been declared. Pure apart from the model's tensor work; takes the case as plain data.
 */
import type { AnomalyRecord } from './anomaly.js';
import {
  runStatDetector,
  STAT_DETECTORS,
  type DetectorRun,
  type SeriesInput,
  type StatDetector,
} from './detect-series.js';
import { trainDetectorModel, withBudget, type DetectorModel } from './detector-model.js';
import { DEFAULT_POLICY, ensembleVaeBudget, policyByName } from './ensemble.js';
import type { EpochReport, VaeOptions } from './graph-lstm-vae/model.js';
import { declareIncidents, ruleFor, type DeclaredIncident } from './incident-rule.js';
import { medianStepS, planReplay, type ReplayPlan } from './plan.js';

export { medianStepS } from './plan.js';
import { runVaeDetector, toCube, type VaeRun } from './vae-detect.js';

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

/** What one detector (or the ensemble) found on a case. */
export interface CaseDetection {
  detector: string;
  anomalies: AnomalyRecord[];
  incidents: IncidentCall[];
  /** The first incident on the incident's segment still alarming at or after the start (delayS < 0: declared before the recorded start); null if missed. */
  declared: { at: number; delayS: number } | null;
  falseIncidents: number;
  /** GraphLSTM-VAE only: how it handled topology, and its training (epochs, losses). */
  model?: {
    topology: { added: string[]; removed: string[]; action: string };
    trainLoss: number[];
    bestEpoch: number;
    inSample: boolean;
  };
}

/** Options of `detectCase`. */
export interface DetectCaseOptions {
  detectors?: readonly DetectorName[];
  /** The system's trained model; without one the VAE is trained on the case's history (scored in-sample). */
  model?: DetectorModel;
  vae?: Partial<VaeOptions>;
  falsePerDay?: number;
  /** Ensemble policy added as an `ensemble` result when every detector it needs ran; `none` to skip. */
  policy?: string;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
  onEpoch?: (r: EpochReport) => void;
}

/**
 * Judges declared incidents against a case: which are false (declared on history) and whether the
 * incident was declared on its own segment while alarming at or after its start. Pure.
 */
export function judgeIncidents(
  incidents: readonly DeclaredIncident[],
  plan: ReplayPlan,
  timestamps: Float64Array,
  start: number,
): Pick<CaseDetection, 'incidents' | 'declared' | 'falseIncidents'> {
  const at = (j: number) => timestamps[plan.order[j]];
  const calls = incidents.map((i) => ({
    firstAlarm: at(i.firstAlarm),
    declaredAt: at(i.declaredAt),
    lastAlarm: at(i.lastAlarm),
    duringHistory: i.declaredAt < plan.history,
  }));
  const hit = incidents.find((i) => i.declaredAt >= plan.history && at(i.lastAlarm) >= start);
  return {
    incidents: calls,
    declared: hit ? { at: at(hit.declaredAt), delayS: at(hit.declaredAt) - start } : null,
    falseIncidents: calls.filter((i) => i.duringHistory).length,
  };
}

/** Runs the chosen detectors (and the ensemble) over `c` and reports anomalies and incident declarations. */
export async function detectCase(
  c: CaseInput,
  opts: DetectCaseOptions = {},
): Promise<{ plan: ReplayPlan; runs: Map<string, DetectorRun>; results: CaseDetection[] }> {
  const plan = planReplay(c.timestamps, c.incident.start);
  const edges = c.topology.map((e) => [e.source, e.target] as [string, string]);
  const runs = new Map<string, DetectorRun>();
  const results: CaseDetection[] = [];
  const judge = (incidents: DeclaredIncident[]) => judgeIncidents(incidents, plan, c.timestamps, c.incident.start);
  // The VAE's model, kept until the ensemble has run (disposed here when trained here).
  let vae: { model: DetectorModel; inSample: boolean } | undefined;
  try {
    await runEach();
    const policyName = opts.policy ?? DEFAULT_POLICY;
    if (policyName !== 'none') await runPolicy(policyByName(policyName));
  } finally {
    if (vae && !opts.model) vae.model.vae.dispose();
  }
  return { plan, runs, results };

  async function runEach(): Promise<void> {
    for (const detector of opts.detectors ?? ALL_DETECTORS) {
      if (detector === 'graph-lstm-vae') {
        const { run, model, inSample } = await vaeRun(c, plan, edges, opts);
        vae = { model, inSample };
        runs.set(detector, run);
        results.push({
          detector,
          anomalies: run.anomalies,
          ...judge(run.incidents),
          model: {
            topology: run.topology,
            trainLoss: model.training.history.map((h) => h.loss),
            bestEpoch: model.training.bestEpoch,
            inSample,
          },
        });
        continue;
      }
      const run = runStatDetector({
        detector: detector as StatDetector,
        series: c.series,
        timestamps: c.timestamps,
        plan,
        entry: c.incident.entry,
        edges,
        incident: opts.incident,
      });
      runs.set(detector, run);
      results.push({ detector, anomalies: run.anomalies, ...judge(run.incidents) });
    }
  }

  async function runPolicy(policy: ReturnType<typeof policyByName>): Promise<void> {
    if (!policy.needs.every((d) => runs.has(d))) return;
    // Inside the ensemble the VAE gets its share of the false-alarm budget (ensemble.ts).
    const shared = new Map(runs);
    if (vae && policy.needs.includes('graph-lstm-vae')) {
      const model = withBudget(vae.model, ensembleVaeBudget(vae.model.falsePerDay));
      shared.set('graph-lstm-vae', (await vaeRun(c, plan, edges, { ...opts, model }, vae.inSample)).run);
    }
    const incidents = declareIncidents(policy.combine(shared), {
      ...ruleFor(medianStepS(c.timestamps)),
      ...opts.incident,
      breaks: plan.breaks,
    });
    results.push({ detector: `ensemble (${policy.name})`, anomalies: [], ...judge(incidents) });
  }
}

async function vaeRun(
  c: CaseInput,
  plan: ReplayPlan,
  edges: Array<[string, string]>,
  opts: DetectCaseOptions,
  /** True when `opts.model` was trained on this case's history (its scores there are in sample). */
  trainedHere = false,
): Promise<{ run: VaeRun; model: DetectorModel; inSample: boolean }> {
  const model =
    opts.model ??
    (await trainDetectorModel({
      cube: toCube(c.series, plan.order.slice(0, plan.history), edges),
      stepS: medianStepS(c.timestamps),
      falsePerDay: opts.falsePerDay,
      vae: opts.vae,
      onEpoch: opts.onEpoch,
    }));
  const run = await runVaeDetector({
    series: c.series,
    timestamps: c.timestamps,
    plan,
    edges,
    model,
    learnFrom: opts.model && !trainedHere ? 0 : plan.history,
    incident: opts.incident,
  });
  return { run, model, inSample: !opts.model || trainedHere };
}
