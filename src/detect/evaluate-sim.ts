/**
 * Evaluation on the simulator (src/sim): Online Boutique at 1-minute steps, one 30-minute fault of
 * each type in an 8-hour run (the first 4 hours are warm-up, not judged), plus one anomaly-free day.
 * The VAE is trained on a separate anomaly-free day, so everything judged is out of sample.
 * Incidents come from the front end's SLIs and from alarms spreading along the call graph.
 */
import { SYMPTOMATIC_FAULT_TYPES, simulate, type FaultType, type SimRun } from '../sim/index.js';
import { runStatDetectors, type SeriesInput } from './detect-series.js';
import type { DetectorName } from './detect-case.js';
import { withBudget, type DetectorModel } from './detector-model.js';
import { ensembleVaeBudget } from './ensemble.js';
import { emptyTally, tallyRun } from './eval-metrics.js';
import { emptyFigures, type EvalRow, type Figures } from './evaluate.js';
import { declareIncidents, ruleFor } from './incident-rule.js';
import type { ModelSource } from './evaluate-cases.js';
import type { ReplayPlan } from './plan.js';
import { runVaeDetector, toCube } from './vae-detect.js';

/** The simulated set-up. */
export const SIM = {
  system: 'online-boutique' as const,
  stepS: 60,
  runH: 8,
  faultAtH: 5,
  faultMin: 30,
  historyH: 4,
  quietH: 24,
  trainH: 24,
  /** An incident declared up to this many steps after a fault ends still counts as finding it. */
  graceSteps: 10,
  entry: 'frontend',
  start: Date.UTC(2024, 0, 1),
  targets: [
    'cartservice',
    'productcatalogservice',
    'currencyservice',
    'paymentservice',
    'checkoutservice',
    'recommendationservice',
    'shippingservice',
    'adservice',
  ],
};

/** Service-level series of a run, as detector input (pods and machines left out: same signals, finer grain). */
export function serviceSeries(run: SimRun): SeriesInput[] {
  return [...run.metrics.series.values()]
    .filter((s) => s.kind === 'service')
    .map((s) => ({ entity: s.entity, metric: s.metric, values: s.values }));
}

/** One simulated run: `hours` long, with `fault` at SIM.faultAtH when given. Deterministic per seed. */
export function simRun(
  seed: number,
  hours: number,
  fault?: { type: FaultType; target: string; severity?: number },
): SimRun {
  return simulate({
    system: SIM.system,
    seed,
    start: SIM.start,
    durationS: hours * 3600,
    stepS: SIM.stepS,
    faults: fault ? [{ ...fault, startS: SIM.faultAtH * 3600, durationS: SIM.faultMin * 60 }] : [],
  });
}

/** The VAE's training data: an anomaly-free run with its own seed. */
export function simTrainingCube(): { cube: ReturnType<typeof toCube>; stepS: number } {
  const train = simRun(900, SIM.trainH);
  const edges = train.topology.edges.map((e) => [e.source, e.target] as [string, string]);
  const n = train.metrics.timestamps.length;
  return {
    cube: toCube(
      serviceSeries(train),
      Array.from({ length: n }, (_, i) => i),
      edges,
    ),
    stepS: SIM.stepS,
  };
}

/** Figures per row on the simulated runs. */
export async function evaluateSim(opts: {
  detectors: readonly DetectorName[];
  rows: readonly EvalRow[];
  models?: ModelSource;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
  onRun?: (name: string) => void;
  /**
   * Fault strength (1 = the simulator's default). Weaker faults run with their own seeds and without the
   * anomaly-free day: a harder set, to see where detectors that all find the default faults differ.
   */
  severity?: number;
}): Promise<Map<string, Figures>> {
  const severity = opts.severity ?? 1;
  const subtle = severity !== 1;
  let model: DetectorModel | undefined;
  if (opts.detectors.includes('graph-lstm-vae')) {
    if (!opts.models) throw new Error('evaluateSim: the VAE needs a model source');
    const { cube, stepS } = simTrainingCube();
    model = await opts.models({ system: `sim-${SIM.system}`, role: 'full', cube, stepS });
  }
  const out = new Map(opts.rows.map((r) => [r.name, emptyFigures()]));
  // Detection is asked of the faults with a symptom; a silent wrong return is left to RCA's trace evidence.
  const runs: Array<{ name: string; run: SimRun }> = SYMPTOMATIC_FAULT_TYPES.map((type, i) => ({
    name: subtle ? `${type} at severity ${severity}` : type,
    run: simRun((subtle ? 300 : 100) + i, SIM.runH, { type, target: SIM.targets[i % SIM.targets.length], severity }),
  }));
  if (!subtle) runs.push({ name: 'anomaly-free day', run: simRun(200, SIM.quietH) });
  try {
    for (const { name, run } of runs) {
      opts.onRun?.(name);
      const ts = run.metrics.timestamps;
      const history = (SIM.historyH * 3600) / SIM.stepS;
      const plan: ReplayPlan = {
        order: Array.from({ length: ts.length }, (_, i) => i),
        history,
        segments: [{ start: 0, end: ts.length - 1 }],
        breaks: [],
      };
      const series = serviceSeries(run);
      const edges = run.topology.edges.map((e) => [e.source, e.target] as [string, string]);
      const faults = run.truth.faults.map((f) => ({
        start: Math.round((f.start / 1000 - ts[0]) / SIM.stepS),
        end: Math.round((f.end / 1000 - ts[0]) / SIM.stepS),
      }));
      const detectorRuns = runStatDetectors(opts.detectors, {
        series,
        timestamps: ts,
        plan,
        entry: SIM.entry,
        edges,
        incident: opts.incident,
      });
      // Ensemble rows see the VAE at its share of the budget (ensemble.ts), the VAE's own row at all of it.
      const ensembleRuns = new Map(detectorRuns);
      if (model) {
        const vae = (m: DetectorModel) =>
          runVaeDetector({ series, timestamps: ts, plan, edges, model: m, incident: opts.incident });
        detectorRuns.set('graph-lstm-vae', await vae(model));
        ensembleRuns.set('graph-lstm-vae', await vae(withBudget(model, ensembleVaeBudget(model.falsePerDay))));
      }
      for (const row of opts.rows) {
        const alarms = row.alarms(row.kind === 'ensemble' ? ensembleRuns : detectorRuns);
        const t = emptyTally();
        const incidents = declareIncidents(alarms, { ...ruleFor(SIM.stepS), ...opts.incident });
        tallyRun(t, { incidents, alarms, judgedFrom: history, faults, stepS: SIM.stepS }, SIM.graceSteps);
        const f = out.get(row.name)!;
        f.incidents += t.faults;
        f.found += t.detected;
        f.delaysS.push(...t.delaysS);
        f.falseIncidents += t.incidents - t.trueIncidents;
        f.normalDays += t.judgedS / 86_400;
        let early = false;
        for (const fault of faults) for (let k = history; k < fault.start; k++) if (alarms[k]) early = true;
        if (early) f.alarmedBeforeStart++;
      }
    }
  } finally {
    model?.vae.dispose();
  }
  return out;
}
